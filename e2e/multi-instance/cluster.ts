/**
 * The deployment the multi-instance test builds (playwright.multi.config.ts), shared by the config, the
 * gateway script and the spec: one standalone sandbox gateway, two shop instances on one PostgreSQL.
 * Fixed ports, so a stray server from an earlier run makes the start fail instead of being reused.
 */
export const SANDBOX_URL = 'http://127.0.0.1:3110';
export const SHOP_A = 'http://localhost:3111';
export const SHOP_B = 'http://localhost:3112';

/** Test-only values, pinned so the test process can use them (like the e2e demo's DEMO_ADMIN_PASSWORD). */
export const CRON_SECRET = 'multi-instance-cron-secret-not-secret';
export const ADMIN_PASSWORD = 'multi-instance-admin-password';
/** Two staff members, so the charge race is between two people, one on each instance. */
export const ADMINS = ['olga@multi.example', 'pavel@multi.example'] as const;

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url)
    throw new Error(
      'The multi-instance test needs DATABASE_URL naming an empty PostgreSQL database ' +
        '(e.g. createdb multi_test && DATABASE_URL=postgres://postgres@127.0.0.1:5432/multi_test npm run test:multi).',
    );
  return url;
}
