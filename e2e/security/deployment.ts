/**
 * The deployment `npm run test:security` attacks (playwright.security.config.ts): a production build of
 * the shop started with `npm start` on a PostgreSQL database of its own, ASSIST_SECRET set, in front of a
 * sandbox gateway running on its own port, as a live shop in front of ASSIST would be.
 */
const port = Number(process.env.SECURITY_PORT ?? 3120);
export const SHOP_URL = `http://localhost:${port}`;
export const GATEWAY_URL = `http://127.0.0.1:${port + 1}`;

/** Test-only values, pinned so that the test process can use them. */
export const CRON_SECRET = 'security-suite-cron-secret-not-secret';
export const ADMIN = { email: 'owner@security.example', password: 'security-suite-admin-password' };
/** Kept low so the suite can reach the limits quickly. */
export const REREADS_PER_MINUTE = 6;
export const ORDERS_PER_CLIENT_PER_HOUR = 3;

/**
 * The suite's own database: SECURITY_DATABASE_URL, or `assist_security_<port>` on the server
 * TEST_DATABASE_URL/DATABASE_URL names (created fresh, dropped at the end).
 */
export function databaseUrl(): string {
  if (process.env.SECURITY_DATABASE_URL) return process.env.SECURITY_DATABASE_URL;
  const server = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (!server)
    throw new Error(
      'npm run test:security needs a PostgreSQL server: set TEST_DATABASE_URL (or DATABASE_URL, or ' +
        'SECURITY_DATABASE_URL for a database of its own), e.g. postgres://postgres@127.0.0.1:5432/postgres',
    );
  const url = new URL(server);
  url.pathname = `/assist_security_${port}`;
  return url.toString();
}
