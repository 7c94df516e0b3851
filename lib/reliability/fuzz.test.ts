import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AssistGateway, createAssistGateway, parseAssistConfig } from '@/lib/assist';
import { parseCsvReply } from '@/lib/assist/csv';
import { billsFromCsv, billsFromXml } from '@/lib/assist/current/replies';
import { parseXmlReply } from '@/lib/assist/current/xml';
import { cartItems, carts, orders, products } from '@/lib/db/schema';
import { createTestDatabase, type TestDatabase } from '@/lib/db/testing';
import { handleNotification, MAX_NOTIFICATION_BYTES, readLimitedBody } from '@/lib/payments/notifications';
import { leases } from '@/lib/payments/schema';
import { runSync } from '@/lib/payments/sync';
import { DEMO_MERCHANT } from '@/lib/sandbox/demo-merchant';
import { isCp1251Safe, parseCustomer } from '@/lib/shop/customer';
import { createOrderFromCart } from '@/lib/shop/orders';
import { signedNotification } from '@/lib/testing/payments-harness';
import { engines, type RowCounts, rowCounts } from './support';

/** Fixed, so that a failure is the same failure on every machine; fast-check prints it with the path. */
const SEED = 20_261_127;
const MB = 1024 * 1024;

const HUGE = 'Я'.repeat(MB);
const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE result [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<result firstcode="0" secondcode="0"><order><billnumber>1795823758676916</billnumber><ordernumber>&lol9;</ordernumber><orderstate>Approved</orderstate><orderamount>1.00</orderamount><ordercurrency>RUB</ordercurrency></order></result>`;
const XXE = `<?xml version="1.0"?>
<!DOCTYPE result [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<result firstcode="0" secondcode="0"><order><billnumber>1795823758676916</billnumber><ordernumber>&xxe;</ordernumber><orderstate>Approved</orderstate><orderamount>1.00</orderamount><ordercurrency>RUB</ordercurrency></order></result>`;
const ENTITY_OUTSIDE = `<!ENTITY a "b"><result firstcode="0" secondcode="0"/>`;
const PARAMETER_ENTITY = `<!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:1/x.dtd"> %p;]><result firstcode="0" secondcode="0"/>`;

/** Strings that have broken real systems: injection, markup, control and odd Unicode. */
const HOSTILE_STRINGS = [
  "'; drop table orders; --",
  "1' or '1'='1",
  'Robert"); DELETE FROM assist_bills; --',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '&lt;&amp;&#0;&#x110000;&unknown;',
  '\u0000\u0001\u001f',
  '\uFEFF\u202E\u200B',
  '\uD800',
  '𝕏🙂',
  '../../../etc/passwd',
  '%00%ff%fe',
  '1e309',
  '-0',
  '00000000000000000000000000000001',
  '   ',
  '',
  'Ёжик в тумане',
  'A'.repeat(10_000),
];

/** Bytes decoded the way the notify route decodes them: invalid UTF-8 and cp1251 text come out mangled. */
const decodedBytes = fc
  .oneof(
    fc.uint8Array({ maxLength: 200 }),
    fc.constantFrom(
      Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1]),
      iconv.encode('Иванов Пётр', 'win1251'),
      iconv.encode('orderstate=Одобрено&billnumber=1', 'win1251'),
    ),
  )
  .map((bytes) => new TextDecoder('utf-8').decode(bytes));

const hostileSmall = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: decodedBytes },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.double().map(String) },
);
// 1 MB values are kept to the paths that refuse them early: the report parsers take about a second per
// megabyte here, which is a throughput matter, not a safety one, and would only slow the suite.
const hostileValue = fc.oneof(
  { weight: 12, arbitrary: hostileSmall },
  { weight: 1, arbitrary: fc.constant(HUGE) },
);

const NOTIFICATION_FIELDS = [
  'merchant_id',
  'ordernumber',
  'billnumber',
  'testmode',
  'orderamount',
  'ordercurrency',
  'amount',
  'currency',
  'orderstate',
  'responsecode',
  'packetdate',
  'checkvalue',
  'operationtype',
  'MERCHANT_ID',
  'BillNumber',
];

/** A well-formed paid notification, to which one hostile change is applied. */
function baseNotification(merchantId: string): Record<string, string> {
  return {
    merchant_id: merchantId,
    // In the shop's order-number grammar (digits), so each case reaches the part of the handler it aims at.
    ordernumber: '1000001',
    billnumber: '1795823758676916',
    testmode: '1',
    orderamount: '100.00',
    ordercurrency: 'RUB',
    amount: '100.00',
    currency: 'RUB',
    orderstate: 'Approved',
    responsecode: 'AS000',
    packetdate: '27.11.2026 10:00:00',
  };
}

/**
 * Bodies a hostile or broken gateway might send back to a web-service call. All are refused except
 * PARAMETER_ENTITY, whose DOCTYPE is dropped unread, leaving an empty report.
 */
const PARSES_AS_EMPTY = new Set([PARAMETER_ENTITY]);
const HOSTILE_REPLIES = [
  BILLION_LAUGHS,
  XXE,
  ENTITY_OUTSIDE,
  PARAMETER_ENTITY,
  '<!DOCTYPE result [ <!ELEMENT result ANY>',
  '<result firstcode="0" secondcode="0"><order><billnumber>1</billnumber>',
  '<result firstcode="x" secondcode="0"/>',
  '<result firstcode="0" secondcode="0"><order>text only</order></result>',
  '<result firstcode="0" secondcode="0"><order><billnumber>not digits</billnumber><orderstate>Approved</orderstate></order></result>',
  '<result firstcode="0" secondcode="0"><order><billnumber>1795823758676916</billnumber><ordernumber>X</ordernumber><orderstate>Approved</orderstate><orderamount>1e309</orderamount><ordercurrency>RUB</ordercurrency></order></result>',
  `<result firstcode="0" secondcode="0"><order><billnumber>1795823758676916</billnumber><ordernumber>${'Я'.repeat(MB)}</ordernumber></order></result>`,
  `<result firstcode="0" secondcode="0">${'<orders>'.repeat(5_000)}`,
  iconv
    .encode(
      '<result firstcode="0" secondcode="0"><order><ordernumber>Заказ</ordernumber></order></result>',
      'win1251',
    )
    .toString('latin1'),
  'error;x;y;',
  'billnumber;orderstate\n"unterminated;Approved\n',
  'ordernumber;orderstate\nA;Approved\n',
  '<html><body>502 Bad Gateway</body></html>',
  '',
  '\uFEFF',
  '{"result":{"firstcode":0}}',
];

const checkCounts = (before: RowCounts, after: RowCounts, label: string) =>
  expect(after, label).toEqual(before);

describe('report parsers under hostile input (pure)', () => {
  let cases = 0;
  afterAll(() => {
    console.info(`[fuzz] report parsers: ${cases} cases`);
  });

  const isTypedRead = (r: ReturnType<typeof billsFromXml>) =>
    r.ok ? Array.isArray(r.bills) : r.error.kind === 'malformed' || r.error.kind === 'gateway';

  it('XML and CSV replies: typed results, never a throw, for arbitrary text', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }), decodedBytes),
        (body) => {
          cases++;
          expect(isTypedRead(billsFromXml(body))).toBe(true);
          expect(isTypedRead(billsFromCsv(body))).toBe(true);
          const xml = parseXmlReply(body);
          const csv = parseCsvReply(body);
          return (xml.ok || typeof xml.error === 'string') && (csv.ok || typeof csv.error === 'string');
        },
      ),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('a valid reply skeleton with hostile values inside: typed results, hostile text never executed', () => {
    fc.assert(
      fc.property(hostileSmall, hostileSmall, hostileSmall, (billnumber, orderstate, amount) => {
        cases++;
        const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
        const body = `<result firstcode="0" secondcode="0"><order><billnumber>${esc(billnumber)}</billnumber><ordernumber>N</ordernumber><orderstate>${esc(orderstate)}</orderstate><orderamount>${esc(amount)}</orderamount><ordercurrency>RUB</ordercurrency></order></result>`;
        const r = billsFromXml(body);
        expect(isTypedRead(r)).toBe(true);
        // A bill comes out only with a billnumber of digits and a whole number of kopecks.
        if (r.ok)
          for (const b of r.bills) {
            expect(b.billNumber).toMatch(/^\d+$/);
            expect(b.amountKopecks === null || Number.isSafeInteger(b.amountKopecks)).toBe(true);
          }
        const csv = billsFromCsv(
          `billnumber;orderstate;orderamount\n"${billnumber.replace(/"/g, '""')}";${orderstate.replace(/[;\n\r"]/g, '')};${amount.replace(/[;\n\r"]/g, '')}\n`,
        );
        expect(isTypedRead(csv)).toBe(true);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it.each(HOSTILE_REPLIES.map((body, i) => [i, body] as const))(
    'hostile reply #%i is refused or parsed without expansion',
    (_i, body) => {
      cases++;
      const started = performance.now();
      const xml = billsFromXml(body);
      const csv = billsFromCsv(body);
      // Entity expansion would take minutes and gigabytes; refusing it takes milliseconds.
      if (body.includes('<!ENTITY')) expect(performance.now() - started).toBeLessThan(2_000);
      expect(isTypedRead(xml) && isTypedRead(csv)).toBe(true);
      // Entities from a DTD are never resolved: no expansion, no file contents.
      const text = JSON.stringify(xml);
      expect(text).not.toContain('lollol');
      expect(text).not.toContain('root:');
      // A DTD is dropped unread, so a reply either is refused or keeps no data from it.
      if (PARSES_AS_EMPTY.has(body)) expect(xml).toEqual({ ok: true, bills: [] });
      else expect(xml.ok).toBe(false);
    },
  );
});

describe('checkout validation under hostile input (pure)', () => {
  let cases = 0;
  afterAll(() => {
    console.info(`[fuzz] parseCustomer: ${cases} cases`);
  });
  const LIMITS = { lastName: 70, firstName: 70, middleName: 70, email: 128, phone: 20 } as const;
  const ERRORS = new Set(['required', 'too_long', 'email', 'phone', 'charset', 'characters']);

  it('parseCustomer: any input gives a customer within ASSIST’s limits or typed field errors', () => {
    const field = fc.oneof(hostileValue, fc.anything());
    fc.assert(
      fc.property(
        fc.record(
          { lastName: field, firstName: field, middleName: field, email: field, phone: field, extra: field },
          { requiredKeys: [] },
        ),
        (input) => {
          cases++;
          let r: ReturnType<typeof parseCustomer>;
          try {
            r = parseCustomer(input as Record<string, unknown>);
          } catch (err) {
            // Objects whose toString throws or returns a non-string are not form input; anything a form can
            // post is a string, and strings must never throw.
            if (Object.values(input).every((v) => typeof v === 'string' || v === undefined)) throw err;
            return;
          }
          if (r.ok) {
            for (const [k, max] of Object.entries(LIMITS)) {
              const v = r.customer[k as keyof typeof LIMITS];
              if (v === null) continue;
              expect(v.length).toBeLessThanOrEqual(max);
              expect(isCp1251Safe(v)).toBe(true);
            }
          } else {
            expect(Object.keys(r.errors).length).toBeGreaterThan(0);
            for (const e of Object.values(r.errors)) expect(ERRORS.has(e as string)).toBe(true);
          }
        },
      ),
      { seed: SEED, numRuns: 500 },
    );
  });

  // Found by this suite: a NUL used to pass validation and then fail the order insert with a 500.
  it('parseCustomer refuses a NUL character, which no order row can store', () => {
    expect(parseCustomer({ lastName: 'A\u0000B', firstName: 'C', email: 'a@example.ru', phone: '' }).ok).toBe(
      false,
    );
  });
});

describe.each(engines)(
  'notification handler, checkout and report sync under hostile input (%s)',
  (engine) => {
    let database: TestDatabase;
    let fixture: Server;
    let reply = { status: 200, body: '' };
    let gateway: AssistGateway;
    let unverified: AssistGateway;
    let cases = 0;
    const db = () => database.db;

    beforeAll(async () => {
      database = await createTestDatabase({ engine });
      // A stand-in gateway that answers every web-service call with whatever the case sets.
      fixture = createServer((req, res) => {
        req.resume();
        req.on('end', () => {
          res.writeHead(reply.status, { 'Content-Type': 'text/xml; charset=utf-8' }).end(reply.body);
        });
      });
      await new Promise<void>((resolve) => fixture.listen(0, '127.0.0.1', resolve));
      const server = `http://127.0.0.1:${(fixture.address() as AddressInfo).port}`;
      const config = (secret: string | undefined) => {
        const parsed = parseAssistConfig({
          ASSIST_MERCHANT_ID: DEMO_MERCHANT.merchantId,
          ASSIST_LOGIN: DEMO_MERCHANT.login,
          ASSIST_PASSWORD: DEMO_MERCHANT.password,
          ASSIST_SECRET: secret,
          ASSIST_SERVER: server,
          ASSIST_TEST_MODE: '1',
          ASSIST_TIMEOUT_MS: '2000',
        });
        if (!parsed.ok) throw new Error(parsed.errors.join('; '));
        return parsed.config;
      };
      const options = { retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } };
      gateway = createAssistGateway(config(DEMO_MERCHANT.secret), options);
      unverified = createAssistGateway(config(undefined), options);
    });
    afterAll(async () => {
      console.info(`[fuzz] ${engine}: ${cases} database-backed cases`);
      await new Promise<void>((resolve) => fixture?.close(() => resolve()));
      await database?.close();
    });

    const deliver = (g: AssistGateway, fields: URLSearchParams) =>
      handleNotification(
        { getDb: async () => db(), gateway: g, testPaymentsCount: true, log: () => {} },
        fields,
      );

    function expectRejection(r: Awaited<ReturnType<typeof deliver>>) {
      expect(r.status).toBe(200);
      expect(r.contentType).toMatch(/xml/);
      expect(r.body).toMatch(/<pushpaymentresult firstcode="[1-9]\d*"/);
    }

    it('random notifications (unsigned, wrong types, huge, mangled bytes) are rejected and change nothing', async () => {
      const before = await rowCounts(db());
      await fc.assert(
        fc.asyncProperty(
          fc.dictionary(
            fc.oneof(fc.constantFrom(...NOTIFICATION_FIELDS), fc.string({ maxLength: 12 })),
            hostileValue,
            {
              maxKeys: 14,
            },
          ),
          async (fields) => {
            cases++;
            expectRejection(await deliver(gateway, new URLSearchParams(fields)));
          },
        ),
        { seed: SEED, numRuns: 250 },
      );
      checkCounts(before, await rowCounts(db()), 'rows after random notifications');
    });

    it('raw bodies (invalid UTF-8, cp1251, binary) decoded as the route does are rejected and change nothing', async () => {
      const before = await rowCounts(db());
      await fc.assert(
        fc.asyncProperty(decodedBytes, async (text) => {
          cases++;
          expectRejection(await deliver(gateway, new URLSearchParams(text)));
        }),
        { seed: SEED, numRuns: 150 },
      );
      checkCounts(before, await rowCounts(db()), 'rows after raw bodies');
    });

    it('correctly signed notifications with one broken field are rejected and change nothing', async () => {
      const before = await rowCounts(db());
      const broken = fc.oneof(
        fc.record({
          field: fc.constant('billnumber'),
          value: hostileValue.filter((v) => !/^\d{1,30}$/.test(v.trim())),
        }),
        fc.record({
          field: fc.constant('testmode'),
          value: hostileValue.filter((v) => !/^[01]?$/.test(v.trim())),
        }),
        fc.record({
          field: fc.constant('merchant_id'),
          value: hostileValue.filter((v) => v.trim() !== DEMO_MERCHANT.merchantId),
        }),
        fc.record({
          field: fc.constantFrom('ordernumber', 'orderstate', 'packetdate'),
          value: fc.constantFrom('', '   '),
        }),
      );
      await fc.assert(
        fc.asyncProperty(broken, async ({ field, value }) => {
          cases++;
          const fields = { ...baseNotification(DEMO_MERCHANT.merchantId), [field]: value };
          expectRejection(await deliver(gateway, signedNotification(fields)));
        }),
        { seed: SEED, numRuns: 200 },
      );
      checkCounts(before, await rowCounts(db()), 'rows after signed broken notifications');
    });

    it('an unverified notification whose re-read gets a hostile reply is answered 503 and changes nothing', async () => {
      const before = await rowCounts(db());
      const fields = new URLSearchParams(baseNotification(DEMO_MERCHANT.merchantId));
      for (const body of HOSTILE_REPLIES) {
        cases++;
        reply = { status: 200, body };
        const r = await deliver(unverified, fields);
        expect(r.status, body.slice(0, 80)).toBe(503);
      }
      for (const status of [301, 404, 500, 503]) {
        cases++;
        reply = { status, body: '<result firstcode="0" secondcode="0"/>' };
        expect((await deliver(unverified, fields)).status).toBe(503);
      }
      checkCounts(before, await rowCounts(db()), 'rows after hostile re-reads');
    });

    it('the route refuses a body over the limit (1 MB) before parsing it', async () => {
      cases += 3;
      const big = new Request('http://shop.test/api/assist/notify', { method: 'POST', body: `a=${HUGE}` });
      expect(await readLimitedBody(big)).toBeNull();
      const lying = new Request('http://shop.test/api/assist/notify', {
        method: 'POST',
        body: new ReadableStream({
          start(c) {
            c.enqueue(new Uint8Array(MAX_NOTIFICATION_BYTES + 1));
            c.close();
          },
        }),
        duplex: 'half',
      } as RequestInit);
      expect(await readLimitedBody(lying)).toBeNull();
      const fits = new Request('http://shop.test/', {
        method: 'POST',
        body: 'x'.repeat(MAX_NOTIFICATION_BYTES),
      });
      expect((await readLimitedBody(fits))?.byteLength).toBe(MAX_NOTIFICATION_BYTES);
    });

    it('a report sync against a hostile gateway fails cleanly and writes no bills', async () => {
      const before = await rowCounts(db());
      const settings = {
        minIntervalSeconds: 0,
        initialLookbackHours: 1,
        overlapMinutes: 0,
        maxWindows: 1,
        recheckLimit: 0,
        testPaymentsCount: true,
      };
      for (const body of HOSTILE_REPLIES) {
        cases++;
        reply = { status: 200, body };
        // Every run must ask for the report: a cursor left at "now" by an earlier run would skip it.
        await db().update(leases).set({ cursor: null });
        const r = await runSync(db(), gateway, settings);
        const expected = PARSES_AS_EMPTY.has(body) ? 'ok' : 'failed';
        expect(r.ok && r.summary.outcome, body.slice(0, 80)).toBe(expected);
      }
      const after = await rowCounts(db());
      checkCounts({ ...before, syncRuns: 0 }, { ...after, syncRuns: 0 }, 'rows after hostile reports');
      expect(after.syncRuns - before.syncRuns).toBe(HOSTILE_REPLIES.length);
    });

    it('checkout: hostile customers are refused or stored verbatim; an empty cart creates nothing', async () => {
      const [product] = await db()
        .insert(products)
        .values({ slug: `fuzz-${engine}`, name: 'Fuzz', priceKopecks: 1_000, imagePath: '/x.png' })
        .returning();
      if (!product) throw new Error('product insert failed');
      const settings = { twoStageDefault: false, expiryMinutes: 60, language: 'ru' as const };
      let accepted = 0;
      await fc.assert(
        fc.asyncProperty(hostileValue, hostileValue, fc.boolean(), async (lastName, firstName, withCart) => {
          cases++;
          const parsed = parseCustomer({ lastName, firstName, email: 'a@example.ru', phone: '' });
          if (!parsed.ok) return;
          // PostgreSQL text cannot hold NUL; the known bug below covers it, this property the rest.
          if (`${parsed.customer.lastName}${parsed.customer.firstName}`.includes('\u0000')) return;
          const cartId = `fuzz${cases}`.padEnd(22, '0');
          if (withCart) {
            await db().insert(carts).values({ id: cartId });
            await db().insert(cartItems).values({ cartId, productId: product.id, quantity: 2 });
          }
          const before = await rowCounts(db());
          const r = await createOrderFromCart(db(), cartId, parsed.customer, settings);
          const after = await rowCounts(db());
          if (!withCart) {
            expect(r).toEqual({ ok: false, error: 'empty_cart' });
            checkCounts(before, after, 'rows after an empty-cart checkout');
            return;
          }
          accepted++;
          expect(r.ok).toBe(true);
          if (!r.ok) return;
          // Parameters, not string building: the text arrives exactly as typed.
          expect(r.order).toMatchObject({
            lastName: parsed.customer.lastName,
            firstName: parsed.customer.firstName,
            totalKopecks: 2_000,
          });
          expect(after.orders).toBe(before.orders + 1);
          expect(after.carts).toBe(before.carts - 1);
        }),
        { seed: SEED, numRuns: 120 },
      );
      expect(accepted).toBeGreaterThan(0);
      await db().delete(products).where(eq(products.id, product.id));
      // Every table the injection strings named is still there and readable.
      expect((await db().select().from(orders)).length).toBeGreaterThanOrEqual(accepted);
    });
  },
);
