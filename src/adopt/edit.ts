/**
 * Adoption, the file part: the new text of each source file with the adopted codes written in,
 * checked by reading it back. Returns edits; writing them is the caller's choice (`--dry-run`).
 * "Code" here is whichever identity adoption writes: Helcim's customerCode, Payment Kit's did
 * or id.
 */
import { providerInfo } from '../providers/index.js';
import { isUtf8 } from 'node:buffer';
import { readFileSync } from 'node:fs';
import type { Config } from '../load/config-types.js';
import { csvOptionsFor } from '../load/index.js';
import { detectDelimiter } from '../load/csv-delimiter.js';
import type { InputFile } from '../load/files.js';
import { findColumn, splitCsv, writeCsvCodes } from './csv-edit.js';
import type { Adoption } from './match.js';
import { placeKey, verifyEdit } from './verify.js';
import { writeYamlCodes } from './yaml-edit.js';

export interface FileEdit {
  file: InputFile;
  /** Codes written, by the place of their record. */
  codes: Map<string, string>;
  before: string;
  after?: string;
  /** Why the file cannot be written; nothing is written to it then. */
  error?: string;
  /** Something the user must do for the codes to be used (a mapping to extend). */
  note?: string;
  bom: boolean;
}

type Adopted = Adoption & { kind: 'adopt' };

const BOM = '\ufeff';

function readText(file: InputFile): { text: string; bom: boolean } | string {
  const bytes = readFileSync(file.path);
  if (bytes[0] === 0xff || bytes[0] === 0xfe) return 'it is UTF-16; save it as UTF-8 first';
  if (!isUtf8(bytes)) return 'it is not UTF-8; save it as UTF-8 first';
  const text = bytes.toString('utf8');
  return text.startsWith(BOM) ? { text: text.slice(1), bom: true } : { text, bom: false };
}

interface CsvTarget {
  column: number;
  codesRead: boolean;
  note?: string;
  error?: string;
}

/** The column the codes go into, following the loader: the mapping's, or an identity one. */
function csvTarget(
  text: string,
  file: InputFile,
  config: Config,
  delimiter: string,
  id: string,
): CsvTarget {
  const header = splitCsv(text, delimiter)[0];
  if (header === undefined) return { column: -1, codesRead: true, error: 'it is empty' };
  const mapping = csvOptionsFor(config, file.path).mapping;
  if (mapping === undefined) return { column: findColumn(text, header, id), codesRead: true };
  const spec = mapping.columns.find(([path]) => path === id)?.[1];
  if (spec === undefined) {
    const column = findColumn(text, header, id);
    return {
      column,
      codesRead: false,
      note:
        `mapping "${mapping.name}" does not read ${id}, so the values in column ` +
        `"${id}" are not used yet: add  ${id}: ${id}  under ` +
        `mappings.${mapping.name}.columns in the config`,
    };
  }
  const only = spec.kind === 'columns' && spec.from.length === 1 ? spec.from[0] : undefined;
  if (only === undefined)
    return {
      column: -1,
      codesRead: true,
      error: `mapping "${mapping.name}" builds ${id} from ${spec.kind === 'value' ? 'a constant' : 'several columns'}; map it from one column`,
    };
  return { column: findColumn(text, header, only), codesRead: true };
}

function editCsv(
  edit: FileEdit,
  adopted: readonly Adopted[],
  config: Config,
  identity: string,
): void {
  const options = csvOptionsFor(config, edit.file.path);
  const delimiter = options.delimiter ?? options.mapping?.delimiter ?? detectDelimiter(edit.before);
  const target = csvTarget(edit.before, edit.file, config, delimiter, identity);
  if (target.error !== undefined) {
    edit.error = target.error;
    return;
  }
  const byRow = new Map<number, string>();
  for (const a of adopted) {
    const place = a.customer.record.place;
    if (place.kind === 'csv') byRow.set(place.row, a.code);
  }
  const result = writeCsvCodes(edit.before, {
    codes: byRow,
    column: target.column,
    delimiter,
    name: identity,
  });
  if ('missingRows' in result) {
    edit.error = `rows ${result.missingRows.join(', ')} have no cell in the ${identity} column`;
    return;
  }
  edit.after = result.text;
  if (target.note !== undefined) edit.note = target.note;
  const check = verifyEdit(
    edit.file,
    edit.before,
    result.text,
    edit.codes,
    config,
    identity,
    target.codesRead,
  );
  if (check !== undefined) edit.error = check;
}

function editYaml(
  edit: FileEdit,
  adopted: readonly Adopted[],
  config: Config,
  identity: string,
): void {
  const edits = [];
  for (const a of adopted) {
    const place = a.customer.record.place;
    if (place.kind === 'yaml') edits.push({ at: place, code: a.code });
  }
  const result = writeYamlCodes(edit.before, edits, identity);
  if ('failures' in result) {
    edit.error = result.failures.map((f) => `line ${f.at.line}: ${f.reason}`).join('; ');
    return;
  }
  edit.after = result.text;
  const check = verifyEdit(edit.file, edit.before, result.text, edit.codes, config, identity);
  if (check !== undefined) edit.error = check;
}

/**
 * One edit per file that has records to adopt, in the order of `files`. `identity` is the field
 * written (default: the provider's identity).
 */
export function planEdits(
  files: readonly InputFile[],
  adoptions: readonly Adoption[],
  config: Config,
  identity: string = providerInfo(config.provider).fields.identity,
): FileEdit[] {
  const byFile = new Map<string, Adopted[]>();
  for (const a of adoptions) {
    if (a.kind !== 'adopt') continue;
    const list = byFile.get(a.customer.record.file);
    if (list === undefined) byFile.set(a.customer.record.file, [a]);
    else list.push(a);
  }
  const edits: FileEdit[] = [];
  for (const file of files) {
    const adopted = byFile.get(file.name);
    if (adopted === undefined) continue;
    const codes = new Map(adopted.map((a) => [placeKey(a.customer.record.place), a.code]));
    const read = readText(file);
    if (typeof read === 'string') {
      edits.push({ file, codes, before: '', error: read, bom: false });
      continue;
    }
    const edit: FileEdit = { file, codes, before: read.text, bom: read.bom };
    if (file.kind === 'csv') editCsv(edit, adopted, config, identity);
    else editYaml(edit, adopted, config, identity);
    edits.push(edit);
  }
  return edits;
}

/** The bytes to write: the BOM back in front if the file had one. */
export function outputText(edit: FileEdit): string | undefined {
  return edit.after === undefined ? undefined : (edit.bom ? BOM : '') + edit.after;
}
