import { isBillNumber } from '../billnumber';
import type { AssistConfig } from '../config';
import { ceilMinute, floorMinute, windowFields } from '../dates';
import type {
  ActionResult,
  BillQuery,
  BillReadOptions,
  CancelReason,
  CancelRequest,
  ChargeRequest,
  ClientOptions,
  ReadResult,
  RequestOptions,
  TimeWindow,
} from '../gateway';
import { DEFAULT_RETRY, postForm, type RetryPolicy, withRetry } from '../http';
import { amountFields } from '../request-fields';
import type { GatewayBill } from '../types';
import { parseActionReply } from './replies';
import { billsFromLegacyReport } from './report';

const LEGACY_PATHS = {
  results: '/results/results.cfm',
  postauth: '/postauths/postauth.cfm',
  rvr: '/rvr/rvr.cfm',
} as const;

const MAX_WINDOW_MS = 86_400_000;
/**
 * How far `bills()` looks back without `since`. The report is the legacy protocol's only read, and a
 * bill's rows must all be in the window for its state to be decided from its amounts; a month covers
 * the 14-day hold and the refunds that usually follow within it.
 */
const LEGACY_LOOKBACK_MS = 31 * 86_400_000;
const RVR_REASONS: Record<CancelReason, string> = { shop: '1', customer: '2', fraud: '3' };
/** Russian texts in replies, as django-assist-ru asked for them. */
const LANGUAGE_RU = '0';

/**
 * A capture or refund whose bill's payment row lies before the window: its amounts cannot say whether
 * it was partial. Such bills are completed from a read over their lifetime (see `report`).
 */
function undecided(bill: GatewayBill): boolean {
  return (
    bill.amountKopecks === null &&
    bill.operations.some((o) => o.outcome === 'success' && (o.kind === 'charge' || o.kind === 'cancel'))
  );
}

function retryable(result: ReadResult): boolean {
  if (result.ok) return false;
  const e = result.error;
  return e.kind === 'network' || e.kind === 'timeout' || (e.kind === 'http' && e.status >= 500);
}

const invalid = (field: string, message: string): ActionResult => ({
  ok: false,
  outcome: 'failed',
  error: { kind: 'invalid_request', field, message },
});

/**
 * The legacy web services (docs/assist-protocol.md §8): the report is the only read, so `bills()` is the report over
 * the bill's likely lifetime filtered to that order or bill here (results.cfm has no such filter).
 * Reads retry; postauth and rvr never do.
 */
export function createLegacyClient(config: AssistConfig, options: ClientOptions = {}) {
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const now = options.now ?? (() => new Date());
  const credentials: Array<[string, string]> = [
    ['Shop_ID', config.merchantId],
    ['Login', config.login],
    ['PASSWORD', config.password],
  ];

  async function reportOnce(from: Date, to: Date, signal: AbortSignal | undefined): Promise<ReadResult> {
    const fields: Array<[string, string]> = [
      ...credentials,
      ['Header1', '1'],
      ...windowFields('Start', from),
      ...windowFields('End', to),
    ];
    const res = await postForm(config.server + LEGACY_PATHS.results, fields, {
      timeoutMs: config.timeoutMs,
      signal,
    });
    if (!res.ok) return { ok: false, error: res.error };
    if (res.status !== 200) return { ok: false, error: { kind: 'http', status: res.status } };
    return billsFromLegacyReport(res.body, config.testMode);
  }

  function readReport(from: Date, to: Date, opts: RequestOptions = {}): Promise<ReadResult> {
    return withRetry(policy, () => reportOnce(from, to, opts.signal), retryable, opts.signal);
  }

  /**
   * One use of the shared results.cfm budget per adapter call. The rare lifetime read that completes
   * undecided bills follows inside the same call (docs/assist-protocol.md §8.2, known unknowns).
   */
  async function budgeted(read: () => Promise<ReadResult>): Promise<ReadResult> {
    const claim = await options.reportBudget?.();
    if (claim && !claim.ok) {
      return { ok: false, error: { kind: 'rate_limited', retryAfterSeconds: claim.retryAfterSeconds } };
    }
    return read();
  }

  async function action(
    path: string,
    fields: Array<[string, string]>,
    billNumber: string,
    opts: RequestOptions = {},
  ) {
    const res = await postForm(
      config.server + path,
      [
        ...credentials,
        ['Billnumber', billNumber],
        ['Language', LANGUAGE_RU],
        ['Format', '1'],
        ['S_FIELDS', '*'],
        ...fields,
      ],
      { timeoutMs: config.timeoutMs, signal: opts.signal },
    );
    if (!res.ok) {
      const definite = res.error.kind === 'network' && !res.error.sent;
      return { ok: false, outcome: definite ? 'failed' : 'unknown', error: res.error } as const;
    }
    if (res.status >= 500)
      return { ok: false, outcome: 'unknown', error: { kind: 'http', status: res.status } } as const;
    if (res.status !== 200)
      return { ok: false, outcome: 'failed', error: { kind: 'http', status: res.status } } as const;
    const reply = parseActionReply(res.body, billNumber, config.testMode);
    if (reply.ok) return { ok: true, bill: reply.bill } as const;
    // An ERROR item means "not processed"; an unreadable reply may hide a processed operation.
    return { ok: false, outcome: reply.refused ? 'failed' : 'unknown', error: reply.error } as const;
  }

  return {
    /**
     * results.cfm over one window of at most a day (by the transactions' dates). A capture or refund
     * made days after its payment (e.g. in ASSIST's dashboard) arrives without the payment row, so
     * whether it was partial is unknown: one more read over the look-back period completes all such
     * bills at once, rather than storing a guess the monotonic merge could never correct.
     */
    async report(window: TimeWindow, opts?: RequestOptions): Promise<ReadResult> {
      const from = floorMinute(window.from);
      const to = ceilMinute(window.to);
      const span = to.getTime() - from.getTime();
      if (Number.isNaN(span) || span <= 0 || span > MAX_WINDOW_MS) {
        return {
          ok: false,
          error: {
            kind: 'invalid_request',
            field: 'window',
            message: 'must be a non-empty window of at most one day',
          },
        };
      }
      return budgeted(async () => {
        const read = await readReport(from, to, opts);
        if (!read.ok || !read.bills.some(undecided)) return read;
        const life = await readReport(new Date(to.getTime() - LEGACY_LOOKBACK_MS), to, opts);
        if (!life.ok) return life;
        const full = new Map(life.bills.map((b) => [b.billNumber, b]));
        return {
          ok: true,
          bills: read.bills.map((b) => (undecided(b) ? (full.get(b.billNumber) ?? b) : b)),
        };
      });
    },

    /** The report from `since` to now, filtered to one order or bill. */
    async bills(query: BillQuery, opts: BillReadOptions): Promise<ReadResult> {
      if ('billNumber' in query && !isBillNumber(query.billNumber)) {
        return {
          ok: false,
          error: { kind: 'invalid_request', field: 'billNumber', message: 'must be digits' },
        };
      }
      if ('orderNumber' in query && (query.orderNumber === '' || query.orderNumber.length > 128)) {
        return {
          ok: false,
          error: { kind: 'invalid_request', field: 'orderNumber', message: 'must be 1..128 characters' },
        };
      }
      const to = ceilMinute(now());
      const from = floorMinute(opts.since);
      const read = await budgeted(() => readReport(from, to, opts));
      if (!read.ok) return read;
      const bills = read.bills.filter((b) =>
        'billNumber' in query ? b.billNumber === query.billNumber : b.orderNumber === query.orderNumber,
      );
      return { ok: true, bills };
    },

    /** postauth.cfm: charge a Preauthorized bill, fully or in part. Never retried. */
    charge(request: ChargeRequest, opts?: RequestOptions): Promise<ActionResult> {
      if (!isBillNumber(request.billNumber)) return Promise.resolve(invalid('billNumber', 'must be digits'));
      const amount = amountFields(request.amount, 'Subtotal_P');
      if (!Array.isArray(amount)) return Promise.resolve({ ok: false, outcome: 'failed', error: amount });
      return action(LEGACY_PATHS.postauth, amount, request.billNumber, opts);
    },

    /**
     * rvr.cfm: refund, void or reverse. Unlike django-assist-ru, a partial amount is actually sent
     * (`Subtotal_P` + `Currency`); omitted returns everything that is left. Never retried.
     */
    cancel(request: CancelRequest, opts?: RequestOptions): Promise<ActionResult> {
      if (!isBillNumber(request.billNumber)) return Promise.resolve(invalid('billNumber', 'must be digits'));
      const amount = amountFields(request.amount, 'Subtotal_P');
      if (!Array.isArray(amount)) return Promise.resolve({ ok: false, outcome: 'failed', error: amount });
      return action(
        LEGACY_PATHS.rvr,
        [...amount, ['RVRReason', RVR_REASONS[request.reason]]],
        request.billNumber,
        opts,
      );
    },
  };
}
