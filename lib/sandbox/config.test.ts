import { describe, expect, it } from 'vitest';
import { parseSandboxConfig } from './config';
import { DEMO_MERCHANT } from './demo-merchant';

const parse = (env: Record<string, string>) => {
  const r = parseSandboxConfig(env);
  if (!r.ok) throw new Error(r.error);
  return r.config;
};

describe('sandbox configuration', () => {
  it('defaults to the demo merchant and the shop notify route', () => {
    expect(parse({})).toMatchObject({
      merchantId: DEMO_MERCHANT.merchantId,
      login: DEMO_MERCHANT.login,
      password: DEMO_MERCHANT.password,
      secret: DEMO_MERCHANT.secret,
      notifyUrl: 'http://localhost:3000/api/assist/notify',
      billTimeoutSeconds: 1200,
      notifyIntervalMs: 60_000,
      faultsEnabled: false,
    });
    expect(parse({ PORT: '4100', ASSIST_SECRET: '' }).notifyUrl).toBe(
      'http://localhost:4100/api/assist/notify',
    );
    expect(parse({ APP_URL: 'https://shop.example/' }).notifyUrl).toBe(
      'https://shop.example/api/assist/notify',
    );
  });

  it('takes the merchant from the environment like the shop does', () => {
    expect(parse({ ASSIST_SHOP_IDP: '123', ASSIST_LOGIN: 'l', ASSIST_PASSWORD: 'p' })).toMatchObject({
      merchantId: '123',
      login: 'l',
      password: 'p',
      secret: '',
    });
    expect(parse({ ASSIST_MERCHANT_ID: '5', ASSIST_SECRET: 's' }).secret).toBe('s');
  });

  it('reads the sandbox switches and refuses nonsense', () => {
    expect(
      parse({
        SANDBOX_FAULTS: '1',
        SANDBOX_NOTIFY_URL: 'http://127.0.0.1:9/n',
        SANDBOX_BILL_TIMEOUT_SECONDS: '5',
      }),
    ).toMatchObject({ faultsEnabled: true, notifyUrl: 'http://127.0.0.1:9/n', billTimeoutSeconds: 5 });
    expect(parseSandboxConfig({ SANDBOX_NOTIFY_INTERVAL_MS: 'soon' }).ok).toBe(false);
    expect(parseSandboxConfig({ ASSIST_MERCHANT_ID: 'abc' }).ok).toBe(false);
  });
});
