/**
 * Export: the remote customers as desired-state files. Reads only; writes nothing itself (the
 * CLI decides where the text goes), so a program can export to wherever it likes.
 */
import { textOf, type CustomerData, type RemoteCustomer } from '../core/customer.js';
import { managedData, type FieldList } from '../core/fields.js';
import { providerInfo } from '../providers/index.js';
import type { FetchInfo } from '../plan/types.js';
import type { CustomerRemote } from '../remote/port.js';
import { checkExport, type ExportCheck } from './check.js';
import { customersToCsv } from './csv-writer.js';
import { selectCustomers } from './select.js';
import type { CardSummary, ExportFormat, ExportSelection, PaymentSummary } from './types.js';
import { customersToYaml } from './yaml-writer.js';

export { EXPORT_FORMATS, isExportFormat } from './types.js';
export type {
  BankAccountSummary,
  CardSummary,
  ExportFormat,
  ExportSelection,
  PadStatus,
  PaymentCardSummary,
  PaymentSummary,
} from './types.js';
export { schemaReference, packageSchemaPath, schemaFallback } from './schema-line.js';
export { writePrivateFile } from './private-file.js';

export interface ExportOptions {
  format: ExportFormat;
  selection?: ExportSelection;
  /** YAML: the `$schema` reference of the first line. */
  schema?: string;
  /** YAML: card notes, fetched by the caller (`--include-cards`). */
  cards?: (
    customers: readonly RemoteCustomer[],
    fetch: FetchInfo,
  ) => Promise<ReadonlyMap<string, CardSummary>>;
  /**
   * YAML: payment notes by remote customer id, fetched by the caller
   * (`--include-payment-details`, see payment-details.ts); they take the place of `cards`.
   * `fetch` says how the customers were read (a listing tells the account's size).
   */
  paymentDetails?: (
    customers: readonly RemoteCustomer[],
    fetch: FetchInfo,
  ) => Promise<ReadonlyMap<string, PaymentSummary>>;
  /** CSV: start with a UTF-8 byte-order mark (for Excel). */
  bom?: boolean;
  /** The output's name in problem places. */
  name?: string;
  signal?: AbortSignal;
  onProgress?: (fetched: number) => void;
}

export interface ExportResult {
  text: string;
  count: number;
  fetch: FetchInfo;
  check: ExportCheck;
  /** Codes held by more than one remote customer: the export cannot tell them apart. */
  duplicateCodes: string[];
  /** Remote ids of customers without a code, exported without one. */
  withoutCode: string[];
}

/** Only the managed fields: ids and dates are the provider's, never desired state. */
function dataOf(list: FieldList, customer: RemoteCustomer): CustomerData {
  const data = managedData(list, customer);
  if (data[list.identity] === '') delete data[list.identity];
  // One identity names a customer in the file: Payment Kit's `cus_` id stays out beside its DID.
  for (const key of list.exactKeys) if (key !== list.identity) delete data[key];
  return data;
}

export async function exportCustomers(
  remote: CustomerRemote,
  options: ExportOptions,
): Promise<ExportResult> {
  const list = providerInfo(remote.provider).fields;
  const selected = await selectCustomers(remote, options.selection ?? {}, {
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
  const customers = selected.customers;
  const data = customers.map((c) => dataOf(list, c));
  let text: string;
  if (options.format === 'csv') {
    text = customersToCsv(list, data, { bom: options.bom === true });
  } else {
    const byId =
      options.paymentDetails === undefined
        ? undefined
        : await options.paymentDetails(customers, selected.fetch);
    const cards =
      byId !== undefined || options.cards === undefined
        ? undefined
        : await options.cards(customers, selected.fetch);
    text = customersToYaml(list, data, {
      ...(options.schema === undefined ? {} : { schema: options.schema }),
      ...(cards === undefined ? {} : { cards }),
      // By position, not by code: two customers sharing a code keep their own notes.
      ...(byId === undefined ? {} : { payments: customers.map((c) => byId.get(c.id)) }),
    });
  }
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  const identity = (c: RemoteCustomer): string => textOf(c[list.identity]) ?? '';
  for (const c of customers) {
    const code = identity(c);
    if (code === '') continue;
    if (seen.has(code)) duplicates.add(code);
    seen.add(code);
  }
  return {
    text,
    count: customers.length,
    fetch: selected.fetch,
    check: checkExport(
      options.name ?? `export.${options.format}`,
      text,
      options.format,
      data,
      remote.provider,
    ),
    duplicateCodes: [...duplicates],
    withoutCode: customers.filter((c) => identity(c) === '').map((c) => c.id),
  };
}
