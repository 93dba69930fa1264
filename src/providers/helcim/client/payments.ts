/**
 * How Helcim spells a customer's bank accounts and PAD agreements on the wire (its docs' example
 * objects), read into the little the tool may know of them. The bank token, the institution,
 * transit and routing numbers and the account's address are dropped here, as the answer is read:
 * nothing in the tool needs them, and what is never kept cannot leak into a file or a message.
 */
import { isRecord, mapDate, type JsonRecord, type Parsed } from './mapping.js';

/** A stored bank account: what a reviewer may see, nothing that could move money. */
export interface HelcimBankAccount {
  id: string;
  /** As Helcim sends it: `CHECKING`, `SAVINGS`. */
  accountType?: string;
  /** `PERSONAL`, `CORPORATE`. */
  accountCorporate?: string;
  /** The last four digits of the account number, and only those. */
  last4?: string;
  verified: boolean;
  /** Ready to process payments. */
  ready: boolean;
  createdAt?: string;
  verifiedAt?: string;
}

export const PAD_STATUSES = ['pending', 'accepted', 'revoked'] as const;
export type PadStatus = (typeof PAD_STATUSES)[number];

/** A PAD (pre-authorised debit) agreement on one of the customer's bank accounts. */
export interface HelcimPad {
  id: string;
  bankAccountId?: string;
  status: PadStatus;
  createdAt?: string;
  acceptedAt?: string;
  revokedAt?: string;
}

/** `1`, `true` and `"1"` (loosely typed JSON) say yes; anything else no. */
function flag(value: unknown): boolean {
  return value === 1 || value === true || value === '1';
}

function idOf(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'string' && value !== '') return value;
  return undefined;
}

/** Text of a wire field: absent, null and `""` are unset; anything else but text is a reason. */
function text(record: JsonRecord, key: string): Parsed<string | undefined> {
  const value = record[key];
  if (value === undefined || value === null || value === '') return { ok: true, value: undefined };
  if (typeof value === 'string') return { ok: true, value };
  // The reason names the key, never the value: these answers hold secrets.
  return { ok: false, reason: `"${key}" is ${typeof value}, expected text` };
}

/**
 * The last four digits, from a field meant to hold only those. A field holding more (a whole
 * account number, by mistake) still yields only its last four.
 */
function lastFour(value: string | undefined): string | undefined {
  const digits = value?.replace(/\D/g, '') ?? '';
  return digits.length >= 4 ? digits.slice(-4) : undefined;
}

/** A list answer: a bare array; `""` or null (a PHP service's "nothing") is an empty one. */
function items(value: unknown, what: string): Parsed<unknown[]> {
  if (value === '' || value === null) return { ok: true, value: [] };
  if (!Array.isArray(value)) return { ok: false, reason: `expected a JSON array of ${what}` };
  return { ok: true, value };
}

export function parseBankAccounts(value: unknown): Parsed<HelcimBankAccount[]> {
  const list = items(value, 'bank accounts');
  if (!list.ok) return list;
  const out: HelcimBankAccount[] = [];
  for (const [index, item] of list.value.entries()) {
    if (!isRecord(item)) return { ok: false, reason: `bank account ${index} is not an object` };
    const id = idOf(item['id']);
    if (id === undefined) return { ok: false, reason: `bank account ${index} has no "id"` };
    const account: HelcimBankAccount = {
      id,
      verified: flag(item['verified']),
      ready: flag(item['ready']),
    };
    for (const key of ['accountType', 'accountCorporate'] as const) {
      const parsed = text(item, key);
      if (!parsed.ok) return { ok: false, reason: `bank account ${index}: ${parsed.reason}` };
      if (parsed.value !== undefined) account[key] = parsed.value;
    }
    const l4: unknown = item['bankAccountNumberL4'];
    // Digits sent as a number are still digits; only their last four are kept.
    const last4 = lastFour(
      typeof l4 === 'string' || typeof l4 === 'number' ? String(l4) : undefined,
    );
    if (last4 !== undefined) account.last4 = last4;
    const createdAt = mapDate(item['dateCreated']);
    if (createdAt !== undefined) account.createdAt = createdAt;
    const verifiedAt = mapDate(item['dateVerified']);
    if (verifiedAt !== undefined) account.verifiedAt = verifiedAt;
    out.push(account);
  }
  return { ok: true, value: out };
}

/**
 * The status from what the docs show: `dateRevoked` set (or the word) is revoked; `accepted`
 * or `dateAccepted` set (or the word) is accepted; else pending. What the numbers of `status`
 * mean is not documented, so a number there is not read.
 */
function padStatus(pad: JsonRecord): PadStatus {
  const word = typeof pad['status'] === 'string' ? pad['status'].trim().toLowerCase() : '';
  if (word === 'revoked' || mapDate(pad['dateRevoked']) !== undefined) return 'revoked';
  if (word === 'accepted' || flag(pad['accepted']) || mapDate(pad['dateAccepted']) !== undefined)
    return 'accepted';
  return 'pending';
}

/** PADs of a customer: each item a PAD object, or one wrapped as `{"pad": {...}}` (the docs). */
export function parsePads(value: unknown): Parsed<HelcimPad[]> {
  const list = items(value, 'PAD agreements');
  if (!list.ok) return list;
  const out: HelcimPad[] = [];
  for (const [index, item] of list.value.entries()) {
    const pad = isRecord(item) && isRecord(item['pad']) ? item['pad'] : item;
    if (!isRecord(pad)) return { ok: false, reason: `PAD ${index} is not an object` };
    const id = idOf(pad['id']);
    if (id === undefined) return { ok: false, reason: `PAD ${index} has no "id"` };
    const parsed: HelcimPad = { id, status: padStatus(pad) };
    const bankAccountId = idOf(pad['bankAccountId']);
    if (bankAccountId !== undefined) parsed.bankAccountId = bankAccountId;
    const createdAt = mapDate(pad['dateCreated']);
    if (createdAt !== undefined) parsed.createdAt = createdAt;
    const acceptedAt = mapDate(pad['dateAccepted']);
    if (acceptedAt !== undefined) parsed.acceptedAt = acceptedAt;
    const revokedAt = mapDate(pad['dateRevoked']);
    if (revokedAt !== undefined) parsed.revokedAt = revokedAt;
    out.push(parsed);
  }
  return { ok: true, value: out };
}
