/** Reading capped JSON bodies and writing answers, without ever throwing at the socket. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorBody } from './types.js';

/** Past this a body is refused; the rest of the upload is drained, not buffered. */
export const MAX_BODY_BYTES = 1024 * 1024;

export type BodyResult =
  | { kind: 'json'; value: unknown }
  | { kind: 'empty' }
  | { kind: 'invalid-json' }
  | { kind: 'too-large' }
  | { kind: 'aborted' };

export function readJsonBody(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<BodyResult> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number.isFinite(declared) && declared > maxBytes;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > maxBytes) {
        tooLarge = true;
        chunks.length = 0;
      } else chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) return resolve({ kind: 'too-large' });
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') return resolve({ kind: 'empty' });
      try {
        resolve({ kind: 'json', value: JSON.parse(text) });
      } catch {
        resolve({ kind: 'invalid-json' });
      }
    });
    req.on('error', () => resolve({ kind: 'aborted' }));
    req.on('close', () => {
      if (!req.complete) resolve({ kind: 'aborted' });
    });
  });
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed || res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

export function sendErrors(
  res: ServerResponse,
  status: number,
  errors: ErrorBody,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { errors }, headers);
}

/** Cloudflare's 522 is an HTML page, not JSON: clients must cope with that body too. */
export function sendCloudflare522(res: ServerResponse): void {
  if (res.destroyed || res.headersSent) return;
  const html =
    '<!DOCTYPE html><html><head><title>api.helcim.com | 522: Connection timed out</title></head>' +
    '<body><h1>Connection timed out</h1><p>Error code 522</p></body></html>';
  res.writeHead(522, {
    'content-type': 'text/html; charset=UTF-8',
    'content-length': String(Buffer.byteLength(html)),
  });
  res.end(html);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
