import { describe, expect, it } from 'vitest';
import type { GatewayBill, GatewayOperation } from '@/lib/assist';
import { testBill, testOperation } from '@/lib/testing/gateway-records';
import { type BillRow, billToRow, type OperationRow, operationToRow } from './bill-rows';
import {
  foldIncoming,
  newBillRow,
  type OrderLinks,
  planBatch,
  type RecordContext,
  type StoredBill,
} from './record-plan';

const BILL = '5960911000000001';
const NOW = new Date('2026-03-05T12:00:00Z');
const EARLIER = new Date('2026-03-01T00:00:00Z');
const ctx: RecordContext = { source: 'sync', syncRunId: 7, testPaymentsCount: false };
const links: OrderLinks = { idByNumber: new Map([['A-1', 11]]), twoStage: new Set() };

function op(
  id: string,
  kind: GatewayOperation['kind'],
  amount: number,
  extra: Partial<GatewayOperation> = {},
): GatewayOperation {
  const rawKind = { payment: '100', charge: '200', cancel: '300', unknown: '?' }[kind];
  return testOperation(id, { kind, rawKind, amountKopecks: amount, ...extra });
}

const bill = (extra: Partial<GatewayBill> = {}): GatewayBill => testBill(BILL, extra);

/** What the database holds after storing `b`: the row (with its defaults) and its operation rows. */
function stored(b: GatewayBill, orderId: number | null, incoming: GatewayBill): StoredBill {
  const row: BillRow = {
    ...billToRow(b, { orderId, heldSince: null, flags: [], checkedAt: null }),
    id: 1,
    paymentMethod: null,
    firstSeenAt: EARLIER,
    updatedAt: EARLIER,
  } as BillRow;
  const operations = b.operations.map(
    (o, i): OperationRow =>
      ({ ...operationToRow(b.billNumber, o), id: i + 1, recordedAt: EARLIER }) as OperationRow,
  );
  return { row, operations, incoming };
}

describe('planBatch (the merge step)', () => {
  it('a created bill gets its operations, one created history row, and its order recomputed', () => {
    const plan = planBatch({ created: [bill()], stored: [], links, ctx, now: NOW });
    expect(plan.history).toEqual([
      { billNumber: BILL, field: 'created', oldValue: null, newValue: 'paid', source: 'sync', syncRunId: 7 },
    ]);
    expect(plan.newOperations.map((o) => o.operationId)).toEqual([`${BILL}.1`]);
    expect(plan.billWrites).toEqual([]);
    expect(plan.affectedOrders).toEqual([11]);
  });

  it('a created bill of an order that is not ours recomputes no order', () => {
    const plan = planBatch({ created: [bill({ orderNumber: 'X-9' })], stored: [], links, ctx, now: NOW });
    expect(plan.affectedOrders).toEqual([]);
    expect(plan.history).toHaveLength(1);
  });

  it('an unchanged re-read writes nothing, and only marks the bill checked when asked to', () => {
    const same = stored(bill(), 11, bill());
    const plain = planBatch({ created: [], stored: [same], links, ctx, now: NOW });
    expect(plain).toMatchObject({ billWrites: [], newOperations: [], history: [], affectedOrders: [] });
    expect(plain).toMatchObject({ updated: 0, unchanged: 1 });

    const checked = planBatch({
      created: [],
      stored: [same],
      links,
      ctx: { ...ctx, checked: true },
      now: NOW,
    });
    expect(checked.billWrites).toEqual([{ ...same.row, checkedAt: NOW }]);
    expect(checked).toMatchObject({ history: [], affectedOrders: [], updated: 0, unchanged: 1 });
  });

  it('a newer packet moves the bill forward: merged row, new operation, one history row per change', () => {
    const refunded = bill({
      status: 'partially_refunded',
      rawStatus: 'PartialCanceled',
      packetDate: new Date('2026-03-02T10:00:00Z'),
      operations: [op(`${BILL}.1`, 'payment', 150_000), op(`${BILL}.2`, 'cancel', 50_000)],
    });
    const plan = planBatch({ created: [], stored: [stored(bill(), 11, refunded)], links, ctx, now: NOW });
    expect(plan.billWrites).toHaveLength(1);
    expect(plan.billWrites[0]).toMatchObject({
      status: 'partially_refunded',
      chargedKopecks: 150_000,
      returnedKopecks: 50_000,
      updatedAt: NOW,
    });
    expect(plan.newOperations.map((o) => o.operationId)).toEqual([`${BILL}.2`]);
    expect(plan.history.map((h) => h.field)).toEqual(['status', 'rawStatus', 'packetDate', 'operation']);
    expect(plan.history.at(-1)?.newValue).toMatchObject({
      operationId: `${BILL}.2`,
      at: '2026-03-01T10:00:00.000Z',
    });
    expect(plan).toMatchObject({ supersededOperations: [], affectedOrders: [11], updated: 1, unchanged: 0 });
  });

  it('an older packet never overwrites a newer one', () => {
    const refunded = bill({
      status: 'refunded',
      rawStatus: 'Canceled',
      packetDate: new Date('2026-03-02T10:00:00Z'),
    });
    const plan = planBatch({ created: [], stored: [stored(refunded, 11, bill())], links, ctx, now: NOW });
    expect(plan).toMatchObject({ billWrites: [], history: [], updated: 0, unchanged: 1 });
  });

  it('a notification operation is superseded by the report operation that names it', () => {
    const notified = bill({ operations: [op(BILL, 'payment', 150_000)] });
    const plan = planBatch({ created: [], stored: [stored(notified, 11, bill())], links, ctx, now: NOW });
    expect(plan.supersededOperations).toEqual([BILL]);
    expect(plan.newOperations.map((o) => o.operationId)).toEqual([`${BILL}.1`]);
    expect(plan.history).toMatchObject([{ field: 'operation', oldValue: { operationId: BILL } }]);
  });

  it('an operation stored in process and now read finished settles its row; one never seen is new', () => {
    const pending = bill({
      status: 'in_process',
      rawStatus: 'In Process',
      operations: [op(`${BILL}.1`, 'payment', 150_000, { outcome: 'pending' })],
    });
    const finished = bill({
      packetDate: new Date('2026-03-02T10:00:00Z'),
      operations: [op(`${BILL}.1`, 'payment', 150_000), op(`${BILL}.2`, 'cancel', 50_000)],
    });
    const plan = planBatch({ created: [], stored: [stored(pending, 11, finished)], links, ctx, now: NOW });
    expect(plan.settledOperations.map((o) => [o.operationId, o.outcome])).toEqual([[`${BILL}.1`, 'success']]);
    expect(plan.newOperations.map((o) => o.operationId)).toEqual([`${BILL}.2`]);
    expect(plan.supersededOperations).toEqual([]);
  });

  it('a stored bill whose order has appeared since is linked to it without a history row', () => {
    const plan = planBatch({ created: [], stored: [stored(bill(), null, bill())], links, ctx, now: NOW });
    expect(plan.billWrites).toMatchObject([{ billNumber: BILL, orderId: 11, updatedAt: NOW }]);
    expect(plan).toMatchObject({ history: [], affectedOrders: [11], updated: 1, unchanged: 0 });
  });
});

describe('newBillRow', () => {
  it('a held bill remembers when it was first seen held', () => {
    const row = newBillRow(bill({ status: 'held', rawStatus: 'Delayed' }), links, ctx, NOW);
    expect(row).toMatchObject({ orderId: 11, heldSince: NOW, checkedAt: null });
  });

  it("a two-stage order's bill voided in part before it was seen held counts only its charges", () => {
    const partial = bill({
      status: 'partially_refunded',
      rawStatus: 'PartialCanceled',
      operations: [op(`${BILL}.1`, 'payment', 150_000), op(`${BILL}.2`, 'cancel', 50_000)],
    });
    const oneStage = newBillRow(partial, links, { ...ctx, checked: true }, NOW);
    expect(oneStage).toMatchObject({ chargedKopecks: 150_000, checkedAt: NOW });
    const twoStage = newBillRow(partial, { ...links, twoStage: new Set([11]) }, ctx, NOW);
    expect(twoStage).toMatchObject({ chargedKopecks: 0, returnedKopecks: 50_000, heldSince: null });
  });
});

describe('foldIncoming', () => {
  it('folds several descriptions of one bill through the merge rule', () => {
    const later = bill({
      status: 'refunded',
      rawStatus: 'Canceled',
      packetDate: new Date('2026-03-02T10:00:00Z'),
    });
    const folded = foldIncoming([later, bill(), bill({ billNumber: '5960911000000002' })]);
    expect([...folded.keys()]).toEqual([BILL, '5960911000000002']);
    expect(folded.get(BILL)?.status).toBe('refunded');
  });
});
