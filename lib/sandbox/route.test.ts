import { afterEach, describe, expect, it, vi } from 'vitest';
import { GET, POST } from '@/app/sandbox/assist/[...path]/route';
import * as gateway from './gateway';

describe('Next route /sandbox/assist/[...path]', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('is 404 outside sandbox mode and never opens the store', async () => {
    const open = vi.spyOn(gateway, 'getSandboxGateway');
    for (const mode of [undefined, 'production', 'test']) {
      vi.stubEnv('ASSIST_MODE', mode);
      expect((await GET(new Request('http://shop/sandbox/assist/pay/order.cfm'))).status).toBe(404);
      expect(
        (await POST(new Request('http://shop/sandbox/assist/orderstate/orderstate.cfm', { method: 'POST' })))
          .status,
      ).toBe(404);
    }
    expect(open).not.toHaveBeenCalled();
  });
});
