import { describe, expect, it } from 'vitest';
import { type BillForActions, billActions, checkActionAmount } from './bill-actions';
import type { GatewayOperation, OperationKind } from './types';

const now = new Date('2026-03-20T12:00:00Z');

function op(
  n: number,
  kind: OperationKind,
  amountKopecks: number,
  outcome: GatewayOperation['outcome'] = 'success',
) {
  return {
    operationId: `5960911000000001.${n}`,
    kind,
    rawKind: kind === 'payment' ? '100' : kind === 'charge' ? '200' : '300',
    outcome,
    rawOutcome: outcome,
    amountKopecks,
    currency: 'RUB',
    at: now,
    responseCode: 'AS000',
    message: null,
    maskedCard: null,
    approvalCode: null,
  } satisfies GatewayOperation;
}

function actions(
  bill: BillForActions,
  inFlight: { kind: 'charge' | 'cancel'; amountKopecks: number }[] = [],
  heldSince: Date | null = null,
) {
  return billActions({ bill, inFlight, heldSince, now, holdWarningDays: 14 });
}

describe('billActions', () => {
  const held: BillForActions = {
    status: 'held',
    amountKopecks: 10000,
    operations: [op(1, 'payment', 10000)],
  };

  it('allows a full or partial charge of a hold, and its release', () => {
    const a = actions(held);
    expect(a.charge).toEqual({ allowed: true, maxKopecks: 10000 });
    expect(a.cancel).toEqual({ allowed: true, maxKopecks: 10000 });
    expect(checkActionAmount(a.charge, 4000)).toEqual({ ok: true });
    expect(checkActionAmount(a.charge, 10001)).toEqual({ ok: false, error: 'amount_exceeds_limit' });
    expect(checkActionAmount(a.charge, 0)).toEqual({ ok: false, error: 'amount_invalid' });
  });

  it('charges only from held, and only once', () => {
    expect(actions({ ...held, status: 'paid' }).charge).toEqual({ allowed: false, reason: 'not_held' });
    const partly: BillForActions = {
      status: 'partially_charged',
      amountKopecks: 10000,
      operations: [op(1, 'payment', 10000), op(2, 'charge', 4000)],
    };
    expect(actions(partly).charge).toEqual({ allowed: false, reason: 'not_held' });
    expect(actions({ ...held, operations: [...held.operations, op(2, 'charge', 4000)] }).charge).toEqual({
      allowed: false,
      reason: 'already_charged',
    });
    expect(actions(partly).cancel).toEqual({ allowed: true, maxKopecks: 4000 });
  });

  it('refunds up to charged minus already returned', () => {
    const paid: BillForActions = {
      status: 'paid',
      amountKopecks: 10000,
      operations: [op(1, 'payment', 10000)],
    };
    expect(actions(paid).cancel).toEqual({ allowed: true, maxKopecks: 10000 });
    const partRefund: BillForActions = {
      status: 'partially_refunded',
      amountKopecks: 10000,
      operations: [op(1, 'payment', 10000), op(2, 'cancel', 3000), op(3, 'cancel', 500, 'failed')],
    };
    expect(actions(partRefund).cancel).toEqual({ allowed: true, maxKopecks: 7000 });
    const full: BillForActions = {
      ...partRefund,
      status: 'refunded',
      operations: [...partRefund.operations, op(4, 'cancel', 7000)],
    };
    expect(actions(full).cancel).toEqual({ allowed: false, reason: 'nothing_left' });
  });

  it('counts in-flight actions', () => {
    const paid: BillForActions = {
      status: 'paid',
      amountKopecks: 10000,
      operations: [op(1, 'payment', 10000)],
    };
    expect(actions(paid, [{ kind: 'cancel', amountKopecks: 6000 }]).cancel).toEqual({
      allowed: true,
      maxKopecks: 4000,
    });
    expect(actions(paid, [{ kind: 'cancel', amountKopecks: 10000 }]).cancel).toEqual({
      allowed: false,
      reason: 'nothing_left',
    });
    expect(actions(held, [{ kind: 'charge', amountKopecks: 10000 }]).charge).toEqual({
      allowed: false,
      reason: 'action_in_flight',
    });
  });

  it('refuses to guess when the charged part is unknown', () => {
    expect(actions({ status: 'partially_charged', amountKopecks: 10000, operations: [] }).cancel).toEqual({
      allowed: false,
      reason: 'amount_unknown',
    });
  });

  it('nothing can be done to declined, expired or in-process bills', () => {
    for (const status of ['declined', 'expired', 'in_process', 'unknown'] as const) {
      const a = actions({ status, amountKopecks: 10000, operations: [] });
      expect(a.charge.allowed).toBe(false);
      expect(a.cancel.allowed).toBe(false);
    }
  });

  it('warns about an old hold but still allows the charge', () => {
    const a = actions(held, [], new Date('2026-03-01T12:00:00Z'));
    expect(a.charge.allowed).toBe(true);
    expect(a.warnings).toEqual([
      { kind: 'hold_aging', heldSince: new Date('2026-03-01T12:00:00Z'), ageDays: 19 },
    ]);
    expect(actions(held, [], new Date('2026-03-15T12:00:00Z')).warnings).toEqual([]);
  });
});

describe('operations still in process at the bank', () => {
  const paid = (operations: GatewayOperation[]): BillForActions => ({
    status: 'paid',
    amountKopecks: 10000,
    operations: [op(1, 'payment', 10000), ...operations],
  });

  it('a refund in process takes its money until it ends', () => {
    expect(actions(paid([op(2, 'cancel', 4000, 'pending')])).cancel).toEqual({
      allowed: true,
      maxKopecks: 6000,
    });
    expect(actions(paid([op(2, 'cancel', 10000, 'pending')])).cancel).toEqual({
      allowed: false,
      reason: 'nothing_left',
    });
  });

  it('one that settled as a later operation of its kind and amount no longer counts', () => {
    const settled = paid([op(2, 'cancel', 4000, 'pending'), op(3, 'cancel', 4000)]);
    expect(actions(settled).cancel).toEqual({ allowed: true, maxKopecks: 6000 });
    const failed = paid([op(2, 'cancel', 4000, 'pending'), op(3, 'cancel', 4000, 'failed')]);
    expect(actions(failed).cancel).toEqual({ allowed: true, maxKopecks: 10000 });
  });

  it('a charge in process blocks charging and refunding the hold', () => {
    const held: BillForActions = {
      status: 'held',
      amountKopecks: 10000,
      operations: [op(1, 'payment', 10000), op(2, 'charge', 10000, 'pending')],
    };
    expect(actions(held).charge).toEqual({ allowed: false, reason: 'action_in_flight' });
    expect(actions(held).cancel).toEqual({ allowed: false, reason: 'action_in_flight' });
  });
});
