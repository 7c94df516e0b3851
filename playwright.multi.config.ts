import { defineConfig, devices } from '@playwright/test';
import { CRON_SECRET, databaseUrl, SANDBOX_URL, SHOP_A, SHOP_B } from './e2e/multi-instance/cluster';
import { DEMO_MERCHANT } from './lib/sandbox/demo-merchant';
import base from './playwright.config';

/**
 * `npm run test:multi` (issue #8): two production instances of the shop, separate processes on two
 * ports, share one PostgreSQL (DATABASE_URL, an empty database) and one sandbox gateway running on its
 * own. Needs `npm run build` first. The browser is the one the default browser tests use.
 */
const database = databaseUrl();

/**
 * Configured as a live shop pointed at a test host (ASSIST_MODE=gateway with the demo merchant's
 * credentials), as a merchant's staging against ASSIST's test host would run, rather than as the demo.
 */
function shop(url: string) {
  const port = new URL(url).port;
  return {
    name: `shop :${port}`,
    command: 'npm start',
    url: `${url}/api/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'pipe' as const,
    env: {
      NODE_ENV: 'production',
      PORT: port,
      APP_URL: url,
      DATABASE_URL: database,
      ASSIST_MODE: 'gateway',
      ASSIST_SERVER: SANDBOX_URL,
      ASSIST_TEST_MODE: '1',
      ASSIST_MERCHANT_ID: DEMO_MERCHANT.merchantId,
      ASSIST_LOGIN: DEMO_MERCHANT.login,
      ASSIST_PASSWORD: DEMO_MERCHANT.password,
      ASSIST_SECRET: DEMO_MERCHANT.secret,
      CRON_SECRET,
      ASSIST_SYNC_MIN_INTERVAL_SECONDS: '600',
      // The return page may not ask the gateway, so a bill reaches the shop only by the notification or
      // the sync the tests send: otherwise it could be recorded before the race the test is about.
      ASSIST_RETURN_CHECKS_PER_MINUTE: '0',
      NEXT_TELEMETRY_DISABLED: '1',
    },
  };
}

export default defineConfig({
  testDir: 'e2e/multi-instance',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: process.env.PLAYWRIGHT_JSON
    ? [['list'], ['json', { outputFile: process.env.PLAYWRIGHT_JSON }]]
    : [['list']],
  use: {
    // Customers shop on instance A; the admin test opens B itself.
    baseURL: SHOP_A,
    trace: 'retain-on-failure',
    ...devices['Desktop Chrome'],
    launchOptions: base.use?.launchOptions,
  },
  // Started in this order, each once the previous answers: the gateway script prepares the database.
  webServer: [
    {
      name: 'gateway',
      command: 'node --conditions=react-server --import tsx e2e/multi-instance/serve-gateway.ts',
      url: `${SANDBOX_URL}/__faults`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      env: { DATABASE_URL: database },
    },
    shop(SHOP_A),
    shop(SHOP_B),
  ],
});
