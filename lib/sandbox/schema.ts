import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/** Customer fields the shop may post with the payment form; kept to echo them in notifications and reports. */
export interface SandboxCustomer {
  lastname?: string;
  firstname?: string;
  middlename?: string;
  email?: string;
  mobilephone?: string;
  address?: string;
  country?: string;
  state?: string;
  city?: string;
  zip?: string;
}

/** A receipt item as the sandbox read it from `ChequeItems` (amounts in kopecks, quantities in thousandths). */
export interface SandboxChequeItem {
  id: number;
  product: string;
  name: string;
  price: number;
  quantity: number;
  amount: number;
  tax: string;
  fpmode: number | null;
  subjtype: number | null;
  gs1code: string | null;
}

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const kopecks = (name: string) => bigint(name, { mode: 'number' });

/** One row per visit to the payment page. Amounts are integer kopecks. */
export const sandboxBills = pgTable(
  'sandbox_bills',
  {
    billnumber: text('billnumber').primaryKey(),
    merchantId: text('merchant_id').notNull(),
    orderNumber: text('order_number').notNull(),
    orderAmount: kopecks('order_amount').notNull(),
    currency: text('currency').notNull(),
    state: text('state').notNull(),
    delay: boolean('delay').notNull(),
    language: text('language').notNull(),
    comment: text('comment'),
    urlReturn: text('url_return'),
    urlReturnOk: text('url_return_ok'),
    urlReturnNo: text('url_return_no'),
    customer: jsonb('customer').$type<SandboxCustomer>().notNull(),
    demoResult: text('demo_result'),
    /**
     * The protocol whose form created the bill (`current` | `legacy`): it decides the notification's
     * shape, as a real merchant account speaks one protocol.
     */
    protocol: text('protocol').notNull().default('current'),
    /** The `ChequeItems` the form carried, as parsed: printed when the money is taken. */
    cheque: jsonb('cheque').$type<SandboxChequeItem[]>(),
    /** Authorised but not yet charged (two-stage). */
    held: kopecks('held').notNull().default(0),
    /** Charged and not refunded. */
    captured: kopecks('captured').notNull().default(0),
    responseCode: text('response_code'),
    message: text('message'),
    approvalCode: text('approval_code'),
    /** Masked card only (`411111****1111`); the full number is never stored. */
    meanNumber: text('mean_number'),
    meanTypeName: text('mean_type_name'),
    cardholder: text('cardholder'),
    createdAt: at('created_at').notNull(),
    expiresAt: at('expires_at').notNull(),
    /** The packet date of the bill's latest change. */
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [
    index('sandbox_bills_order_idx').on(t.merchantId, t.orderNumber),
    index('sandbox_bills_created_idx').on(t.createdAt),
    index('sandbox_bills_expiry_idx').on(t.state, t.expiresAt),
  ],
);

/** Operations are facts: one per payment attempt, charge or cancel, addressed as `<billnumber>.<seq>`. */
export const sandboxOperations = pgTable(
  'sandbox_operations',
  {
    billnumber: text('billnumber')
      .notNull()
      .references(() => sandboxBills.billnumber),
    seq: integer('seq').notNull(),
    type: integer('type').notNull(),
    state: text('state').notNull(),
    amount: kopecks('amount').notNull(),
    currency: text('currency').notNull(),
    responseCode: text('response_code'),
    message: text('message'),
    approvalCode: text('approval_code'),
    meanNumber: text('mean_number'),
    cancelReason: integer('cancel_reason'),
    startedAt: at('started_at').notNull(),
    finishedAt: at('finished_at'),
    /** An operation answered `In Process`: when it ends, and with which response code. */
    settlesAt: at('settles_at'),
    settleCode: text('settle_code'),
  },
  (t) => [
    primaryKey({ columns: [t.billnumber, t.seq] }),
    index('sandbox_operations_started_idx').on(t.startedAt),
    index('sandbox_operations_finished_idx').on(t.finishedAt),
  ],
);

/** One notification per finished payment attempt; the body is fixed when the attempt ends. */
export const sandboxDeliveries = pgTable(
  'sandbox_deliveries',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    billnumber: text('billnumber').notNull(),
    seq: integer('seq').notNull(),
    url: text('url').notNull(),
    body: text('body').notNull(),
    /** The body's encoding: legacy notifications are form posts in windows-1251. */
    charset: text('charset').notNull().default('utf-8'),
    /** pending | delivered | rejected | exhausted | dropped */
    status: text('status').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: at('next_attempt_at'),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('sandbox_deliveries_operation_idx').on(t.billnumber, t.seq),
    index('sandbox_deliveries_due_idx').on(t.status, t.nextAttemptAt),
  ],
);

export const sandboxDeliveryAttempts = pgTable('sandbox_delivery_attempts', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  deliveryId: integer('delivery_id')
    .notNull()
    .references(() => sandboxDeliveries.id),
  attempt: integer('attempt').notNull(),
  at: at('at').notNull(),
  /** delivered | rejected | failed | dropped */
  outcome: text('outcome').notNull(),
  httpStatus: integer('http_status'),
  detail: text('detail'),
});

/** Armed faults; each call of the service consumes one from `remaining`. */
export const sandboxFaults = pgTable('sandbox_faults', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  service: text('service').notNull(),
  mode: text('mode').notNull(),
  remaining: integer('remaining').notNull(),
  delayMs: integer('delay_ms'),
  /** The response code a `decline` or `in_process` fault answers or settles with. */
  responseCode: text('response_code'),
  createdAt: at('created_at').notNull(),
});

/**
 * The receipt log: every receipt the sandbox fiscalised (with a payment, a charge, or from its fiscal
 * services), one per operation and kind, so a demo user sees what would be printed.
 */
export const sandboxFiscalReceipts = pgTable(
  'sandbox_fiscal_receipts',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    /** The bill, or a refund's extended billnumber. */
    billnumber: text('billnumber').notNull(),
    orderNumber: text('order_number').notNull(),
    /** sell | sell_refund | full_calculation */
    type: text('type').notNull(),
    items: jsonb('items').$type<SandboxChequeItem[]>().notNull(),
    amount: kopecks('amount').notNull(),
    email: text('email'),
    createdAt: at('created_at').notNull(),
  },
  (t) => [uniqueIndex('sandbox_fiscal_receipts_operation_idx').on(t.billnumber, t.type)],
);

export type LoggedReceipt = typeof sandboxFiscalReceipts.$inferSelect;
