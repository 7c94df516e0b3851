import {
  CRON_SECRET,
  databaseUrl,
  GATEWAY_URL,
  ORDERS_PER_CLIENT_PER_HOUR,
  REREADS_PER_MINUTE,
  SHOP_URL,
} from './e2e/security/deployment';
import { productionSuiteConfig } from './e2e/support/production-servers';

/**
 * `npm run test:security` (issue #14): hostile requests against a production build (`npm run build`
 * first) started with `npm start` on PostgreSQL, each asserting the status, that nothing was stored and
 * that nothing changed for the victim. SECURITY_PORT (default 3120) and the next port are used.
 */
const database = databaseUrl();
process.env.SECURITY_DATABASE_URL ??= database;

export default productionSuiteConfig({
  testDir: 'e2e/security',
  timeout: 120_000,
  baseURL: SHOP_URL,
  gateway: {
    script: 'e2e/security/serve-gateway.ts',
    url: GATEWAY_URL,
    env: { SECURITY_DATABASE_URL: database },
  },
  databaseUrl: database,
  cronSecret: CRON_SECRET,
  shops: [
    {
      url: SHOP_URL,
      env: {
        ASSIST_SYNC_MIN_INTERVAL_SECONDS: '0',
        ASSIST_RETURN_CHECKS_PER_MINUTE: '0',
        ASSIST_NOTIFICATION_REREADS_PER_MINUTE: String(REREADS_PER_MINUTE),
        ORDERS_PER_CLIENT_PER_HOUR: String(ORDERS_PER_CLIENT_PER_HOUR),
        // No trusted proxy: X-Forwarded-For is the client's own words and must change nothing.
        TRUSTED_PROXY_HOPS: '0',
      },
    },
  ],
});
