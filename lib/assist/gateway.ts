import type { ChequeItem } from './cheque';
import type { GatewayError } from './gateway-error';
import type { RetryPolicy } from './http';
import type { GatewayBill } from './types';

export type { GatewayError };

/** The gateway interface: one implementation per protocol (`current/` and `legacy/`). */
export interface AssistGateway {
  readonly protocol: 'current' | 'legacy';
  /** Hidden-field form that sends the customer to the hosted payment page. Pure. */
  paymentForm(order: PaymentFormInput): FormResult;
  /** All bills with operations in a window of at most one day (the reconciliation report). */
  report(window: TimeWindow, options?: RequestOptions): Promise<ReadResult>;
  /**
   * All bills of one order, or one bill, with their operations, created since `since`. Required: without
   * a window the gateway looks back only 3 days (docs/assist-protocol.md §5.2), so a re-read of an older
   * bill would answer "nothing found". Pass the earliest moment the bill or its order was seen.
   */
  bills(query: BillQuery, options: BillReadOptions): Promise<ReadResult>;
  /** Charge a held bill, fully or in part. Never retried. */
  charge(request: ChargeRequest, options?: RequestOptions): Promise<ActionResult>;
  /** Release a hold or refund a charge, fully or in part. Never retried. */
  cancel(request: CancelRequest, options?: RequestOptions): Promise<ActionResult>;
  /**
   * Asks the gateway's fiscal service for a receipt that does not ride with a payment: a refund's
   * (`sell_refund`) or a prepaid order's full calculation. Never retried; the legacy protocol has none.
   */
  fiscalReceipt(request: FiscalReceiptRequest, options?: RequestOptions): Promise<FiscalResult>;
  /** Parses and verifies a result notification (the gateway's form POST). Pure. */
  parseNotification(fields: URLSearchParams | Record<string, string | undefined>): NotificationResult;
  /** The reply body for a notification; answer success only after the data is durably stored. Pure. */
  notificationReply(result: NotificationResult): { contentType: string; body: string };
}

/** How a gateway is built (both protocols); the configuration says what it talks to. */
export interface ClientOptions {
  /** Retries of safe reads; tests shrink the delays. */
  retry?: Partial<RetryPolicy>;
  /** The report's reply format; XML is the default because its shape is the documented one. */
  reportFormat?: 'xml' | 'csv';
  now?: () => Date;
  /**
   * Claims one use of a request budget shared by every caller and instance (kept in the database by the
   * caller). The legacy results.cfm answers at most once per 10 minutes (docs/assist-protocol.md §8.2);
   * a refused claim is returned as `rate_limited` without sending anything.
   */
  reportBudget?: () => Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }>;
}

export type PaymentMethod =
  | 'card'
  | 'yandexMoney'
  | 'webMoney'
  | 'qiwi'
  | 'applePay'
  | 'googlePay'
  | 'mirPay'
  | 'fastPay';

export interface Customer {
  lastName?: string;
  firstName?: string;
  middleName?: string;
  email?: string;
  phone?: string;
  address?: string;
  country?: string;
  state?: string;
  city?: string;
  zip?: string;
}

export interface PaymentFormInput {
  orderNumber: string;
  amountKopecks: number;
  currency: string;
  /** Two-stage: the money is only held and must be charged later. */
  twoStage: boolean;
  language: 'RU' | 'EN';
  returnUrl?: string;
  returnUrlOk?: string;
  returnUrlNo?: string;
  comment?: string;
  /** true shows a method, false hides it; omitted leaves the merchant's default. */
  paymentMethods?: Partial<Record<PaymentMethod, boolean>>;
  customer?: Customer;
  /** 54-FZ receipt items (`ChequeItems`); they must sum to the amount. Current protocol only. */
  receipt?: ChequeItem[];
}

export interface PaymentForm {
  action: string;
  method: 'POST';
  acceptCharset: string;
  fields: Array<[name: string, value: string]>;
}

export interface FieldIssue {
  field: string;
  message: string;
}

export type FormResult =
  | { ok: true; form: PaymentForm }
  | { ok: false; error: { kind: 'invalid_order'; field: string; message: string; issues: FieldIssue[] } };

export interface TimeWindow {
  from: Date;
  to: Date;
}

export type BillQuery = { orderNumber: string } | { billNumber: string };

export interface RequestOptions {
  signal?: AbortSignal;
}

/**
 * The widest report window the adapters send, as `to - from` on whole minutes. ASSIST takes the End minute
 * as inclusive, so a window covers `to - from` plus one minute; it must stay strictly under a day, or
 * resultbydate silently answers for the last 3 hours instead (docs/assist-protocol.md §5.3).
 */
export const MAX_REPORT_WINDOW_MS = 86_400_000 - 2 * 60_000;

export type BillReadOptions = RequestOptions & { since: Date };

export type CancelReason = 'shop' | 'customer' | 'fraud';

export interface ChargeRequest {
  billNumber: string;
  /** Partial charge; omitted charges the full held amount. Currency is required with an amount. */
  amount?: { kopecks: number; currency: string };
  /** The receipt for the charged part (a partial charge of a bill paid with a receipt). */
  receipt?: ChequeItem[];
}

export interface CancelRequest {
  billNumber: string;
  /** Partial cancel/refund; omitted returns everything that is left. */
  amount?: { kopecks: number; currency: string };
  reason: CancelReason;
}

export type ReadResult = { ok: true; bills: GatewayBill[] } | { ok: false; error: GatewayError };

/**
 * `failed`: nothing happened (refused, or declined by the bank). `pending`: the operation is running at
 * the bank and settles later; the money it names is taken until a re-read shows how it ended. `unknown`
 * means the request may have reached the gateway and done its work: the caller must re-read the bill
 * before anything else, never simply retry (a repeated partial refund refunds twice). A success may come
 * without a bill (the legacy services answer only `ERROR:`): the re-read describes it.
 */
export type ActionResult =
  | { ok: true; bill: GatewayBill | null }
  | { ok: false; outcome: 'failed'; error: GatewayError }
  | { ok: false; outcome: 'pending'; error: GatewayError }
  | { ok: false; outcome: 'unknown'; error: GatewayError };

export interface Notification {
  bill: GatewayBill;
  billNumber: string;
  testMode: boolean;
  /** `unverified` when no secret is configured: treat as a hint and re-read the bill. */
  verification: 'verified' | 'unverified';
  /** The raw packetdate, echoed back verbatim in the reply. */
  packetDateRaw: string;
}

export type NotificationRejection = {
  kind: 'malformed' | 'wrong_merchant' | 'bad_checkvalue';
  message: string;
  billNumber: string | null;
  packetDateRaw: string | null;
};

export type NotificationResult =
  | { ok: true; notification: Notification }
  | { ok: false; rejection: NotificationRejection };

export type FiscalReceiptKind = 'sell_refund' | 'full_calculation';

export interface FiscalReceiptRequest {
  kind: FiscalReceiptKind;
  /** A refund's extended billnumber (`<bill>.<n>`), or the bill whose prepayment is settled in full. */
  billNumber: string;
  items: ChequeItem[];
  /** Where the customer's electronic receipt goes. */
  email?: string;
}

/**
 * `registered`: the gateway accepted the receipt; `duplicate`: it already holds one for this operation
 * (asked again after a lost reply), which counts as registered. `reply` keeps the gateway's own fields.
 */
export type FiscalResult =
  | { ok: true; outcome: 'registered' | 'duplicate'; reply: Record<string, string> }
  | { ok: false; outcome: 'failed' | 'unknown'; error: GatewayError };
