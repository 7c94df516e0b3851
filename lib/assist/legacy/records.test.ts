import { describe, expect, it } from 'vitest';
import { actualStatus } from '../actual-status';
import { mergeBill } from '../merge';
import type { PaymentStatus } from '../types';
import { LEGACY_REPORT_CSV } from './fixtures';
import { billsFromRows, foldRows, LEGACY_STATES, type LegacyRow } from './records';
import { billsFromLegacyReport } from './report';

let minute = 0;
function row(state: string, amountKopecks: number | null = 10_000, bill = '1000000000000001'): LegacyRow {
  minute++;
  return {
    billNumber: bill,
    orderNumber: 'O-1',
    state,
    paymentType: null,
    amountKopecks,
    currency: 'RUB',
    at: new Date(Date.UTC(2010, 0, 1, 0, minute)),
    responseCode: null,
    message: null,
    maskedCard: null,
    approvalCode: null,
    raw: { 'Order State': state },
  };
}
const statusOf = (...rows: LegacyRow[]) => foldRows(rows, false).status;

describe('legacy statuses → PaymentStatus', () => {
  it.each<[string, PaymentStatus]>([
    ['Authorized', 'paid'],
    ['Not authorized', 'declined'],
    ['Preauthorized', 'held'],
    ['Not preauthorized', 'declined'],
    ['in process', 'in_process'],
    ['Captured', 'paid'],
    // A failed capture is only ever tried on a hold.
    ['Not captured', 'held'],
    ['Voided', 'refunded'],
    ['Reversaled', 'refunded'],
    // The amount taken is not among the rows: never claim more was returned than is known.
    ['Refunded', 'partially_refunded'],
    ['Not Voided', 'unknown'],
    ['Not Refunded', 'unknown'],
    ['Not Reversaled', 'unknown'],
    ['Chargebacked', 'unknown'],
  ])('a lone %s row is %s', (state, status) => {
    const bill = foldRows([row(state)], false);
    expect(bill.status).toBe(status);
    expect(bill.rawStatus).toBe(state);
  });

  it('knows every state of docs/assist-protocol.md §8, case and spacing aside', () => {
    for (const s of LEGACY_STATES) {
      expect(foldRows([row(s.toUpperCase())], false).operations[0]?.kind, s).not.toBe('unknown');
    }
    expect(statusOf(row('  not  AUTHORIZED '))).toBe('declined');
  });

  it('a negative never undoes its positive: the money stays where the positive put it', () => {
    expect(statusOf(row('Authorized'), row('Not Refunded'))).toBe('paid');
    expect(statusOf(row('Preauthorized'), row('Not captured'))).toBe('held');
    expect(statusOf(row('Preauthorized'), row('Not Voided'))).toBe('held');
    expect(statusOf(row('Authorized'), row('Not Reversaled'))).toBe('paid');
    expect(statusOf(row('Authorized'), row('Refunded'), row('Not Refunded'))).toBe('refunded');
    // A declined retry on a bill that took money does not decline it.
    expect(statusOf(row('Authorized'), row('Not authorized'))).toBe('paid');
    expect(statusOf(row('in process'), row('Not authorized'))).toBe('declined');
  });

  it('decides partial outcomes by amounts, whatever order the rows come in', () => {
    const hold = row('Preauthorized', 10_000);
    const capture = row('Captured', 6_000);
    expect(statusOf(capture, hold)).toBe('partially_charged');
    expect(statusOf(row('Preauthorized', 10_000), row('Captured', 10_000))).toBe('paid');
    expect(statusOf(row('Authorized', 10_000), row('Refunded', 3_000))).toBe('partially_refunded');
    expect(statusOf(row('Authorized', 10_000), row('Refunded', 3_000), row('Refunded', 7_000))).toBe(
      'refunded',
    );
    expect(statusOf(row('Preauthorized', 10_000), row('Captured', 6_000), row('Refunded', 6_000))).toBe(
      'refunded',
    );
    expect(statusOf(row('Preauthorized', 10_000), row('Voided', 4_000))).toBe('partially_refunded');
    expect(statusOf(row('Preauthorized', 10_000), row('Voided', null))).toBe('refunded');
  });

  it('keeps each row as an operation with a stable id, so a re-read never doubles a refund', () => {
    const rows = [row('Authorized', 10_000), row('Refunded', 3_000)];
    const once = foldRows(rows, true);
    expect(once.testMode).toBe(true);
    expect(once.operations.map((o) => [o.kind, o.outcome, o.rawOutcome])).toEqual([
      ['payment', 'success', 'Authorized'],
      ['cancel', 'success', 'Refunded'],
    ]);
    const merged = mergeBill(mergeBill(null, once).bill, foldRows([...rows].reverse(), true));
    expect(merged.bill.operations).toHaveLength(2);
    expect(merged.changes).toEqual([]);
  });

  it('a later lone row moves a stored bill forward and never back (the merge rule)', () => {
    const stored = foldRows([row('Authorized', 10_000, '7')], false);
    const later = foldRows([row('Refunded', 10_000, '7')], false);
    expect(mergeBill(stored, later).bill.status).toBe('partially_refunded');
    const refunded = foldRows([row('Authorized', 10_000, '7'), row('Refunded', 10_000, '7')], false);
    expect(mergeBill(refunded, stored).bill.status).toBe('refunded');
    expect(mergeBill(stored, foldRows([row('Not Refunded', 10_000, '7')], false)).bill.status).toBe('paid');
  });

  it('groups by Payment No.', () => {
    const bills = billsFromRows(
      [row('Authorized', 1, '5'), row('Not authorized', 1, '6'), row('Refunded', 1, '5')],
      false,
    );
    expect(bills.map((b) => [b.billNumber, b.status])).toEqual([
      ['5', 'refunded'],
      ['6', 'declined'],
    ]);
  });
});

describe('the actual-status rule over legacy bills (docs/assist-protocol.md §7)', () => {
  const order = { amountKopecks: 150_000, currency: 'RUB', testPaymentsCount: true };
  const report = billsFromLegacyReport(LEGACY_REPORT_CSV, false);
  const bills = report.ok ? report.bills : [];

  it('the shared rule already gives the legacy answer: Authorized hides the newer Not authorized', () => {
    const a = actualStatus(
      order,
      bills.filter((b) => b.orderNumber === 'A-1001'),
    );
    expect(a.actualBill?.billNumber).toBe('999999999999999');
    expect(a.status).toBe('paid');
    expect(a.anomalies).toEqual([]);
  });

  it('compares billnumbers as numbers (django-assist-ru sorted strings: 999… after 1000…)', () => {
    const older = foldRows([row('Authorized', 150_000, '999999999999999')], false);
    const newer = foldRows(
      [row('Authorized', 150_000, '1000000000000000'), row('Captured', 150_000, '1000000000000000')],
      false,
    );
    const a = actualStatus(order, [newer, older]);
    expect(a.actualBill?.billNumber).toBe('1000000000000000');
    expect(a.anomalies).toEqual([
      { kind: 'double_payment', billNumbers: ['1000000000000000', '999999999999999'] },
    ]);
    expect(['999999999999999', '1000000000000000'].sort()[1]).toBe('999999999999999');
  });

  it('ignores in process bills and keeps a refused refund paid', () => {
    const inProcess = foldRows([row('in process', 150_000, '2000000000000000')], false);
    const paid = foldRows(
      [row('Authorized', 150_000, '1500000000000000'), row('Not Refunded', 150_000, '1500000000000000')],
      false,
    );
    expect(actualStatus(order, [paid, inProcess])).toMatchObject({
      status: 'paid',
      actualBill: { billNumber: '1500000000000000' },
    });
    expect(actualStatus(order, [inProcess]).status).toBe('unpaid');
  });

  it('two Authorized bills are a double payment staff must see', () => {
    const one = foldRows([row('Authorized', 150_000, '11')], false);
    const two = foldRows([row('Authorized', 150_000, '12')], false);
    expect(actualStatus(order, [one, two]).anomalies).toContainEqual({
      kind: 'double_payment',
      billNumbers: ['12', '11'],
    });
  });
});
