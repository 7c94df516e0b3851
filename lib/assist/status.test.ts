import { describe, expect, it } from 'vitest';
import { mapOperationState, mapOperationType, mapOrderState, statusRank } from './status';
import { PAYMENT_STATUSES } from './types';

describe('status mapping', () => {
  it('maps every documented order state', () => {
    expect(mapOrderState('In Process')).toBe('in_process');
    expect(mapOrderState('Delayed')).toBe('held');
    expect(mapOrderState('Approved')).toBe('paid');
    expect(mapOrderState('PartialApproved')).toBe('partially_charged');
    expect(mapOrderState('PartialDelayed')).toBe('partially_charged');
    expect(mapOrderState('Canceled')).toBe('refunded');
    expect(mapOrderState('PartialCanceled')).toBe('partially_refunded');
    expect(mapOrderState('Declined')).toBe('declined');
    expect(mapOrderState('Timeout')).toBe('expired');
  });

  it('tolerates padding and case, and never drops an unknown state', () => {
    expect(mapOrderState('  approved ')).toBe('paid');
    expect(mapOrderState('Refunded Twice')).toBe('unknown');
    expect(mapOrderState('')).toBe('unknown');
  });

  it('maps operation types and states', () => {
    expect(mapOperationType('100')).toBe('payment');
    expect(mapOperationType(' 200 ')).toBe('charge');
    expect(mapOperationType('300')).toBe('cancel');
    expect(mapOperationType('400')).toBe('unknown');
    expect(mapOperationState('Success')).toBe('success');
    expect(mapOperationState('S')).toBe('success');
    expect(mapOperationState('In Process')).toBe('pending');
    expect(mapOperationState('Declined')).toBe('failed');
    expect(mapOperationState('Timeout')).toBe('failed');
    expect(mapOperationState('Whatever')).toBeNull();
  });

  it('maps the same way however many spellings it has seen, null results included', () => {
    for (let i = 0; i < 100; i++) {
      expect(mapOrderState(`Unknown-${i}`)).toBe('unknown');
      expect(mapOperationState(`Whatever-${i}`)).toBeNull();
    }
    for (let i = 0; i < 3; i++) {
      expect(mapOrderState(' APPROVED')).toBe('paid');
      expect(mapOrderState('Unknown-1')).toBe('unknown');
      expect(mapOperationState('Whatever-1')).toBeNull();
      expect(mapOperationState('success')).toBe('success');
    }
  });

  it('ranks the lifecycle forward', () => {
    for (const s of PAYMENT_STATUSES) expect(statusRank(s)).toBeGreaterThanOrEqual(0);
    expect(statusRank('in_process')).toBeLessThan(statusRank('held'));
    expect(statusRank('held')).toBeLessThan(statusRank('paid'));
    expect(statusRank('held')).toBeLessThan(statusRank('partially_charged'));
    expect(statusRank('paid')).toBeLessThan(statusRank('partially_refunded'));
    expect(statusRank('partially_refunded')).toBeLessThan(statusRank('refunded'));
    expect(statusRank('declined')).toBeLessThan(statusRank('paid'));
  });
});
