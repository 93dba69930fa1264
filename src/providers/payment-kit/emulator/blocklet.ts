/**
 * `GET /__blocklet__.js`: how an app publishes where its components are mounted. With
 * `?type=json` it is JSON; without, a script that sets `window.blocklet`, as browsers load it.
 * Served by the app, not by Payment Kit: no auth, no faults, no rate limit.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../../../emulator/http-io.js';
import { parseQuery } from './query.js';
import { PAYMENT_KIT_DID } from './types.js';

export function blockletInfo(mountPoint: string) {
  return {
    componentMountPoints: [{ did: PAYMENT_KIT_DID, name: 'payment-kit', mountPoint }],
  };
}

/** Answers and returns the status sent, for the stats. */
export function blockletJs(
  req: IncomingMessage,
  res: ServerResponse,
  search: string,
  mountPoint: string,
): number {
  const method = req.method ?? 'GET';
  if (method !== 'GET') {
    sendJson(res, 405, { error: 'Method Not Allowed' }, { allow: 'GET' });
    return 405;
  }
  const info = blockletInfo(mountPoint);
  if (parseQuery(search)['type'] === 'json') {
    sendJson(res, 200, info);
    return 200;
  }
  const script = `window.blocklet = ${JSON.stringify(info)};\n`;
  res.writeHead(200, {
    'content-type': 'application/javascript; charset=utf-8',
    'content-length': String(Buffer.byteLength(script)),
  });
  res.end(script);
  return 200;
}
