import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAssistGateway } from '@/lib/assist';
import { LEGACY_REPORT_CSV } from '@/lib/assist/legacy/fixtures';
import { createTestDatabase, type TestDatabase } from '@/lib/db/testing';
import { claimRequestBudget, LEGACY_REPORT_INTERVAL_SECONDS, legacyReportBudget } from './read-budget';

describe('the shared legacy report budget', () => {
  let database: TestDatabase;
  let server: Server;
  let url = '';
  let requests = 0;
  beforeAll(async () => {
    database = await createTestDatabase();
    server = createServer((req, res) => {
      requests++;
      req.resume();
      req.on('end', () => res.end(LEGACY_REPORT_CSV));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await database.close();
  });

  it('allows one claim per interval per name, and says how long to wait', async () => {
    expect(await claimRequestBudget(database.db, 'b-1', 600)).toEqual({ ok: true });
    const again = await claimRequestBudget(database.db, 'b-1', 600);
    expect(again.ok).toBe(false);
    if (!again.ok) {
      expect(again.retryAfterSeconds).toBeGreaterThan(590);
      expect(again.retryAfterSeconds).toBeLessThanOrEqual(600);
    }
    expect(await claimRequestBudget(database.db, 'b-2', 600)).toEqual({ ok: true });
  });

  it('one results.cfm request per 10 minutes across adapters (sync, notification re-read, admin re-check)', async () => {
    const config = {
      merchantId: '111111',
      login: 'shop',
      password: 'pw',
      secret: 'secret',
      testMode: false,
      server: url,
      formMode: 1 as const,
      timeoutMs: 2000,
      holdWarningDays: 14,
      protocol: 'legacy' as const,
    };
    // Two processes' adapters, one database: the budget lives in the database, not in either of them.
    const budget = legacyReportBudget(async () => database.db);
    const sync = createAssistGateway(config, { reportBudget: budget, retry: { attempts: 1 } });
    const notification = createAssistGateway(config, { reportBudget: budget, retry: { attempts: 1 } });
    const since = { since: new Date(Date.UTC(2010, 8, 1)) };
    expect((await sync.bills({ orderNumber: 'A-1001' }, since)).ok).toBe(true);
    const refused = await notification.bills({ billNumber: '1000000000000001' }, since);
    expect(refused).toMatchObject({ ok: false, error: { kind: 'rate_limited' } });
    expect(await sync.report({ from: new Date(0), to: new Date(60_000) })).toMatchObject({
      error: { kind: 'rate_limited' },
    });
    expect(requests).toBe(1);
    expect(LEGACY_REPORT_INTERVAL_SECONDS).toBe(600);
  });
});
