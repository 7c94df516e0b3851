import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff } from '@/lib/admin/staff';
import type { BillActionResult } from '@/lib/payments/admin-action-outcomes';
import {
  type Actor,
  type BillActionRequest,
  performBillAction,
  settleUnknownAction,
} from '@/lib/payments/admin-actions';
import { adminActions } from '@/lib/payments/admin-actions-schema';
import { stoppedWithProcess } from '@/lib/payments/gateway';
import {
  billActionRequest,
  type PaymentsHarness,
  startPaymentsHarness,
} from '@/lib/testing/payments-harness';
import { describeStop, trackRequests } from './graceful-server';
import { onShutdown } from './shutdown';

/**
 * A stop while staff charge a held bill: the server stops the way `npm start` does on SIGTERM (the same
 * `trackRequests(...).stop()` its signal handler calls), and a "restarted" shop settles what it left.
 */
let h: PaymentsHarness;
let actor: Actor;

beforeAll(async () => {
  h = await startPaymentsHarness();
  const admin = await createStaff(h.database.db, { email: 'boss@shop.test', role: 'admin' });
  if (!admin.ok) throw new Error('staff setup failed');
  actor = { id: admin.staff.id, email: admin.staff.email };
  // A database, a sandbox and a scrypt hash: over a minute on a loaded two-core machine.
}, 180_000);

afterAll(async () => {
  await h?.close();
});

async function heldBill(amountKopecks: number): Promise<string> {
  const order = await h.createOrder({ amountKopecks, twoStage: true });
  const bill = await h.openBill(order);
  expect((await h.pay(bill)).status).toBe(303);
  await h.waitForDeliveries();
  return bill;
}

function charge(billNumber: string): BillActionRequest {
  return billActionRequest(billNumber, actor);
}

/** A shop server whose one route charges the bill named in the path, through the process's gateway. */
async function chargeServer(timings: { drainMs: number; abortGraceMs: number }) {
  const gateway = stoppedWithProcess(h.gateway);
  const server: Server = createServer(async (req, res) => {
    const result = await performBillAction(h.database.db, gateway, charge(req.url?.slice(1) ?? ''));
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(result));
  });
  const tracker = trackRequests(server, timings);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, tracker };
}

async function chargeOps(billNumber: string): Promise<number> {
  const bill = (await h.sandbox.gateway.listBills()).find((b) => b.billnumber === billNumber);
  return bill?.operations.filter((o) => o.type === 200).length ?? 0;
}

async function sentAction(billNumber: string) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const [row] = await h.database.db
      .select()
      .from(adminActions)
      .where(eq(adminActions.billNumber, billNumber));
    if (row?.sentAt) return row;
    if (Date.now() > deadline) throw new Error('the charge was never sent');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('graceful stop', () => {
  it('a charge that answers within the drain time finishes; then the server refuses connections and closes what it holds', async () => {
    const bill = await heldBill(300_00);
    await h.sandbox.gateway.armFault({ service: 'charge', mode: 'delay', delayMs: 300, count: 1 });
    const { url, tracker } = await chargeServer({ drainMs: 10_000, abortGraceMs: 1_000 });
    let closed = false;
    onShutdown('test pool', async () => {
      closed = true;
    });
    const response = fetch(`${url}/${bill}`).then((r) => r.json() as Promise<BillActionResult>);
    await sentAction(bill);
    const summary = await tracker.stop();
    expect(summary).toMatchObject({ finished: 1, aborted: 0, cut: 0, closed: ['test pool'], failed: [] });
    expect(describeStop('SIGTERM', summary)).toBe(
      'Stopped on SIGTERM: 1 request finished, closed test pool.',
    );
    expect(closed).toBe(true);
    expect(await response).toMatchObject({ ok: true, action: { state: 'succeeded' } });
    await expect(fetch(`${url}/${bill}`)).rejects.toThrow();
    expect(await chargeOps(bill)).toBe(1);
  });

  it('a charge slower than the drain time is abandoned as unknown; after a restart the re-check settles it, and nothing is charged twice', async () => {
    const bill = await heldBill(400_00);
    // Longer than the drain time: the sandbox, like ASSIST, completes the charge it was sent even when
    // the shop stops waiting for the answer.
    await h.sandbox.gateway.armFault({ service: 'charge', mode: 'delay', delayMs: 2_000, count: 1 });
    const { url, tracker } = await chargeServer({ drainMs: 200, abortGraceMs: 5_000 });
    const response = fetch(`${url}/${bill}`).then((r) => r.json() as Promise<BillActionResult>);
    await sentAction(bill);
    const summary = await tracker.stop();
    expect(summary).toMatchObject({ finished: 1, aborted: 1, cut: 0 });
    expect(describeStop('SIGTERM', summary)).toContain('1 gateway call abandoned (recorded as unknown)');
    const answered = await response;
    expect(answered).toMatchObject({ ok: false, error: { kind: 'outcome_unknown' } });
    const [left] = await h.database.db.select().from(adminActions).where(eq(adminActions.billNumber, bill));
    expect(left?.state).toBe('unknown');

    // The restarted shop (a gateway not stopping) re-checks: the gateway's record says charged.
    await new Promise((r) => setTimeout(r, 2_500));
    if (!left) throw new Error('no action');
    const settled = await settleUnknownAction(h.database.db, h.gateway, {
      actionId: left.id,
      actor,
      testPaymentsCount: true,
    });
    expect(settled).toMatchObject({ ok: true, action: { state: 'succeeded', settledBy: 'reread' } });
    // Charging again is refused: the bill is no longer held. One charge at the gateway, ever.
    const again = await performBillAction(h.database.db, h.gateway, charge(bill));
    expect(again).toMatchObject({ ok: false, error: { kind: 'not_allowed' } });
    expect(await chargeOps(bill)).toBe(1);
  });
});
