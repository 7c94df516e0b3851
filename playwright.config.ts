import { existsSync } from 'node:fs';
import { defineConfig, devices, type PlaywrightTestConfig } from '@playwright/test';

/**
 * Browser tests run against the demo configuration (embedded database + sandbox gateway) on a
 * production build. Playwright cannot download browsers on our machines, so the system Chromium is
 * used when present; elsewhere Playwright's own browser.
 *
 * The tests share state through their shop (the sandbox's armed faults, the sync's minimum interval,
 * sign-in limits), so each project has a demo of its own with its own data folders and runs its files one
 * after another; the projects run side by side. Much of a journey is waiting (a bill timing out, the next
 * allowed sync), which the other shops' tests fill.
 */
const port = Number(process.env.E2E_PORT ?? 3100);
// The demo prints fresh passwords and a fresh cron secret at every start; the browser tests pin them
// instead, for both the demo servers and the test process.
process.env.DEMO_ADMIN_PASSWORD ??= 'e2e-admin-password-not-secret';
process.env.DEMO_VIEWER_PASSWORD ??= 'e2e-viewer-password-not-secret';
process.env.CRON_SECRET ??= 'e2e-cron-secret-not-secret';
const chromiumPath =
  process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

type Shop = {
  name: string;
  port: number;
  testMatch: string | string[];
  /** Files matched but left to another project; the separately configured suites are always left out. */
  testIgnore?: string[];
  grep?: RegExp | RegExp[];
  /** Environment of this project's demo on top of the common one below. */
  env: Record<string, string>;
};

/** Files of the two current-protocol shops, split so that each takes about as long. */
const SHOP_1 = ['journeys.spec.ts', 'payment.spec.ts', 'admin.spec.ts'];
// With E2E_DATABASE_URL (an empty PostgreSQL database) the first journey runs again on a demo that uses
// it, and that demo also takes these files off shop-2, which had the longest queue.
const postgresUrl = process.env.E2E_DATABASE_URL;
const POSTGRES_ALSO = ['a11y.spec.ts', 'experience.spec.ts'];

const shops: Shop[] = [
  { name: 'shop-1', port, testMatch: SHOP_1, env: {} },
  // Every top-level spec that shop-1 (or the PostgreSQL demo) does not take.
  {
    name: 'shop-2',
    port: port + 1,
    testMatch: '*.spec.ts',
    testIgnore: [...SHOP_1, 'legacy/**', ...(postgresUrl ? POSTGRES_ALSO : [])],
    env: {},
  },
  // The legacy-protocol journeys need a demo that speaks the legacy protocol.
  { name: 'legacy', port: port + 2, testMatch: 'legacy/*.spec.ts', env: { ASSIST_PROTOCOL: 'legacy' } },
  ...(postgresUrl
    ? [
        {
          name: 'postgres',
          port: port + 3,
          testMatch: ['payment.spec.ts', ...POSTGRES_ALSO],
          // Matched against the title path, which holds the file's name.
          grep: [
            /journey: two products/,
            ...POSTGRES_ALSO.map((file) => new RegExp(file.replaceAll('.', '\\.'))),
          ],
          env: { DATABASE_URL: postgresUrl },
        },
      ]
    : []),
];

// The two-instance and security suites have configs of their own.
const OWN_CONFIGS = ['multi-instance/**', 'security/**'];

const projects: PlaywrightTestConfig['projects'] = shops.map((shop) => ({
  name: shop.name,
  testMatch: shop.testMatch,
  testIgnore: [...OWN_CONFIGS, ...(shop.testIgnore ?? [])],
  grep: shop.grep,
  workers: 1,
  use: { baseURL: `http://localhost:${shop.port}` },
}));

const webServer: PlaywrightTestConfig['webServer'] = shops.map((shop) => ({
  name: shop.name,
  command: 'npm run demo -- --no-build --fresh',
  url: `http://localhost:${shop.port}/`,
  timeout: 120_000,
  reuseExistingServer: !process.env.CI,
  stdout: 'pipe' as const,
  env: {
    PORT: String(shop.port),
    PGLITE_DIR: `.data/e2e/${shop.name}/pglite`,
    SANDBOX_DIR: `.data/e2e/${shop.name}/sandbox`,
    // Empty means unset: a DATABASE_URL or ASSIST_PROTOCOL in the caller's environment reaches only
    // the project that asks for it.
    DATABASE_URL: '',
    ASSIST_PROTOCOL: '',
    NEXT_TELEMETRY_DISABLED: '1',
    // The tests run every sync themselves (e2e/gateway.ts runCronSync), none by the demo's own loop.
    DEMO_CRON: '0',
    DEMO_ADMIN_PASSWORD: process.env.DEMO_ADMIN_PASSWORD ?? '',
    DEMO_VIEWER_PASSWORD: process.env.DEMO_VIEWER_PASSWORD ?? '',
    CRON_SECRET: process.env.CRON_SECRET ?? '',
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
    ...shop.env,
  },
}));

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/e2e',
  fullyParallel: false,
  workers: shops.length,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.PLAYWRIGHT_JSON
    ? [['list'], ['json', { outputFile: process.env.PLAYWRIGHT_JSON }]]
    : [['list']],
  use: {
    // CI keeps only what it prints, so a trace recorded for every test there is work thrown away.
    trace: process.env.CI ? 'off' : 'retain-on-failure',
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
  projects,
  webServer,
});
