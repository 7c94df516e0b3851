import 'server-only';
import { formatAmount } from '@/lib/assist';
import type { Db } from '@/lib/db/connect';
import { type BillCursor, type BillFilters, type BillListRow, type BillPage, listBills } from './list';

/**
 * A spreadsheet opens a cell starting with = + - @ (or a tab / carriage return before one) as a
 * formula: prefix a quote so a customer-controlled value cannot run in staff's Excel.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[;"\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const CSV_COLUMNS = [
  'bill_number',
  'order_number',
  'first_seen_at',
  'packet_date',
  'status',
  'raw_status',
  'amount',
  'currency',
  'charged',
  'returned',
  'response_code',
  'message',
  'card',
  'test_mode',
  'flags',
] as const;

function csvRow(r: BillListRow): string {
  const money = (k: number | null) => (k === null ? '' : formatAmount(k));
  return [
    r.billNumber,
    r.orderNumber,
    r.firstSeenAt.toISOString(),
    r.packetDate?.toISOString() ?? '',
    r.status,
    r.rawStatus,
    money(r.amountKopecks),
    r.currency,
    money(r.chargedKopecks),
    money(r.returnedKopecks),
    r.responseCode,
    r.message,
    r.maskedCard,
    r.testMode === null ? '' : r.testMode ? '1' : '0',
    r.flags.join(' '),
  ]
    .map(csvCell)
    .join(';');
}

/** The filtered set as `;`-separated CSV lines (header first), read in keyset batches: memory stays flat. */
export async function* exportBillsCsv(
  db: Db,
  filters: BillFilters,
  batchSize = 1000,
): AsyncGenerator<string> {
  yield `${CSV_COLUMNS.join(';')}\r\n`;
  let after: BillCursor | null = null;
  do {
    const page: BillPage = await listBills(db, filters, { after, limit: batchSize });
    if (page.rows.length > 0) yield `${page.rows.map(csvRow).join('\r\n')}\r\n`;
    after = page.next;
  } while (after);
}
