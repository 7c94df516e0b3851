import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { ensureDataDir } from './data-dir';
import * as schema from './schema';

/** Both engines share this surface: queries, transactions and the relational API over one schema. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export type DatabaseTarget = { kind: 'postgres'; url: string } | { kind: 'pglite'; dir: string | 'memory' };

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
  options: { poolSize?: number } = {},
): Promise<Database> {
  if (target.kind === 'postgres') {
    const sql = postgres(target.url, {
      max: options.poolSize ?? 10,
      onnotice: () => {},
      connect_timeout: 10,
    });
    // Fail here, with the driver's message, rather than on the first page render.
    await sql`select 1`;
    const db = drizzlePostgres(sql, { schema }) as unknown as Db;
    return {
      db,
      kind: 'postgres',
      migrate: () => migratePostgres(drizzlePostgres(sql), { migrationsFolder: MIGRATIONS_FOLDER }),
      close: () => sql.end({ timeout: 5 }),
    };
  }
  if (target.dir !== 'memory') ensureDataDir(target.dir, 'PGLITE_DIR');
  const client = target.dir === 'memory' ? new PGlite() : new PGlite(path.resolve(target.dir));
  await client.waitReady;
  const pglite = drizzlePglite(client, { schema });
  return {
    db: pglite as unknown as Db,
    kind: 'pglite',
    migrate: () => migratePglite(pglite, { migrationsFolder: MIGRATIONS_FOLDER }),
    close: () => client.close(),
  };
}
