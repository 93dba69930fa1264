/**
 * Who is calling: an outside caller with `Authorization: Bearer <access key>`, or a component of
 * the app signing each request as the official SDK does (`x-component-sig*` headers).
 *
 * The signature itself is NOT verified: that needs the app's public key, which an emulator has
 * no way to know. A signed request is accepted when its headers are present and well-formed and
 * its expiry is not past. `x-component-did` is checked only when sent: the SDK leaves it out when
 * BLOCKLET_COMPONENT_DID is unset, as it is in a script run outside a Blocklet Server.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export type Caller = { ok: true; kind: 'bearer' | 'component' } | { ok: false; error: string };

const SIGNATURE_HEADERS = [
  'x-component-sig',
  'x-component-sig-iat',
  'x-component-sig-exp',
  'x-component-sig-version',
] as const;
const BASE58 = /^z[1-9A-HJ-NP-Za-km-z]+$/;

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function createAuthenticator(token: string) {
  const tokenDigest = digest(token);

  function bearer(value: string): Caller {
    const match = /^Bearer\s+(\S.*)$/i.exec(value.trim());
    if (match?.[1] === undefined) {
      return { ok: false, error: 'Unauthorized: send "Authorization: Bearer <access key>"' };
    }
    // Digests first: timingSafeEqual needs equal lengths and must not leak the key's length.
    return timingSafeEqual(digest(match[1].trim()), tokenDigest)
      ? { ok: true, kind: 'bearer' }
      : { ok: false, error: 'Unauthorized: the access key is not valid' };
  }

  function component(headers: IncomingHttpHeaders, nowSeconds: number): Caller {
    const missing = SIGNATURE_HEADERS.filter((name) => (header(headers, name) ?? '') === '');
    if (missing.length > 0) {
      return {
        ok: false,
        error: `Unauthorized: component signature without ${missing.join(', ')}`,
      };
    }
    const did = header(headers, 'x-component-did');
    if (did !== undefined && !BASE58.test(did)) {
      return { ok: false, error: 'Unauthorized: x-component-did is not a DID' };
    }
    const sig = header(headers, 'x-component-sig') ?? '';
    if (!/^0x(?:[0-9a-fA-F]{2})+$/.test(sig)) {
      return { ok: false, error: 'Unauthorized: x-component-sig is not a hex signature' };
    }
    const iat = header(headers, 'x-component-sig-iat') ?? '';
    const exp = header(headers, 'x-component-sig-exp') ?? '';
    if (!/^\d{1,12}$/.test(iat) || !/^\d{1,12}$/.test(exp) || Number(exp) < Number(iat)) {
      return {
        ok: false,
        error: 'Unauthorized: x-component-sig-iat and -exp must be unix seconds, iat before exp',
      };
    }
    if (Number(exp) < nowSeconds) {
      return { ok: false, error: 'Unauthorized: the component signature has expired' };
    }
    if (!/^\d+$/.test(header(headers, 'x-component-sig-version') ?? '')) {
      return { ok: false, error: 'Unauthorized: x-component-sig-version must be a number' };
    }
    return { ok: true, kind: 'component' };
  }

  /** A wrong bearer key is refused even when signature headers come along with it. */
  return (headers: IncomingHttpHeaders, now: Date): Caller => {
    const authorization = header(headers, 'authorization');
    if (authorization !== undefined) return bearer(authorization);
    const signed = Object.keys(headers).some((name) => name.startsWith('x-component-'));
    if (signed) return component(headers, Math.floor(now.getTime() / 1000));
    return {
      ok: false,
      error: 'Unauthorized: send "Authorization: Bearer <access key>" or a component signature',
    };
  };
}
