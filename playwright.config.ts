import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

/**
 * Browser tests run against the demo configuration (embedded database + sandbox gateway) on a
 * production build. Playwright cannot download browsers on our machines, so the system Chromium is
 * used when present; elsewhere Playwright's own browser.
 */
const port = Number(process.env.E2E_PORT ?? 3100);
// The demo prints fresh passwords and a fresh cron secret at every start; the browser tests pin them
// instead, for both the demo server and the test process.
process.env.DEMO_ADMIN_PASSWORD ??= 'e2e-admin-password-not-secret';
process.env.DEMO_VIEWER_PASSWORD ??= 'e2e-viewer-password-not-secret';
process.env.CRON_SECRET ??= 'e2e-cron-secret-not-secret';
const baseURL = `http://localhost:${port}`;
const chromiumPath =
  process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

const legacy = process.env.ASSIST_PROTOCOL === 'legacy';

export default defineConfig({
  testDir: 'e2e',
  // The legacy-protocol journeys need a demo started with ASSIST_PROTOCOL=legacy (a separate CI step);
  // the two-instance and security suites have configs of their own.
  testMatch: legacy ? 'legacy/**/*.spec.ts' : '**/*.spec.ts',
  testIgnore: legacy ? [] : ['legacy/**', 'multi-instance/**', 'security/**'],
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.PLAYWRIGHT_JSON
    ? [['list'], ['json', { outputFile: process.env.PLAYWRIGHT_JSON }]]
    : [['list']],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    ...devices['Desktop Chrome'],
    launchOptions: chromiumPath
      ? {
          executablePath: chromiumPath,
          args: [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        }
      : {},
  },
  webServer: {
    command: 'npm run demo -- --no-build --fresh',
    url: `${baseURL}/`,
    timeout: 120_000,
    reuseExistingServer: !process.env.CI,
    stdout: 'pipe',
    env: {
      PORT: String(port),
      PGLITE_DIR: '.data/e2e/pglite',
      SANDBOX_DIR: '.data/e2e/sandbox',
      NEXT_TELEMETRY_DISABLED: '1',
      DEMO_ADMIN_PASSWORD: process.env.DEMO_ADMIN_PASSWORD,
      DEMO_VIEWER_PASSWORD: process.env.DEMO_VIEWER_PASSWORD,
      CRON_SECRET: process.env.CRON_SECRET,
      // The journeys drop notifications and read the sandbox's own records (/__faults, /__bills),
      // wait for an abandoned bill to time out, and run the sync themselves without waiting long.
      SANDBOX_FAULTS: '1',
      SANDBOX_BILL_TIMEOUT_SECONDS: '30',
      ASSIST_SYNC_MIN_INTERVAL_SECONDS: '10',
      // The legacy journeys confirm payments through results.cfm re-reads: the sandbox answers them at any
      // rate, so the shop's once-per-10-minutes budget (tested on its own in lib/payments) is switched off.
      ASSIST_LEGACY_REPORT_INTERVAL_SECONDS: '0',
      // The admin security test sends X-Forwarded-For as a proxy in front of the shop would.
      TRUSTED_PROXY_HOPS: '1',
    },
  },
});
