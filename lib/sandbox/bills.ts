/**
 * The sandbox gateway's bill store: creating a bill from a payment form, finishing the card attempt,
 * charges and cancels through the state machine (./machine.ts), time-outs and in-process operations that
 * settle later, and the reads the services answer from. One file over 300 lines because every write here
 * locks a bill row, applies one `transition` and appends its operation in the same transaction: split, the
 * locking and row-shape helpers would have to be exported to every part.
 */
import { randomInt } from 'node:crypto';
import { and, asc, eq, gte, inArray, lte, max, type SQL, sql } from 'drizzle-orm';
import { isBillNumber } from '../assist/billnumber';
import { codeOutcome, IN_PROCESS_CODE } from '../assist/codes';
import { assistKeeps } from '../assist/form-rules';
import type { SandboxDb, SandboxTx } from './db';
import {
  type BillEvent,
  type BillMoney,
  OPERATION_TYPE,
  type OrderState,
  type Refusal,
  transition,
} from './machine';
import { type SandboxChequeItem, type SandboxCustomer, sandboxBills, sandboxOperations } from './schema';

export type BillRow = typeof sandboxBills.$inferSelect;
export type OperationRow = typeof sandboxOperations.$inferSelect;
export interface BillWithOperations {
  bill: BillRow;
  operations: OperationRow[];
}

type Db = SandboxDb | SandboxTx;

/** Operation states as reported in `operationstate`; the report filter letters map onto them. */
export const OPERATION_STATE = {
  inProcess: 'In Process',
  success: 'Success',
  declined: 'Declined',
  timeout: 'Timeout',
} as const;

export interface NewBill {
  merchantId: string;
  orderNumber: string;
  orderAmount: number;
  currency: string;
  delay: boolean;
  language: 'RU' | 'EN';
  comment: string | null;
  urlReturn: string | null;
  urlReturnOk: string | null;
  urlReturnNo: string | null;
  customer: SandboxCustomer;
  demoResult: string | null;
  /** Which protocol's form created the bill; omitted = current. */
  protocol?: 'current' | 'legacy';
  /** The form's `ChequeItems`, when it carried a receipt. */
  cheque?: SandboxChequeItem[] | null;
}

let lastBillnumber = 0n;

/**
 * 13 digits of milliseconds + 3 more: 16 digits that only grow, like ASSIST's, so "the newest bill" means
 * the same thing here as at the real gateway. The random part keeps two processes on one clock apart.
 */
const newBillnumber = (now: Date) => {
  const candidate = BigInt(now.getTime()) * 1000n + BigInt(randomInt(1000));
  lastBillnumber = candidate > lastBillnumber ? candidate : lastBillnumber + 1n;
  return lastBillnumber.toString();
};

/** What ASSIST keeps of the form's text (eng.docs.belassist.by page 26641290): both protocols' forms. */
function asAssistKeepsIt(input: NewBill): NewBill {
  const customer = Object.fromEntries(
    Object.entries(input.customer).map(([k, v]) => [k, typeof v === 'string' ? assistKeeps('text', v) : v]),
  ) as NewBill['customer'];
  return {
    ...input,
    orderNumber: assistKeeps('orderNumber', input.orderNumber),
    comment: input.comment === null ? null : assistKeeps('text', input.comment),
    customer,
  };
}

export async function createBill(
  db: SandboxDb,
  submitted: NewBill,
  now: Date,
  timeoutSeconds: number,
): Promise<BillRow> {
  const input = asAssistKeepsIt(submitted);
  for (;;) {
    const billnumber = newBillnumber(now);
    const created = await db.transaction(async (tx) => {
      const [bill] = await tx
        .insert(sandboxBills)
        .values({
          ...input,
          billnumber,
          state: 'In Process',
          createdAt: now,
          updatedAt: now,
          expiresAt: new Date(now.getTime() + timeoutSeconds * 1000),
        })
        .onConflictDoNothing()
        .returning();
      if (!bill) return null;
      // The payment operation exists from the first visit so that "operation start" reports see it.
      await tx.insert(sandboxOperations).values({
        billnumber,
        seq: 1,
        type: OPERATION_TYPE.payment,
        state: OPERATION_STATE.inProcess,
        amount: input.orderAmount,
        currency: input.currency,
        startedAt: now,
      });
      return bill;
    });
    if (created) return created;
  }
}

/** Whether the bill has an operation matching `filter` (a charged bill, an action still running). */
async function hasOperation(db: Db, billnumber: string, filter: SQL | undefined): Promise<boolean> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(sandboxOperations)
    .where(and(eq(sandboxOperations.billnumber, billnumber), filter));
  return (row?.n ?? 0) > 0;
}

const charged = (db: Db, billnumber: string) =>
  hasOperation(
    db,
    billnumber,
    and(
      eq(sandboxOperations.type, OPERATION_TYPE.charge),
      eq(sandboxOperations.state, OPERATION_STATE.success),
    ),
  );

const moneyOf = (bill: BillRow, wasCharged: boolean): BillMoney => ({
  state: bill.state as OrderState,
  orderAmount: bill.orderAmount,
  currency: bill.currency,
  held: bill.held,
  captured: bill.captured,
  charged: wasCharged,
});

async function timeOut(tx: SandboxTx, bill: BillRow): Promise<BillRow> {
  const t = transition(moneyOf(bill, false), { type: 'timeout' });
  if (!t.ok) return bill;
  // The bill timed out when its time ran out, not when someone happened to look at it.
  const at = bill.expiresAt;
  const [updated] = await tx
    .update(sandboxBills)
    .set({ state: t.bill.state, updatedAt: at })
    .where(and(eq(sandboxBills.billnumber, bill.billnumber), eq(sandboxBills.state, 'In Process')))
    .returning();
  await tx
    .update(sandboxOperations)
    .set({ state: OPERATION_STATE.timeout, finishedAt: at })
    .where(and(eq(sandboxOperations.billnumber, bill.billnumber), eq(sandboxOperations.seq, 1)));
  return updated ?? bill;
}

/**
 * Ends the charges and cancels answered `In Process` whose time has come, as a separate step the next
 * read sees: approved (the bill's money moves then) or declined with their settle code.
 */
async function settleDueOperations(db: SandboxDb, now: Date): Promise<void> {
  const due = await db
    .select()
    .from(sandboxOperations)
    .where(
      and(eq(sandboxOperations.state, OPERATION_STATE.inProcess), lte(sandboxOperations.settlesAt, now)),
    );
  for (const op of due) {
    await db.transaction(async (tx) => {
      const bill = await lockBill(tx, op.billnumber, now);
      if (!bill) return;
      const type = op.type === OPERATION_TYPE.charge ? 'charge' : 'cancel';
      const approved = codeOutcome(op.settleCode ?? 'AS000') === 'success';
      const t = approved
        ? transition(moneyOf(bill, await charged(tx, op.billnumber)), { type, amount: op.amount })
        : null;
      const ok = t?.ok === true;
      await tx
        .update(sandboxOperations)
        .set({
          state: ok ? OPERATION_STATE.success : OPERATION_STATE.declined,
          responseCode: ok ? 'AS000' : approved ? 'AS100' : op.settleCode,
          message: ok ? 'Approved' : 'Declined',
          finishedAt: now,
          settlesAt: null,
        })
        .where(
          and(
            eq(sandboxOperations.billnumber, op.billnumber),
            eq(sandboxOperations.seq, op.seq),
            eq(sandboxOperations.state, OPERATION_STATE.inProcess),
          ),
        );
      if (t?.ok)
        await tx
          .update(sandboxBills)
          .set({ state: t.bill.state, held: t.bill.held, captured: t.bill.captured, updatedAt: now })
          .where(eq(sandboxBills.billnumber, op.billnumber));
    });
  }
}

/** Applies due timeouts and settles due operations. Called lazily before any read or change of bills. */
export async function expireDueBills(db: SandboxDb, now: Date): Promise<void> {
  await settleDueOperations(db, now);
  const due = await db
    .select()
    .from(sandboxBills)
    .where(and(eq(sandboxBills.state, 'In Process'), lte(sandboxBills.expiresAt, now)));
  if (due.length === 0) return;
  await db.transaction(async (tx) => {
    for (const bill of due) await timeOut(tx, bill);
  });
}

async function lockBill(tx: SandboxTx, billnumber: string, now: Date): Promise<BillRow | null> {
  const [bill] = await tx
    .select()
    .from(sandboxBills)
    .where(eq(sandboxBills.billnumber, billnumber))
    .for('update');
  if (!bill) return null;
  return bill.state === 'In Process' && bill.expiresAt.getTime() <= now.getTime() ? timeOut(tx, bill) : bill;
}

export async function getBill(db: SandboxDb, billnumber: string, now: Date): Promise<BillRow | null> {
  if (!isBillNumber(billnumber)) return null;
  await expireDueBills(db, now);
  const [bill] = await db.select().from(sandboxBills).where(eq(sandboxBills.billnumber, billnumber));
  return bill ?? null;
}

export interface AttemptOutcome {
  approved: boolean;
  responseCode: string;
  message: string;
  approvalCode: string | null;
  meanNumber: string;
  meanTypeName: string;
  cardholder: string;
}

export type FinishResult =
  | { ok: true; bill: BillRow; operation: OperationRow }
  | { ok: false; bill: BillRow | null; error: Refusal };

/**
 * Ends the payment attempt of an `In Process` bill. `onFinished` records the notification in the same
 * transaction, so a finished attempt always has its delivery (sent later, outside any transaction).
 */
export async function finishAttempt(
  db: SandboxDb,
  billnumber: string,
  outcome: AttemptOutcome,
  now: Date,
  onFinished: (tx: SandboxTx, result: { bill: BillRow; operation: OperationRow }) => Promise<void>,
): Promise<FinishResult> {
  return db.transaction(async (tx): Promise<FinishResult> => {
    const bill = await lockBill(tx, billnumber, now);
    if (!bill)
      return { ok: false, bill: null, error: { firstcode: 10, secondcode: 143, message: 'no such bill' } };
    const event: BillEvent = outcome.approved ? { type: 'approve', delay: bill.delay } : { type: 'decline' };
    const t = transition(moneyOf(bill, false), event);
    if (!t.ok) return { ok: false, bill, error: t.error };
    const [updated] = await tx
      .update(sandboxBills)
      .set({
        state: t.bill.state,
        held: t.bill.held,
        captured: t.bill.captured,
        responseCode: outcome.responseCode,
        message: outcome.message,
        approvalCode: outcome.approvalCode,
        meanNumber: outcome.meanNumber,
        meanTypeName: outcome.meanTypeName,
        cardholder: outcome.cardholder,
        updatedAt: now,
      })
      .where(eq(sandboxBills.billnumber, billnumber))
      .returning();
    const [operation] = await tx
      .update(sandboxOperations)
      .set({
        state: outcome.approved ? OPERATION_STATE.success : OPERATION_STATE.declined,
        responseCode: outcome.responseCode,
        message: outcome.message,
        approvalCode: outcome.approvalCode,
        meanNumber: outcome.meanNumber,
        finishedAt: now,
      })
      .where(and(eq(sandboxOperations.billnumber, billnumber), eq(sandboxOperations.seq, 1)))
      .returning();
    if (!updated || !operation) throw new Error(`bill ${billnumber} vanished while finishing its attempt`);
    await onFinished(tx, { bill: updated, operation });
    return { ok: true, bill: updated, operation };
  });
}

export type ChangeResult =
  | { ok: true; bill: BillRow; operation: OperationRow }
  | { ok: false; error: Refusal };

/**
 * How the bank ends a charge or cancel the gateway accepted: approved now, declined with a response code
 * (the bill is unchanged), or still in process (AS300) until `settlesAt`, then ended with `settleCode`.
 */
export type BankOutcome =
  | { kind: 'approved' }
  | { kind: 'declined'; responseCode: string }
  | { kind: 'in_process'; settlesAt: Date; settleCode: string };

const LOCKED = 12;

const running = (db: Db, billnumber: string) =>
  hasOperation(
    db,
    billnumber,
    and(
      eq(sandboxOperations.state, OPERATION_STATE.inProcess),
      inArray(sandboxOperations.type, [OPERATION_TYPE.charge, OPERATION_TYPE.cancel]),
    ),
  );

/** A charge or cancel from the web services: one transaction, decided by the pure state machine. */
export async function changeBill(
  db: SandboxDb,
  merchantId: string,
  billnumber: string,
  event: BillEvent & { type: 'charge' | 'cancel' },
  cancelReason: number | null,
  now: Date,
  outcome: BankOutcome = { kind: 'approved' },
): Promise<ChangeResult> {
  await settleDueOperations(db, now);
  return db.transaction(async (tx): Promise<ChangeResult> => {
    const bill = await lockBill(tx, billnumber, now);
    if (!bill || bill.merchantId !== merchantId) {
      return { ok: false, error: { firstcode: 10, secondcode: 143, message: 'no such bill' } };
    }
    // The money of an operation still in process is spoken for until it ends.
    if (await running(tx, billnumber))
      return {
        ok: false,
        error: { firstcode: LOCKED, secondcode: 0, message: 'an operation is in process' },
      };
    const t = transition(moneyOf(bill, await charged(tx, billnumber)), event);
    if (!t.ok) return t;
    const [last] = await tx
      .select({ seq: max(sandboxOperations.seq) })
      .from(sandboxOperations)
      .where(eq(sandboxOperations.billnumber, billnumber));
    const base = {
      billnumber,
      seq: (last?.seq ?? 0) + 1,
      type: t.operation.type,
      amount: t.operation.amount,
      currency: bill.currency,
      meanNumber: bill.meanNumber,
      cancelReason,
      startedAt: now,
    };
    if (outcome.kind !== 'approved') {
      const [operation] = await tx
        .insert(sandboxOperations)
        .values(
          outcome.kind === 'declined'
            ? {
                ...base,
                state: OPERATION_STATE.declined,
                responseCode: outcome.responseCode,
                message: 'Declined',
                finishedAt: now,
              }
            : {
                ...base,
                state: OPERATION_STATE.inProcess,
                responseCode: IN_PROCESS_CODE,
                message: 'In Process',
                settlesAt: outcome.settlesAt,
                settleCode: outcome.settleCode,
              },
        )
        .returning();
      if (!operation) throw new Error(`bill ${billnumber} vanished while changing it`);
      return { ok: true, bill, operation };
    }
    const [operation] = await tx
      .insert(sandboxOperations)
      .values({
        ...base,
        state: OPERATION_STATE.success,
        responseCode: 'AS000',
        message: 'Approved',
        finishedAt: now,
      })
      .returning();
    const [updated] = await tx
      .update(sandboxBills)
      .set({ state: t.bill.state, held: t.bill.held, captured: t.bill.captured, updatedAt: now })
      .where(eq(sandboxBills.billnumber, billnumber))
      .returning();
    if (!updated || !operation) throw new Error(`bill ${billnumber} vanished while changing it`);
    return { ok: true, bill: updated, operation };
  });
}

export async function withOperations(db: SandboxDb, bills: BillRow[]): Promise<BillWithOperations[]> {
  if (bills.length === 0) return [];
  const ops = await db
    .select()
    .from(sandboxOperations)
    .where(
      inArray(
        sandboxOperations.billnumber,
        bills.map((b) => b.billnumber),
      ),
    )
    .orderBy(asc(sandboxOperations.billnumber), asc(sandboxOperations.seq));
  return bills.map((bill) => ({ bill, operations: ops.filter((o) => o.billnumber === bill.billnumber) }));
}

const byBillnumber = (a: BillRow, b: BillRow) => {
  const x = BigInt(a.billnumber);
  const y = BigInt(b.billnumber);
  return x < y ? -1 : x > y ? 1 : 0;
};

export interface BillQuery {
  merchantId: string;
  orderNumber?: string;
  billnumber?: string;
  window?: { start: Date; end: Date };
}

/** Bills by order number and/or billnumber, created within `window` when given; oldest first. */
export async function findBills(db: SandboxDb, q: BillQuery, now: Date): Promise<BillWithOperations[]> {
  await expireDueBills(db, now);
  const conditions = [eq(sandboxBills.merchantId, q.merchantId)];
  if (q.orderNumber !== undefined) conditions.push(eq(sandboxBills.orderNumber, q.orderNumber));
  if (q.billnumber !== undefined) conditions.push(eq(sandboxBills.billnumber, q.billnumber));
  if (q.window) {
    conditions.push(gte(sandboxBills.createdAt, q.window.start), lte(sandboxBills.createdAt, q.window.end));
  }
  const bills = await db
    .select()
    .from(sandboxBills)
    .where(and(...conditions));
  return withOperations(db, bills.sort(byBillnumber));
}

export interface OperationQuery {
  merchantId: string;
  window: { start: Date; end: Date };
  /** 0 order date, 1 operation start, 2 operation end. */
  dateTimeMode: 0 | 1 | 2;
  operationStates?: string[];
  operationTypes?: number[];
}

/** The authorization report: bills with only the operations that match the window and filters. */
export async function findOperations(
  db: SandboxDb,
  q: OperationQuery,
  now: Date,
): Promise<BillWithOperations[]> {
  await expireDueBills(db, now);
  const { start, end } = q.window;
  const dateColumn =
    q.dateTimeMode === 0
      ? sandboxBills.createdAt
      : q.dateTimeMode === 1
        ? sandboxOperations.startedAt
        : sandboxOperations.finishedAt;
  const conditions = [
    eq(sandboxBills.merchantId, q.merchantId),
    gte(dateColumn, start),
    lte(dateColumn, end),
  ];
  if (q.operationStates) conditions.push(inArray(sandboxOperations.state, q.operationStates));
  if (q.operationTypes) conditions.push(inArray(sandboxOperations.type, q.operationTypes));
  const rows = await db
    .select({ bill: sandboxBills, operation: sandboxOperations })
    .from(sandboxOperations)
    .innerJoin(sandboxBills, eq(sandboxBills.billnumber, sandboxOperations.billnumber))
    .where(and(...conditions))
    .orderBy(asc(sandboxOperations.seq));
  const grouped = new Map<string, BillWithOperations>();
  for (const { bill, operation } of rows) {
    const entry = grouped.get(bill.billnumber) ?? { bill, operations: [] };
    entry.operations.push(operation);
    grouped.set(bill.billnumber, entry);
  }
  return [...grouped.values()].sort((a, b) => byBillnumber(a.bill, b.bill));
}

/** Every bill with its operations, newest first: the read-only view "nothing lost" tests compare against. */
export async function listAllBills(db: SandboxDb, now: Date): Promise<BillWithOperations[]> {
  await expireDueBills(db, now);
  const bills = await db.select().from(sandboxBills);
  return withOperations(db, bills.sort(byBillnumber).reverse());
}
