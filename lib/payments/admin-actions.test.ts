import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate } from '@/lib/admin/auth';
import { auditLog } from '@/lib/admin/schema';
import { createSession } from '@/lib/admin/sessions';
import { createStaff } from '@/lib/admin/staff';
import { ws } from '@/lib/sandbox/test-helpers';
import {
  billActionRequest,
  type PaymentsHarness,
  startPaymentsHarness,
} from '@/lib/testing/payments-harness';
import {
  type Actor,
  availableBillActions,
  type BillActionRequest,
  performBillAction,
  settleUnknownAction,
} from './admin-actions';
import { adminActions } from './admin-actions-schema';
import { recordGatewayBills } from './record-bills';
import { assistBills } from './schema';

let h: PaymentsHarness;
let actor: Actor;
let viewer: Actor;

beforeAll(async () => {
  h = await startPaymentsHarness();
  const admin = await createStaff(h.database.db, { email: 'boss@shop.test', role: 'admin' });
  const view = await createStaff(h.database.db, { email: 'eyes@shop.test', role: 'viewer' });
  if (!admin.ok || !view.ok) throw new Error('staff setup failed');
  actor = { id: admin.staff.id, email: admin.staff.email };
  viewer = { id: view.staff.id, email: view.staff.email };
});

afterAll(async () => {
  await h?.close();
});

/** A paid bill recorded in the shop through the notification, held when two-stage. */
async function paidBill(amountKopecks: number, twoStage: boolean): Promise<string> {
  const order = await h.createOrder({ amountKopecks, twoStage });
  const bill = await h.openBill(order);
  const res = await h.pay(bill);
  expect(res.status).toBe(303);
  await h.waitForDeliveries();
  return bill;
}

function request(billNumber: string, over: Partial<BillActionRequest> = {}): BillActionRequest {
  return billActionRequest(billNumber, actor, over);
}

async function gatewayOps(billNumber: string, type: number): Promise<number> {
  const bills = await h.sandbox.gateway.listBills();
  const bill = bills.find((b) => b.billnumber === billNumber);
  return bill?.operations.filter((o) => o.type === type).length ?? 0;
}

async function storedBill(billNumber: string) {
  const [row] = await h.database.db.select().from(assistBills).where(eq(assistBills.billNumber, billNumber));
  return row;
}

describe('performBillAction rules', () => {
  it('charges only a held bill, within the held amount', async () => {
    const oneStage = await paidBill(100_00, false);
    const refused = await performBillAction(h.database.db, h.gateway, request(oneStage));
    expect(refused).toMatchObject({ ok: false, error: { kind: 'not_allowed', reason: 'not_held' } });

    const held = await paidBill(500_00, true);
    expect((await storedBill(held))?.status).toBe('held');
    const tooMuch = await performBillAction(
      h.database.db,
      h.gateway,
      request(held, { amountKopecks: 500_01 }),
    );
    expect(tooMuch).toMatchObject({
      ok: false,
      error: { kind: 'amount_exceeds_limit', maxKopecks: 500_00 },
    });
    const zero = await performBillAction(h.database.db, h.gateway, request(held, { amountKopecks: 0 }));
    expect(zero).toMatchObject({ ok: false, error: { kind: 'amount_invalid' } });
    expect(await gatewayOps(held, 200)).toBe(0);

    const part = await performBillAction(h.database.db, h.gateway, request(held, { amountKopecks: 300_00 }));
    expect(part).toMatchObject({ ok: true, action: { state: 'succeeded', settledBy: 'reply' } });
    const after = await storedBill(held);
    expect(after?.status).toBe('partially_charged');
    expect(after?.chargedKopecks).toBe(300_00);

    const again = await performBillAction(h.database.db, h.gateway, request(held));
    expect(again).toMatchObject({ ok: false, error: { kind: 'not_allowed', reason: 'not_held' } });

    const refundTooMuch = await performBillAction(
      h.database.db,
      h.gateway,
      request(held, { kind: 'cancel', reason: 'customer', amountKopecks: 300_01 }),
    );
    expect(refundTooMuch).toMatchObject({
      ok: false,
      error: { kind: 'amount_exceeds_limit', maxKopecks: 300_00 },
    });
    const noReason = await performBillAction(
      h.database.db,
      h.gateway,
      request(held, { kind: 'cancel', amountKopecks: 100_00 }),
    );
    expect(noReason).toMatchObject({ ok: false, error: { kind: 'reason_required' } });
    const refund = await performBillAction(
      h.database.db,
      h.gateway,
      request(held, { kind: 'cancel', reason: 'customer', amountKopecks: 100_00 }),
    );
    expect(refund.ok).toBe(true);
    const rest = await performBillAction(
      h.database.db,
      h.gateway,
      request(held, { kind: 'cancel', reason: 'shop' }),
    );
    expect(rest.ok).toBe(true);
    const final = await storedBill(held);
    expect(final?.status).toBe('refunded');
    expect(final?.returnedKopecks).toBe(300_00);
    const audit = await h.database.db.select().from(auditLog).where(eq(auditLog.subjectId, held));
    expect(audit.map((a) => a.action)).toEqual([
      'bill.action_requested',
      'bill.action_finished',
      'bill.action_requested',
      'bill.action_finished',
      'bill.action_requested',
      'bill.action_finished',
    ]);
  });

  it('reports an unknown bill', async () => {
    const res = await performBillAction(h.database.db, h.gateway, request('999999999999999'));
    expect(res).toMatchObject({ ok: false, error: { kind: 'bill_not_found' } });
  });

  it('records a gateway refusal as failed with its error', async () => {
    const held = await paidBill(200_00, true);
    // Charged behind the shop's back (as in ASSIST's own cabinet): our record still says held.
    await ws(h.sandbox.url, '/charge/charge.cfm', { Billnumber: held });
    const res = await performBillAction(h.database.db, h.gateway, request(held));
    expect(res).toMatchObject({
      ok: false,
      error: { kind: 'gateway_refused', error: { kind: 'gateway', firstCode: 11 } },
    });
    expect((await storedBill(held))?.status).toBe('paid');
  });
});

describe('idempotency and concurrency', () => {
  it('the same key twice makes one gateway call and returns the first action', async () => {
    const held = await paidBill(400_00, true);
    const req = request(held, { amountKopecks: 100_00 });
    const first = await performBillAction(h.database.db, h.gateway, req);
    const second = await performBillAction(h.database.db, h.gateway, req);
    expect(first.ok && second.ok).toBe(true);
    if (!first.ok || !second.ok) return;
    expect(second.action.id).toBe(first.action.id);
    expect(second.replayed).toBe(true);
    expect(await gatewayOps(held, 200)).toBe(1);
    const conflict = await performBillAction(h.database.db, h.gateway, { ...req, amountKopecks: 50_00 });
    expect(conflict).toMatchObject({ ok: false, error: { kind: 'idempotency_conflict' } });
  });

  it('two concurrent partial refunds on one bill: one gateway call, one another_action_in_progress', async () => {
    const held = await paidBill(600_00, true);
    expect((await performBillAction(h.database.db, h.gateway, request(held))).ok).toBe(true);
    // The gateway takes a second over the first refund, so the two requests overlap however slowly
    // the second one reaches the database on a busy machine (otherwise both may run, one after the other).
    await h.sandbox.gateway.armFault({ service: 'cancel', mode: 'delay', delayMs: 1500, count: 1 });
    const results = await Promise.all([
      performBillAction(
        h.database.db,
        h.gateway,
        request(held, { kind: 'cancel', reason: 'shop', amountKopecks: 100_00 }),
      ),
      performBillAction(
        h.database.db,
        h.gateway,
        request(held, { kind: 'cancel', reason: 'shop', amountKopecks: 200_00 }),
      ),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.error.kind === 'another_action_in_progress')).toHaveLength(1);
    expect(await gatewayOps(held, 300)).toBe(1);
  });

  it('the partial unique index refuses a second unfinished action even without the checks', async () => {
    const held = await paidBill(100_00, true);
    const row = {
      billNumber: held,
      kind: 'charge' as const,
      currency: 'RUB',
      actorStaffId: actor.id,
      actorEmail: actor.email,
    };
    await h.database.db.insert(adminActions).values({ ...row, idempotencyKey: `raw-a-${held}` });
    await expect(
      h.database.db
        .insert(adminActions)
        .values({ ...row, idempotencyKey: `raw-b-${held}`, state: 'unknown' }),
    ).rejects.toThrow();
    const res = await performBillAction(h.database.db, h.gateway, request(held));
    expect(res).toMatchObject({ ok: false, error: { kind: 'another_action_in_progress' } });
  });
});

describe('unknown outcomes', () => {
  it('a timed-out charge blocks the bill until a re-read settles it (not done → failed)', async () => {
    const held = await paidBill(300_00, true);
    await h.sandbox.gateway.armFault({ service: 'charge', mode: 'hang', count: 1 });
    const res = await performBillAction(h.database.db, h.gateway, request(held, { amountKopecks: 100_00 }));
    expect(res).toMatchObject({ ok: false, error: { kind: 'outcome_unknown', error: { kind: 'timeout' } } });
    if (res.ok || res.error.kind !== 'outcome_unknown') return;
    const actionId = res.error.action.id;

    const blocked = await performBillAction(
      h.database.db,
      h.gateway,
      request(held, { kind: 'cancel', reason: 'shop' }),
    );
    expect(blocked).toMatchObject({ ok: false, error: { kind: 'another_action_in_progress', actionId } });
    const offered = await availableBillActions(h.database.db, held, 14);
    expect(offered?.actions.charge).toEqual({ allowed: false, reason: 'action_in_flight' });
    expect(offered?.unfinished?.id).toBe(actionId);

    const settled = await settleUnknownAction(h.database.db, h.gateway, {
      actionId,
      actor,
      testPaymentsCount: true,
    });
    expect(settled).toMatchObject({
      ok: false,
      error: { kind: 'gateway_refused', action: { state: 'failed', settledBy: 'reread' } },
    });
    const retry = await performBillAction(h.database.db, h.gateway, request(held, { amountKopecks: 100_00 }));
    expect(retry).toMatchObject({ ok: true, action: { state: 'succeeded' } });
    expect(await gatewayOps(held, 200)).toBe(1);
  });

  it('settles as succeeded when the re-read shows the operation', async () => {
    const held = await paidBill(300_00, true);
    await h.sandbox.gateway.armFault({ service: 'cancel', mode: 'hang', count: 1 });
    const res = await performBillAction(
      h.database.db,
      h.gateway,
      request(held, { kind: 'cancel', reason: 'fraud', amountKopecks: 50_00 }),
    );
    expect(res).toMatchObject({ ok: false, error: { kind: 'outcome_unknown' } });
    if (res.ok || res.error.kind !== 'outcome_unknown') return;
    // The request did reach the gateway after all (emulated by performing it directly).
    await ws(h.sandbox.url, '/cancel/wscancel.cfm', {
      Billnumber: held,
      Amount: '50.00',
      Currency: 'RUB',
      CancelReason: '3',
    });
    const settled = await settleUnknownAction(h.database.db, h.gateway, {
      actionId: res.error.action.id,
      actor,
      testPaymentsCount: true,
    });
    expect(settled).toMatchObject({ ok: true, action: { state: 'succeeded', settledBy: 'reread' } });
    expect((await storedBill(held))?.returnedKopecks).toBe(50_00);
    const again = await settleUnknownAction(h.database.db, h.gateway, {
      actionId: res.error.action.id,
      actor,
      testPaymentsCount: true,
    });
    expect(again).toMatchObject({ ok: false, error: { kind: 'not_unsettled' } });
  });
});

describe('declined and in-process replies (firstcode 0 with a responsecode)', () => {
  it('a declined charge is a failed action with the code, and nothing is charged', async () => {
    const held = await paidBill(300_00, true);
    await h.sandbox.gateway.armFault({ service: 'charge', mode: 'decline', responseCode: 'AS102' });
    const r = await performBillAction(h.database.db, h.gateway, request(held));
    expect(r).toMatchObject({
      ok: false,
      error: {
        kind: 'gateway_refused',
        action: { state: 'failed', settledBy: 'reply' },
        error: { kind: 'declined', responseCode: 'AS102', text: { en: 'Insufficient funds' } },
      },
    });
    expect(await storedBill(held)).toMatchObject({ status: 'held', chargedKopecks: 0 });
    const next = await availableBillActions(h.database.db, held, 14);
    expect(next?.actions.charge).toEqual({ allowed: true, maxKopecks: 300_00 });
  });

  it('a refund In Process stays pending with its text, blocks the bill, and the next re-read settles it', async () => {
    const held = await paidBill(400_00, true);
    expect((await performBillAction(h.database.db, h.gateway, request(held))).ok).toBe(true);
    await h.sandbox.gateway.armFault({ service: 'cancel', mode: 'in_process', delayMs: 60_000 });
    const refund = await performBillAction(
      h.database.db,
      h.gateway,
      request(held, { kind: 'cancel', reason: 'customer', amountKopecks: 150_00 }),
    );
    expect(refund).toMatchObject({
      ok: true,
      action: {
        state: 'pending',
        settledBy: null,
        gatewayError: { kind: 'in_process', responseCode: 'AS300' },
      },
    });
    if (!refund.ok) throw new Error('unreachable');
    expect(await storedBill(held)).toMatchObject({ status: 'paid', returnedKopecks: 0 });
    const again = await performBillAction(
      h.database.db,
      h.gateway,
      request(held, { kind: 'cancel', reason: 'shop', amountKopecks: 100_00 }),
    );
    expect(again).toMatchObject({ ok: false, error: { kind: 'another_action_in_progress' } });

    h.clock.now = new Date(h.clock.now.getTime() + 61_000);
    const read = await h.gateway.bills(
      { billNumber: held },
      { since: new Date(h.clock.now.getTime() - 86_400_000) },
    );
    if (!read.ok) throw new Error(JSON.stringify(read.error));
    await recordGatewayBills(h.database.db, read.bills, { source: 'sync', testPaymentsCount: true });
    const [settled] = await h.database.db
      .select()
      .from(adminActions)
      .where(eq(adminActions.id, refund.action.id));
    expect(settled).toMatchObject({ state: 'succeeded', settledBy: 'reread', gatewayError: null });
    expect(await storedBill(held)).toMatchObject({ status: 'partially_refunded', returnedKopecks: 150_00 });
  });
});

describe('roles', () => {
  it('a viewer session is refused by the server-side check used by the actions', async () => {
    const { token } = await createSession(h.database.db, { staffId: viewer.id });
    expect(await authenticate(h.database.db, token, 'admin')).toEqual({ ok: false, error: 'forbidden' });
    expect((await authenticate(h.database.db, token, 'viewer')).ok).toBe(true);
  });
});
