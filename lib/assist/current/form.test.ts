import { describe, expect, it } from 'vitest';
import { checkvalue } from '../checkvalue';
import type { AssistConfig } from '../config';
import type { PaymentFormInput } from '../gateway';
import { buildPaymentForm } from './form';

const config: AssistConfig = {
  merchantId: '111111',
  login: 'l',
  password: 'p',
  secret: 'secret',
  testMode: true,
  server: 'https://payments.demo.paysecure.ru',
  formMode: 1,
  timeoutMs: 30_000,
  holdWarningDays: 14,
};

const order: PaymentFormInput = {
  orderNumber: 'A-1001',
  amountKopecks: 150000,
  currency: 'RUB',
  twoStage: false,
  language: 'RU',
  returnUrl: 'https://shop.example/orders/A-1001',
  returnUrlOk: 'https://shop.example/orders/A-1001?ok',
  returnUrlNo: 'https://shop.example/orders/A-1001?no',
  comment: 'Заказ № A-1001',
  paymentMethods: { card: true, qiwi: false },
};

describe('buildPaymentForm', () => {
  it('builds the documented fields in order, signed with the checkvalue', () => {
    const r = buildPaymentForm(config, order);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.form.action).toBe('https://payments.demo.paysecure.ru/pay/order.cfm');
    expect(r.form.method).toBe('POST');
    expect(r.form.acceptCharset).toBe('UTF-8');
    expect(r.form.fields).toEqual([
      ['Merchant_ID', '111111'],
      ['OrderNumber', 'A-1001'],
      ['OrderAmount', '1500.00'],
      ['OrderCurrency', 'RUB'],
      ['Delay', '0'],
      ['Language', 'RU'],
      ['URL_RETURN', 'https://shop.example/orders/A-1001'],
      ['URL_RETURN_OK', 'https://shop.example/orders/A-1001?ok'],
      ['URL_RETURN_NO', 'https://shop.example/orders/A-1001?no'],
      ['OrderComment', 'Заказ № A-1001'],
      ['CardPayment', '1'],
      ['QIWIPayment', '0'],
      ['Checkvalue', checkvalue('secret', '111111;A-1001;1500.00;RUB')],
    ]);
  });

  it('omits the checkvalue without a secret and sends Delay=1 for two-stage', () => {
    const r = buildPaymentForm({ ...config, secret: null }, { ...order, twoStage: true });
    expect(r.ok && r.form.fields.some(([n]) => n === 'Checkvalue')).toBe(false);
    expect(r.ok && r.form.fields.find(([n]) => n === 'Delay')).toEqual(['Delay', '1']);
  });

  it('mode 1 sends order data only: no customer field even when the order has a customer', () => {
    const customer = {
      lastName: 'Иванов',
      firstName: 'Иван',
      email: 'ivan@example.ru',
      phone: '+79001234567',
    };
    const r = buildPaymentForm({ ...config, formMode: 1 }, { ...order, customer });
    expect(r.ok).toBe(true);
    const names = r.ok ? r.form.fields.map(([n]) => n) : [];
    for (const personal of ['Lastname', 'Firstname', 'Middlename', 'Email', 'MobilePhone', 'Address']) {
      expect(names).not.toContain(personal);
    }
    expect(names).toEqual(
      expect.arrayContaining(['Merchant_ID', 'OrderNumber', 'OrderAmount', 'OrderCurrency']),
    );
  });

  it('sends customer fields and requires name and e-mail in mode 2', () => {
    const customer = {
      lastName: 'Иванов',
      firstName: 'Иван',
      middleName: 'Иванович',
      email: 'ivan@example.ru',
      phone: '+79001234567',
    };
    const r = buildPaymentForm({ ...config, formMode: 2 }, { ...order, customer });
    expect(
      r.ok &&
        r.form.fields.filter(([n]) =>
          ['Lastname', 'Firstname', 'Middlename', 'Email', 'MobilePhone'].includes(n),
        ),
    ).toEqual([
      ['Lastname', 'Иванов'],
      ['Firstname', 'Иван'],
      ['Middlename', 'Иванович'],
      ['Email', 'ivan@example.ru'],
      ['MobilePhone', '+79001234567'],
    ]);
    const missing = buildPaymentForm(
      { ...config, formMode: 2 },
      { ...order, customer: { lastName: 'Иванов' } },
    );
    expect(missing).toMatchObject({
      ok: false,
      error: { kind: 'invalid_order', field: 'customer.firstName' },
    });
    if (!missing.ok)
      expect(missing.error.issues.map((i) => i.field)).toEqual(['customer.firstName', 'customer.email']);
  });

  it.each([
    ['orderNumber', { orderNumber: 'x'.repeat(129) }],
    ['orderNumber', { orderNumber: '' }],
    ['orderNumber', { orderNumber: 'A\n1' }],
    ['amountKopecks', { amountKopecks: 0.1 + 0.2 }],
    ['amountKopecks', { amountKopecks: 0 }],
    ['amountKopecks', { amountKopecks: 10 ** 13 + 1 }],
    ['currency', { currency: 'rub' }],
    ['returnUrl', { returnUrl: `https://shop.example/${'x'.repeat(250)}` }],
    ['returnUrlOk', { returnUrlOk: 'javascript:alert(1)' }],
    ['comment', { comment: 'x'.repeat(4001) }],
    ['customer.lastName', { customer: { lastName: 'Щ'.repeat(71) } }],
    ['customer.email', { customer: { email: 'not-an-email' } }],
    ['customer.phone', { customer: { phone: '+7 (900) 123-45-67' } }],
    ['customer.address', { customer: { address: 'a'.repeat(257) } }],
    ['customer.zip', { customer: { zip: '1'.repeat(26) } }],
    ['customer.state', { customer: { state: 'ABCD' } }],
  ] as Array<[string, Partial<PaymentFormInput>]>)(
    'refuses an invalid %s instead of truncating it',
    (field, patch) => {
      const r = buildPaymentForm(config, { ...order, ...patch });
      expect(r).toMatchObject({ ok: false, error: { kind: 'invalid_order', field } });
    },
  );

  it('accepts values exactly at the limits', () => {
    const r = buildPaymentForm(config, {
      ...order,
      orderNumber: '9'.repeat(128),
      amountKopecks: 10 ** 13,
      comment: 'ж'.repeat(256),
      customer: {
        lastName: 'Щ'.repeat(70),
        email: `${'a'.repeat(116)}@example.com`,
        phone: `+${'7'.repeat(19)}`,
      },
    });
    expect(r.ok).toBe(true);
    expect(r.ok && r.form.fields.find(([n]) => n === 'OrderAmount')).toEqual([
      'OrderAmount',
      '100000000000.00',
    ]);
  });

  it('refuses text ASSIST would rewrite, OrderComment over 256 and nothing else of the kind', () => {
    // eng.docs.belassist.by page 26641290: ASSIST strips < > ' " ; from OrderNumber and
    // < > " = ' / ( ) ; from names, the comment and the other text fields.
    for (const orderNumber of ['A<1', 'A>1', "A'1", 'A"1', 'A;1']) {
      expect(buildPaymentForm(config, { ...order, orderNumber })).toMatchObject({
        ok: false,
        error: { field: 'orderNumber' },
      });
    }
    expect(buildPaymentForm(config, { ...order, orderNumber: 'A-1/2=(3)' }).ok).toBe(true);
    for (const lastName of ["O'Brien", 'a=b', 'a/b', 'a(b', 'a)b', 'a;b', 'a<b', 'a"b']) {
      expect(buildPaymentForm(config, { ...order, customer: { lastName } })).toMatchObject({
        ok: false,
        error: { field: 'customer.lastName' },
      });
    }
    expect(buildPaymentForm(config, { ...order, comment: 'Заказ (срочно)' })).toMatchObject({
      ok: false,
      error: { field: 'comment' },
    });
    expect(buildPaymentForm(config, { ...order, comment: 'ж'.repeat(257) })).toMatchObject({
      ok: false,
      error: { field: 'comment', message: 'at most 256 characters' },
    });
    expect(buildPaymentForm(config, { ...order, returnUrl: 'https://shop.test/r?a=1&b=(2)' }).ok).toBe(true);
  });
});
