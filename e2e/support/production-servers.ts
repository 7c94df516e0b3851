import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { DEMO_MERCHANT } from '../../lib/sandbox/demo-merchant';
import base from '../../playwright.config';

/**
 * The browser suites that run the production build as a live shop runs (`npm start` with
 * ASSIST_MODE=gateway and the demo merchant's credentials, as a merchant's staging against ASSIST's test
 * host would), in front of a sandbox gateway started on its own port by the suite's serve-gateway script:
 * playwright.security.config.ts and playwright.multi.config.ts. Both need `npm run build` first.
 */
export type ProductionSuite = {
  testDir: string;
  timeout: number;
  baseURL: string;
  gateway: { script: string; url: string; env: Record<string, string> };
  shops: Array<{ url: string; env: Record<string, string> }>;
  databaseUrl: string;
  cronSecret: string;
};

export function productionSuiteConfig(suite: ProductionSuite) {
  return defineConfig({
    testDir: suite.testDir,
    // CI runs these suites at once: each keeps its artifacts apart (a run empties its output folder).
    outputDir: `test-results/${path.basename(suite.testDir)}`,
    fullyParallel: false,
    workers: 1,
    retries: 0,
    timeout: suite.timeout,
    expect: { timeout: 15_000 },
    reporter: process.env.PLAYWRIGHT_JSON
      ? [['list'], ['json', { outputFile: process.env.PLAYWRIGHT_JSON }]]
      : [['list']],
    use: {
      baseURL: suite.baseURL,
      trace: base.use?.trace,
      ...devices['Desktop Chrome'],
      // The browser the default browser tests use.
      launchOptions: base.use?.launchOptions,
    },
    // Started in this order, each once the previous answers: the gateway script prepares the database.
    webServer: [
      {
        name: 'gateway',
        command: `node --conditions=react-server --import tsx ${suite.gateway.script}`,
        url: `${suite.gateway.url}/__faults`,
        timeout: 120_000,
        reuseExistingServer: false,
        stdout: 'pipe',
        env: suite.gateway.env,
      },
      ...suite.shops.map((shop) => {
        const port = new URL(shop.url).port;
        return {
          name: `shop :${port}`,
          command: 'npm start',
          url: `${shop.url}/api/health`,
          timeout: 120_000,
          reuseExistingServer: false,
          stdout: 'pipe' as const,
          env: {
            NODE_ENV: 'production',
            PORT: port,
            APP_URL: shop.url,
            DATABASE_URL: suite.databaseUrl,
            ASSIST_MODE: 'gateway',
            ASSIST_SERVER: suite.gateway.url,
            ASSIST_TEST_MODE: '1',
            ASSIST_MERCHANT_ID: DEMO_MERCHANT.merchantId,
            ASSIST_LOGIN: DEMO_MERCHANT.login,
            ASSIST_PASSWORD: DEMO_MERCHANT.password,
            ASSIST_SECRET: DEMO_MERCHANT.secret,
            CRON_SECRET: suite.cronSecret,
            NEXT_TELEMETRY_DISABLED: '1',
            ...shop.env,
          },
        };
      }),
    ],
  });
}
