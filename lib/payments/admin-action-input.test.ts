import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessResult } from '@/lib/admin/auth';
import type { AssistGateway } from '@/lib/assist';
import { createTestDatabase, type TestDatabase } from '@/lib/db/testing';
import {
  type ActionDeps,
  billActionPanel,
  parseIntent,
  parseRoubles,
  submitBillAction,
  submitRecheck,
} from './admin-action-input';
import { adminActions } from './admin-actions-schema';
import { assistBills } from './schema';

let database: TestDatabase;
let calls = 0;
const untouchable = new Proxy({} as AssistGateway, {
  get() {
    calls++;
    throw new Error('the gateway must not be reached');
  },
});

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.close();
});

function deps(access: AccessResult): ActionDeps {
  return { db: database.db, gateway: untouchable, access, holdWarningDays: 14, testPaymentsCount: true };
}

const form = {
  billNumber: '1000000000000001',
  kind: 'cancel',
  scope: 'partial',
  amount: '1 500,50',
  reason: 'customer',
  comment: 'asked by phone',
  idempotencyKey: 'abcdefghijklmnop1234',
  confirm: '1',
};

describe('bill action forms on the server', () => {
  it('refuse a viewer (and a signed-out browser) before reading any field', async () => {
    const viewer: AccessResult = { ok: false, error: 'forbidden' };
    expect(await submitBillAction(deps(viewer), form)).toEqual({ kind: 'forbidden' });
    expect(await submitRecheck(deps(viewer), { billNumber: form.billNumber, actionId: '1' })).toEqual({
      kind: 'forbidden',
    });
    expect(await submitBillAction(deps({ ok: false, error: 'signed_out' }), form)).toEqual({
      kind: 'signed_out',
    });
    expect(await database.db.select().from(adminActions)).toHaveLength(0);
    expect(calls).toBe(0);
  });

  it('validate every field with zod', async () => {
    const admin: AccessResult = { ok: true, staff: { id: 1, email: 'a@shop.test', role: 'admin' } };
    expect(await submitBillAction(deps(admin), { ...form, amount: '15,555' })).toEqual({
      kind: 'invalid',
      field: 'amount',
    });
    expect(await submitBillAction(deps(admin), { ...form, reason: '' })).toEqual({
      kind: 'invalid',
      field: 'reason',
    });
    expect(await submitBillAction(deps(admin), { ...form, confirm: '0' })).toEqual({
      kind: 'invalid',
      field: 'form',
    });
    expect(await submitBillAction(deps(admin), { ...form, billNumber: '1; drop' })).toEqual({
      kind: 'invalid',
      field: 'form',
    });
    expect(calls).toBe(0);
    expect(parseIntent(form)).toEqual({
      ok: true,
      intent: {
        billNumber: form.billNumber,
        kind: 'cancel',
        amountKopecks: 150_050,
        reason: 'customer',
        comment: 'asked by phone',
      },
    });
    expect(parseIntent({ ...form, kind: 'charge', scope: 'full', reason: 'fraud' })).toMatchObject({
      ok: true,
      intent: { kind: 'charge', amountKopecks: null, reason: null },
    });
  });

  it('parse admin-typed roubles without floats', () => {
    expect(parseRoubles('1 500,50')).toBe(150_050);
    expect(parseRoubles('1\u00a0500.5')).toBe(150_050);
    expect(parseRoubles('0,01')).toBe(1);
    expect(parseRoubles('0')).toBeNull();
    expect(parseRoubles('-5')).toBeNull();
    expect(parseRoubles('1e3')).toBeNull();
    expect(parseRoubles('')).toBeNull();
  });

  it('check the confirm step by the rules the action applies', async () => {
    const billNumber = '1000000000000077';
    await database.db.insert(assistBills).values({
      billNumber,
      orderNumber: 'A-77',
      rawStatus: 'Delayed',
      status: 'held',
      amountKopecks: 500_00,
      currency: 'RUB',
      heldSince: new Date(),
    });
    const panel = (confirm: Record<string, unknown> | null) =>
      billActionPanel(database.db, { billNumber, holdWarningDays: 14, confirm });
    expect(
      await billActionPanel(database.db, { billNumber: '9', holdWarningDays: 14, confirm: null }),
    ).toBeNull();
    expect(await panel(null)).toMatchObject({
      actions: { charge: { allowed: true, maxKopecks: 500_00 } },
      unfinished: null,
      confirm: null,
    });
    const charge = { kind: 'charge', scope: 'partial' };
    expect((await panel({ ...charge, amount: '200' }))?.confirm).toMatchObject({
      ok: true,
      intent: { kind: 'charge', amountKopecks: 200_00 },
      maxKopecks: 500_00,
    });
    expect((await panel({ ...charge, amount: '500,01' }))?.confirm).toEqual({
      ok: false,
      error: { kind: 'amount_exceeds_limit', maxKopecks: 500_00, currency: 'RUB' },
    });
    expect((await panel({ ...charge, amount: 'lots' }))?.confirm).toEqual({
      ok: false,
      error: { kind: 'invalid', field: 'amount' },
    });
    expect(calls).toBe(0);
  });
});
