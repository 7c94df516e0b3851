import { afterEach, describe, expect, it, vi } from 'vitest';
import { GET, POST } from '@/app/sandbox/assist/[...path]/route';
import * as gateway from './gateway';

const env = globalThis as typeof globalThis & { __assistStorefrontEnv?: unknown };

describe('Next route /sandbox/assist/[...path]', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
    env.__assistStorefrontEnv = undefined;
  });

  it('is 404 unless the shop uses the built-in gateway, and never opens the store', async () => {
    const open = vi.spyOn(gateway, 'getSandboxGateway');
    const settings: Array<Record<string, string>> = [
      // A real gateway.
      {
        ASSIST_MODE: 'gateway',
        ASSIST_MERCHANT_ID: '123456',
        ASSIST_LOGIN: 'shop',
        ASSIST_PASSWORD: 'pw',
        ASSIST_SECRET: 'word',
      },
      // Sandbox mode pointed at a sandbox gateway running on its own (several instances share it).
      { ASSIST_MODE: 'sandbox', ASSIST_SERVER: 'http://127.0.0.1:3110' },
    ];
    for (const values of settings) {
      env.__assistStorefrontEnv = undefined;
      for (const [k, v] of Object.entries(values)) vi.stubEnv(k, v);
      expect((await GET(new Request('http://shop/sandbox/assist/pay/order.cfm'))).status).toBe(404);
      expect(
        (await POST(new Request('http://shop/sandbox/assist/orderstate/orderstate.cfm', { method: 'POST' })))
          .status,
      ).toBe(404);
      vi.unstubAllEnvs();
    }
    expect(open).not.toHaveBeenCalled();
  });
});
