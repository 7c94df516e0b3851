import { describe, expect, it } from 'vitest';
import { PRODUCTION_SERVER, parseAssistConfig, TEST_SERVER } from './config';

const base = { ASSIST_MERCHANT_ID: '123456', ASSIST_LOGIN: 'shop', ASSIST_PASSWORD: 'pw' };

describe('parseAssistConfig', () => {
  it('applies the documented defaults', () => {
    expect(parseAssistConfig(base)).toEqual({
      ok: true,
      config: {
        merchantId: '123456',
        login: 'shop',
        password: 'pw',
        secret: null,
        testMode: false,
        server: PRODUCTION_SERVER,
        formMode: 1,
        timeoutMs: 30_000,
        holdWarningDays: 14,
      },
    });
  });

  it('picks the test host in test mode and lets ASSIST_SERVER win in every mode', () => {
    const t = parseAssistConfig({ ...base, ASSIST_TEST_MODE: 'true' });
    expect(t.ok && t.config.server).toBe(TEST_SERVER);
    for (const mode of ['true', 'false']) {
      const r = parseAssistConfig({
        ...base,
        ASSIST_TEST_MODE: mode,
        ASSIST_SERVER: 'http://127.0.0.1:3000/sandbox/',
      });
      expect(r.ok && r.config.server).toBe('http://127.0.0.1:3000/sandbox');
    }
  });

  it('accepts the legacy ASSIST_SHOP_IDP name', () => {
    const r = parseAssistConfig({ ASSIST_SHOP_IDP: '777', ASSIST_LOGIN: 'l', ASSIST_PASSWORD: 'p' });
    expect(r.ok && r.config.merchantId).toBe('777');
    const conflict = parseAssistConfig({ ...base, ASSIST_SHOP_IDP: '777' });
    expect(conflict.ok).toBe(false);
  });

  it('reads every optional variable', () => {
    const r = parseAssistConfig({
      ...base,
      ASSIST_SECRET: 'secret',
      ASSIST_TEST_MODE: '1',
      ASSIST_FORM_MODE: '2',
      ASSIST_TIMEOUT_MS: '5000',
      ASSIST_HOLD_WARNING_DAYS: '7',
    });
    expect(r).toMatchObject({
      ok: true,
      config: { secret: 'secret', testMode: true, formMode: 2, timeoutMs: 5000, holdWarningDays: 7 },
    });
  });

  it('reports every problem, naming the variable and what it expects', () => {
    const r = parseAssistConfig({
      ASSIST_MERCHANT_ID: 'abc',
      ASSIST_LOGIN: '',
      ASSIST_TEST_MODE: 'maybe',
      ASSIST_SERVER: 'ftp:/x',
      ASSIST_FORM_MODE: '3',
      ASSIST_TIMEOUT_MS: '-5',
      ASSIST_HOLD_WARNING_DAYS: '0',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const vars = r.errors.map((e) => e.split(':')[0]);
    expect(vars).toEqual([
      'ASSIST_MERCHANT_ID',
      'ASSIST_LOGIN',
      'ASSIST_PASSWORD',
      'ASSIST_TEST_MODE',
      'ASSIST_SERVER',
      'ASSIST_FORM_MODE',
      'ASSIST_TIMEOUT_MS',
      'ASSIST_HOLD_WARNING_DAYS',
    ]);
    for (const e of r.errors) expect(e).toMatch(/expects/);
  });

  it('requires the merchant id', () => {
    const r = parseAssistConfig({ ASSIST_LOGIN: 'l', ASSIST_PASSWORD: 'p' });
    expect(r).toEqual({
      ok: false,
      errors: [
        'ASSIST_MERCHANT_ID: is required (or the legacy ASSIST_SHOP_IDP), expects the numeric merchant id',
      ],
    });
  });

  it("keeps Merchant_ID within ASSIST's 32-bit integer", () => {
    const base = { ASSIST_LOGIN: 'l', ASSIST_PASSWORD: 'p' };
    expect(parseAssistConfig({ ...base, ASSIST_MERCHANT_ID: '2147483647' }).ok).toBe(true);
    expect(parseAssistConfig({ ...base, ASSIST_MERCHANT_ID: '2147483648' })).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/^ASSIST_MERCHANT_ID: .*1\.\.2147483647/)],
    });
  });
});
