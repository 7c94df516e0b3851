import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BillEvent, type BillMoney, transition } from './machine';

const fresh = (orderAmount = 10_000): BillMoney => ({
  state: 'In Process',
  orderAmount,
  currency: 'RUB',
  held: 0,
  captured: 0,
  charged: false,
});

function run(bill: BillMoney, ...events: BillEvent[]): BillMoney {
  let current = bill;
  for (const e of events) {
    const t = transition(current, e);
    if (!t.ok) throw new Error(`refused ${e.type}: ${t.error.message}`);
    current = t.bill;
  }
  return current;
}

const refusal = (bill: BillMoney, e: BillEvent) => {
  const t = transition(bill, e);
  return t.ok ? 'accepted' : `${t.error.firstcode}/${t.error.secondcode}`;
};

describe('payment attempt', () => {
  it('approves one-stage into Approved with the money captured', () => {
    expect(run(fresh(), { type: 'approve', delay: false })).toMatchObject({
      state: 'Approved',
      captured: 10_000,
      held: 0,
    });
  });
  it('approves two-stage into Delayed with the money held', () => {
    expect(run(fresh(), { type: 'approve', delay: true })).toMatchObject({
      state: 'Delayed',
      held: 10_000,
      captured: 0,
    });
  });
  it('declines and times out only from In Process', () => {
    expect(run(fresh(), { type: 'decline' }).state).toBe('Declined');
    expect(run(fresh(), { type: 'timeout' }).state).toBe('Timeout');
    const approved = run(fresh(), { type: 'approve', delay: false });
    expect(refusal(approved, { type: 'timeout' })).toBe('15/0');
    expect(refusal(approved, { type: 'decline' })).toBe('15/0');
    expect(refusal(run(fresh(), { type: 'decline' }), { type: 'approve', delay: false })).toBe('15/0');
  });
  it('records a payment operation for the order amount', () => {
    const t = transition(fresh(), { type: 'approve', delay: false });
    expect(t.ok && t.operation).toEqual({ type: 100, amount: 10_000 });
  });
});

describe('charge', () => {
  const held = () => run(fresh(), { type: 'approve', delay: true });
  it('charges the whole hold into Approved', () => {
    expect(run(held(), { type: 'charge' })).toMatchObject({
      state: 'Approved',
      captured: 10_000,
      held: 0,
      charged: true,
    });
  });
  it('charges part into PartialDelayed and releases the rest', () => {
    expect(run(held(), { type: 'charge', amount: 4_000 })).toMatchObject({
      state: 'PartialDelayed',
      captured: 4_000,
      held: 0,
    });
  });
  it('refuses a second charge, after a full or a partial one, as a duplicate', () => {
    expect(refusal(run(held(), { type: 'charge' }), { type: 'charge' })).toBe('11/0');
    expect(refusal(run(held(), { type: 'charge', amount: 1 }), { type: 'charge', amount: 1 })).toBe('11/0');
  });
  it('refuses more than is held, a zero amount and another currency', () => {
    expect(refusal(held(), { type: 'charge', amount: 10_001 })).toBe('5/108');
    expect(refusal(held(), { type: 'charge', amount: 0 })).toBe('5/108');
    expect(refusal(held(), { type: 'charge', amount: 100, currency: 'USD' })).toBe('5/105');
  });
  it('refuses to charge a bill that holds nothing', () => {
    expect(refusal(fresh(), { type: 'charge' })).toBe('15/0');
    expect(refusal(run(fresh(), { type: 'approve', delay: false }), { type: 'charge' })).toBe('15/0');
    expect(refusal(run(fresh(), { type: 'decline' }), { type: 'charge' })).toBe('15/0');
    expect(refusal(run(held(), { type: 'cancel' }), { type: 'charge' })).toBe('15/0');
  });
});

describe('cancel', () => {
  it('voids a hold fully or in part', () => {
    const held = run(fresh(), { type: 'approve', delay: true });
    expect(run(held, { type: 'cancel' })).toMatchObject({ state: 'Canceled', held: 0 });
    expect(run(held, { type: 'cancel', amount: 3_000 })).toMatchObject({
      state: 'PartialCanceled',
      held: 7_000,
    });
  });
  it('refunds charged money in parts until nothing remains', () => {
    const paid = run(fresh(), { type: 'approve', delay: false });
    const part = run(paid, { type: 'cancel', amount: 2_500 });
    expect(part).toMatchObject({ state: 'PartialCanceled', captured: 7_500 });
    expect(run(part, { type: 'cancel', amount: 7_500 })).toMatchObject({ state: 'Canceled', captured: 0 });
    expect(refusal(part, { type: 'cancel', amount: 7_501 })).toBe('5/108');
  });
  it('refunds only what a partial charge took', () => {
    const partial = run(fresh(), { type: 'approve', delay: true }, { type: 'charge', amount: 4_000 });
    expect(refusal(partial, { type: 'cancel', amount: 4_001 })).toBe('5/108');
    expect(run(partial, { type: 'cancel' })).toMatchObject({ state: 'Canceled', captured: 0 });
  });
  it('refuses bills with no money on them', () => {
    expect(refusal(fresh(), { type: 'cancel' })).toBe('15/0');
    expect(refusal(run(fresh(), { type: 'decline' }), { type: 'cancel' })).toBe('15/0');
    expect(refusal(run(fresh(), { type: 'timeout' }), { type: 'cancel' })).toBe('15/0');
    const canceled = run(fresh(), { type: 'approve', delay: false }, { type: 'cancel' });
    expect(refusal(canceled, { type: 'cancel', amount: 1 })).toBe('15/0');
  });
});

describe('money invariants under any sequence of events', () => {
  const event: fc.Arbitrary<BillEvent> = fc.oneof(
    fc.record({ type: fc.constant('approve' as const), delay: fc.boolean() }),
    fc.constant({ type: 'decline' as const }),
    fc.constant({ type: 'timeout' as const }),
    fc.record({
      type: fc.constant('charge' as const),
      amount: fc.option(fc.integer({ min: -5, max: 20_000 }), { nil: undefined }),
    }),
    fc.record({
      type: fc.constant('cancel' as const),
      amount: fc.option(fc.integer({ min: -5, max: 20_000 }), { nil: undefined }),
    }),
  );

  it('never creates money, never goes negative, charges at most once', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 15_000 }),
        fc.array(event, { maxLength: 12 }),
        (amount, events) => {
          let bill = fresh(amount);
          let charges = 0;
          let returned = 0;
          for (const e of events) {
            const t = transition(bill, e);
            if (!t.ok) {
              expect(t.error.firstcode).toBeGreaterThan(0);
              continue;
            }
            if (t.operation.type === 200) charges++;
            if (t.operation.type === 300) returned += t.operation.amount;
            bill = t.bill;
            expect(bill.held).toBeGreaterThanOrEqual(0);
            expect(bill.captured).toBeGreaterThanOrEqual(0);
            expect(bill.held + bill.captured).toBeLessThanOrEqual(amount);
            expect(returned).toBeLessThanOrEqual(amount);
            expect(bill.held > 0 && bill.captured > 0).toBe(false);
          }
          expect(charges).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});
