import { describe, expect, it } from 'vitest';
import { createAssistGateway, parseAssistConfig } from '@/lib/assist';
import { paymentFormForOrder, returnUrls } from './payment-form';

function gateway(formMode: '1' | '2') {
  const config = parseAssistConfig({
    ASSIST_MERCHANT_ID: '777001',
    ASSIST_LOGIN: 'l',
    ASSIST_PASSWORD: 'p',
    ASSIST_SECRET: 's',
    ASSIST_SERVER: 'http://localhost:3000/sandbox/assist',
    ASSIST_FORM_MODE: formMode,
  });
  if (!config.ok) throw new Error(config.errors.join('; '));
  return createAssistGateway(config.config);
}

const order = {
  orderNumber: '1042',
  publicId: 'AbCdEfGhIjKlMnOpQrStUv',
  totalKopecks: 2_450_000,
  currency: 'RUB',
  twoStage: true,
  language: 'ru',
  lastName: 'Иванова',
  firstName: 'Анна',
  middleName: null,
  email: 'anna@example.ru',
  phone: '+79123456789',
};

describe('paymentFormForOrder', () => {
  it('sends the stored order: amount, stage, language and return URLs to our return page', () => {
    const r = paymentFormForOrder(gateway('1'), order, 'https://shop.example');
    if (!r.ok) throw new Error(r.error.message);
    const fields = new Map(r.form.fields);
    expect(r.form.action).toBe('http://localhost:3000/sandbox/assist/pay/order.cfm');
    expect(fields.get('OrderNumber')).toBe('1042');
    expect(fields.get('OrderAmount')).toBe('24500.00');
    expect(fields.get('OrderCurrency')).toBe('RUB');
    expect(fields.get('Delay')).toBe('1');
    expect(fields.get('Language')).toBe('RU');
    expect(fields.get('URL_RETURN_OK')).toBe(returnUrls('https://shop.example', order.publicId).ok);
    expect(fields.get('URL_RETURN_NO')).toBe(
      'https://shop.example/orders/AbCdEfGhIjKlMnOpQrStUv/return?result=no',
    );
    expect(fields.get('Checkvalue')).toMatch(/^[0-9A-F]{32}$/);
  });

  it('adds the customer in mode 2', () => {
    const r = paymentFormForOrder(gateway('2'), { ...order, twoStage: false }, 'https://shop.example');
    if (!r.ok) throw new Error(r.error.message);
    const fields = new Map(r.form.fields);
    expect(fields.get('Lastname')).toBe('Иванова');
    expect(fields.get('Email')).toBe('anna@example.ru');
    expect(fields.get('Delay')).toBe('0');
  });

  it('refuses an order the gateway could not accept instead of truncating it', () => {
    const r = paymentFormForOrder(
      gateway('1'),
      { ...order, orderNumber: 'x'.repeat(129) },
      'https://shop.example',
    );
    expect(r.ok).toBe(false);
  });
});
