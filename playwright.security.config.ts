import { defineConfig, devices } from '@playwright/test';
import {
  CRON_SECRET,
  databaseUrl,
  GATEWAY_URL,
  ORDERS_PER_CLIENT_PER_HOUR,
  REREADS_PER_MINUTE,
  SHOP_URL,
} from './e2e/security/deployment';
import { DEMO_MERCHANT } from './lib/sandbox/demo-merchant';
import base from './playwright.config';

/**
 * `npm run test:security` (issue #14): hostile requests against a production build (`npm run build`
 * first) started with `npm start` on PostgreSQL, each asserting the status, that nothing was stored and
 * that nothing changed for the victim. SECURITY_PORT (default 3120) and the next port are used.
 */
const database = databaseUrl();
process.env.SECURITY_DATABASE_URL ??= database;

export default defineConfig({
  testDir: 'e2e/security',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: process.env.PLAYWRIGHT_JSON
    ? [['list'], ['json', { outputFile: process.env.PLAYWRIGHT_JSON }]]
    : [['list']],
  use: {
    baseURL: SHOP_URL,
    trace: 'retain-on-failure',
    ...devices['Desktop Chrome'],
    launchOptions: base.use?.launchOptions,
  },
  webServer: [
    {
      name: 'gateway',
      command: 'node --conditions=react-server --import tsx e2e/security/serve-gateway.ts',
      url: `${GATEWAY_URL}/__faults`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      env: { SECURITY_DATABASE_URL: database },
    },
    {
      name: 'shop',
      command: 'npm start',
      url: `${SHOP_URL}/api/health`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      env: {
        NODE_ENV: 'production',
        PORT: new URL(SHOP_URL).port,
        APP_URL: SHOP_URL,
        DATABASE_URL: database,
        ASSIST_MODE: 'gateway',
        ASSIST_SERVER: GATEWAY_URL,
        ASSIST_TEST_MODE: '1',
        ASSIST_MERCHANT_ID: DEMO_MERCHANT.merchantId,
        ASSIST_LOGIN: DEMO_MERCHANT.login,
        ASSIST_PASSWORD: DEMO_MERCHANT.password,
        ASSIST_SECRET: DEMO_MERCHANT.secret,
        CRON_SECRET,
        ASSIST_SYNC_MIN_INTERVAL_SECONDS: '0',
        ASSIST_RETURN_CHECKS_PER_MINUTE: '0',
        ASSIST_NOTIFICATION_REREADS_PER_MINUTE: String(REREADS_PER_MINUTE),
        ORDERS_PER_CLIENT_PER_HOUR: String(ORDERS_PER_CLIENT_PER_HOUR),
        // No trusted proxy: X-Forwarded-For is the client's own words and must change nothing.
        TRUSTED_PROXY_HOPS: '0',
        NEXT_TELEMETRY_DISABLED: '1',
      },
    },
  ],
});
