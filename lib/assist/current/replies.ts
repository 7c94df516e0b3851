import { errorCodeText } from '../codes';
import { parseCsvReply } from '../csv';
import type { GatewayError, ReadResult } from '../gateway';
import { type RecordCheck, toBills } from './records';
import { parseXmlReply } from './xml';

function gatewayError(firstCode: number, secondCode: number): GatewayError {
  return { kind: 'gateway', firstCode, secondCode, text: errorCodeText(firstCode, secondCode) };
}

/** A web-service XML reply → bills (with operations), or a typed gateway/malformed error. */
export function billsFromXml(body: string, check?: RecordCheck): ReadResult {
  const parsed = parseXmlReply(body);
  if (!parsed.ok) return { ok: false, error: { kind: 'malformed', message: parsed.error } };
  if (parsed.firstCode !== 0 || parsed.secondCode !== 0) {
    return { ok: false, error: gatewayError(parsed.firstCode, parsed.secondCode) };
  }
  const bills = toBills(parsed.orders, check);
  return bills.ok
    ? { ok: true, bills: bills.value }
    : { ok: false, error: { kind: 'malformed', message: bills.error } };
}

/** A CSV report reply (one row per operation or per bill) → bills, or a typed error. */
export function billsFromCsv(body: string, check?: RecordCheck): ReadResult {
  const parsed = parseCsvReply(body);
  if (!parsed.ok) return { ok: false, error: { kind: 'malformed', message: parsed.error } };
  if (parsed.firstCode !== 0 || parsed.secondCode !== 0) {
    return { ok: false, error: gatewayError(parsed.firstCode, parsed.secondCode) };
  }
  const bills = toBills(
    parsed.rows.map((fields) => ({ fields, operations: [] })),
    check,
  );
  return bills.ok
    ? { ok: true, bills: bills.value }
    : { ok: false, error: { kind: 'malformed', message: bills.error } };
}
