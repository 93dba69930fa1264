/**
 * Query strings read as Express's `qs` reads them (the SDK writes them with `qs.stringify`):
 * brackets nest (`order[0][0]=updated_at`), `a[]=` pushes, a repeated key becomes an array.
 * Close to qs, not identical in every corner; it never throws, whatever the input.
 */

export type QueryValue = string | QueryValue[] | { [key: string]: QueryValue };
export type QueryObject = { [key: string]: QueryValue };

/** qs's defaults: deeper brackets stay one literal key, bigger indexes make an object. */
const MAX_DEPTH = 5;
const ARRAY_LIMIT = 20;
const PARAMETER_LIMIT = 1000;

type Node = { leaf: string[] } | { branch: Map<string, Node> };

function decode(text: string): string {
  const spaced = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    // qs keeps a malformed escape as written rather than failing the request.
    return spaced;
  }
}

/** `a[b][c]` to `['a', 'b', 'c']`; what follows the last well-formed bracket stays literal. */
function splitKey(key: string): string[] {
  const open = key.indexOf('[');
  if (open <= 0) return [key];
  const segments = [key.slice(0, open)];
  const bracket = /\[([^[\]]*)\]/y;
  let at = open;
  while (segments.length <= MAX_DEPTH) {
    bracket.lastIndex = at;
    const match = bracket.exec(key);
    if (match === null) break;
    segments.push(match[1] ?? '');
    at = bracket.lastIndex;
  }
  if (at < key.length) segments.push(key.slice(at));
  return segments;
}

/** qs drops parameters naming Object.prototype members, which would pollute or shadow them. */
function isPrototypeKey(segment: string): boolean {
  return segment in Object.prototype;
}

function insert(root: Map<string, Node>, segments: string[], value: string): void {
  let level = root;
  for (const [i, raw] of segments.entries()) {
    // `[]` pushes: the next index at this level.
    const segment = raw === '' && i > 0 ? String(level.size) : raw;
    const last = i === segments.length - 1;
    const existing = level.get(segment);
    if (last) {
      if (existing === undefined) level.set(segment, { leaf: [value] });
      else if ('leaf' in existing) existing.leaf.push(value);
      else existing.branch.set(String(existing.branch.size), { leaf: [value] });
      return;
    }
    if (existing === undefined) {
      const branch = new Map<string, Node>();
      level.set(segment, { branch });
      level = branch;
    } else if ('branch' in existing) {
      level = existing.branch;
    } else {
      // `a=1&a[b]=2`: the plain value joins the nested ones instead of being lost.
      const branch = new Map<string, Node>(existing.leaf.map((v, n) => [String(n), { leaf: [v] }]));
      level.set(segment, { branch });
      level = branch;
    }
  }
}

function isArrayIndex(key: string): boolean {
  return /^(0|[1-9]\d*)$/.test(key) && Number(key) <= ARRAY_LIMIT;
}

function toValue(node: Node): QueryValue {
  if ('leaf' in node) {
    const [only] = node.leaf;
    return node.leaf.length === 1 && only !== undefined ? only : node.leaf.slice();
  }
  const keys = [...node.branch.keys()];
  if (keys.length > 0 && keys.every(isArrayIndex)) {
    // Sparse indexes are compacted in index order, as qs does.
    return keys
      .sort((a, b) => Number(a) - Number(b))
      .flatMap((key) => {
        const child = node.branch.get(key);
        return child === undefined ? [] : [toValue(child)];
      });
  }
  const out: QueryObject = {};
  for (const [key, child] of node.branch) out[key] = toValue(child);
  return out;
}

/** `search` with or without its `?`. */
export function parseQuery(search: string): QueryObject {
  const root = new Map<string, Node>();
  const text = search.startsWith('?') ? search.slice(1) : search;
  let count = 0;
  for (const part of text.split('&')) {
    if (part === '') continue;
    if (++count > PARAMETER_LIMIT) break;
    const eq = part.indexOf('=');
    const key = decode(eq === -1 ? part : part.slice(0, eq));
    const value = eq === -1 ? '' : decode(part.slice(eq + 1));
    if (key === '') continue;
    const segments = splitKey(key);
    if (segments.some(isPrototypeKey)) continue;
    insert(root, segments, value);
  }
  const out: QueryObject = {};
  for (const [key, node] of root) out[key] = toValue(node);
  return out;
}
