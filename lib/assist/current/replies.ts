import { errorCodeText } from '../codes';
import { createCsvReplyReader } from '../csv';
import type { GatewayError, ReadResult } from '../gateway';
import { createBillCollector, type RecordCheck } from './records';
import { createXmlReplyReader } from './xml';

function gatewayError(firstCode: number, secondCode: number): GatewayError {
  return { kind: 'gateway', firstCode, secondCode, text: errorCodeText(firstCode, secondCode) };
}

/** Shared by every CSV row rather than a new empty list per row; nothing adds to it. */
const NO_NESTED_OPERATIONS: ReadonlyArray<Record<string, string>> = [];

const malformed = (message: string): ReadResult => ({ ok: false, error: { kind: 'malformed', message } });

/**
 * Turns a reply into bills while it arrives: each row is mapped and folded into its bill as soon as it
 * is read, so neither the reply's text nor its rows are kept. `write` returns the first error, after
 * which the rest of the reply need not be read; `end` gives the result.
 */
export interface BillReader {
  write(chunk: Uint8Array): string | null;
  end(): ReadResult;
}

export type ReplyFormat = 'xml' | 'csv';

export function createBillReader(
  format: ReplyFormat,
  check?: RecordCheck,
  options: { charset?: string } = {},
): BillReader {
  const bills = createBillCollector(check);
  const finish = (
    r: { ok: true; firstCode: number; secondCode: number } | { ok: false; error: string },
  ): ReadResult => {
    if (!r.ok) return malformed(r.error);
    if (r.firstCode !== 0 || r.secondCode !== 0)
      return { ok: false, error: gatewayError(r.firstCode, r.secondCode) };
    return { ok: true, bills: bills.bills() };
  };
  if (format === 'csv') {
    // A CSV row is one operation (or one bill) in flat form: it has no nested operations.
    const reader = createCsvReplyReader((row) => bills.add(row, NO_NESTED_OPERATIONS), {
      ...options,
      spareRow: () => bills.spareFields(),
    });
    return {
      write: (chunk) => reader.write(chunk),
      end() {
        const r = reader.end();
        return finish(r.ok ? { ok: true, ...r.codes } : r);
      },
    };
  }
  // The rows of an error reply are read for their shape only.
  const reader = createXmlReplyReader(
    (record, codes) =>
      codes.firstCode === 0 && codes.secondCode === 0 ? bills.add(record.fields, record.operations) : null,
    options,
  );
  return {
    write: (chunk) => reader.write(chunk),
    end() {
      const r = reader.end();
      return finish(r.ok ? { ok: true, ...r.value } : r);
    },
  };
}

function billsFrom(format: ReplyFormat, body: string, check?: RecordCheck): ReadResult {
  const reader = createBillReader(format, check, { charset: 'utf-8' });
  reader.write(Buffer.from(body));
  return reader.end();
}

/** A web-service XML reply → bills (with operations), or a typed gateway/malformed error. */
export function billsFromXml(body: string, check?: RecordCheck): ReadResult {
  return billsFrom('xml', body, check);
}

/** A CSV report reply (one row per operation or per bill) → bills, or a typed error. */
export function billsFromCsv(body: string, check?: RecordCheck): ReadResult {
  return billsFrom('csv', body, check);
}
