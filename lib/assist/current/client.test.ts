import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkvalue } from '../checkvalue';
import type { AssistConfig } from '../config';
import { createServiceClient } from './client';
import {
  CHARGE_XML,
  ERROR_XML,
  FREQUENCY_XML,
  ORDERRESULT_XML,
  ORDERSTATE_XML,
  REPORT_CSV,
  XXE_XML,
} from './fixtures';

type Handler = (res: ServerResponse) => void;

let server: Server;
let baseUrl: string;
const requests: Array<{ path: string; fields: Record<string, string> }> = [];
let handlers: Handler[] = [];

function xml(body: string, status = 200): Handler {
  return (res) => {
    res.writeHead(status, { 'Content-Type': 'text/xml; charset=utf-8' });
    res.end(body);
  };
}

const hang: Handler = () => {};

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      requests.push({ path: req.url ?? '', fields: Object.fromEntries(new URLSearchParams(body)) });
      (handlers.shift() ?? xml('no handler', 500))(res);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
});

beforeEach(() => {
  requests.length = 0;
  handlers = [];
});

function config(patch: Partial<AssistConfig> = {}): AssistConfig {
  return {
    merchantId: '111111',
    login: 'shop',
    password: 'пароль',
    secret: null,
    testMode: true,
    server: baseUrl,
    formMode: 1,
    timeoutMs: 2000,
    holdWarningDays: 14,
    ...patch,
  };
}

const fast = { retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 } };
const now = () => new Date('2026-03-20T12:00:30Z');

const SINCE = { since: new Date('2026-01-01T00:00:00Z') };

describe('service client over real HTTP', () => {
  it('posts credentials and an explicit Format, and parses the reply', async () => {
    handlers = [xml(ORDERRESULT_XML)];
    const client = createServiceClient(config(), { ...fast, now: () => new Date('2026-01-02T10:20:30Z') });
    const r = await client.orderResult({ orderNumber: 'Заказ-77' }, SINCE);
    expect(r.ok && r.bills[0]?.operations).toHaveLength(2);
    expect(requests).toEqual([
      {
        path: '/orderresult/orderresult.cfm',
        fields: {
          Merchant_ID: '111111',
          Login: 'shop',
          Password: 'пароль',
          Format: '3',
          Ordernumber: 'Заказ-77',
          StartYear: '2026',
          StartMonth: '01',
          StartDay: '01',
          StartHour: '00',
          StartMin: '00',
          EndYear: '2026',
          EndMonth: '01',
          EndDay: '02',
          EndHour: '10',
          EndMin: '21',
        },
      },
    ]);
  });

  it('sends a Start/End window for bills older than the default look-back', async () => {
    handlers = [xml(ORDERSTATE_XML)];
    const client = createServiceClient(config(), { ...fast, now });
    const r = await client.orderState(
      { billNumber: '5960911012345678' },
      { since: new Date('2026-01-05T07:08:59Z') },
    );
    expect(r.ok && r.bills).toHaveLength(2);
    expect(requests[0]?.path).toBe('/orderstate/orderstate.cfm');
    expect(requests[0]?.fields).toMatchObject({
      Billnumber: '5960911012345678',
      StartYear: '2026',
      StartMonth: '01',
      StartDay: '05',
      StartHour: '07',
      StartMin: '08',
      EndYear: '2026',
      EndMonth: '03',
      EndDay: '20',
      EndHour: '12',
      EndMin: '01',
    });
  });

  it('asks the report by operation end and refuses a window of a day or more without calling', async () => {
    const client = createServiceClient(config(), fast);
    // The End minute is included: 00:00 to 23:59 already covers a whole day, which ASSIST may treat as
    // too long and silently replace by the last 3 hours.
    for (const to of ['2026-03-02T00:01Z', '2026-03-02T00:00Z', '2026-03-01T23:59Z']) {
      const wide = await client.resultByDate({ from: new Date('2026-03-01T00:00Z'), to: new Date(to) });
      expect(wide).toMatchObject({ ok: false, error: { kind: 'invalid_request', field: 'window' } });
    }
    const backwards = await client.resultByDate({
      from: new Date('2026-03-02T00:00Z'),
      to: new Date('2026-03-01T00:00Z'),
    });
    expect(backwards.ok).toBe(false);
    expect(requests).toEqual([]);

    handlers = [xml(ORDERRESULT_XML)];
    const r = await client.resultByDate({
      from: new Date('2026-03-01T00:00Z'),
      to: new Date('2026-03-01T23:58Z'),
    });
    expect(r.ok).toBe(true);
    expect(requests[0]?.path).toBe('/resultbydate/resultbydate.cfm');
    expect(requests[0]?.fields).toMatchObject({
      Format: '3',
      DateTimeMode: '2',
      StartDay: '01',
      EndDay: '01',
      EndHour: '23',
      EndMin: '58',
    });
  });

  it('reads the CSV report with Format=1', async () => {
    handlers = [
      (res) => {
        res.writeHead(200, { 'Content-Type': 'text/csv; charset=utf-8' });
        res.end(REPORT_CSV);
      },
    ];
    const client = createServiceClient(config(), { ...fast, reportFormat: 'csv' });
    const r = await client.resultByDate({
      from: new Date('2026-03-01T00:00Z'),
      to: new Date('2026-03-01T01:00Z'),
    });
    expect(requests[0]?.fields.Format).toBe('1');
    expect(r.ok && r.bills.map((b) => b.status)).toEqual(['partially_refunded', 'declined']);
  });

  it('reads a report as it arrives, cut inside a tag and inside a character, in the charset the header names', async () => {
    const bytes = iconv.encode(ORDERRESULT_XML, 'win1251');
    const utf8 = Buffer.from(ORDERRESULT_XML);
    const inTag = utf8.indexOf('<operationtype>') + 5;
    const inChar = utf8.indexOf('Успешно') + 1;
    handlers = [
      (res) => {
        res.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8' });
        res.write(utf8.subarray(0, inTag));
        res.write(utf8.subarray(inTag, inChar));
        setTimeout(() => res.end(utf8.subarray(inChar)), 20);
      },
      (res) => {
        res.writeHead(200, { 'Content-Type': 'text/xml; charset=windows-1251' });
        res.end(bytes);
      },
    ];
    const client = createServiceClient(config(), { ...fast, now });
    for (let i = 0; i < 2; i++) {
      const r = await client.orderResult({ billNumber: '5960911012345801' }, SINCE);
      expect(r.ok && r.bills[0]?.operations.map((o) => o.message)).toEqual(['Успешно', null]);
    }
  });

  it('a reply that stalls half-way times out; one refused early is not read to its end', async () => {
    handlers = [
      (res) => {
        res.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8' });
        res.write('<result firstcode="0" secondcode="0"><order>');
      },
    ];
    const stalled = await createServiceClient(config({ timeoutMs: 150 }), {
      retry: { attempts: 1, baseDelayMs: 5, maxDelayMs: 5 },
    }).orderState({ orderNumber: 'A' }, SINCE);
    expect(stalled).toEqual({ ok: false, error: { kind: 'timeout', timeoutMs: 150 } });
    handlers = [
      (res) => {
        res.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8' });
        // The rest never comes: the refusal must not wait for it.
        res.write('<result firstcode="0" secondcode="0"><transaction>');
      },
    ];
    const refused = await createServiceClient(config({ timeoutMs: 1500 }), fast).orderState(
      { orderNumber: 'A' },
      SINCE,
    );
    expect(refused).toEqual({
      ok: false,
      error: { kind: 'malformed', message: 'unknown element <result><transaction>' },
    });
  });

  it('retries a read after 5xx and after "frequency exceeded"', async () => {
    handlers = [xml('<html>Service Unavailable</html>', 503), xml(FREQUENCY_XML), xml(ORDERSTATE_XML)];
    const r = await createServiceClient(config(), fast).orderState({ orderNumber: 'A-1001' }, SINCE);
    expect(r.ok).toBe(true);
    expect(requests).toHaveLength(3);
  });

  it('gives up after the configured attempts', async () => {
    handlers = [xml('', 502), xml('', 502), xml('', 502), xml(ORDERSTATE_XML)];
    const r = await createServiceClient(config(), fast).orderState({ orderNumber: 'A-1001' }, SINCE);
    expect(r).toEqual({ ok: false, error: { kind: 'http', status: 502 } });
    expect(requests).toHaveLength(3);
  });

  it('does not retry business errors, 4xx or garbage', async () => {
    handlers = [xml(ERROR_XML)];
    const client = createServiceClient(config(), fast);
    expect(await client.orderState({ orderNumber: 'A' }, SINCE)).toMatchObject({
      ok: false,
      error: { kind: 'gateway', firstCode: 5, secondCode: 108, text: { en: 'Bad parameter value: AMOUNT' } },
    });
    handlers = [xml('forbidden', 403)];
    expect(await client.orderState({ orderNumber: 'A' }, SINCE)).toEqual({
      ok: false,
      error: { kind: 'http', status: 403 },
    });
    handlers = [xml('\u0000\u0001 garbage <<<')];
    expect(await client.orderState({ orderNumber: 'A' }, SINCE)).toMatchObject({
      ok: false,
      error: { kind: 'malformed' },
    });
    expect(requests).toHaveLength(3);
  });

  it('refuses a reply whose DTD declares an external entity', async () => {
    handlers = [xml(XXE_XML)];
    const r = await createServiceClient(config(), fast).orderState({ orderNumber: 'A' }, SINCE);
    expect(r).toEqual({
      ok: false,
      error: { kind: 'malformed', message: 'reference to an undeclared entity' },
    });
  });

  it('times out a read, retrying it', async () => {
    handlers = [hang, hang];
    const started = Date.now();
    const r = await createServiceClient(config({ timeoutMs: 150 }), {
      retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 5 },
    }).orderState({ orderNumber: 'A' }, SINCE);
    expect(r).toEqual({ ok: false, error: { kind: 'timeout', timeoutMs: 150 } });
    expect(requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('charges in part and returns the bill', async () => {
    handlers = [xml(CHARGE_XML)];
    const r = await createServiceClient(config(), fast).charge({
      billNumber: '5960911012345900',
      amount: { kopecks: 15000, currency: 'RUB' },
    });
    expect(r.ok && r.bill?.status).toBe('partially_charged');
    expect(requests[0]).toEqual({
      path: '/charge/charge.cfm',
      fields: {
        Merchant_ID: '111111',
        Login: 'shop',
        Password: 'пароль',
        Format: '3',
        Billnumber: '5960911012345900',
        Amount: '150.00',
        Currency: 'RUB',
      },
    });
  });

  it('never retries a charge: a timeout after sending is an unknown outcome', async () => {
    handlers = [hang, xml(CHARGE_XML)];
    const r = await createServiceClient(config({ timeoutMs: 150 }), fast).charge({
      billNumber: '5960911012345900',
    });
    expect(r).toEqual({ ok: false, outcome: 'unknown', error: { kind: 'timeout', timeoutMs: 150 } });
    expect(requests).toHaveLength(1);
  });

  it('5xx or an unreadable reply to a charge is unknown; a gateway error is a definite failure', async () => {
    const client = createServiceClient(config(), fast);
    handlers = [xml('oops', 500)];
    expect(await client.charge({ billNumber: '1' })).toMatchObject({ ok: false, outcome: 'unknown' });
    handlers = [xml('garbage')];
    expect(await client.charge({ billNumber: '1' })).toMatchObject({
      ok: false,
      outcome: 'unknown',
      error: { kind: 'malformed' },
    });
    handlers = [xml(ERROR_XML)];
    expect(await client.charge({ billNumber: '1' })).toMatchObject({
      ok: false,
      outcome: 'failed',
      error: { kind: 'gateway' },
    });
    expect(requests).toHaveLength(3);
  });

  it('a refused connection is a definite failure: nothing was sent', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, 'close');
    const r = await createServiceClient(config({ server: `http://127.0.0.1:${port}` }), fast).cancel({
      billNumber: '1',
      reason: 'shop',
    });
    expect(r).toMatchObject({ ok: false, outcome: 'failed', error: { kind: 'network', sent: false } });
  });

  it('cancels in part with a reason, and validates before sending', async () => {
    handlers = [xml(ORDERRESULT_XML)];
    const client = createServiceClient(config(), fast);
    const r = await client.cancel({
      billNumber: '5960911012345801',
      amount: { kopecks: 3000, currency: 'RUB' },
      reason: 'customer',
    });
    expect(r.ok && r.bill?.status).toBe('partially_refunded');
    expect(requests[0]?.path).toBe('/cancel/wscancel.cfm');
    expect(requests[0]?.fields).toMatchObject({
      Billnumber: '5960911012345801',
      Amount: '30.00',
      Currency: 'RUB',
      CancelReason: '2',
    });
    expect(
      await client.cancel({
        billNumber: '1',
        amount: { kopecks: 0.1 + 0.2, currency: 'RUB' },
        reason: 'fraud',
      }),
    ).toMatchObject({
      ok: false,
      outcome: 'failed',
      error: { kind: 'invalid_request', field: 'amount.kopecks' },
    });
    expect(await client.charge({ billNumber: '12a' })).toMatchObject({
      ok: false,
      outcome: 'failed',
      error: { field: 'billNumber' },
    });
    expect(requests).toHaveLength(1);
  });

  it('with a secret, checks the checkvalue carried by reply records', async () => {
    const signed = checkvalue('secret', '111111A-10011500.00RUBApproved');
    const reply = (cv: string) =>
      `<result firstcode="0" secondcode="0"><order><ordernumber>A-1001</ordernumber><billnumber>5960911012345678</billnumber>` +
      `<orderamount>1500.00</orderamount><ordercurrency>RUB</ordercurrency><orderstate>Approved</orderstate>` +
      `<packetdate>27.09.2016 23:24</packetdate><checkvalue>${cv}</checkvalue></order></result>`;
    const client = createServiceClient(config({ secret: 'secret' }), fast);
    handlers = [xml(reply(signed))];
    expect(await client.orderState({ orderNumber: 'A-1001' }, SINCE)).toMatchObject({
      ok: true,
      bills: [{ status: 'paid' }],
    });
    handlers = [xml(reply(signed).replace('1500.00', '15.00'))];
    expect(await client.orderState({ orderNumber: 'A-1001' }, SINCE)).toEqual({
      ok: false,
      error: { kind: 'malformed', message: 'record 1: checkvalue does not match for bill 5960911012345678' },
    });
  });
});
