import { describe, expect, it } from 'vitest';
import { parseRefreshCount, parseReturnResult, RETURN_MAX_REFRESHES, returnView } from './order-check';

const now = new Date('2026-11-27T12:00:00Z');
const order = (paymentStatus: string, extra: { status?: string; expiresAt?: Date } = {}) => ({
  status: extra.status ?? 'new',
  paymentStatus,
  expiresAt: extra.expiresAt ?? new Date(now.getTime() + 3_600_000),
});

describe('returnView', () => {
  it('shows money that moved as confirmed, whatever the browser brought back', () => {
    for (const s of ['paid', 'held', 'partially_charged', 'refunded', 'partially_refunded']) {
      expect(returnView('no', order(s), 0, now)).toEqual({
        stage: 'confirmed',
        pending: false,
        refresh: false,
      });
      expect(returnView('ok', order(s), 0, now).stage).toBe('confirmed');
    }
  });

  it('after "ok" keeps waiting, even past an earlier declined attempt, then stops refreshing', () => {
    expect(returnView('ok', order('unpaid'), 0, now)).toEqual({
      stage: 'waiting',
      pending: true,
      refresh: true,
    });
    expect(returnView('ok', order('declined'), 3, now)).toEqual({
      stage: 'waiting',
      pending: true,
      refresh: true,
    });
    expect(returnView('ok', order('in_process'), RETURN_MAX_REFRESHES, now)).toEqual({
      stage: 'slow',
      pending: true,
      refresh: false,
    });
  });

  it('after "no" waits only until the attempt is recorded', () => {
    expect(returnView('no', order('unpaid'), 0, now)).toEqual({
      stage: 'failed',
      pending: true,
      refresh: true,
    });
    expect(returnView('no', order('declined'), 0, now)).toEqual({
      stage: 'failed',
      pending: false,
      refresh: false,
    });
    expect(returnView('no', order('unpaid'), RETURN_MAX_REFRESHES, now).refresh).toBe(false);
  });

  it('does not wait on an order that can no longer be paid', () => {
    const expired = order('unpaid', { expiresAt: new Date(now.getTime() - 1) });
    expect(returnView('ok', expired, 0, now)).toEqual({ stage: 'failed', pending: false, refresh: false });
    expect(returnView('ok', order('unpaid', { status: 'cancelled' }), 0, now).refresh).toBe(false);
  });
});

describe('return page parameters', () => {
  it('trusts nothing: anything but "ok" reads as "no", counts are small integers', () => {
    expect(parseReturnResult('ok')).toBe('ok');
    expect(parseReturnResult(['ok'])).toBe('no');
    expect(parseReturnResult(undefined)).toBe('no');
    expect(parseRefreshCount('3')).toBe(3);
    expect(parseRefreshCount('99999')).toBe(0);
    expect(parseRefreshCount('500')).toBe(RETURN_MAX_REFRESHES);
    expect(parseRefreshCount('-1')).toBe(0);
  });
});
