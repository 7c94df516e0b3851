import { describe, expect, it } from 'vitest';
import { addsNoOperation, confirmedOperation, foldBill, mergeBill } from './merge';
import type { GatewayBill, GatewayOperation, OperationKind, PaymentStatus } from './types';

const BILL = '5960911000000001';

function op(n: number, kind: OperationKind, amountKopecks: number, at: string): GatewayOperation {
  return {
    operationId: `${BILL}.${n}`,
    kind,
    rawKind: { payment: '100', charge: '200', cancel: '300', unknown: '?' }[kind],
    outcome: 'success',
    rawOutcome: 'Success',
    amountKopecks,
    currency: 'RUB',
    at: new Date(at),
    responseCode: 'AS000',
    message: null,
    maskedCard: null,
    approvalCode: null,
  };
}

function info(
  status: PaymentStatus,
  rawStatus: string,
  packet: string | null,
  extra: Partial<GatewayBill> = {},
): GatewayBill {
  return {
    billNumber: BILL,
    orderNumber: 'A-1001',
    status,
    rawStatus,
    amountKopecks: 150000,
    currency: 'RUB',
    testMode: false,
    packetDate: packet === null ? null : new Date(packet),
    responseCode: null,
    message: null,
    maskedCard: null,
    operations: [],
    raw: {},
    ...extra,
  };
}

// One two-stage bill seen by the four sources, each at a later point of its life.
const notification = info('held', 'Delayed', '2026-03-01T10:00:00Z', {
  responseCode: 'AS000',
  maskedCard: '411111******1111',
  raw: { orderstate: 'Delayed' },
});
const reportSync = info('held', 'Delayed', '2026-03-01T10:05:00Z', {
  operations: [op(1, 'payment', 150000, '2026-03-01T10:00:00Z')],
});
const adminCharge = info('partially_charged', 'PartialDelayed', '2026-03-02T09:00:00Z', {
  operations: [op(2, 'charge', 100000, '2026-03-02T09:00:00Z')],
  message: 'charged in part',
});
const reRead = info('partially_refunded', 'PartialCanceled', '2026-03-03T09:00:00Z', {
  operations: [
    op(1, 'payment', 150000, '2026-03-01T10:00:00Z'),
    op(2, 'charge', 100000, '2026-03-02T09:00:00Z'),
    op(3, 'cancel', 40000, '2026-03-03T09:00:00Z'),
  ],
});
const sources = { notification, reportSync, adminCharge, reRead };

function mergeAll(list: GatewayBill[]): GatewayBill | null {
  let bill: GatewayBill | null = null;
  for (const next of list) bill = mergeBill(bill, next).bill;
  return bill;
}

function permutations<T>(xs: T[]): T[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

describe('mergeBill', () => {
  it('records a new bill as a change', () => {
    const r = mergeBill(null, notification);
    expect(r.bill).toEqual(notification);
    expect(r.changes).toEqual([{ field: 'billNumber', old: null, new: BILL }]);
  });

  it('identical information yields no changes', () => {
    for (const s of Object.values(sources)) {
      const once = mergeBill(null, s).bill;
      expect(mergeBill(once, s).changes).toEqual([]);
      expect(mergeBill(once, structuredClone(s)).changes).toEqual([]);
    }
  });

  it('every pair of sources gives the same result in either order', () => {
    const entries = Object.entries(sources);
    for (const [an, a] of entries) {
      for (const [bn, b] of entries) {
        if (an === bn) continue;
        expect(mergeAll([a, b]), `${an} then ${bn}`).toEqual(mergeAll([b, a]));
      }
    }
  });

  it('all four sources in every order converge on the newest state with every operation', () => {
    const results = permutations(Object.values(sources)).map(mergeAll);
    for (const r of results) {
      expect(r).toEqual(results[0]);
      expect(r?.status).toBe('partially_refunded');
      expect(r?.rawStatus).toBe('PartialCanceled');
      expect(r?.packetDate).toEqual(new Date('2026-03-03T09:00:00Z'));
      expect(r?.operations.map((o) => o.operationId)).toEqual([`${BILL}.1`, `${BILL}.2`, `${BILL}.3`]);
      expect(r?.maskedCard).toBe('411111******1111');
      expect(r?.message).toBe('charged in part');
    }
  });

  it('folding in place gives what merging gives, in every order, and leaves the incoming bill alone', () => {
    for (const order of permutations(Object.values(sources))) {
      const [first, ...rest] = order.map((b) => structuredClone(b));
      if (first === undefined) continue;
      const folded = structuredClone(first);
      for (const next of rest) {
        const before = structuredClone(next);
        foldBill(folded, next);
        expect(next).toEqual(before);
        expect(Object.values(folded)).not.toContain(next);
        expect([folded.operations, folded.raw]).not.toContain(next.operations);
        expect([folded.operations, folded.raw]).not.toContain(next.raw);
      }
      expect(folded).toEqual(order.slice(1).reduce((bill, next) => mergeBill(bill, next).bill, first));
    }
    expect(() => foldBill(structuredClone(notification), { ...notification, billNumber: '1' })).toThrow(
      'billnumbers differ',
    );
  });

  it('a notification redelivered after a refund leaves the bill refunded', () => {
    const paid = info('paid', 'Approved', '2026-03-01T10:00:00Z', { responseCode: 'AS000' });
    const refunded = info('refunded', 'Canceled', '2026-03-04T10:00:00Z', {
      operations: [
        op(1, 'payment', 150000, '2026-03-01T10:00:00Z'),
        op(2, 'cancel', 150000, '2026-03-04T10:00:00Z'),
      ],
    });
    const stored = mergeAll([paid, refunded]);
    const r = mergeBill(stored, paid);
    expect(r.bill.status).toBe('refunded');
    expect(r.changes).toEqual([]);
  });

  it('never moves a state backwards, even with a newer packet', () => {
    const stored = mergeAll([info('paid', 'Approved', '2026-03-01T10:00:00Z')]);
    const r = mergeBill(stored, info('in_process', 'In Process', '2026-03-02T10:00:00Z'));
    expect(r.bill.status).toBe('paid');
    expect(r.changes).toEqual([
      { field: 'packetDate', old: new Date('2026-03-01T10:00:00Z'), new: new Date('2026-03-02T10:00:00Z') },
    ]);
  });

  it('an older packet only fills gaps', () => {
    const stored = mergeAll([info('declined', 'Declined', '2026-03-02T10:00:00Z', { message: 'newer' })]);
    const r = mergeBill(
      stored,
      info('expired', 'Timeout', '2026-03-01T10:00:00Z', { message: 'older', maskedCard: '5555******4444' }),
    );
    expect(r.bill.status).toBe('declined');
    expect(r.bill.message).toBe('newer');
    expect(r.changes).toEqual([{ field: 'maskedCard', old: null, new: '5555******4444' }]);
  });

  it('equal-rank states follow the newer packet', () => {
    const stored = mergeAll([info('declined', 'Declined', '2026-03-01T10:00:00Z')]);
    const r = mergeBill(stored, info('expired', 'Timeout', '2026-03-02T10:00:00Z'));
    expect(r.bill.status).toBe('expired');
    expect(r.changes.map((c) => c.field)).toEqual(['status', 'rawStatus', 'packetDate']);
  });

  it('never rewrites a recorded operation', () => {
    const first = op(1, 'payment', 150000, '2026-03-01T10:00:00Z');
    const stored = mergeAll([info('paid', 'Approved', '2026-03-01T10:00:00Z', { operations: [first] })]);
    const rewritten = { ...first, amountKopecks: 1 };
    const r = mergeBill(
      stored,
      info('paid', 'Approved', '2026-03-01T10:00:00Z', { operations: [rewritten] }),
    );
    expect(r.bill.operations).toEqual([first]);
    expect(r.changes).toEqual([]);
  });

  it('orders operations by their numeric suffix', () => {
    const tenth = op(10, 'cancel', 1, '2026-03-01T10:00:00Z');
    const ninth = op(9, 'cancel', 1, '2026-03-01T10:00:00Z');
    const ops = [tenth, ninth];
    const r = mergeBill(null, info('partially_refunded', 'PartialCanceled', null, { operations: ops }));
    expect(r.bill.operations.map((o) => o.operationId)).toEqual([`${BILL}.9`, `${BILL}.10`]);
    const stored = mergeBill(
      null,
      info('partially_refunded', 'PartialCanceled', null, { operations: [tenth] }),
    );
    const later = info('partially_refunded', 'PartialCanceled', null, { operations: [ninth] });
    expect(mergeBill(stored.bill, later).bill.operations.map((o) => o.operationId)).toEqual([
      `${BILL}.9`,
      `${BILL}.10`,
    ]);
  });

  it('an unknown state is kept while pending but never hides a known outcome', () => {
    const pending = mergeAll([info('in_process', 'In Process', '2026-03-01T10:00:00Z')]);
    expect(mergeBill(pending, info('unknown', 'Frozen', '2026-03-01T11:00:00Z')).bill.rawStatus).toBe(
      'Frozen',
    );
    const paid = mergeAll([info('paid', 'Approved', '2026-03-01T10:00:00Z')]);
    expect(mergeBill(paid, info('unknown', 'Frozen', '2026-03-01T11:00:00Z')).bill.status).toBe('paid');
  });

  it("a notification's operation is replaced by the report's identified one, never counted twice", () => {
    const identifiedPayment = op(1, 'payment', 150000, '2026-03-01T10:00:00Z');
    const fromNotification = { ...identifiedPayment, operationId: `${BILL}.100@01.03.2026 10:00:00` };
    const notified = mergeAll([
      info('paid', 'Approved', '2026-03-01T10:00:00Z', { operations: [fromNotification] }),
    ]);
    const charge = op(2, 'charge', 1, '2026-03-01T11:00:00Z');
    const report = info('paid', 'Approved', '2026-03-01T10:05:00Z', {
      operations: [identifiedPayment, charge],
    });
    const r = mergeBill(notified, report);
    expect(r.bill.operations).toEqual([identifiedPayment, charge]);
    expect(r.changes).toContainEqual({
      field: `operation ${BILL}.1`,
      old: fromNotification,
      new: identifiedPayment,
    });
    // The notification delivered again later adds nothing.
    const late = mergeBill(
      r.bill,
      info('paid', 'Approved', '2026-03-01T10:00:00Z', { operations: [fromNotification] }),
    );
    expect(late.changes).toEqual([]);
    expect(late.bill.operations).toEqual([identifiedPayment, charge]);
  });

  it('refuses to merge different bills', () => {
    expect(() => mergeBill(notification, { ...notification, billNumber: '1' })).toThrow(/billnumbers differ/);
  });

  it('replaces an operation a reply confirmed with the read one that answers to it, once', () => {
    const held = info('held', 'Preauthorized', '2026-03-01T10:05:00Z', {
      operations: [op(1, 'payment', 150000, '2026-03-01T10:00:00Z')],
    });
    const confirmed = (kind: 'charge' | 'cancel', amountKopecks: number, ref: number) =>
      confirmedOperation({ billNumber: BILL, kind, amountKopecks, currency: 'RUB', ref });
    // Charged in full, then two refunds of one amount, each confirmed by a bare reply.
    let bill = mergeBill(held, {
      ...held,
      status: 'paid',
      operations: [confirmed('charge', 150000, 1)],
    }).bill;
    bill = mergeBill(bill, {
      ...bill,
      status: 'partially_refunded',
      operations: [confirmed('cancel', 20000, 2)],
    }).bill;
    bill = mergeBill(bill, {
      ...bill,
      status: 'partially_refunded',
      operations: [confirmed('cancel', 20000, 3)],
    }).bill;
    expect(bill.status).toBe('partially_refunded');
    expect(bill.operations.map((o) => o.amountKopecks).sort()).toEqual([150000, 150000, 20000, 20000].sort());

    // The report brings the charge and the first refund: each takes one confirmed operation's place.
    const read = info('partially_refunded', 'Refunded', '2026-03-04T09:00:00Z', {
      operations: [
        op(1, 'payment', 150000, '2026-03-01T10:00:00Z'),
        op(2, 'charge', 150000, '2026-03-02T09:00:00Z'),
        op(3, 'cancel', 20000, '2026-03-03T09:00:00Z'),
      ],
    });
    const first = mergeBill(bill, read);
    expect(first.bill.operations.map((o) => o.operationId).sort()).toEqual([
      `${BILL}.1`,
      `${BILL}.2`,
      `${BILL}.3`,
      `${BILL}.cancel@reply-3`,
    ]);
    expect(
      first.changes
        .filter((c) => c.field.startsWith('operation '))
        .map((c) => (c.old as GatewayOperation).operationId),
    ).toEqual([`${BILL}.charge@reply-1`, `${BILL}.cancel@reply-2`]);
    // Read again with the second refund: the known refund answers for nothing, the new one replaces the last.
    const second = mergeBill(first.bill, {
      ...read,
      operations: [...read.operations, op(4, 'cancel', 20000, '2026-03-03T10:00:00Z')],
    });
    expect(second.bill.operations.map((o) => o.operationId).sort()).toEqual([
      `${BILL}.1`,
      `${BILL}.2`,
      `${BILL}.3`,
      `${BILL}.4`,
    ]);
  });
});

describe('addsNoOperation', () => {
  const facts = (b: GatewayBill) =>
    b.operations.map(({ operationId, kind, outcome, amountKopecks }) => ({
      operationId,
      kind,
      outcome,
      amountKopecks,
    }));

  it("answers as mergeBill does for every pair of the four sources' operations", () => {
    for (const stored of Object.values(sources)) {
      for (const incoming of Object.values(sources)) {
        const base = mergeAll([stored]) as GatewayBill;
        const ops = { ...base, operations: incoming.operations };
        const added = mergeBill(base, ops).changes.some((c) => c.field.startsWith('operation '));
        expect(addsNoOperation(facts(base), incoming.operations)).toBe(!added);
      }
    }
  });

  it('a read operation answering to one confirmed by a bare reply is not a repeat', () => {
    const paid = op(1, 'payment', 150000, '2026-03-01T10:00:00Z');
    const confirmed = confirmedOperation({
      billNumber: BILL,
      kind: 'cancel',
      amountKopecks: 20000,
      currency: 'RUB',
      ref: 1,
    });
    const refund = op(2, 'cancel', 20000, '2026-03-02T10:00:00Z');
    expect(addsNoOperation([paid, confirmed], [paid, refund])).toBe(false);
    expect(addsNoOperation([paid, confirmed], [paid])).toBe(true);
    expect(addsNoOperation([paid, refund], [paid, refund])).toBe(true);
  });

  it('a pending operation that finished, or an identified one replacing a notification, is not a repeat', () => {
    const paid = op(1, 'payment', 150000, '2026-03-01T10:00:00Z');
    expect(addsNoOperation([{ ...paid, outcome: 'pending' }], [paid])).toBe(false);
    expect(addsNoOperation([paid], [{ ...paid, outcome: 'pending' }])).toBe(true);
    const fromNotification = { ...paid, operationId: `${BILL}.100@01.03.2026 10:00:00` };
    expect(addsNoOperation([fromNotification], [paid])).toBe(false);
    expect(addsNoOperation([paid], [fromNotification])).toBe(true);
    expect(addsNoOperation([fromNotification, paid], [fromNotification, paid])).toBe(false);
  });
});
