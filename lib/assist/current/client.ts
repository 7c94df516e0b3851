import { actionOutcome } from '../action-outcome';
import { isBillNumber } from '../billnumber';
import { verifyReplyCheckvalue } from '../checkvalue';
import { chequeItemsJson } from '../cheque';
import { SECOND_CODE_FREQUENCY_EXCEEDED } from '../codes';
import type { AssistConfig } from '../config';
import { ceilMinute, floorMinute, windowFields } from '../dates';
import {
  type ActionResult,
  type BillQuery,
  type BillReadOptions,
  type CancelReason,
  type CancelRequest,
  type ChargeRequest,
  type ClientOptions,
  type GatewayError,
  MAX_REPORT_WINDOW_MS,
  type ReadResult,
  type RequestOptions,
  type TimeWindow,
} from '../gateway';
import { DEFAULT_RETRY, postForm, type RetryPolicy, withRetry } from '../http';
import { amountFields } from '../request-fields';
import type { RecordCheck } from './records';
import { billsFromCsv, billsFromXml } from './replies';

const PATHS = {
  orderstate: '/orderstate/orderstate.cfm',
  orderresult: '/orderresult/orderresult.cfm',
  resultbydate: '/resultbydate/resultbydate.cfm',
  charge: '/charge/charge.cfm',
  cancel: '/cancel/wscancel.cfm',
} as const;

const FORMAT_XML = '3';
const FORMAT_CSV = '1';
// Operation end: a charge or refund made days after the order (even in ASSIST's own dashboard) shows up
// in the window in which it finished, with its final state; operations still running appear later.
const DATE_MODE_OPERATION_END = '2';
const CANCEL_REASONS: Record<CancelReason, string> = { shop: '1', customer: '2', fraud: '3' };

function retryable(result: ReadResult): boolean {
  if (result.ok) return false;
  const e = result.error;
  return (
    e.kind === 'network' ||
    e.kind === 'timeout' ||
    (e.kind === 'http' && e.status >= 500) ||
    (e.kind === 'gateway' && e.secondCode === SECOND_CODE_FREQUENCY_EXCEEDED)
  );
}

function invalid(field: string, message: string): { ok: false; outcome: 'failed'; error: GatewayError } {
  return { ok: false, outcome: 'failed', error: { kind: 'invalid_request', field, message } };
}

/** The current API's web services (docs/assist-protocol.md §5). Reads retry; charge and cancel never do. */
export function createServiceClient(config: AssistConfig, options: ClientOptions = {}) {
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const now = options.now ?? (() => new Date());

  // A reply record that carries a checkvalue must match it: with a secret set, a wrong ASSIST_SERVER or
  // a tampering proxy cannot make a bill look paid. Records without one (charge/cancel) pass.
  const secret = config.secret;
  const check: RecordCheck | undefined =
    secret === null
      ? undefined
      : (f) =>
          f.checkvalue === undefined ||
          verifyReplyCheckvalue(secret, f.checkvalue, {
            merchantId: f.merchant_id ?? config.merchantId,
            orderNumber: f.ordernumber ?? '',
            orderState: f.orderstate ?? '',
            amounts: [
              { amount: f.amount, currency: f.currency },
              { amount: f.orderamount, currency: f.ordercurrency },
            ],
          })
            ? null
            : `checkvalue does not match for bill ${f.billnumber ?? '?'}`;

  function base(format: string): Array<[string, string]> {
    return [
      ['Merchant_ID', config.merchantId],
      ['Login', config.login],
      ['Password', config.password],
      ['Format', format],
    ];
  }

  async function readOnce(
    path: string,
    fields: Array<[string, string]>,
    csv: boolean,
    signal: AbortSignal | undefined,
  ): Promise<ReadResult> {
    const res = await postForm(config.server + path, fields, { timeoutMs: config.timeoutMs, signal });
    if (!res.ok) return { ok: false, error: res.error };
    if (res.status !== 200) return { ok: false, error: { kind: 'http', status: res.status } };
    return csv ? billsFromCsv(res.body, check) : billsFromXml(res.body, check);
  }

  function read(path: string, fields: Array<[string, string]>, csv: boolean, opts: RequestOptions = {}) {
    return withRetry(policy, () => readOnce(path, fields, csv, opts.signal), retryable, opts.signal);
  }

  function queryFields(query: BillQuery, since: Date): Array<[string, string]> | GatewayError {
    const key: [string, string] =
      'billNumber' in query ? ['Billnumber', query.billNumber] : ['Ordernumber', query.orderNumber];
    if ('billNumber' in query && !isBillNumber(query.billNumber)) {
      return { kind: 'invalid_request', field: 'billNumber', message: 'must be digits' };
    }
    if ('orderNumber' in query && (query.orderNumber === '' || query.orderNumber.length > 128)) {
      return { kind: 'invalid_request', field: 'orderNumber', message: 'must be 1..128 characters' };
    }
    if (Number.isNaN(since.getTime())) {
      return { kind: 'invalid_request', field: 'since', message: 'must be a date' };
    }
    // Without Start* the gateway looks back only 3 days, so every re-read names its window.
    return [key, ...windowFields('Start', floorMinute(since)), ...windowFields('End', ceilMinute(now()))];
  }

  async function action(
    kind: 'charge' | 'cancel',
    fields: Array<[string, string]>,
    billNumber: string,
    opts: RequestOptions = {},
  ): Promise<ActionResult> {
    const res = await postForm(config.server + PATHS[kind], [...base(FORMAT_XML), ...fields], {
      timeoutMs: config.timeoutMs,
      signal: opts.signal,
    });
    if (!res.ok) {
      const definite = res.error.kind === 'network' && !res.error.sent;
      return { ok: false, outcome: definite ? 'failed' : 'unknown', error: res.error };
    }
    if (res.status >= 500)
      return { ok: false, outcome: 'unknown', error: { kind: 'http', status: res.status } };
    if (res.status !== 200)
      return { ok: false, outcome: 'failed', error: { kind: 'http', status: res.status } };
    const parsed = billsFromXml(res.body, check);
    if (!parsed.ok) {
      // A gateway error code means "not processed"; an unreadable reply may hide a processed operation.
      return {
        ok: false,
        outcome: parsed.error.kind === 'gateway' ? 'failed' : 'unknown',
        error: parsed.error,
      };
    }
    return actionOutcome(parsed.bills, billNumber, kind);
  }

  return {
    /** orderstate: bill states only (no operations). */
    orderState(query: BillQuery, opts: BillReadOptions): Promise<ReadResult> {
      const q = queryFields(query, opts.since);
      if (!Array.isArray(q)) return Promise.resolve({ ok: false, error: q });
      return read(PATHS.orderstate, [...base(FORMAT_XML), ...q], false, opts);
    },

    /** orderresult: bills with their operations. */
    orderResult(query: BillQuery, opts: BillReadOptions): Promise<ReadResult> {
      const q = queryFields(query, opts.since);
      if (!Array.isArray(q)) return Promise.resolve({ ok: false, error: q });
      return read(PATHS.orderresult, [...base(FORMAT_XML), ...q], false, opts);
    },

    /** resultbydate: every operation that ended in the window (strictly under a day, End minute included). */
    resultByDate(window: TimeWindow, opts: RequestOptions = {}): Promise<ReadResult> {
      const from = floorMinute(window.from);
      const to = ceilMinute(window.to);
      const span = to.getTime() - from.getTime();
      if (Number.isNaN(span) || span <= 0 || span > MAX_REPORT_WINDOW_MS) {
        return Promise.resolve({
          ok: false,
          error: {
            kind: 'invalid_request',
            field: 'window',
            message: 'must be a non-empty window shorter than a day (End minute included)',
          },
        });
      }
      const csv = options.reportFormat === 'csv';
      return read(
        PATHS.resultbydate,
        [
          ...base(csv ? FORMAT_CSV : FORMAT_XML),
          ['DateTimeMode', DATE_MODE_OPERATION_END],
          ...windowFields('Start', from),
          ...windowFields('End', to),
        ],
        csv,
        opts,
      );
    },

    /** charge: full (no amount) or partial. Never retried. */
    charge(request: ChargeRequest, opts?: RequestOptions): Promise<ActionResult> {
      if (!isBillNumber(request.billNumber)) return Promise.resolve(invalid('billNumber', 'must be digits'));
      const amount = amountFields(request.amount, 'Amount');
      if (!Array.isArray(amount)) return Promise.resolve({ ok: false, outcome: 'failed', error: amount });
      // The charged part's receipt rides with the charge, as a payment's rides with the form.
      const receipt: Array<[string, string]> =
        request.receipt && config.fiscal
          ? [['ChequeItems', chequeItemsJson(request.receipt, config.fiscal.codes)]]
          : [];
      return action(
        'charge',
        [['Billnumber', request.billNumber], ...amount, ...receipt],
        request.billNumber,
        opts,
      );
    },

    /** cancel: void a hold or refund a charge, full or partial. Never retried. */
    cancel(request: CancelRequest, opts?: RequestOptions): Promise<ActionResult> {
      if (!isBillNumber(request.billNumber)) return Promise.resolve(invalid('billNumber', 'must be digits'));
      const amount = amountFields(request.amount, 'Amount');
      if (!Array.isArray(amount)) return Promise.resolve({ ok: false, outcome: 'failed', error: amount });
      const fields: Array<[string, string]> = [
        ['Billnumber', request.billNumber],
        ...amount,
        ['CancelReason', CANCEL_REASONS[request.reason]],
      ];
      return action('cancel', fields, request.billNumber, opts);
    },
  };
}
