import { splitCsv } from '../csv';
import type { GatewayError, ReadResult } from '../gateway';
import { billsFromRows, type LegacyRow, toRow } from './records';

/**
 * The legacy report (`/results/results.cfm`, docs/assist-protocol.md §8): `;`-separated CSV in UTF-8 with a header
 * row (`Header1=1`), one row per transaction, columns by the legacy names. Columns are found by name
 * (case, spaces and punctuation ignored), never by position; unknown columns stay in `raw`.
 */

function normalize(header: string): string {
  return header.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/** Legacy column names (normalized) → the row values we interpret. */
const COLUMNS = {
  billNumber: 'paymentno',
  orderNumber: 'ordernumber',
  state: 'orderstate',
  paymentType: 'paymenttype',
  amount: 'ordertotal',
  currency: 'currencycode',
  orderDate: 'orderdate',
  responseCode: 'resultcode',
  message: 'message',
  maskedCard: 'cardnumber',
  approvalCode: 'approvalcode',
} as const;

/** `Paket date` (sic) is the legacy spelling; `Packet date` is accepted too. */
const PAKET = new Set(['paketdate', 'packetdate']);

/** A legacy error answer: a line `ERROR:<text>` (or `ERROR;<text>`) instead of data. */
export function legacyErrorText(body: string): string | null {
  const line =
    body
      .replace(/^\uFEFF/, '')
      .trimStart()
      .split(/\r?\n/, 1)[0] ?? '';
  const m = /^ERROR\s*[:;]\s*(.*)$/i.exec(line.trim());
  if (!m) return null;
  const text = (m[1] ?? '').replace(/;+\s*$/, '').trim();
  return text === '' ? 'error' : text;
}

export function legacyGatewayError(text: string): GatewayError {
  // The legacy protocol answers with text, not codes: firstcode 1 ("error") carries it unchanged.
  return { kind: 'gateway', firstCode: 1, secondCode: 0, text: { ru: text, en: text } };
}

export type RowsResult = { ok: true; rows: LegacyRow[] } | { ok: false; error: GatewayError };

const malformed = (message: string): RowsResult => ({ ok: false, error: { kind: 'malformed', message } });

/** Parses the report body into rows; a single bad row fails the whole reply (a shorter report hides payments). */
export function parseLegacyReport(body: string): RowsResult {
  const error = legacyErrorText(body);
  if (error !== null) return { ok: false, error: legacyGatewayError(error) };
  const text = body.replace(/^\uFEFF/, '');
  if (text.trim() === '') return malformed('empty reply');
  const split = splitCsv(text);
  if (!split.ok) return malformed(split.error);
  const [header, ...data] = split.rows;
  if (header === undefined) return malformed('empty reply');
  const names = header.map((h) => h.trim());
  // A trailing separator leaves an empty last header cell; it names nothing.
  while (names.length > 0 && names[names.length - 1] === '') names.pop();
  const keys = names.map(normalize);
  if (new Set(keys).size !== keys.length) return malformed('duplicate columns in the header');
  for (const required of [COLUMNS.billNumber, COLUMNS.orderNumber, COLUMNS.state]) {
    if (!keys.includes(required)) return malformed(`no ${required} column in the header`);
  }
  const rows: LegacyRow[] = [];
  for (const [i, cells] of data.entries()) {
    while (cells.length > names.length && cells[cells.length - 1]?.trim() === '') cells.pop();
    if (cells.length !== names.length) {
      return malformed(`row ${i + 2}: ${cells.length} cells for ${names.length} columns`);
    }
    const raw: Record<string, string> = {};
    const byKey: Record<string, string> = {};
    for (const [j, name] of names.entries()) {
      const value = (cells[j] ?? '').trim();
      raw[name] = value;
      byKey[keys[j] ?? name] = value;
    }
    const paket = keys.find((k) => PAKET.has(k));
    const r = toRow(
      {
        billNumber: byKey[COLUMNS.billNumber],
        orderNumber: byKey[COLUMNS.orderNumber],
        state: byKey[COLUMNS.state],
        paymentType: byKey[COLUMNS.paymentType],
        amount: byKey[COLUMNS.amount],
        currency: byKey[COLUMNS.currency],
        paketDate: paket === undefined ? undefined : byKey[paket],
        orderDate: byKey[COLUMNS.orderDate],
        responseCode: byKey[COLUMNS.responseCode],
        message: byKey[COLUMNS.message],
        maskedCard: byKey[COLUMNS.maskedCard],
        approvalCode: byKey[COLUMNS.approvalCode],
      },
      raw,
    );
    if (!r.ok) return malformed(`row ${i + 2}: ${r.error}`);
    rows.push(r.row);
  }
  return { ok: true, rows };
}

/** The report body → one GatewayBill per `Payment No.`. */
export function billsFromLegacyReport(body: string, testMode: boolean): ReadResult {
  const parsed = parseLegacyReport(body);
  if (!parsed.ok) return parsed;
  return { ok: true, bills: billsFromRows(parsed.rows, testMode) };
}
