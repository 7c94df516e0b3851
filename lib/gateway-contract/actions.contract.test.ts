import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AssistGateway, createAssistGateway, mergeBill, parseAssistConfig } from '@/lib/assist';
import { DEMO_MERCHANT } from '@/lib/sandbox/demo-merchant';
import { type SandboxServer, startSandboxServer } from '@/lib/sandbox/standalone';
import { paidBill } from '@/lib/sandbox/test-helpers';
import {
  BILL,
  CANCEL_FLAT_OK,
  CANCEL_NESTED_DECLINED,
  CANCEL_NESTED_IN_PROCESS,
  CANCEL_NESTED_OK,
  CHARGE_FLAT_DECLINED,
  CHARGE_FLAT_IN_PROCESS,
  CHARGE_FLAT_NO_RESULT,
  CHARGE_FLAT_OK,
  LEGACY_BARE_ERROR,
  LEGACY_ERROR_TEXT,
} from './fixtures/actions';

/**
 * The adapter's charge and cancel against (a) the sandbox in each reply variant and (b) a server replaying
 * replies shaped as public sources show them (fixtures/actions.ts names each source).
 */

function gatewayFor(server: string, protocol: 'current' | 'legacy' = 'current'): AssistGateway {
  const parsed = parseAssistConfig({
    ASSIST_MERCHANT_ID: DEMO_MERCHANT.merchantId,
    ASSIST_LOGIN: DEMO_MERCHANT.login,
    ASSIST_PASSWORD: DEMO_MERCHANT.password,
    ASSIST_SECRET: DEMO_MERCHANT.secret,
    ASSIST_SERVER: server,
    ASSIST_TEST_MODE: '1',
    ASSIST_TIMEOUT_MS: '3000',
    ASSIST_PROTOCOL: protocol,
  });
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  return createAssistGateway(parsed.config, { retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
}

describe('charge and cancel against replies shaped as public sources show them', () => {
  let server: Server;
  let answer = { status: 200, body: '' };
  let current: AssistGateway;
  let legacy: AssistGateway;
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(answer.status, { 'Content-Type': 'text/xml' }).end(answer.body));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    current = gatewayFor(url);
    legacy = gatewayFor(url, 'legacy');
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  const reply = (body: string) => {
    answer = { status: 200, body };
  };

  it('a flat <orders><order> charge (operationtype 200, extended billnumber) is a charge with its id', async () => {
    reply(CHARGE_FLAT_OK);
    const r = await current.charge({ billNumber: BILL });
    expect(r).toMatchObject({ ok: true, bill: { billNumber: BILL, status: 'paid', amountKopecks: 400 } });
    expect(r.ok && r.bill?.operations).toEqual([
      expect.objectContaining({
        operationId: `${BILL}.2`,
        kind: 'charge',
        outcome: 'success',
        amountKopecks: 400,
      }),
    ]);
  });

  it('a flat refund with the bill’s own billnumber succeeds without inventing an operation id', async () => {
    reply(CANCEL_FLAT_OK);
    const r = await current.cancel({ billNumber: BILL, reason: 'shop' });
    expect(r).toMatchObject({ ok: true, bill: { billNumber: BILL, status: 'refunded', operations: [] } });
  });

  it('a declined charge in a firstcode-0 reply is a failure with the code’s text', async () => {
    reply(CHARGE_FLAT_DECLINED);
    expect(await current.charge({ billNumber: BILL })).toEqual({
      ok: false,
      outcome: 'failed',
      error: {
        kind: 'declined',
        responseCode: 'AS102',
        text: { ru: 'Недостаточно средств', en: 'Insufficient funds' },
      },
    });
  });

  it('a nested refund operation is read; declined and In Process (AS300) are failed and pending', async () => {
    reply(CANCEL_NESTED_OK);
    const ok = await current.cancel({
      billNumber: BILL,
      reason: 'shop',
      amount: { kopecks: 100, currency: 'RUB' },
    });
    expect(ok.ok && ok.bill?.operations).toEqual([
      expect.objectContaining({
        operationId: `${BILL}.3`,
        kind: 'cancel',
        outcome: 'success',
        amountKopecks: 100,
      }),
    ]);
    reply(CANCEL_NESTED_DECLINED);
    expect(await current.cancel({ billNumber: BILL, reason: 'shop' })).toMatchObject({
      ok: false,
      outcome: 'failed',
      error: { kind: 'declined', responseCode: 'AS100' },
    });
    reply(CANCEL_NESTED_IN_PROCESS);
    expect(await current.cancel({ billNumber: BILL, reason: 'shop' })).toEqual({
      ok: false,
      outcome: 'pending',
      error: {
        kind: 'in_process',
        responseCode: 'AS300',
        text: { ru: 'Операция в процессе выполнения', en: 'Operation in progress' },
      },
    });
  });

  it('a flat charge answered AS300 is pending: only the responsecode says so', async () => {
    reply(CHARGE_FLAT_IN_PROCESS);
    expect(await current.charge({ billNumber: BILL })).toMatchObject({
      ok: false,
      outcome: 'pending',
      error: { kind: 'in_process', responseCode: 'AS300' },
    });
  });

  it('a reply naming no result for the operation is not understood: the outcome is unknown', async () => {
    reply(CHARGE_FLAT_NO_RESULT);
    expect(await current.charge({ billNumber: BILL })).toMatchObject({
      ok: false,
      outcome: 'unknown',
      error: { kind: 'malformed' },
    });
  });

  it('legacy: a bare ERROR: is success, text after it a typed refusal', async () => {
    reply(LEGACY_BARE_ERROR);
    expect(await legacy.charge({ billNumber: BILL })).toEqual({ ok: true, bill: null });
    expect(await legacy.cancel({ billNumber: BILL, reason: 'shop' })).toEqual({ ok: true, bill: null });
    reply(LEGACY_ERROR_TEXT);
    expect(await legacy.charge({ billNumber: BILL })).toMatchObject({
      ok: false,
      outcome: 'failed',
      error: { kind: 'gateway', text: { ru: 'Счет не найден' } },
    });
  });
});

describe('charge and cancel against the sandbox, in each reply variant', () => {
  let sandbox: SandboxServer;
  let clock = Date.now();
  let current: AssistGateway;
  let legacy: AssistGateway;
  beforeAll(async () => {
    sandbox = await startSandboxServer({
      dataDir: 'memory',
      now: () => new Date(clock),
      config: { faultsEnabled: true, notifyUrl: 'http://127.0.0.1:9/none' },
    });
    current = gatewayFor(sandbox.url);
    legacy = gatewayFor(sandbox.url, 'legacy');
  });
  afterAll(() => sandbox?.close());
  const arm = (service: 'charge' | 'cancel', mode: string, extra: Record<string, unknown> = {}) =>
    sandbox.gateway.armFault({ service, mode: mode as 'decline', ...extra });
  const held = async () => (await paidBill(sandbox.url, { Delay: '1' })).billnumber;

  for (const shape of ['documented', 'flat_reply', 'nested_reply'] as const) {
    it(`${shape}: a charge and a partial refund succeed with their operation ids`, async () => {
      const bill = await held();
      if (shape !== 'documented') {
        await arm('charge', shape);
        await arm('cancel', shape);
      }
      const charged = await current.charge({ billNumber: bill });
      expect(charged).toMatchObject({ ok: true, bill: { status: 'paid' } });
      expect(charged.ok && charged.bill?.operations.map((o) => [o.operationId, o.kind, o.outcome])).toEqual([
        [`${bill}.2`, 'charge', 'success'],
      ]);
      const refunded = await current.cancel({
        billNumber: bill,
        reason: 'shop',
        amount: { kopecks: 50_000, currency: 'RUB' },
      });
      expect(refunded).toMatchObject({ ok: true, bill: { status: 'partially_refunded' } });
      expect(refunded.ok && refunded.bill?.operations.map((o) => o.operationId)).toEqual([`${bill}.3`]);
    });

    it(`${shape}: a declined charge is a failure and the hold stays`, async () => {
      const bill = await held();
      if (shape !== 'documented') await arm('charge', shape);
      await arm('charge', 'decline', { responseCode: 'AS105' });
      expect(await current.charge({ billNumber: bill })).toMatchObject({
        ok: false,
        outcome: 'failed',
        error: { kind: 'declined', responseCode: 'AS105', text: { en: 'Limit exceeded' } },
      });
      const read = await current.bills({ billNumber: bill }, { since: new Date(clock - 86_400_000) });
      expect(read.ok && read.bills[0]?.status).toBe('held');
      expect(read.ok && read.bills[0]?.operations.map((o) => [o.kind, o.outcome, o.responseCode])).toEqual([
        ['payment', 'success', 'AS000'],
        ['charge', 'failed', 'AS105'],
      ]);
    });
  }

  it('a refund answered In Process is pending, blocks the money, and a later re-read settles it', async () => {
    const bill = await held();
    expect((await current.charge({ billNumber: bill })).ok).toBe(true);
    await arm('cancel', 'in_process', { delayMs: 60_000 });
    const refund = await current.cancel({
      billNumber: bill,
      reason: 'customer',
      amount: { kopecks: 40_000, currency: 'RUB' },
    });
    expect(refund).toMatchObject({
      ok: false,
      outcome: 'pending',
      error: { kind: 'in_process', responseCode: 'AS300' },
    });
    // While it runs the gateway refuses another change of the bill (12: object locked).
    expect(await current.cancel({ billNumber: bill, reason: 'shop' })).toMatchObject({
      ok: false,
      outcome: 'failed',
      error: { kind: 'gateway', firstCode: 12 },
    });
    const first = await current.bills({ billNumber: bill }, { since: new Date(clock - 86_400_000) });
    if (!first.ok) throw new Error(JSON.stringify(first.error));
    const pending = first.bills[0];
    expect(pending?.status).toBe('paid');
    expect(pending?.operations.find((o) => o.kind === 'cancel')).toMatchObject({
      operationId: `${bill}.3`,
      outcome: 'pending',
    });
    clock += 61_000;
    const later = await current.bills({ billNumber: bill }, { since: new Date(clock - 86_400_000) });
    if (!later.ok || !pending || !later.bills[0]) throw new Error('re-read failed');
    const merged = mergeBill(pending, later.bills[0]).bill;
    expect(merged.status).toBe('partially_refunded');
    expect(merged.operations.find((o) => o.operationId === `${bill}.3`)).toMatchObject({
      outcome: 'success',
      amountKopecks: 40_000,
    });
  });

  it('legacy: postauth and rvr answer a bare ERROR: on success and error text on a decline', async () => {
    const bill = await held();
    expect(await legacy.charge({ billNumber: bill })).toEqual({ ok: true, bill: null });
    await arm('cancel', 'decline');
    expect(await legacy.cancel({ billNumber: bill, reason: 'shop' })).toMatchObject({
      ok: false,
      outcome: 'failed',
      error: { kind: 'gateway', text: { en: 'Declined (AS100)' } },
    });
    expect(await legacy.cancel({ billNumber: bill, reason: 'shop' })).toEqual({ ok: true, bill: null });
  });
});
