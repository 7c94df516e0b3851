import { isBillNumber, isExtendedBillNumber } from '../billnumber';
import { chequeItemsJson, chequeTotal } from '../cheque';
import { errorCodeText } from '../codes';
import type { AssistConfig } from '../config';
import type { FiscalReceiptRequest, FiscalResult, GatewayError, RequestOptions } from '../gateway';
import { postForm } from '../http';
import { formatAmount } from '../money';
import { parseXmlReply } from './xml';

/** ASSIST's "duplicate" firstcode (docs/assist-protocol.md, error codes). */
const DUPLICATE = 11;

/**
 * The fiscal service request: credentials, the operation's billnumber, the receipt type and its items.
 * `Amount` is the items' sum, so a gateway that checks it sees the same number the items add up to.
 */
export function fiscalRequestFields(
  config: AssistConfig,
  request: FiscalReceiptRequest,
): { ok: true; path: string; fields: Array<[string, string]> } | { ok: false; error: GatewayError } {
  const fiscal = config.fiscal;
  if (!fiscal)
    return {
      ok: false,
      error: { kind: 'invalid_request', field: 'fiscal', message: 'ASSIST_FISCAL is off' },
    };
  if (!isBillNumber(request.billNumber) && !isExtendedBillNumber(request.billNumber))
    return {
      ok: false,
      error: { kind: 'invalid_request', field: 'billNumber', message: 'must be a billnumber' },
    };
  if (request.items.length === 0)
    return { ok: false, error: { kind: 'invalid_request', field: 'items', message: 'no items' } };
  const fields: Array<[string, string]> = [
    ['Merchant_ID', config.merchantId],
    ['Login', config.login],
    ['Password', config.password],
    ['Format', '3'],
    ['Billnumber', request.billNumber],
    // The full calculation has a service of its own; a refund receipt names its type.
    ...(request.kind === 'sell_refund' ? ([['Type', 'sell_refund']] as Array<[string, string]>) : []),
    ['Amount', formatAmount(chequeTotal(request.items))],
    ['ChequeItems', chequeItemsJson(request.items, fiscal.codes)],
  ];
  if (request.email) fields.push(['Email', request.email]);
  return {
    ok: true,
    path: request.kind === 'sell_refund' ? fiscal.refundPath : fiscal.fullCalculationPath,
    fields,
  };
}

/**
 * The fiscal services' reply is not published. What every ASSIST service shares is read: the
 * `<result firstcode secondcode>` header (non-zero: refused; "duplicate": the receipt exists already) and
 * the fields of an `<order>` element if there is one, kept as they came. Anything else is malformed.
 */
export function parseFiscalReply(body: string): FiscalResult {
  const parsed = parseXmlReply(body);
  if (!parsed.ok)
    return { ok: false, outcome: 'unknown', error: { kind: 'malformed', message: parsed.error } };
  if (parsed.firstCode === DUPLICATE)
    return { ok: true, outcome: 'duplicate', reply: { firstcode: String(parsed.firstCode) } };
  if (parsed.firstCode !== 0 || parsed.secondCode !== 0)
    return {
      ok: false,
      outcome: 'failed',
      error: {
        kind: 'gateway',
        firstCode: parsed.firstCode,
        secondCode: parsed.secondCode,
        text: errorCodeText(parsed.firstCode, parsed.secondCode),
      },
    };
  return { ok: true, outcome: 'registered', reply: parsed.orders[0]?.fields ?? {} };
}

/** One fiscal request over HTTP. Never retried: the caller re-asks later with the same operation. */
export async function requestFiscalReceipt(
  config: AssistConfig,
  request: FiscalReceiptRequest,
  opts: RequestOptions = {},
): Promise<FiscalResult> {
  const built = fiscalRequestFields(config, request);
  if (!built.ok) return { ok: false, outcome: 'failed', error: built.error };
  const res = await postForm(config.server + built.path, built.fields, {
    timeoutMs: config.timeoutMs,
    signal: opts.signal,
  });
  if (!res.ok) {
    const definite = res.error.kind === 'network' && !res.error.sent;
    return { ok: false, outcome: definite ? 'failed' : 'unknown', error: res.error };
  }
  if (res.status !== 200)
    return {
      ok: false,
      outcome: res.status >= 500 ? 'unknown' : 'failed',
      error: { kind: 'http', status: res.status },
    };
  return parseFiscalReply(res.body);
}
