import { describe, expect, it } from 'vitest';
import { checkvalue, formCheckvalueInput } from '../checkvalue';
import type { AssistConfig } from '../config';
import { notificationReply } from '../notification';
import { parseNotification } from './notification';
import { parseXmlReply } from './xml';

const config: AssistConfig = {
  merchantId: '111111',
  login: 'l',
  password: 'p',
  secret: 'secret',
  testMode: false,
  server: 'https://payments.paysecure.ru',
  formMode: 1,
  timeoutMs: 30_000,
  holdWarningDays: 14,
  orderNumberPrefix: 'A-',
};

function fields(extra: Record<string, string> = {}): Record<string, string> {
  const base: Record<string, string> = {
    merchant_id: '111111',
    ordernumber: 'A-1001',
    billnumber: '5960911012345678',
    testmode: '0',
    orderamount: '1500.00',
    ordercurrency: 'RUB',
    amount: '1500.00',
    currency: 'RUB',
    orderstate: 'Approved',
    responsecode: 'AS000',
    message: 'Операция успешна',
    meannumber: '411111******1111',
    operationtype: '100',
    operationdate: '27.09.2016 23:24:05',
    approvalcode: '123456',
    packetdate: '27.09.2016 23:24:10',
    ...extra,
  };
  const x = `${base.merchant_id}${base.ordernumber}${base.amount}${base.currency}${base.orderstate}`;
  return { checkvalue: checkvalue('secret', x), ...base };
}

describe('parseNotification', () => {
  it('verifies a notification and maps it to a bill with its operation', () => {
    const r = parseNotification(config, fields());
    expect(r).toMatchObject({
      ok: true,
      notification: {
        billNumber: '5960911012345678',
        testMode: false,
        verification: 'verified',
        packetDateRaw: '27.09.2016 23:24:10',
        bill: {
          status: 'paid',
          amountKopecks: 150000,
          currency: 'RUB',
          maskedCard: '411111******1111',
          operations: [
            {
              operationId: '5960911012345678.100@27.09.2016 23:24:05',
              kind: 'payment',
              outcome: 'success',
              amountKopecks: 150000,
              currency: 'RUB',
              at: new Date('2016-09-27T23:24:05Z'),
              responseCode: 'AS000',
              maskedCard: '411111******1111',
              approvalCode: '123456',
            },
          ],
        },
      },
    });
  });

  it('accepts URLSearchParams and any case of field names', () => {
    const upper = Object.fromEntries(Object.entries(fields()).map(([k, v]) => [k.toUpperCase(), v]));
    expect(parseNotification(config, new URLSearchParams(upper)).ok).toBe(true);
  });

  it('accepts the order-amount variant of the checkvalue (converted currency)', () => {
    const f = fields({ amount: '20.00', currency: 'USD' });
    f.checkvalue = checkvalue('secret', '111111A-10011500.00RUBApproved');
    expect(parseNotification(config, f)).toMatchObject({
      ok: true,
      notification: { verification: 'verified' },
    });
  });

  it('rejects a bad or missing checkvalue, a wrong merchant and malformed fields', () => {
    expect(parseNotification(config, { ...fields(), orderstate: 'Declined' })).toMatchObject({
      ok: false,
      rejection: { kind: 'bad_checkvalue', billNumber: '5960911012345678' },
    });
    const { checkvalue: _, ...unsigned } = fields();
    expect(parseNotification(config, unsigned)).toMatchObject({
      ok: false,
      rejection: { kind: 'bad_checkvalue' },
    });
    expect(parseNotification(config, fields({ merchant_id: '222222' }))).toMatchObject({
      ok: false,
      rejection: { kind: 'wrong_merchant' },
    });
    expect(parseNotification(config, fields({ billnumber: '' }))).toMatchObject({
      ok: false,
      rejection: { kind: 'malformed' },
    });
    expect(parseNotification(config, fields({ orderamount: 'lots', amount: 'lots' }))).toMatchObject({
      ok: false,
      rejection: { kind: 'malformed' },
    });
  });

  it("refuses the pay page's form checkvalue split into notification fields (issue #14)", () => {
    // The form signs `111111;A-1002;3200.00;RUB`; the notification's string is the five values joined
    // with nothing between them, so these fields concatenate to exactly the same string.
    const formSignature = checkvalue(
      'secret',
      formCheckvalueInput({
        merchantId: '111111',
        orderNumber: 'A-1002',
        orderAmount: '3200.00',
        orderCurrency: 'RUB',
      }),
    );
    const forged = {
      merchant_id: '111111',
      ordernumber: ';A-1002;3200.00;',
      amount: '',
      currency: '',
      orderamount: '',
      ordercurrency: '',
      orderstate: 'RUB',
      billnumber: '5960911012345678',
      packetdate: '01.01.9999 00:00',
      testmode: '1',
      checkvalue: formSignature,
    };
    expect(parseNotification(config, forged)).toMatchObject({ ok: false, rejection: { kind: 'malformed' } });
    // The same split with a grammatical order number still fails on the amount and state forms.
    expect(
      parseNotification(config, { ...forged, ordernumber: 'A-1002', amount: ';3200.00;', currency: 'RUB' }),
    ).toMatchObject({ ok: false, rejection: { kind: 'malformed' } });
  });

  it.each([
    ['ordernumber', '1002'],
    ['ordernumber', 'A-0'],
    ['ordernumber', 'A-1001x'],
    ['amount', '1500'],
    ['amount', '1500.0'],
    ['amount', '-1500.00'],
    ['orderamount', '1,500.00'],
    ['currency', 'rub'],
    ['currency', 'RUBX'],
    ['ordercurrency', 'R1B'],
    ['orderstate', 'RUB'],
    ['orderstate', 'Approvedd'],
  ])('a signed field out of its documented form is malformed: %s=%j', (name, value) => {
    const f = fields({ [name]: value });
    const x = `${f.merchant_id}${f.ordernumber}${f.amount}${f.currency}${f.orderstate}`;
    f.checkvalue = checkvalue('secret', x);
    expect(parseNotification(config, f)).toMatchObject({ ok: false, rejection: { kind: 'malformed' } });
  });

  it('a signature-only notification (PGP type: empty checkvalue) is a hint to re-read, not a rejection', () => {
    const r = parseNotification(config, { ...fields(), checkvalue: '', signature: 'LS0tLS1CRUdJTiBQR1A=' });
    expect(r).toMatchObject({ ok: true, notification: { verification: 'unverified' } });
    // Without the signature an empty checkvalue is still a bad one.
    expect(parseNotification(config, { ...fields(), checkvalue: '' })).toMatchObject({
      ok: false,
      rejection: { kind: 'bad_checkvalue' },
    });
  });

  it('is unverified without a secret, and reports test mode', () => {
    const r = parseNotification(
      { ...config, secret: null },
      { ...fields({ testmode: '1' }), checkvalue: 'garbage' },
    );
    expect(r).toMatchObject({ ok: true, notification: { verification: 'unverified', testMode: true } });
  });
});

describe('notificationReply', () => {
  it('echoes billnumber and packetdate on success', () => {
    const reply = notificationReply(parseNotification(config, fields()));
    expect(reply.contentType).toBe('text/xml; charset=utf-8');
    expect(reply.body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<pushpaymentresult firstcode="0" secondcode="0"><order><billnumber>5960911012345678</billnumber><packetdate>27.09.2016 23:24:10</packetdate></order></pushpaymentresult>\n',
    );
  });

  it('escapes echoed values and uses non-zero codes for a rejection', () => {
    const reply = notificationReply(
      parseNotification(config, fields({ packetdate: '<x>&"\'', merchant_id: '9' })),
    );
    expect(reply.body).toContain('firstcode="5" secondcode="100"');
    expect(reply.body).toContain('<packetdate>&#60;x&#62;&#38;&#34;&#39;</packetdate>');
    const parsed = parseXmlReply(
      reply.body.replace('pushpaymentresult', 'result').replace('pushpaymentresult', 'result'),
    );
    expect(parsed.ok && parsed.orders[0]?.fields.packetdate).toBe('<x>&"\'');
    expect(notificationReply(parseNotification(config, {})).body).toContain(
      'firstcode="4" secondcode="0"></pushpaymentresult>',
    );
  });
});
