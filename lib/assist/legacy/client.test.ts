import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ClientOptions } from '../gateway';
import { LEGACY_ERROR_REPLY, LEGACY_REPORT_CSV, POSTAUTH_ERROR, POSTAUTH_OK, RVR_OK } from './fixtures';
import { createLegacyGateway } from './gateway';
import { parseActionReply, parseItems } from './replies';

/** A stand-in legacy gateway: records each request and answers what the test queued. */
let server: Server;
let url: string;
const seen: Array<{ path: string; fields: URLSearchParams }> = [];
let answer: { status: number; body: string; delayMs?: number } = { status: 200, body: '' };
/** Answers used first, one per request, before `answer`. */
const queue: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString('utf8');
    });
    req.on('end', () => {
      seen.push({ path: req.url ?? '', fields: new URLSearchParams(body) });
      const queued = queue.shift();
      const { status, body: out, delayMs } = queued === undefined ? answer : { status: 200, body: queued };
      setTimeout(
        () => res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(out),
        delayMs ?? 0,
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  seen.length = 0;
});

const gw = (budget?: ClientOptions['reportBudget']) =>
  createLegacyGateway(
    {
      merchantId: '111111',
      login: 'shop',
      password: 'pw',
      secret: 'secret',
      testMode: false,
      server: url,
      formMode: 1,
      timeoutMs: 300,
      holdWarningDays: 14,
      protocol: 'legacy',
    },
    {
      retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
      now: () => new Date(Date.UTC(2010, 9, 10, 12, 0, 30)),
      reportBudget: budget,
    },
  );

describe('legacy web services', () => {
  it('report: POST results.cfm with Shop_ID, Login, PASSWORD, Header1=1 and the window', async () => {
    answer = { status: 200, body: LEGACY_REPORT_CSV };
    const r = await gw().report({
      from: new Date(Date.UTC(2010, 9, 1, 10, 0, 20)),
      to: new Date(Date.UTC(2010, 9, 2, 10, 0)),
    });
    expect(r.ok && r.bills).toHaveLength(5);
    expect(seen[0]?.path).toBe('/results/results.cfm');
    expect(Object.fromEntries(seen[0]?.fields ?? [])).toEqual({
      Shop_ID: '111111',
      Login: 'shop',
      PASSWORD: 'pw',
      Header1: '1',
      StartYear: '2010',
      StartMonth: '10',
      StartDay: '01',
      StartHour: '10',
      StartMin: '00',
      EndYear: '2010',
      EndMonth: '10',
      EndDay: '02',
      EndHour: '10',
      EndMin: '00',
    });
    const wide = await gw().report({ from: new Date(0), to: new Date(Date.UTC(2010, 0, 1)) });
    expect(wide).toMatchObject({ ok: false, error: { kind: 'invalid_request', field: 'window' } });
  });

  it('report: a refund whose payment row is older than the window is completed from the look-back', async () => {
    const lines = LEGACY_REPORT_CSV.split('\r\n');
    const lone = [lines[0], lines.find((l) => l.includes(';Refunded;'))].join('\r\n');
    queue.push(lone, LEGACY_REPORT_CSV);
    const r = await gw().report({ from: new Date(Date.UTC(2010, 9, 6)), to: new Date(Date.UTC(2010, 9, 7)) });
    expect(r.ok && r.bills.map((b) => [b.billNumber, b.status, b.amountKopecks])).toEqual([
      ['1000000000000200', 'partially_refunded', 10_000],
    ]);
    expect(seen).toHaveLength(2);
    expect(seen[1]?.fields.get('StartMonth')).toBe('09');
    // Nothing undecided: one request.
    queue.push(lines.slice(0, 2).join('\r\n'));
    await gw().report({ from: new Date(Date.UTC(2010, 9, 6)), to: new Date(Date.UTC(2010, 9, 7)) });
    expect(seen).toHaveLength(3);
  });

  it('bills: the report since the given moment, filtered to the order or bill', async () => {
    answer = { status: 200, body: LEGACY_REPORT_CSV };
    const byOrder = await gw().bills({ orderNumber: 'A-1001' }, { since: new Date(Date.UTC(2010, 8, 9)) });
    expect(byOrder.ok && byOrder.bills.map((b) => b.billNumber)).toEqual([
      '999999999999999',
      '1000000000000001',
    ]);
    expect(seen[0]?.fields.get('StartMonth')).toBe('09');
    const byBill = await gw().bills(
      { billNumber: '1000000000000200' },
      { since: new Date(Date.UTC(2010, 9, 5)) },
    );
    expect(byBill.ok && byBill.bills.map((b) => b.status)).toEqual(['partially_refunded']);
    expect(seen[1]?.fields.get('StartDay')).toBe('05');
  });

  it('claims the shared results.cfm budget once per call; a refused claim sends nothing', async () => {
    answer = { status: 200, body: LEGACY_REPORT_CSV };
    const claims: string[] = [];
    const refuse = gw(async () => {
      claims.push('refused');
      return { ok: false, retryAfterSeconds: 420 };
    });
    const since = { since: new Date(Date.UTC(2010, 8, 9)) };
    expect(await refuse.bills({ orderNumber: 'A-1001' }, since)).toEqual({
      ok: false,
      error: { kind: 'rate_limited', retryAfterSeconds: 420 },
    });
    expect(await refuse.report({ from: new Date(0), to: new Date(60_000) })).toMatchObject({
      error: { kind: 'rate_limited' },
    });
    expect(seen).toHaveLength(0);
    const allow = gw(async () => {
      claims.push('allowed');
      return { ok: true };
    });
    expect((await allow.bills({ orderNumber: 'A-1001' }, since)).ok).toBe(true);
    expect(claims).toEqual(['refused', 'refused', 'allowed']);
    expect(seen).toHaveLength(1);
  });

  it('reads retry on 5xx; ERROR replies are gateway errors and are not retried', async () => {
    answer = { status: 503, body: '' };
    expect(await gw().report({ from: new Date(0), to: new Date(60_000) })).toMatchObject({
      ok: false,
      error: { kind: 'http', status: 503 },
    });
    expect(seen).toHaveLength(2);
    answer = { status: 200, body: LEGACY_ERROR_REPLY };
    expect(await gw().report({ from: new Date(0), to: new Date(60_000) })).toMatchObject({
      ok: false,
      error: { kind: 'gateway', text: { ru: 'Неверный логин или пароль' } },
    });
    expect(seen).toHaveLength(3);
  });

  it('charge: postauth.cfm with Billnumber, Language, Format=1, S_FIELDS=*, Subtotal_P + Currency', async () => {
    answer = { status: 200, body: POSTAUTH_OK };
    const r = await gw().charge({
      billNumber: '1000000000000123',
      amount: { kopecks: 150_000, currency: 'RUB' },
    });
    expect(r).toMatchObject({
      ok: true,
      bill: {
        billNumber: '1000000000000123',
        rawStatus: 'Captured',
        operations: [{ kind: 'charge', amountKopecks: 150_000 }],
      },
    });
    expect(seen[0]?.path).toBe('/postauths/postauth.cfm');
    expect(Object.fromEntries(seen[0]?.fields ?? [])).toEqual({
      Shop_ID: '111111',
      Login: 'shop',
      PASSWORD: 'pw',
      Billnumber: '1000000000000123',
      Language: '0',
      Format: '1',
      S_FIELDS: '*',
      Subtotal_P: '1500.00',
      Currency: 'RUB',
    });
    answer = { status: 200, body: POSTAUTH_ERROR };
    expect(await gw().charge({ billNumber: '1000000000000123' })).toMatchObject({
      ok: false,
      outcome: 'failed',
      error: { kind: 'gateway', text: { en: 'Bill is not preauthorized' } },
    });
    expect(seen[1]?.fields.has('Subtotal_P')).toBe(false);
  });

  it('cancel: rvr.cfm with RVRReason and — unlike django-assist-ru — the amount actually sent', async () => {
    answer = { status: 200, body: RVR_OK };
    const r = await gw().cancel({
      billNumber: '1000000000000200',
      reason: 'fraud',
      amount: { kopecks: 3_000, currency: 'RUB' },
    });
    expect(r.ok && r.bill?.operations[0]).toMatchObject({
      kind: 'cancel',
      outcome: 'success',
      amountKopecks: 3_000,
    });
    expect(seen[0]?.path).toBe('/rvr/rvr.cfm');
    expect(seen[0]?.fields.get('RVRReason')).toBe('3');
    expect(seen[0]?.fields.get('Subtotal_P')).toBe('30.00');
    expect(seen[0]?.fields.get('Currency')).toBe('RUB');
  });

  it('never retries an action; after sending, a timeout, 5xx or garbage is an unknown outcome', async () => {
    answer = { status: 200, body: RVR_OK, delayMs: 600 };
    expect(await gw().cancel({ billNumber: '1000000000000200', reason: 'shop' })).toMatchObject({
      ok: false,
      outcome: 'unknown',
      error: { kind: 'timeout' },
    });
    answer = { status: 502, body: '' };
    expect(await gw().cancel({ billNumber: '1000000000000200', reason: 'shop' })).toMatchObject({
      outcome: 'unknown',
    });
    answer = { status: 200, body: '<html>Bad gateway</html>' };
    expect(await gw().charge({ billNumber: '1000000000000200' })).toMatchObject({
      outcome: 'unknown',
      error: { kind: 'malformed' },
    });
    answer = { status: 200, body: POSTAUTH_OK };
    expect(await gw().charge({ billNumber: '1000000000000999' })).toMatchObject({ outcome: 'unknown' });
    expect(seen).toHaveLength(4);
    expect(await gw().charge({ billNumber: '12ab' })).toMatchObject({
      outcome: 'failed',
      error: { kind: 'invalid_request' },
    });
    expect(
      await gw().cancel({ billNumber: '1', reason: 'shop', amount: { kopecks: 0, currency: 'RUB' } }),
    ).toMatchObject({
      outcome: 'failed',
    });
  });
});

describe('name:value reply lines', () => {
  it('splits on the first colon only and treats an empty ERROR as success', () => {
    const items = parseItems(POSTAUTH_OK);
    expect(items?.get('packetdate')).toBe('03.10.2010 12:00:00');
    expect(items?.get('error')).toBe('');
    expect(parseItems('')).toBeNull();
    expect(parseItems('no colon here')).toBeNull();
    expect(parseActionReply('ERROR:Нет такого счёта', '1', false)).toMatchObject({
      ok: false,
      refused: true,
    });
    // django-assist-ru (assist/api.py): the services answer only error text; a bare ERROR: is success.
    expect(parseActionReply('ERROR:\n', '1', false)).toEqual({ ok: true, bill: null });
    expect(parseActionReply('ERROR:Bill not found\n', '1', false)).toMatchObject({
      ok: false,
      refused: true,
      error: { kind: 'gateway', text: { en: 'Bill not found' } },
    });
    expect(parseActionReply('Billnumber:1;Status:Captured', '1', false)).toMatchObject({
      ok: false,
      refused: false,
      error: { kind: 'malformed', message: 'Order Number is empty' },
    });
  });
});
