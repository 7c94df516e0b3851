import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

/**
 * One row per ASSIST bill (one visit to the payment page), whatever its order: bills of orders that are
 * not ours, and bills with no operations yet, are kept and shown to staff. The row holds the merged view
 * of every source; `raw` keeps the gateway's own fields so nothing it said is lost.
 */
export const assistBills = pgTable(
  'assist_bills',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    billNumber: text('bill_number').notNull().unique(),
    orderNumber: text('order_number').notNull(),
    orderId: bigint('order_id', { mode: 'number' }),
    rawStatus: text('raw_status').notNull(),
    status: text('status').notNull(),
    amountKopecks: bigint('amount_kopecks', { mode: 'number' }),
    currency: text('currency'),
    chargedKopecks: bigint('charged_kopecks', { mode: 'number' }).notNull().default(0),
    returnedKopecks: bigint('returned_kopecks', { mode: 'number' }).notNull().default(0),
    responseCode: text('response_code'),
    message: text('message'),
    maskedCard: text('masked_card'),
    paymentMethod: text('payment_method'),
    testMode: boolean('test_mode'),
    packetDate: timestamp('packet_date', { withTimezone: true }),
    heldSince: timestamp('held_since', { withTimezone: true }),
    flags: jsonb('flags').$type<string[]>().notNull().default([]),
    raw: jsonb('raw').$type<Record<string, string>>().notNull().default({}),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    checkedAt: timestamp('checked_at', { withTimezone: true }),
  },
  (t) => [
    index('assist_bills_order_number_idx').on(t.orderNumber),
    index('assist_bills_order_id_idx').on(t.orderId),
    index('assist_bills_open_idx').on(t.checkedAt).where(sql`${t.status} in ('in_process', 'held')`),
    // The admin list: keyset pages by first sight, newest first, whole or filtered by status or code.
    // Ascending on purpose: scanned backwards they give `desc nulls first`, which is what ORDER BY … DESC
    // means (drizzle's .desc() writes NULLS LAST, which the planner cannot use for that ORDER BY).
    index('assist_bills_list_idx').on(t.firstSeenAt, t.id),
    index('assist_bills_status_list_idx').on(t.status, t.firstSeenAt, t.id),
    index('assist_bills_response_code_idx').on(t.responseCode, t.firstSeenAt, t.id),
    // Prefix search (LIKE 'x%') needs pattern ops under a non-C collation.
    index('assist_bills_bill_number_prefix_idx').on(t.billNumber.op('text_pattern_ops')),
    index('assist_bills_order_number_prefix_idx').on(t.orderNumber.op('text_pattern_ops')),
    index('assist_bills_flags_idx').using('gin', t.flags),
  ],
);

/**
 * The admin list's unfiltered totals per currency (bills, held, charged, returned), kept by statement
 * triggers on `assist_bills` (migration 0010): each statement that inserts, updates or deletes bills
 * appends one row per currency with the difference it made, in its own transaction, so the totals are
 * exact whatever code path wrote. Appended, never updated by writers: one row per currency updated in
 * place would make every bill write wait on that row until commit, and two transactions that each hold
 * a bill the other wants next would deadlock on it. Readers sum the rows; `foldBillTotals`
 * (lib/payments/bill-totals.ts) collapses them. `currency` is '' for bills without one.
 */
export const assistBillTotals = pgTable('assist_bill_totals', {
  currency: text('currency').notNull(),
  bills: bigint('bills', { mode: 'number' }).notNull(),
  heldKopecks: bigint('held_kopecks', { mode: 'number' }).notNull(),
  chargedKopecks: bigint('charged_kopecks', { mode: 'number' }).notNull(),
  returnedKopecks: bigint('returned_kopecks', { mode: 'number' }).notNull(),
});

/** Operations are facts keyed by extended billnumber (`<bill>.<n>`): added, never rewritten. */
export const assistOperations = pgTable(
  'assist_operations',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    operationId: text('operation_id').notNull().unique(),
    billNumber: text('bill_number').notNull(),
    kind: text('kind').notNull(),
    rawKind: text('raw_kind').notNull(),
    outcome: text('outcome').notNull(),
    rawOutcome: text('raw_outcome').notNull(),
    amountKopecks: bigint('amount_kopecks', { mode: 'number' }),
    currency: text('currency'),
    at: timestamp('at', { withTimezone: true }),
    responseCode: text('response_code'),
    message: text('message'),
    maskedCard: text('masked_card'),
    approvalCode: text('approval_code'),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('assist_operations_bill_number_idx').on(t.billNumber)],
);

/** Append-only history of every real change to a bill, with its source. */
export const assistBillChanges = pgTable(
  'assist_bill_changes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    billNumber: text('bill_number').notNull(),
    field: text('field').notNull(),
    oldValue: jsonb('old_value'),
    newValue: jsonb('new_value'),
    source: text('source').notNull(),
    syncRunId: bigint('sync_run_id', { mode: 'number' }),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('assist_bill_changes_bill_idx').on(t.billNumber, t.id)],
);

export const assistSyncRuns = pgTable(
  'assist_sync_runs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    trigger: text('trigger').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    windowFrom: timestamp('window_from', { withTimezone: true }),
    windowTo: timestamp('window_to', { withTimezone: true }),
    windows: integer('windows').notNull().default(0),
    rowsSeen: integer('rows_seen').notNull().default(0),
    inserted: integer('inserted').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    rechecked: integer('rechecked').notNull().default(0),
    outcome: text('outcome').notNull().default('running'),
    error: text('error'),
  },
  (t) => [index('assist_sync_runs_started_idx').on(t.startedAt)],
);

/**
 * Named leases for mutual exclusion across processes: one conditional UPDATE takes it, on PGlite and on
 * pooled PostgreSQL alike (session advisory locks are re-entrant on PGlite and unsafe behind a pool).
 * `lastStartedAt` makes the same statement enforce the minimum interval between runs.
 */
export const leases = pgTable('leases', {
  name: text('name').primaryKey(),
  holder: text('holder'),
  until: timestamp('until', { withTimezone: true }).notNull().default(sql`'epoch'`),
  lastStartedAt: timestamp('last_started_at', { withTimezone: true }),
  cursor: timestamp('cursor', { withTimezone: true }),
});
