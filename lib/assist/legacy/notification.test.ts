import { describe, expect, it } from 'vitest';
import { legacyCheckvalue } from '../checkvalue';
import type { AssistConfig } from '../config';
import { createLegacyGateway } from './gateway';

const config: AssistConfig = {
  merchantId: '111111',
  login: 'shop',
  password: 'pw',
  secret: 'secret',
  testMode: true,
  server: 'https://test.assist.ru',
  formMode: 1,
  timeoutMs: 1000,
  holdWarningDays: 14,
  protocol: 'legacy',
};
const gateway = createLegacyGateway(config);

const fields = {
  Shop_IDP: '111111',
  OrderNumber: 'A-1001',
  Response_Code: 'AS000',
  Total: '1500.00',
  Currency: 'RUB',
  BillNumber: '1000000000000001',
  Status: 'Authorized',
  PacketDate: '27.09.2010 23:24:05',
};
const signed = (f: Record<string, string>, secret = 'secret') =>
  new URLSearchParams({
    ...f,
    CheckValue: legacyCheckvalue(secret, {
      shopIdp: f.Shop_IDP ?? '',
      orderNumber: f.OrderNumber ?? '',
      total: f.Total ?? '',
      currency: f.Currency ?? '',
    }),
  });

describe('legacy notification', () => {
  it('checks UPPER(md5hex(Shop_IDP+OrderNumber+Total+Currency+SECRET))', () => {
    // md5("111111A-10011500.00RUBsecret"), computed independently with node's crypto.
    expect(
      legacyCheckvalue('secret', {
        shopIdp: '111111',
        orderNumber: 'A-1001',
        total: '1500.00',
        currency: 'RUB',
      }),
    ).toBe('50CDE368D70B83155C636DD59DA3452D');
  });

  it('is ALWAYS unverified, even with a matching CheckValue: status and billnumber are unsigned', () => {
    const r = gateway.parseNotification(signed(fields));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.notification).toMatchObject({
      billNumber: '1000000000000001',
      verification: 'unverified',
      testMode: true,
      packetDateRaw: '27.09.2010 23:24:05',
      bill: {
        status: 'paid',
        rawStatus: 'Authorized',
        amountKopecks: 150_000,
        currency: 'RUB',
        operations: [],
      },
    });
    // The same CheckValue signs a replay with any other status.
    const replay = signed({ ...fields, Status: 'Refunded' });
    expect(replay.get('CheckValue')).toBe(signed(fields).get('CheckValue'));
    const lower = Object.fromEntries([...signed(fields)].map(([k, v]) => [k.toLowerCase(), v]));
    expect(gateway.parseNotification(lower).ok).toBe(true);
  });

  it('rejects a wrong CheckValue, another shop and malformed fields', () => {
    const bad = gateway.parseNotification(signed(fields, 'other'));
    expect(bad).toMatchObject({
      ok: false,
      rejection: { kind: 'bad_checkvalue', billNumber: '1000000000000001' },
    });
    expect(gateway.parseNotification(signed({ ...fields, Shop_IDP: '2' }))).toMatchObject({
      ok: false,
      rejection: { kind: 'wrong_merchant' },
    });
    expect(gateway.parseNotification(signed({ ...fields, BillNumber: '12x' }))).toMatchObject({
      ok: false,
      rejection: { kind: 'malformed' },
    });
    expect(gateway.parseNotification(signed({ ...fields, Total: 'much' }))).toMatchObject({
      ok: false,
      rejection: { kind: 'malformed' },
    });
  });

  it('without a secret word accepts any CheckValue (still only a hint)', () => {
    const open = createLegacyGateway({ ...config, secret: null });
    const r = open.parseNotification(new URLSearchParams({ ...fields, CheckValue: 'whatever' }));
    expect(r.ok && r.notification.verification).toBe('unverified');
  });

  it('answers the pushpaymentresult document, echoing billnumber and packetdate', () => {
    const ok = gateway.notificationReply(gateway.parseNotification(signed(fields)));
    expect(ok.contentType).toContain('text/xml');
    expect(ok.body).toContain('<pushpaymentresult firstcode="0" secondcode="0">');
    expect(ok.body).toContain(
      '<billnumber>1000000000000001</billnumber><packetdate>27.09.2010 23:24:05</packetdate>',
    );
    const no = gateway.notificationReply(gateway.parseNotification(signed(fields, 'x')));
    expect(no.body).toContain('firstcode="5" secondcode="158"');
  });
});
