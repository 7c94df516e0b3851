/**
 * How this app connects to PostgreSQL: pure, so the pooler rules are unit-tested without a server.
 *
 * A transaction-mode pooler (PgBouncer `pool_mode = transaction`, and the managed poolers of Neon,
 * Supabase and Vercel Postgres) hands each transaction to whichever server connection is free. A named
 * prepared statement lives on one server connection, so the next transaction may not find it; and a
 * startup parameter such as `statement_timeout` is refused by PgBouncer ("unsupported startup
 * parameter"). Behind such a pooler both are off.
 */

export type PoolSettings = {
  /** Connections this process may open (postgres.js `max`). */
  max: number;
  /** Seconds an unused connection stays open; 0 keeps it. */
  idleTimeoutSeconds: number;
  /** Server-side limit per statement in ms; 0 = none. Sent at connect, so not behind a pooler. */
  statementTimeoutMs: number;
};

export const POOL_DEFAULTS = {
  /** A long-running server: a few requests at a time per process. */
  server: { max: 10, idleTimeoutSeconds: 300, statementTimeoutMs: 30_000 },
  /** Serverless (VERCEL is set): many short-lived instances, so few connections each, released soon. */
  serverless: { max: 2, idleTimeoutSeconds: 5, statementTimeoutMs: 30_000 },
} as const satisfies Record<string, PoolSettings>;

const POOLER_PARAM = 'pgbouncer';

/**
 * Whether `url` says it goes through a transaction-mode pooler (`?pgbouncer=true`, the convention
 * Prisma made common), and the URL without that parameter: postgres.js would otherwise send it to the
 * server as a startup parameter, which both PgBouncer and PostgreSQL refuse.
 */
export function splitPoolerFlag(url: string): { url: string; pooled: boolean } {
  const parsed = new URL(url);
  const value = parsed.searchParams.get(POOLER_PARAM);
  if (value === null) return { url, pooled: false };
  parsed.searchParams.delete(POOLER_PARAM);
  return { url: parsed.toString(), pooled: value === 'true' || value === '1' };
}

export type PostgresClientOptions = {
  max: number;
  idle_timeout: number | undefined;
  prepare: boolean;
  connection: Record<string, string>;
};

/** postgres.js options for one pool: named statements and startup settings only on a direct connection. */
export function postgresClientOptions(
  pool: PoolSettings,
  pooled: boolean,
  overrides: { max?: number } = {},
): PostgresClientOptions {
  return {
    max: overrides.max ?? pool.max,
    idle_timeout: pool.idleTimeoutSeconds > 0 ? pool.idleTimeoutSeconds : undefined,
    prepare: !pooled,
    connection:
      !pooled && pool.statementTimeoutMs > 0 ? { statement_timeout: String(pool.statementTimeoutMs) } : {},
  };
}
