import type { GatewayError } from '../gateway';
import type { GatewayBill } from '../types';
import { foldRows, toRow } from './records';
import { legacyGatewayError } from './report';

/**
 * The reply of postauth.cfm and rvr.cfm (docs/assist-protocol.md §8): one `;`-separated line of `name:value` items.
 * Only the first `:` separates (dates hold colons). A non-empty `ERROR` item is a refusal.
 */
export function parseItems(body: string): Map<string, string> | null {
  const line = body
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l !== '');
  if (line === undefined) return null;
  const items = new Map<string, string>();
  for (const part of line.split(';')) {
    if (part.trim() === '') continue;
    const colon = part.indexOf(':');
    if (colon <= 0) return null;
    const name = part
      .slice(0, colon)
      .trim()
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '');
    if (!items.has(name)) items.set(name, part.slice(colon + 1).trim());
  }
  return items.size === 0 ? null : items;
}

export type ActionReply =
  | { ok: true; bill: GatewayBill | null }
  | { ok: false; refused: boolean; error: GatewayError };

/**
 * An action reply → the bill as the reply describes it, or null for a bare `ERROR:`. `refused` is true
 * for a non-empty `ERROR` item (the gateway did nothing); anything unreadable is not a refusal: the
 * operation may have happened.
 */
export function parseActionReply(body: string, billNumber: string, testMode: boolean): ActionReply {
  const items = parseItems(body);
  if (items === null)
    return { ok: false, refused: false, error: { kind: 'malformed', message: 'not a name:value line' } };
  const error = items.get('error');
  if (error !== undefined && error !== '')
    return { ok: false, refused: true, error: legacyGatewayError(error) };
  // postauth and rvr may answer nothing but `ERROR:` (oxyum/django-assist-ru, assist/api.py): that empty
  // error is the success; the re-read that follows describes the bill.
  if (error === '' && items.size === 1) return { ok: true, bill: null };
  const get = (...names: string[]) => names.map((n) => items.get(n)).find((v) => v !== undefined);
  const r = toRow(
    {
      billNumber: get('billnumber', 'paymentno') ?? billNumber,
      orderNumber: get('ordernumber', 'orderidp'),
      state: get('status', 'orderstate'),
      paymentType: get('paymenttype'),
      amount: get('subtotalp', 'total', 'ordertotal'),
      currency: get('currency', 'currencycode'),
      paketDate: get('packetdate', 'paketdate'),
      responseCode: get('responsecode', 'resultcode'),
      message: get('message'),
    },
    Object.fromEntries(items),
  );
  if (!r.ok) return { ok: false, refused: false, error: { kind: 'malformed', message: r.error } };
  if (r.row.billNumber !== billNumber) {
    return {
      ok: false,
      refused: false,
      error: { kind: 'malformed', message: `reply is about bill ${r.row.billNumber}, not ${billNumber}` },
    };
  }
  return { ok: true, bill: foldRows([r.row], testMode) };
}
