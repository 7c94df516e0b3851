import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import type { ChequeItem, GatewayError } from '@/lib/assist';

/** The gateway's answer as stored: the fiscal service's fields, or the typed error it ended with. */
export type FiscalGatewayReply =
  | ({ outcome: 'registered' | 'duplicate' } & Record<string, string>)
  | { outcome: 'failed' | 'unknown'; error: GatewayError };

export const FISCAL_KINDS = ['sell', 'sell_refund', 'full_calculation'] as const;
export type FiscalKind = (typeof FISCAL_KINDS)[number];
/**
 * `pending`: recorded, not yet answered; `registered`: the gateway took it (with the payment or the charge
 * it rode on, or from its fiscal service); `failed`: refused, staff may re-send; `unknown`: no answer, the
 * sync asks again.
 */
export const FISCAL_STATES = ['pending', 'registered', 'failed', 'unknown'] as const;
export type FiscalState = (typeof FISCAL_STATES)[number];

/**
 * One 54-FZ receipt per gateway operation. `idempotency_key` names the operation (`sell:<bill>`,
 * `sell_refund:<bill>.<n>`, `full_calculation:<bill>`), so whoever records or re-sends it, a receipt is
 * never made twice for the same operation.
 */
export const fiscalReceipts = pgTable(
  'fiscal_receipts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orderId: bigint('order_id', { mode: 'number' }),
    orderNumber: text('order_number').notNull(),
    billNumber: text('bill_number').notNull(),
    /** The operation it fiscalises: the extended billnumber of a refund; null for a bill-wide one. */
    operationId: text('operation_id'),
    kind: text('kind').$type<FiscalKind>().notNull(),
    idempotencyKey: text('idempotency_key').notNull().unique(),
    items: jsonb('items').$type<ChequeItem[]>().notNull(),
    amountKopecks: bigint('amount_kopecks', { mode: 'number' }).notNull(),
    email: text('email'),
    state: text('state').$type<FiscalState>().notNull().default('pending'),
    gatewayReply: jsonb('gateway_reply').$type<FiscalGatewayReply>(),
    attempts: integer('attempts').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    registeredAt: timestamp('registered_at', { withTimezone: true }),
  },
  (t) => [
    index('fiscal_receipts_order_idx').on(t.orderId),
    index('fiscal_receipts_bill_idx').on(t.billNumber),
    index('fiscal_receipts_open_idx').on(t.createdAt).where(sql`${t.state} in ('pending', 'unknown')`),
    check('fiscal_receipts_kind_known', sql`${t.kind} in ('sell', 'sell_refund', 'full_calculation')`),
    check('fiscal_receipts_state_known', sql`${t.state} in ('pending', 'registered', 'failed', 'unknown')`),
    check('fiscal_receipts_amount_positive', sql`${t.amountKopecks} > 0`),
  ],
);
