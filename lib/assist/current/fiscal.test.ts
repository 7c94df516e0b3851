import { describe, expect, it } from 'vitest';
import { buildCheque, type ChequeItem } from '../cheque';
import { type AssistConfig, parseAssistConfig } from '../config';
import { fiscalRequestFields, parseFiscalReply } from './fiscal';
import { buildPaymentForm } from './form';

function config(extra: Record<string, string> = {}): AssistConfig {
  const r = parseAssistConfig({
    ASSIST_MERCHANT_ID: '777',
    ASSIST_LOGIN: 'login',
    ASSIST_PASSWORD: 'pw',
    ASSIST_SERVER: 'https://gw.test',
    ASSIST_FISCAL: '1',
    ...extra,
  });
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.config;
}

function items(amount = 150_000): ChequeItem[] {
  const r = buildCheque(
    [
      {
        ref: 1,
        product: 'samovar',
        name: 'Самовар «Тула» ✓',
        unitPriceKopecks: amount,
        quantityMilli: 1000,
        vat: '22',
        subject: 'goods',
      },
    ],
    { amountKopecks: amount, method: 'full_payment' },
  );
  if (!r.ok) throw new Error('fixture');
  return r.items;
}

const order = {
  orderNumber: '1001',
  amountKopecks: 150_000,
  currency: 'RUB',
  twoStage: false,
  language: 'RU' as const,
  customer: { email: 'anna@example.ru' },
};

describe('ChequeItems on the payment form', () => {
  it('is one field with the receipt JSON, names as they are', () => {
    const built = buildPaymentForm(config(), { ...order, receipt: items() });
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    const field = built.form.fields.find(([name]) => name === 'ChequeItems')?.[1] ?? '';
    expect(JSON.parse(field)).toMatchObject({
      items: [{ name: 'Самовар «Тула» ✓', price: 1500, tax: 'vat22' }],
    });
  });

  it('refuses a receipt that does not add up, one without an e-mail, or one with fiscalisation off', () => {
    const short = buildPaymentForm(config(), { ...order, receipt: items(149_999) });
    expect(short.ok === false && short.error.field).toBe('receipt');
    const noEmail = buildPaymentForm(config(), { ...order, customer: {}, receipt: items() });
    expect(noEmail.ok === false && noEmail.error.field).toBe('customer.email');
    const off = buildPaymentForm(config({ ASSIST_FISCAL: '0' }), { ...order, receipt: items() });
    expect(off.ok === false && off.error.message).toBe('ASSIST_FISCAL is off');
    const plain = buildPaymentForm(config(), order);
    expect(plain.ok && plain.form.fields.some(([n]) => n === 'ChequeItems')).toBe(false);
  });
});

describe('fiscal services', () => {
  it('asks for a refund receipt by the refund operation, with its type, items and amount', () => {
    const r = fiscalRequestFields(config(), {
      kind: 'sell_refund',
      billNumber: '1795968928510364.2',
      items: items(),
      email: 'anna@example.ru',
    });
    expect(r.ok && r.path).toBe('/fiscal/receipt.cfm');
    expect(r.ok && Object.fromEntries(r.fields)).toMatchObject({
      Billnumber: '1795968928510364.2',
      Type: 'sell_refund',
      Amount: '1500.00',
      Email: 'anna@example.ru',
      Format: '3',
    });
    const full = fiscalRequestFields(config({ ASSIST_FISCAL_FULL_CALCULATION_PATH: '/fiscal/fc.cfm' }), {
      kind: 'full_calculation',
      billNumber: '1795968928510364',
      items: items(),
    });
    expect(full.ok && full.path).toBe('/fiscal/fc.cfm');
    expect(full.ok && full.fields.some(([n]) => n === 'Type')).toBe(false);
    expect(fiscalRequestFields(config(), { kind: 'sell_refund', billNumber: 'x', items: items() }).ok).toBe(
      false,
    );
  });

  it('reads the common reply header: registered, duplicate, refused; anything else is no answer', () => {
    expect(
      parseFiscalReply(
        '<result firstcode="0" secondcode="0" count="1"><order><billnumber>1.2</billnumber><receiptstate>registered</receiptstate></order></result>',
      ),
    ).toEqual({ ok: true, outcome: 'registered', reply: { billnumber: '1.2', receiptstate: 'registered' } });
    expect(parseFiscalReply('<result firstcode="11" secondcode="0"/>')).toMatchObject({
      ok: true,
      outcome: 'duplicate',
    });
    expect(parseFiscalReply('<result firstcode="5" secondcode="108"/>')).toMatchObject({
      ok: false,
      outcome: 'failed',
      error: { kind: 'gateway', firstCode: 5, secondCode: 108 },
    });
    expect(parseFiscalReply('<html>502</html>')).toMatchObject({
      ok: false,
      outcome: 'unknown',
      error: { kind: 'malformed' },
    });
  });
});
