import { describe, expect, it } from 'vitest';
import { actualStatus, type BillForStatus } from './actual-status';
import type { PaymentStatus } from './types';

const order = { amountKopecks: 150000, currency: 'RUB', testPaymentsCount: false };

function bill(billNumber: string, status: PaymentStatus, extra: Partial<BillForStatus> = {}): BillForStatus {
  return { billNumber, status, amountKopecks: 150000, currency: 'RUB', testMode: false, ...extra };
}

describe('actualStatus', () => {
  it('is unpaid without bills or with only in-process bills', () => {
    expect(actualStatus(order, [])).toEqual({ actualBill: null, status: 'unpaid', anomalies: [] });
    expect(actualStatus(order, [bill('1', 'in_process')]).status).toBe('unpaid');
  });

  it('paid in an earlier tab: A approved, later B in process then timed out → A wins', () => {
    const a = bill('5960911000000001', 'paid');
    const bInProcess = bill('5960911000000002', 'in_process');
    expect(actualStatus(order, [a, bInProcess]).actualBill).toBe(a);
    const bTimeout = bill('5960911000000002', 'expired');
    const r = actualStatus(order, [bTimeout, a]);
    expect(r.actualBill).toBe(a);
    expect(r.status).toBe('paid');
    expect(r.anomalies).toEqual([]);
  });

  it('held hides declined too, and the newest negative wins when nothing is positive', () => {
    expect(actualStatus(order, [bill('1', 'held'), bill('2', 'declined')]).status).toBe('held');
    const r = actualStatus(order, [bill('2', 'declined'), bill('3', 'expired'), bill('1', 'declined')]);
    expect(r.actualBill?.billNumber).toBe('3');
  });

  it('orders billnumbers numerically (15 vs 16 digits)', () => {
    const older = bill('999999999999999', 'declined');
    const newer = bill('1000000000000000', 'expired');
    expect(actualStatus(order, [newer, older]).actualBill).toBe(newer);
    expect(actualStatus(order, [older, newer]).actualBill).toBe(newer);
  });

  it('reports a double payment and still picks the newest', () => {
    const r = actualStatus(order, [bill('10', 'paid'), bill('11', 'paid'), bill('12', 'declined')]);
    expect(r.actualBill?.billNumber).toBe('11');
    expect(r.anomalies).toEqual([{ kind: 'double_payment', billNumbers: ['11', '10'] }]);
  });

  it('a refunded bill plus a new payment is not a double payment', () => {
    const r = actualStatus(order, [bill('10', 'refunded'), bill('11', 'paid')]);
    expect(r.status).toBe('paid');
    expect(r.anomalies).toEqual([]);
  });

  it('a double payment resolved by refunding the newer bill leaves the order paid by the older one', () => {
    const r = actualStatus(order, [bill('10', 'paid'), bill('11', 'refunded')]);
    expect(r.actualBill?.billNumber).toBe('10');
    expect(r.status).toBe('paid');
    expect(r.anomalies).toEqual([]);
    const partly = actualStatus(order, [bill('10', 'partially_refunded'), bill('11', 'refunded')]);
    expect(partly.actualBill?.billNumber).toBe('10');
  });

  it('a single bill refunded in full is the refunded outcome, over older declines', () => {
    const r = actualStatus(order, [bill('10', 'declined'), bill('11', 'refunded')]);
    expect(r.actualBill?.billNumber).toBe('11');
    expect(r.status).toBe('refunded');
  });

  it('flags amount and currency mismatches', () => {
    const r = actualStatus(order, [bill('10', 'paid', { amountKopecks: 100, currency: 'USD' })]);
    expect(r.status).toBe('paid');
    expect(r.anomalies).toEqual([
      { kind: 'amount_mismatch', billNumber: '10', expectedKopecks: 150000, actualKopecks: 100 },
      { kind: 'currency_mismatch', billNumber: '10', expected: 'RUB', actual: 'USD' },
    ]);
  });

  it('never counts a test payment in production, but reports it', () => {
    const r = actualStatus(order, [bill('10', 'paid', { testMode: true })]);
    expect(r.status).toBe('unpaid');
    expect(r.anomalies).toEqual([{ kind: 'test_payment', billNumber: '10' }]);
    const testShop = actualStatus({ ...order, testPaymentsCount: true }, [
      bill('10', 'paid', { testMode: true }),
    ]);
    expect(testShop.status).toBe('paid');
    expect(testShop.anomalies).toEqual([]);
  });

  it('keeps an unknown state visible', () => {
    const r = actualStatus(order, [bill('10', 'unknown')]);
    expect(r.status).toBe('unknown');
    expect(r.anomalies).toEqual([{ kind: 'unknown_status', billNumber: '10' }]);
  });
});
