import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { ensureDataDir } from './data-dir';
import { POOL_DEFAULTS, type PoolSettings, postgresClientOptions, splitPoolerFlag } from './postgres-options';
import * as schema from './schema';
import { countWrites } from './write-generation';

/** Both engines share this surface: queries, transactions and the relational API over one schema. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** The handle a `db.transaction()` callback receives. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** The rows of a raw `execute()`: postgres.js answers an array of them, PGlite `{ rows }`. */
export function resultRows<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

export type PostgresTarget = {
  kind: 'postgres';
  /** `?pgbouncer=true` in it means `pooled`. */
  url: string;
  /** Behind a transaction-mode pooler: no named prepared statements, no startup settings. */
  pooled?: boolean;
  /** A direct (unpooled) URL for migrations, as managed providers ask; default `url`. */
  directUrl?: string;
  pool?: PoolSettings;
};

export type DatabaseTarget = PostgresTarget | { kind: 'pglite'; dir: string | 'memory' };

export type Database = {
  db: Db;
  kind: DatabaseTarget['kind'];
  migrate(): Promise<void>;
  close(): Promise<void>;
};

export const MIGRATIONS_FOLDER = path.join(process.cwd(), 'drizzle');

/**
 * Opens a database without caching it: scripts and tests call this directly, the app goes through
 * `getDatabase()` in client.ts. The same migration folder applies to both engines.
 */
export async function openDatabase(
  target: DatabaseTarget,
  options: {
    poolSize?: number;
    /** PGlite only: start from a dumped data folder (tests load one migrated template per run). */
    loadDataDir?: Blob;
  } = {},
): Promise<Database> {
  if (target.kind === 'postgres') return openPostgres(target, options);
  if (target.dir !== 'memory') ensureDataDir(target.dir, 'PGLITE_DIR');
  const client =
    target.dir === 'memory'
      ? new PGlite({ loadDataDir: options.loadDataDir })
      : new PGlite(path.resolve(target.dir), { loadDataDir: options.loadDataDir });
  await client.waitReady;
  return pgliteDatabase(client);
}

/**
 * A database over a ready PGlite client. `close` ends the client; the test databases pass their own,
 * which hands the client back for reuse (lib/db/testing.ts).
 */
export function pgliteDatabase(client: PGlite, close = () => client.close()): Database {
  const pglite = drizzlePglite(client, { schema });
  countWrites(client, pglite);
  return {
    db: pglite as unknown as Db,
    kind: 'pglite',
    migrate: () => migratePglite(pglite, { migrationsFolder: MIGRATIONS_FOLDER }),
    close,
  };
}

async function openPostgres(target: PostgresTarget, options: { poolSize?: number }): Promise<Database> {
  const { url, pooled: flagged } = splitPoolerFlag(target.url);
  const pooled = target.pooled || flagged;
  const sql = postgres(url, {
    ...postgresClientOptions(target.pool ?? POOL_DEFAULTS.server, pooled, { max: options.poolSize }),
    onnotice: () => {},
    connect_timeout: 10,
  });
  // Fail here, with the driver's message, rather than on the first page render.
  await sql`select 1`;
  const db = drizzlePostgres(sql, { schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    // Migrations get a connection of their own on the direct URL: no pooler in between, and no
    // statement timeout to cut a long index build short.
    migrate: async () => {
      const direct = splitPoolerFlag(target.directUrl ?? target.url);
      const migrator = postgres(direct.url, {
        max: 1,
        prepare: !(direct.pooled || (!target.directUrl && pooled)),
        onnotice: () => {},
        connect_timeout: 10,
      });
      try {
        await migratePostgres(drizzlePostgres(migrator), { migrationsFolder: MIGRATIONS_FOLDER });
      } finally {
        await migrator.end({ timeout: 5 });
      }
    },
    close: () => sql.end({ timeout: 5 }),
  };
}
