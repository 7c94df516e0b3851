import { describe, expect, it } from 'vitest';
import type { BillActions } from '@/lib/assist';
import { checkBillAction } from './admin-action-outcomes';

const held: BillActions = {
  charge: { allowed: true, maxKopecks: 100_00 },
  cancel: { allowed: true, maxKopecks: 100_00 },
  warnings: [],
};

describe('checkBillAction', () => {
  it('takes the whole amount or a part up to what the bill allows', () => {
    expect(checkBillAction(held, { kind: 'charge', amountKopecks: null, reason: null }, 'RUB')).toEqual({
      ok: true,
      maxKopecks: 100_00,
    });
    expect(checkBillAction(held, { kind: 'charge', amountKopecks: 40_00, reason: null }, 'RUB').ok).toBe(
      true,
    );
    expect(checkBillAction(held, { kind: 'charge', amountKopecks: 100_01, reason: null }, 'RUB')).toEqual({
      ok: false,
      error: { kind: 'amount_exceeds_limit', maxKopecks: 100_00, currency: 'RUB' },
    });
    expect(checkBillAction(held, { kind: 'charge', amountKopecks: 0, reason: null }, 'RUB')).toEqual({
      ok: false,
      error: { kind: 'amount_invalid' },
    });
  });

  it('asks a cancel for its reason, and names the refusal of a blocked bill', () => {
    expect(checkBillAction(held, { kind: 'cancel', amountKopecks: null, reason: null }, 'RUB')).toEqual({
      ok: false,
      error: { kind: 'reason_required' },
    });
    const running: BillActions = { ...held, cancel: { allowed: false, reason: 'action_in_flight' } };
    expect(checkBillAction(running, { kind: 'cancel', amountKopecks: 10_00, reason: 'shop' }, 'RUB')).toEqual(
      {
        ok: false,
        error: { kind: 'not_allowed', reason: 'action_in_flight' },
      },
    );
  });
});
