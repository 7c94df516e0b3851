import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  index,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { staff } from '@/lib/admin/schema';
import type { GatewayError } from '@/lib/assist';

export const ADMIN_ACTION_KINDS = ['charge', 'cancel'] as const;
export type AdminActionKind = (typeof ADMIN_ACTION_KINDS)[number];
export const ADMIN_ACTION_STATES = ['pending', 'succeeded', 'failed', 'unknown'] as const;
export type AdminActionState = (typeof ADMIN_ACTION_STATES)[number];

/**
 * A staff charge or cancel/refund, recorded before the gateway is called and completed after it (the
 * intent survives a crash mid-call). The partial unique index allows one unfinished action per bill:
 * while an outcome is unknown nothing else may touch that bill. `known_operations` are the bill's
 * operation ids at the time of the request, so a later re-read can tell whether this action happened.
 */
export const adminActions = pgTable(
  'admin_actions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    billNumber: text('bill_number').notNull(),
    kind: text('kind').$type<AdminActionKind>().notNull(),
    /** Null: the full amount the gateway still holds or can return. */
    amountKopecks: bigint('amount_kopecks', { mode: 'number' }),
    currency: text('currency').notNull(),
    /** Cancel only; ASSIST's CancelReason. */
    reason: text('reason').$type<'shop' | 'customer' | 'fraud'>(),
    comment: text('comment').notNull().default(''),
    actorStaffId: bigint('actor_staff_id', { mode: 'number' })
      .notNull()
      .references(() => staff.id),
    actorEmail: text('actor_email').notNull(),
    idempotencyKey: text('idempotency_key').notNull().unique(),
    state: text('state').$type<AdminActionState>().notNull().default('pending'),
    gatewayError: jsonb('gateway_error').$type<GatewayError>(),
    knownOperations: jsonb('known_operations').$type<string[]>().notNull().default([]),
    /** What decided the outcome: the gateway's reply, or a later re-read of the bill. */
    settledBy: text('settled_by').$type<'reply' | 'reread'>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('admin_actions_one_unfinished_per_bill')
      .on(t.billNumber)
      .where(sql`${t.state} in ('pending', 'unknown')`),
    index('admin_actions_bill_idx').on(t.billNumber, t.id),
    check('admin_actions_kind_known', sql`${t.kind} in ('charge', 'cancel')`),
    check('admin_actions_state_known', sql`${t.state} in ('pending', 'succeeded', 'failed', 'unknown')`),
    check('admin_actions_amount_positive', sql`${t.amountKopecks} is null or ${t.amountKopecks} > 0`),
    check(
      'admin_actions_reason_known',
      sql`${t.reason} is null or ${t.reason} in ('shop', 'customer', 'fraud')`,
    ),
  ],
);
