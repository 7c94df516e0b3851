/**
 * Protocol-neutral records. Nothing here uses a field name of either ASSIST API: the current adapter
 * maps its replies into these, and the legacy adapter will do the same.
 */

/** The app's payment status vocabulary (docs/adr/0003-status-model.md). */
export type PaymentStatus =
  | 'in_process'
  | 'held'
  | 'paid'
  | 'partially_charged'
  | 'refunded'
  | 'partially_refunded'
  | 'declined'
  | 'expired'
  | 'unknown';

export const PAYMENT_STATUSES: readonly PaymentStatus[] = [
  'in_process',
  'held',
  'paid',
  'partially_charged',
  'refunded',
  'partially_refunded',
  'declined',
  'expired',
  'unknown',
];

export type OperationKind = 'payment' | 'charge' | 'cancel' | 'unknown';
export type OperationOutcome = 'success' | 'pending' | 'failed';

/** One operation on a bill; `operationId` is the extended billnumber `<bill>.<n>`, the operation's identity. */
export interface GatewayOperation {
  operationId: string;
  kind: OperationKind;
  /** The gateway's operation type code, kept because `unknown` kinds must stay inspectable. */
  rawKind: string;
  outcome: OperationOutcome;
  rawOutcome: string;
  amountKopecks: number | null;
  currency: string | null;
  at: Date | null;
  responseCode: string | null;
  message: string | null;
  maskedCard: string | null;
  approvalCode: string | null;
}

/** One bill (one visit to the payment page) as the gateway last described it. */
export interface GatewayBill {
  billNumber: string;
  orderNumber: string;
  status: PaymentStatus;
  /** The gateway's own state string, kept so that `unknown` is never a dead end. */
  rawStatus: string;
  amountKopecks: number | null;
  currency: string | null;
  testMode: boolean | null;
  /** When the gateway produced this description: the merge rule orders information by it. */
  packetDate: Date | null;
  responseCode: string | null;
  message: string | null;
  maskedCard: string | null;
  operations: GatewayOperation[];
  /** Every field of the reply as received (trimmed), including ones we do not interpret. */
  raw: Record<string, string>;
}

export type Language = 'ru' | 'en';
export interface LocalizedText {
  ru: string;
  en: string;
}
