import { describe, expect, it } from 'vitest';
import { buildCheque } from '../cheque';
import type { PaymentFormInput } from '../gateway';
import { type AssistConfig, createAssistGateway, parseAssistConfig } from '../index';
import { buildLegacyPaymentForm, isCp1251 } from './form';

const config: AssistConfig = {
  merchantId: '111111',
  login: 'shop',
  password: 'pw',
  secret: 'secret',
  testMode: false,
  server: 'https://secure.assist.ru',
  formMode: 1,
  timeoutMs: 1000,
  holdWarningDays: 14,
  protocol: 'legacy',
};

const order: PaymentFormInput = {
  orderNumber: 'A-1001',
  amountKopecks: 150_000,
  currency: 'RUB',
  twoStage: false,
  language: 'RU',
  returnUrlOk: 'https://shop.example/ok',
  returnUrlNo: 'https://shop.example/no',
  comment: 'Заказ №1001 — «Чай»',
};

describe('legacy payment form', () => {
  it('mode 1 posts the legacy fields in windows-1251 to purchase.cfm, Shop_IDP first', () => {
    const r = buildLegacyPaymentForm(config, {
      ...order,
      paymentMethods: { card: true, webMoney: false, qiwi: true },
    });
    expect(r).toEqual({
      ok: true,
      form: {
        action: 'https://secure.assist.ru/shops/purchase.cfm',
        method: 'POST',
        acceptCharset: 'windows-1251',
        fields: [
          ['Shop_IDP', '111111'],
          ['Order_IDP', 'A-1001'],
          ['Subtotal_P', '1500.00'],
          ['Currency', 'RUB'],
          ['Language', '0'],
          ['Delay', '0'],
          ['URL_RETURN_OK', 'https://shop.example/ok'],
          ['URL_RETURN_NO', 'https://shop.example/no'],
          ['Comment', 'Заказ №1001 — «Чай»'],
          ['CardPayment', '1'],
          ['WebMoneyPayment', '0'],
          ['QiwiBeelinePayment', '1'],
        ],
      },
    });
  });

  it('mode 2 posts the customer to cardpayment.cfm and requires LastName, FirstName, Email', () => {
    const mode2 = { ...config, formMode: 2 as const };
    const customer = {
      lastName: 'Иванов',
      firstName: 'Иван',
      email: 'ivan@example.ru',
      phone: '+79990000000',
      city: 'Москва',
    };
    const r = buildLegacyPaymentForm(mode2, { ...order, twoStage: true, language: 'EN', customer });
    expect(r.ok && r.form.action).toBe('https://secure.assist.ru/shops/cardpayment.cfm');
    const fields = new Map(r.ok ? r.form.fields : []);
    expect(fields.get('Delay')).toBe('1');
    expect(fields.get('Language')).toBe('1');
    expect(fields.get('LastName')).toBe('Иванов');
    expect(fields.get('FirstName')).toBe('Иван');
    expect(fields.get('Email')).toBe('ivan@example.ru');
    expect(fields.get('Phone')).toBe('+79990000000');
    expect(fields.get('City')).toBe('Москва');
    const missing = buildLegacyPaymentForm(mode2, { ...order, customer: { lastName: 'Иванов' } });
    expect(missing.ok ? [] : missing.error.issues.map((i) => i.field)).toEqual([
      'customer.firstName',
      'customer.email',
    ]);
    // Mode 1 sends order data only.
    const m1 = buildLegacyPaymentForm(config, { ...order, customer });
    expect(m1.ok && m1.form.fields.some(([k]) => k === 'LastName')).toBe(false);
  });

  it('sends DemoResult only to a test gateway', () => {
    const test = { ...config, testMode: true, server: 'https://test.assist.ru', demoResult: 'AS100' };
    const r = buildLegacyPaymentForm(test, order);
    expect(r.ok && r.form.fields.at(-1)).toEqual(['DemoResult', 'AS100']);
    const prod = buildLegacyPaymentForm({ ...test, testMode: false }, order);
    expect(prod.ok && prod.form.fields.some(([k]) => k === 'DemoResult')).toBe(false);
    const unset = buildLegacyPaymentForm({ ...config, testMode: true }, order);
    expect(unset.ok && unset.form.fields.some(([k]) => k === 'DemoResult')).toBe(false);
  });

  it('refuses, never truncates: windows-1251, Order_IDP ≤128, Comment ≤255, modern methods', () => {
    expect(isCp1251('Ёлка №5 € «»')).toBe(true);
    expect(isCp1251('日本')).toBe(false);
    const bad = (input: Partial<PaymentFormInput>) => {
      const r = buildLegacyPaymentForm(config, { ...order, ...input });
      return r.ok ? null : r.error.field;
    };
    expect(bad({ comment: 'Чай 🍵' })).toBe('comment');
    expect(bad({ orderNumber: '注文-1' })).toBe('orderNumber');
    expect(bad({ orderNumber: 'x'.repeat(129) })).toBe('orderNumber');
    expect(bad({ orderNumber: 'x'.repeat(128) })).toBeNull();
    expect(bad({ comment: 'я'.repeat(256) })).toBe('comment');
    expect(bad({ amountKopecks: 10.5 })).toBe('amountKopecks');
    expect(bad({ paymentMethods: { applePay: true } })).toBe('paymentMethods.applePay');
    expect(bad({ paymentMethods: { applePay: false } })).toBeNull();
  });

  it('is refused with a receipt: the legacy form has no receipt fields', () => {
    const receipt = buildCheque(
      [
        {
          ref: 1,
          product: 'samovar',
          name: 'Самовар',
          unitPriceKopecks: 150_000,
          quantityMilli: 1000,
          vat: '22',
          subject: 'goods',
        },
      ],
      { amountKopecks: 150_000, method: 'full_payment' },
    );
    if (!receipt.ok) throw new Error('fixture');
    const r = buildLegacyPaymentForm(config, { ...order, receipt: receipt.items });
    expect(r.ok === false && r.error.field).toBe('receipt');
  });
});

describe('ASSIST_PROTOCOL', () => {
  const env = { ASSIST_SHOP_IDP: '111111', ASSIST_LOGIN: 'l', ASSIST_PASSWORD: 'p' };
  it('picks the legacy hosts and implementation; ASSIST_SERVER still wins', () => {
    const prod = parseAssistConfig({ ...env, ASSIST_PROTOCOL: 'legacy' });
    expect(prod.ok && prod.config).toMatchObject({ protocol: 'legacy', server: 'https://secure.assist.ru' });
    const test = parseAssistConfig({
      ...env,
      ASSIST_PROTOCOL: 'LEGACY',
      ASSIST_TEST_MODE: '1',
      ASSIST_DEMO_RESULT: 'as000',
    });
    expect(test.ok && test.config).toMatchObject({ server: 'https://test.assist.ru', demoResult: 'AS000' });
    const local = parseAssistConfig({
      ...env,
      ASSIST_PROTOCOL: 'legacy',
      ASSIST_TEST_MODE: '1',
      ASSIST_SERVER: 'http://127.0.0.1:9/',
    });
    expect(local.ok && local.config.server).toBe('http://127.0.0.1:9');
    if (prod.ok) expect(createAssistGateway(prod.config).protocol).toBe('legacy');
  });

  it('defaults to current and leaves its config unchanged', () => {
    const r = parseAssistConfig(env);
    expect(r.ok && 'protocol' in r.config).toBe(false);
    if (r.ok) expect(createAssistGateway(r.config).protocol).toBe('current');
    expect(parseAssistConfig({ ...env, ASSIST_PROTOCOL: 'current' })).toEqual(r);
  });

  it('names a bad value', () => {
    const r = parseAssistConfig({ ...env, ASSIST_PROTOCOL: '2010', ASSIST_DEMO_RESULT: 'ok' });
    expect(r.ok ? [] : r.errors.map((e) => e.split(':')[0])).toEqual([
      'ASSIST_PROTOCOL',
      'ASSIST_DEMO_RESULT',
    ]);
  });
});
