/**
 * Staff charge and cancel/refund: reserve, call, re-read, complete, and the later settling of an unknown
 * outcome. One file because every step keeps the same invariants (one unfinished action per bill, no
 * transaction across the HTTP call) through private helpers they share; the rules an action must pass
 * and its outcomes are in admin-action-outcomes.ts, the bill page's forms in admin-action-input.ts.
 */
import 'server-only';
import { and, eq, inArray } from 'drizzle-orm';
import { recordAudit } from '@/lib/admin/audit';
import {
  type AssistGateway,
  type BillActions,
  billActions,
  type ChequeItem,
  errorCodeText,
  type FiscalConfig,
  type GatewayError,
  type InFlightAction,
} from '@/lib/assist';
import type { Db, Tx } from '@/lib/db/connect';
import { pgErrorCode, UNIQUE_VIOLATION } from '@/lib/db/pg-error';
import { logEvent } from '@/lib/log';
import {
  type AdminAction,
  type BillActionAsk,
  type BillActionResult,
  checkBillAction,
  confirmedBill,
} from './admin-action-outcomes';
import { type AdminActionState, adminActions } from './admin-actions-schema';
import { billFromRows } from './bill-rows';
import { chargeReceipt, recordChargeReceipt, refundReceipts } from './fiscal';
import { isInProcess, showsAction } from './in-process-actions';
import { recordGatewayBills } from './record-bills';
import { firstSight, rereadSince } from './reread-window';
import { assistBills, assistOperations } from './schema';

export type Actor = { id: number; email: string };

export type BillActionRequest = BillActionAsk & {
  billNumber: string;
  comment: string;
  actor: Actor;
  /** One per rendered form: a double submit or a retried request returns the first action. */
  idempotencyKey: string;
  holdWarningDays: number;
  testPaymentsCount: boolean;
  /** ASSIST_FISCAL: a charge carries the charged part's receipt, a refund asks for its refund receipt. */
  fiscal?: FiscalConfig;
};

/** A pending action older than this is taken to be orphaned by a crash, and may be settled like an unknown one. */
const STALE_PENDING_MS = 5 * 60_000;

const UNFINISHED: AdminActionState[] = ['pending', 'unknown'];

function sameRequest(action: AdminAction, req: BillActionRequest): boolean {
  return (
    action.billNumber === req.billNumber &&
    action.kind === req.kind &&
    action.amountKopecks === req.amountKopecks &&
    action.actorStaffId === req.actor.id
  );
}

/** What a stored action means for whoever asked for it (again). */
function actionResult(action: AdminAction, replayed: boolean): BillActionResult {
  const error: GatewayError = action.gatewayError ?? { kind: 'malformed', message: 'no error recorded' };
  switch (action.state) {
    case 'pending':
    case 'succeeded':
      return { ok: true, action, replayed };
    case 'failed':
      return { ok: false, error: { kind: 'gateway_refused', action, error } };
    case 'unknown':
      return { ok: false, error: { kind: 'outcome_unknown', action, error } };
  }
}

async function findByKey(db: Db | Tx, key: string): Promise<AdminAction | undefined> {
  const [row] = await db.select().from(adminActions).where(eq(adminActions.idempotencyKey, key));
  return row;
}

async function unfinishedAction(db: Db | Tx, billNumber: string): Promise<AdminAction | undefined> {
  const [row] = await db
    .select()
    .from(adminActions)
    .where(and(eq(adminActions.billNumber, billNumber), inArray(adminActions.state, UNFINISHED)));
  return row;
}

function asInFlight(action: AdminAction | undefined): InFlightAction[] {
  return action ? [{ kind: action.kind, amountKopecks: action.amountKopecks ?? 0 }] : [];
}

type Reserved = { ok: true; action: AdminAction } | { ok: false; result: BillActionResult };

/** Step (a): lock the bill, check the rules, record the intent. Commits before any HTTP call. */
async function reserve(db: Db, req: BillActionRequest, now: Date): Promise<Reserved> {
  return db.transaction(async (tx): Promise<Reserved> => {
    const previous = await findByKey(tx, req.idempotencyKey);
    if (previous) {
      return sameRequest(previous, req)
        ? { ok: false, result: actionResult(previous, true) }
        : {
            ok: false,
            result: { ok: false, error: { kind: 'idempotency_conflict', actionId: previous.id } },
          };
    }
    const [bill] = await tx
      .select()
      .from(assistBills)
      .where(eq(assistBills.billNumber, req.billNumber))
      .for('update');
    if (!bill) return { ok: false, result: { ok: false, error: { kind: 'bill_not_found' } } };
    const inFlight = await unfinishedAction(tx, req.billNumber);
    if (inFlight)
      return {
        ok: false,
        result: { ok: false, error: { kind: 'another_action_in_progress', actionId: inFlight.id } },
      };
    const operations = await tx
      .select()
      .from(assistOperations)
      .where(eq(assistOperations.billNumber, req.billNumber));
    const verdicts = billActions({
      bill: billFromRows(bill, operations),
      inFlight: [],
      heldSince: bill.heldSince,
      now,
      holdWarningDays: req.holdWarningDays,
    });
    const currency = bill.currency ?? 'RUB';
    const check = checkBillAction(verdicts, req, currency);
    if (!check.ok) return { ok: false, result: check };
    const [action] = await tx
      .insert(adminActions)
      .values({
        billNumber: req.billNumber,
        kind: req.kind,
        amountKopecks: req.amountKopecks,
        currency,
        reason: req.kind === 'cancel' ? req.reason : null,
        comment: req.comment,
        actorStaffId: req.actor.id,
        actorEmail: req.actor.email,
        idempotencyKey: req.idempotencyKey,
        knownOperations: operations.map((o) => o.operationId),
      })
      .returning();
    if (!action) throw new Error('admin action insert returned nothing');
    await recordAudit(tx, {
      action: 'bill.action_requested',
      actor: req.actor,
      subject: { type: 'assist_bill', id: req.billNumber },
      details: {
        actionId: action.id,
        kind: action.kind,
        amountKopecks: action.amountKopecks,
        currency,
        reason: action.reason,
        comment: action.comment,
      },
    });
    return { ok: true, action };
  });
}

/** The unique indexes turn a lost race into the same answers the checks give. */
async function reserveOrExplain(db: Db, req: BillActionRequest, now: Date): Promise<Reserved> {
  try {
    return await reserve(db, req, now);
  } catch (err) {
    const { code, constraint } = pgErrorCode(err);
    if (code !== UNIQUE_VIOLATION) throw err;
    if (constraint === 'admin_actions_idempotency_key_unique') {
      const previous = await findByKey(db, req.idempotencyKey);
      if (previous)
        return {
          ok: false,
          result: sameRequest(previous, req)
            ? actionResult(previous, true)
            : { ok: false, error: { kind: 'idempotency_conflict', actionId: previous.id } },
        };
    }
    const other = await unfinishedAction(db, req.billNumber);
    return {
      ok: false,
      result: { ok: false, error: { kind: 'another_action_in_progress', actionId: other?.id ?? 0 } },
    };
  }
}

/** Re-reads the bill and merges what the gateway says into the store; false when the gateway did not answer. */
async function reread(
  db: Db,
  gateway: AssistGateway,
  billNumber: string,
  testPaymentsCount: boolean,
): Promise<{ ok: true } | { ok: false; error: GatewayError }> {
  const since = rereadSince(await firstSight(db, { billNumber }), new Date());
  const read = await gateway.bills({ billNumber }, { since });
  if (!read.ok) return read;
  // A reply without the bill is the gateway's "nothing found", whatever else it holds.
  if (!read.bills.some((b) => b.billNumber === billNumber)) {
    return {
      ok: false,
      error: { kind: 'gateway', firstCode: 10, secondCode: 201, text: errorCodeText(10, 201) },
    };
  }
  await recordGatewayBills(db, read.bills, { source: 'admin', testPaymentsCount, checked: true });
  return { ok: true };
}

async function complete(
  db: Db,
  action: AdminAction,
  outcome: {
    state: AdminActionState;
    error: GatewayError | null;
    by: 'reply' | 'reread';
  },
  actor: Actor | null,
  auditAction: 'bill.action_finished' | 'bill.action_settled',
): Promise<AdminAction> {
  return db.transaction(async (tx) => {
    const [done] = await tx
      .update(adminActions)
      .set({
        state: outcome.state,
        gatewayError: outcome.error,
        settledBy: UNFINISHED.includes(outcome.state) ? null : outcome.by,
        finishedAt: UNFINISHED.includes(outcome.state) ? null : new Date(),
      })
      .where(and(eq(adminActions.id, action.id), inArray(adminActions.state, UNFINISHED)))
      .returning();
    // Someone else settled it meanwhile: their answer stands.
    if (!done) {
      const [current] = await tx.select().from(adminActions).where(eq(adminActions.id, action.id));
      return current ?? action;
    }
    await recordAudit(tx, {
      action: auditAction,
      actor,
      subject: { type: 'assist_bill', id: action.billNumber },
      details: {
        actionId: action.id,
        kind: action.kind,
        state: done.state,
        by: outcome.by,
        error: outcome.error,
      },
    });
    return done;
  });
}

/**
 * Charges or cancels/refunds a bill for staff, safe against double submits, concurrent staff and
 * gateway timeouts: (a) record the intent under the bill's row lock, (b) call the gateway outside any
 * transaction, (c) re-read the bill into the store, (d) record the outcome. An unknown outcome keeps
 * the bill blocked until `settleUnknownAction` re-reads it: repeating a partial refund would refund twice.
 */
export async function performBillAction(
  db: Db,
  gateway: AssistGateway,
  req: BillActionRequest,
  now: Date = new Date(),
): Promise<BillActionResult> {
  const reserved = await reserveOrExplain(db, req, now);
  if (!reserved.ok) return reserved.result;
  const [action] = await db
    .update(adminActions)
    .set({ sentAt: new Date() })
    .where(eq(adminActions.id, reserved.action.id))
    .returning();
  const sent = action ?? reserved.action;
  const amount =
    sent.amountKopecks === null ? undefined : { kopecks: sent.amountKopecks, currency: sent.currency };
  // The whole bill's receipt already rode with the payment form; a part of it rides with the charge.
  let receipt: { items: ChequeItem[]; partial: boolean } | null = null;
  if (sent.kind === 'charge' && req.fiscal) {
    const built = await chargeReceipt(db, sent.billNumber, sent.amountKopecks, req.fiscal);
    if (built?.ok) receipt = { items: built.items, partial: sent.amountKopecks !== null };
  }
  const result =
    sent.kind === 'charge'
      ? await gateway.charge({
          billNumber: sent.billNumber,
          amount,
          ...(receipt?.partial ? { receipt: receipt.items } : {}),
        })
      : await gateway.cancel({ billNumber: sent.billNumber, amount, reason: sent.reason ?? 'shop' });

  // Recording what the gateway now says must not keep the action from being completed: the outcome
  // is known from the reply, and the next sync brings the bill up to date anyway.
  try {
    // A success the reply does not describe (the legacy bare `ERROR:`) is known all the same: recorded
    // now, the money is right for staff before the next results.cfm read, which may be minutes away.
    if (result.ok && result.bill === null) await recordConfirmed(db, sent, req, now);
    const read = await reread(db, gateway, sent.billNumber, req.testPaymentsCount);
    // The action's own reply carries the new operation: keep it when the re-read failed.
    if (!read.ok && result.ok && result.bill)
      await recordGatewayBills(db, [result.bill], {
        source: 'admin',
        testPaymentsCount: req.testPaymentsCount,
      });
  } catch (err) {
    logEvent('admin_action_reread_not_recorded', { action: sent.id, error: err }, 'error');
  }

  // In process: the bank has not finished. The action stays unfinished (blocking the bill's money) with
  // the code's text, and the re-read that shows the operation's end settles it (in-process-actions.ts).
  const outcome = result.ok
    ? ({ state: 'succeeded', error: null, by: 'reply' } as const)
    : ({ state: result.outcome, error: result.error, by: 'reply' } as const);
  const done = await complete(db, sent, outcome, req.actor, 'bill.action_finished');
  if (done.state === 'succeeded' && req.fiscal)
    await fiscalise(db, gateway, done, req.fiscal, receipt?.items ?? null);
  return actionResult(done, false);
}

/** The bill with the operation a reply confirmed but did not describe (see `confirmedBill`). */
async function recordConfirmed(
  db: Db,
  action: AdminAction,
  req: BillActionRequest,
  now: Date,
): Promise<void> {
  const [bill] = await db.select().from(assistBills).where(eq(assistBills.billNumber, action.billNumber));
  if (!bill) throw new Error(`bill ${action.billNumber} of action ${action.id} is gone`);
  const operations = await db
    .select()
    .from(assistOperations)
    .where(eq(assistOperations.billNumber, action.billNumber));
  // A read since the reply already brought the operation itself.
  if (showsAction(action, operations).kind === 'happened') return;
  const stored = billFromRows(bill, operations);
  const verdict = billActions({
    bill: stored,
    inFlight: [],
    heldSince: bill.heldSince,
    now,
    holdWarningDays: req.holdWarningDays,
  })[action.kind];
  const amountKopecks = action.amountKopecks ?? (verdict.allowed ? verdict.maxKopecks : null);
  if (amountKopecks === null) {
    logEvent('admin_action_outcome_not_recorded', { action: action.id, verdict }, 'error');
    return;
  }
  await recordGatewayBills(db, [confirmedBill(stored, { id: action.id, kind: action.kind, amountKopecks })], {
    source: 'admin',
    testPaymentsCount: req.testPaymentsCount,
  });
}

/**
 * The receipts a finished action owes: the charged part's (it rode with the charge), or a refund receipt
 * per new refund operation. A failure here is logged, never undoes the action: the receipt rows stay
 * open for the sync and for staff to re-send.
 */
async function fiscalise(
  db: Db,
  gateway: AssistGateway,
  action: AdminAction,
  fiscal: FiscalConfig,
  chargedItems: ChequeItem[] | null,
): Promise<void> {
  try {
    if (action.kind === 'charge') {
      // Settled by a re-read, the items are rebuilt: the same stored lines give the same receipt.
      const rebuilt = chargedItems
        ? null
        : await chargeReceipt(db, action.billNumber, action.amountKopecks, fiscal);
      const items = chargedItems ?? (rebuilt?.ok ? rebuilt.items : null);
      if (items) await recordChargeReceipt(db, action.billNumber, items);
    }
    if (action.kind === 'cancel')
      await refundReceipts(db, gateway, action.billNumber, action.knownOperations);
  } catch (err) {
    logEvent('admin_action_receipt_not_recorded', { action: action.id, error: err }, 'error');
  }
}

/** Unknown, still in process at the bank, or pending so long that a crash must have orphaned it. */
export function isSettleable(action: AdminAction, now: Date): boolean {
  const stale = action.state === 'pending' && now.getTime() - action.createdAt.getTime() >= STALE_PENDING_MS;
  return action.state === 'unknown' || stale || isInProcess(action);
}

/**
 * Settles an action whose outcome is unknown (or a pending one orphaned by a crash) by re-reading the
 * bill: its operation there means it succeeded, none means it failed. Still in progress stays unknown.
 */
export async function settleUnknownAction(
  db: Db,
  gateway: AssistGateway,
  input: { actionId: number; actor: Actor; testPaymentsCount: boolean; fiscal?: FiscalConfig },
  now: Date = new Date(),
): Promise<BillActionResult> {
  const [action] = await db.select().from(adminActions).where(eq(adminActions.id, input.actionId));
  if (!action) return { ok: false, error: { kind: 'action_not_found' } };
  if (!isSettleable(action, now)) return { ok: false, error: { kind: 'not_unsettled', action } };
  const read = await reread(db, gateway, action.billNumber, input.testPaymentsCount);
  if (!read.ok) return { ok: false, error: { kind: 'reread_failed', error: read.error } };
  const operations = await db
    .select()
    .from(assistOperations)
    .where(eq(assistOperations.billNumber, action.billNumber));
  const seen = showsAction(action, operations);
  if (seen.kind === 'in_progress') {
    const [current] = await db.select().from(adminActions).where(eq(adminActions.id, action.id));
    return actionResult(current ?? action, false);
  }
  const done = await complete(
    db,
    action,
    seen.kind === 'happened'
      ? { state: 'succeeded', error: null, by: 'reread' }
      : {
          state: 'failed',
          error: seen.error ?? action.gatewayError,
          by: 'reread',
        },
    input.actor,
    'bill.action_settled',
  );
  if (done.state === 'succeeded' && input.fiscal) await fiscalise(db, gateway, done, input.fiscal, null);
  return actionResult(done, false);
}

/** What the bill page may offer: the rules with the unfinished action (if any) counted in. */
export async function availableBillActions(
  db: Db,
  billNumber: string,
  holdWarningDays: number,
  now: Date = new Date(),
): Promise<{ actions: BillActions; unfinished: AdminAction | null; currency: string } | null> {
  const [bill] = await db.select().from(assistBills).where(eq(assistBills.billNumber, billNumber));
  if (!bill) return null;
  const [operations, unfinished] = await Promise.all([
    db.select().from(assistOperations).where(eq(assistOperations.billNumber, billNumber)),
    unfinishedAction(db, billNumber),
  ]);
  const actions = billActions({
    bill: billFromRows(bill, operations),
    inFlight: asInFlight(unfinished),
    heldSince: bill.heldSince,
    now,
    holdWarningDays,
  });
  const currency = bill.currency ?? 'RUB';
  // An unfinished action blocks both kinds, whatever billActions makes of its amount.
  if (unfinished)
    return {
      actions: {
        ...actions,
        charge: { allowed: false, reason: 'action_in_flight' },
        cancel: { allowed: false, reason: 'action_in_flight' },
      },
      unfinished,
      currency,
    };
  return { actions, unfinished: null, currency };
}
