import { CRON_SECRET, databaseUrl, SANDBOX_URL, SHOP_A, SHOP_B } from './e2e/multi-instance/cluster';
import { productionSuiteConfig } from './e2e/support/production-servers';

/**
 * `npm run test:multi` (issue #8): two production instances of the shop, separate processes on two
 * ports, share one PostgreSQL (DATABASE_URL, an empty database) and one sandbox gateway running on its
 * own. Needs `npm run build` first.
 */
const database = databaseUrl();

const shop = (url: string) => ({
  url,
  env: {
    ASSIST_SYNC_MIN_INTERVAL_SECONDS: '600',
    // The return page may not ask the gateway, so a bill reaches the shop only by the notification or
    // the sync the tests send: otherwise it could be recorded before the race the test is about.
    ASSIST_RETURN_CHECKS_PER_MINUTE: '0',
  },
});

export default productionSuiteConfig({
  testDir: 'e2e/multi-instance',
  timeout: 90_000,
  // Customers shop on instance A; the admin test opens B itself.
  baseURL: SHOP_A,
  gateway: {
    script: 'e2e/multi-instance/serve-gateway.ts',
    url: SANDBOX_URL,
    env: { DATABASE_URL: database },
  },
  databaseUrl: database,
  cronSecret: CRON_SECRET,
  shops: [shop(SHOP_A), shop(SHOP_B)],
});
