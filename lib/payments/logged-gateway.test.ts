import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AssistGateway } from '@/lib/assist';
import { withCallLog } from './logged-gateway';

describe('the web-service call log', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('names what a malformed reply did not understand, and says when a budget refused a call', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => lines.push(line));
    const gateway = withCallLog({
      report: async () => ({
        ok: false,
        error: { kind: 'malformed', message: 'unknown element <result><transaction>' },
      }),
      bills: async () => ({ ok: false, error: { kind: 'rate_limited', retryAfterSeconds: 420 } }),
    } as unknown as AssistGateway);
    await gateway.report({ from: new Date(0), to: new Date(60_000) });
    await gateway.bills({ billNumber: '1' }, { since: new Date(0) });
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged[0]).toMatchObject({
      event: 'assist_call',
      level: 'warn',
      service: 'report',
      error: 'malformed',
      message: 'unknown element <result><transaction>',
    });
    expect(logged[1]).toMatchObject({ service: 'bills', error: 'rate_limited', retryAfterSeconds: 420 });
  });
});
