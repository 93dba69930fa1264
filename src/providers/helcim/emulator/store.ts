/**
 * The emulator's customers. Insertion order lives in an array (so a page is a slice, O(limit));
 * ids and codes in maps (O(1) lookups). Records are replaced, never mutated, so a state save in
 * progress always sees whole customers.
 */
import { formatHelcimDate, ZERO_DATE } from './dates.js';
import type { DuplicateCodesMode, WireAddress, WireCard, WireCustomer } from './types.js';
import type { WireBankAccount, WirePad } from './payment-types.js';

/** A validated request body: present keys are the fields to set. */
export interface CustomerInput {
  customerCode?: string;
  contactName?: string;
  businessName?: string;
  cellPhone?: string;
  billingAddress?: WireAddress | '';
  shippingAddress?: WireAddress | '';
}

export interface ListQuery {
  customerCode?: string;
  search?: string;
  limit: number;
  /** 1-based. */
  page: number;
}

export interface StoreSnapshot {
  nextId: number;
  nextCode: number;
  nextCardId: number;
  customers: WireCustomer[];
  /** Every customer's bank accounts; left out of the file when there are none. */
  bankAccounts?: WireBankAccount[];
  /** Every customer's PAD agreements; left out of the file when there are none. */
  pads?: WirePad[];
}

/** A bank account or PAD as added: the store gives the id and the owner. */
export type NewBankAccount = Omit<WireBankAccount, 'id' | 'customerId'>;
export type NewPad = Omit<WirePad, 'id' | 'customerId'>;

// Real ids are 8-digit numbers; starting there keeps clients from assuming small ids.
const FIRST_ID = 28_000_001;
const FIRST_CODE = 1001;
const FIRST_CARD_ID = 5_100_001;
const FIRST_BANK_ACCOUNT_ID = 6_100_001;
const FIRST_PAD_ID = 6_600_001;
const NONE: readonly never[] = Object.freeze([]);

export class DuplicateCodeError extends Error {
  constructor(readonly customerCode: string) {
    super(`A customer with customerCode "${customerCode}" already exists`);
    this.name = 'DuplicateCodeError';
  }
}

/** Two records with one id: only a damaged state file can bring this. */
export class DuplicateIdError extends Error {
  constructor(readonly id: number) {
    super(`customer id ${id} appears more than once`);
    this.name = 'DuplicateIdError';
  }
}

export interface StoreOptions {
  /** Default `reject`: DuplicateCodeError. `accept`: several customers may hold one code. */
  duplicateCodes?: DuplicateCodesMode;
}

export class CustomerStore {
  private customers: WireCustomer[] = [];
  private byId = new Map<number, number>();
  /**
   * Code to the index of its one holder, or to the ascending indexes of its holders when several
   * share it (only under `accept`). The bare number for the usual single holder keeps a 100k store
   * free of 100k one-element arrays and keeps the lookup a single Map read.
   */
  private byCode = new Map<string, number | number[]>();
  /** Sum over codes of (holders - 1), kept as holders come and go so stats stay O(1). */
  private sharedCodeCount = 0;
  private readonly acceptDuplicates: boolean;
  private nextId = FIRST_ID;
  private nextCode = FIRST_CODE;
  private nextCardId = FIRST_CARD_ID;
  /**
   * Payment details by customer id, apart from the customer records: the customer object Helcim
   * answers has no bank accounts or PADs, and only a few customers have any.
   */
  private bankAccounts = new Map<number, WireBankAccount[]>();
  private pads = new Map<number, WirePad[]>();
  private nextBankAccountId = FIRST_BANK_ACCOUNT_ID;
  private nextPadId = FIRST_PAD_ID;
  /** Bumped on every change; the state file saves when it moved. */
  version = 0;

  constructor(
    private readonly now: () => Date,
    options: StoreOptions = {},
  ) {
    this.acceptDuplicates = options.duplicateCodes === 'accept';
  }

  get size(): number {
    return this.customers.length;
  }

  /** Customers whose code an earlier customer already holds. */
  get duplicateCodes(): number {
    return this.sharedCodeCount;
  }

  get(id: number): WireCustomer | undefined {
    const index = this.byId.get(id);
    return index === undefined ? undefined : this.customers[index];
  }

  /** The customer's bank accounts in the order they were added; empty when there are none. */
  bankAccountsOf(customerId: number): readonly WireBankAccount[] {
    return this.bankAccounts.get(customerId) ?? NONE;
  }

  /** The customer's PAD agreements in the order they were added. */
  padsOf(customerId: number): readonly WirePad[] {
    return this.pads.get(customerId) ?? NONE;
  }

  /** Undefined when no customer has that id. */
  addBankAccount(customerId: number, account: NewBankAccount): WireBankAccount | undefined {
    if (!this.byId.has(customerId)) return undefined;
    const stored: WireBankAccount = { id: this.nextBankAccountId++, customerId, ...account };
    this.insertBankAccount(stored);
    return stored;
  }

  /** Undefined when no customer has that id. The bank account is not checked: see README. */
  addPad(customerId: number, pad: NewPad): WirePad | undefined {
    if (!this.byId.has(customerId)) return undefined;
    const { accepted, bankAccountId, ...rest } = pad;
    // Key order as in Helcim's example object.
    const stored: WirePad = { id: this.nextPadId++, accepted, bankAccountId, customerId, ...rest };
    this.insertPad(stored);
    return stored;
  }

  /** Every holder of `code`, in insertion (id) order; exact, case-sensitive match. */
  findByIdentity(code: string): WireCustomer[] {
    const held = this.byCode.get(code);
    if (held === undefined) return [];
    if (typeof held === 'number') {
      const customer = this.customers[held];
      return customer === undefined ? [] : [customer];
    }
    const out: WireCustomer[] = [];
    for (const index of held) {
      const customer = this.customers[index];
      if (customer !== undefined) out.push(customer);
    }
    return out;
  }

  /**
   * Throws DuplicateCodeError (unless duplicates are accepted); the caller has validated `input`
   * and checked the names.
   */
  create(
    input: CustomerInput,
    cards: (id: number, date: string) => WireCard[] = () => [],
  ): WireCustomer {
    const code =
      input.customerCode === undefined || input.customerCode === ''
        ? this.generateCode()
        : input.customerCode;
    if (!this.acceptDuplicates && this.byCode.has(code)) throw new DuplicateCodeError(code);
    const date = formatHelcimDate(this.now());
    const id = this.nextId++;
    const customer: WireCustomer = {
      id,
      customerCode: code,
      businessName: input.businessName ?? '',
      contactName: input.contactName ?? '',
      dateCreated: date,
      // What a GET shows; the create answer alone says ZERO_DATE (routes.ts).
      dateUpdated: date,
      cellphone: input.cellPhone ?? '',
      billingAddress: input.billingAddress ?? '',
      shippingAddress: input.shippingAddress ?? '',
      cards: cards(id, date),
    };
    this.insert(customer);
    return customer;
  }

  /** Partial update: keys absent from `input` keep their values; an address sent replaces. */
  update(id: number, input: CustomerInput): WireCustomer | undefined {
    const index = this.byId.get(id);
    const old = index === undefined ? undefined : this.customers[index];
    if (index === undefined || old === undefined) return undefined;
    // An empty code in an update reads as "not sent": a customer always has a code.
    const code =
      input.customerCode === undefined || input.customerCode === ''
        ? old.customerCode
        : input.customerCode;
    if (code !== old.customerCode && !this.acceptDuplicates && this.byCode.has(code)) {
      throw new DuplicateCodeError(code);
    }
    const updated: WireCustomer = {
      ...old,
      customerCode: code,
      businessName: input.businessName ?? old.businessName,
      contactName: input.contactName ?? old.contactName,
      // A PUT's answer did not move dateUpdated (recorded); what a later GET shows is
      // unverified, so it stays put there too: nothing may read it as a change marker.
      cellphone: input.cellPhone ?? old.cellphone,
      billingAddress: input.billingAddress ?? old.billingAddress,
      shippingAddress: input.shippingAddress ?? old.shippingAddress,
    };
    if (code !== old.customerCode) {
      this.removeHolder(old.customerCode, index);
      this.addHolder(code, index);
    }
    this.customers[index] = updated;
    this.version++;
    return updated;
  }

  /** One page, in insertion order. Without `search` this is a slice: O(limit). */
  list(query: ListQuery): WireCustomer[] {
    const skip = (query.page - 1) * query.limit;
    if (query.customerCode !== undefined) {
      const held = this.findByIdentity(query.customerCode);
      const all = query.search === undefined ? held : held.filter((c) => matches(c, query.search));
      return all.slice(skip, skip + query.limit);
    }
    if (query.search === undefined || query.search === '') {
      return this.customers.slice(skip, skip + query.limit);
    }
    const needle = query.search.toLowerCase();
    const out: WireCustomer[] = [];
    let skipped = 0;
    for (const customer of this.customers) {
      if (!matches(customer, needle)) continue;
      if (skipped < skip) {
        skipped++;
        continue;
      }
      out.push(customer);
      if (out.length >= query.limit) break;
    }
    return out;
  }

  clear(): void {
    this.customers = [];
    this.byId.clear();
    this.byCode.clear();
    this.sharedCodeCount = 0;
    this.nextId = FIRST_ID;
    this.nextCode = FIRST_CODE;
    this.nextCardId = FIRST_CARD_ID;
    this.bankAccounts.clear();
    this.pads.clear();
    this.nextBankAccountId = FIRST_BANK_ACCOUNT_ID;
    this.nextPadId = FIRST_PAD_ID;
    this.version++;
  }

  allocateCardId(): number {
    return this.nextCardId++;
  }

  snapshot(): StoreSnapshot {
    const snapshot: StoreSnapshot = {
      nextId: this.nextId,
      nextCode: this.nextCode,
      nextCardId: this.nextCardId,
      customers: this.customers.slice(),
    };
    // Files of an account without payment details stay as they were before these existed.
    const bankAccounts = [...this.bankAccounts.values()].flat();
    if (bankAccounts.length > 0) snapshot.bankAccounts = bankAccounts;
    const pads = [...this.pads.values()].flat();
    if (pads.length > 0) snapshot.pads = pads;
    return snapshot;
  }

  restore(snapshot: StoreSnapshot): void {
    this.clear();
    for (const customer of snapshot.customers) {
      // Files saved before the recordings stored the create answer's zeroed date.
      this.insert(
        customer.dateUpdated === ZERO_DATE
          ? { ...customer, dateUpdated: customer.dateCreated }
          : customer,
      );
    }
    this.nextId = Math.max(snapshot.nextId, this.nextId);
    this.nextCode = Math.max(snapshot.nextCode, FIRST_CODE);
    this.nextCardId = Math.max(snapshot.nextCardId, this.nextCardId);
    // The owners were checked when the file was read (state.ts).
    for (const account of snapshot.bankAccounts ?? []) this.insertBankAccount(account);
    for (const pad of snapshot.pads ?? []) this.insertPad(pad);
  }

  private insertBankAccount(account: WireBankAccount): void {
    const list = this.bankAccounts.get(account.customerId);
    if (list === undefined) this.bankAccounts.set(account.customerId, [account]);
    else list.push(account);
    if (account.id >= this.nextBankAccountId) this.nextBankAccountId = account.id + 1;
    this.version++;
  }

  private insertPad(pad: WirePad): void {
    const list = this.pads.get(pad.customerId);
    if (list === undefined) this.pads.set(pad.customerId, [pad]);
    else list.push(pad);
    if (pad.id >= this.nextPadId) this.nextPadId = pad.id + 1;
    this.version++;
  }

  /** Throws DuplicateIdError, or DuplicateCodeError unless duplicates are accepted. */
  private insert(customer: WireCustomer): void {
    if (this.byId.has(customer.id)) throw new DuplicateIdError(customer.id);
    if (!this.acceptDuplicates && this.byCode.has(customer.customerCode)) {
      throw new DuplicateCodeError(customer.customerCode);
    }
    this.byId.set(customer.id, this.customers.length);
    this.addHolder(customer.customerCode, this.customers.length);
    this.customers.push(customer);
    if (customer.id >= this.nextId) this.nextId = customer.id + 1;
    for (const card of customer.cards) {
      if (card.id >= this.nextCardId) this.nextCardId = card.id + 1;
    }
    this.version++;
  }

  private addHolder(code: string, index: number): void {
    const held = this.byCode.get(code);
    if (held === undefined) {
      this.byCode.set(code, index);
      return;
    }
    this.sharedCodeCount++;
    if (typeof held === 'number') {
      this.byCode.set(code, held < index ? [held, index] : [index, held]);
      return;
    }
    // A code change can bring an older customer (lower index) to a shared code: keep the order.
    const at = held.findIndex((other) => other > index);
    if (at === -1) held.push(index);
    else held.splice(at, 0, index);
  }

  private removeHolder(code: string, index: number): void {
    const held = this.byCode.get(code);
    if (held === undefined) return;
    if (typeof held === 'number') {
      if (held === index) this.byCode.delete(code);
      return;
    }
    const at = held.indexOf(index);
    if (at === -1) return;
    held.splice(at, 1);
    this.sharedCodeCount--;
    const [only] = held;
    if (held.length === 1 && only !== undefined) this.byCode.set(code, only);
  }

  /** `CST` + the next number no customer has taken (people may pick `CST…` codes themselves). */
  private generateCode(): string {
    for (;;) {
      const code = `CST${this.nextCode++}`;
      if (!this.byCode.has(code)) return code;
    }
  }
}

/** `search`: case-insensitive substring of the fields the contract lists, either address. */
function matches(customer: WireCustomer, search: string | undefined): boolean {
  if (search === undefined || search === '') return true;
  const needle = search.toLowerCase();
  const fields = [
    customer.contactName,
    customer.businessName,
    customer.customerCode,
    customer.cellphone,
  ];
  for (const address of [customer.billingAddress, customer.shippingAddress]) {
    if (address !== '') fields.push(address.city, address.phone, address.email);
  }
  return fields.some((field) => field !== '' && field.toLowerCase().includes(needle));
}
