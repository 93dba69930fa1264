/**
 * Identifiers of generated customers, each a pure function of the customer's sequence number:
 * the same seed gives the same ids, and a state file only needs to keep the next number.
 */
import { createHash } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
/** `cus_` and 24 characters, like the contract's example `cus_Lq3Zt8Hk2VnYw6PcRm4D1sXb`. */
const ID_LENGTH = 24;
/** ArcBlock DID type bytes: role account, key ed25519, hash SHA3 (hence the leading `z1`). */
const DID_TYPE = Buffer.from([0x00, 0x01]);

function digest(algorithm: string, text: string | Buffer): Buffer {
  return createHash(algorithm).update(text).digest();
}

export function customerId(seq: number): string {
  const bytes = digest('sha256', `payment-kit-emulator:customer:${seq}`);
  let out = 'cus_';
  // 32 bytes give 24 characters; the modulo bias is irrelevant for test identifiers.
  for (let i = 0; i < ID_LENGTH; i++) out += BASE62[(bytes[i] ?? 0) % BASE62.length];
  return out;
}

/**
 * A DID that ArcBlock's own `isValid` accepts: `z` (base58btc) over the type bytes, 20 bytes of
 * a (here made-up) public key hash and the first 4 bytes of SHA3-256 of those 22 bytes.
 */
export function customerDid(seq: number): string {
  const pkHash = digest('sha3-256', `payment-kit-emulator:did:${seq}`).subarray(0, 20);
  const body = Buffer.concat([DID_TYPE, pkHash]);
  const checksum = digest('sha3-256', body).subarray(0, 4);
  return `z${base58(Buffer.concat([body, checksum]))}`;
}

/** Six uppercase hex digits, as the contract's example `8F2C1A`. */
export function invoicePrefix(seq: number): string {
  return digest('sha256', `payment-kit-emulator:invoice-prefix:${seq}`)
    .subarray(0, 3)
    .toString('hex')
    .toUpperCase();
}

export function base58(bytes: Buffer): string {
  let value = 0n;
  for (const byte of bytes) value = value * 256n + BigInt(byte);
  let out = '';
  while (value > 0n) {
    out = (BASE58[Number(value % 58n)] ?? '') + out;
    value /= 58n;
  }
  // Base58 keeps leading zero bytes as `1`s: that is where a DID's `z1` comes from.
  for (const byte of bytes) {
    if (byte !== 0) break;
    out = `1${out}`;
  }
  return out;
}
