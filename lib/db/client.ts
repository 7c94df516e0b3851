import 'server-only';
import { getEnv } from '@/lib/env';
import { onShutdown } from '@/lib/ops/shutdown';
import { type Database, openDatabase } from './connect';

export type { Database, Db } from './connect';

const cache = globalThis as typeof globalThis & { __assistStorefrontDb?: Promise<Database> };

/**
 * The process-wide database. Cached on globalThis because pages, route handlers and instrumentation
 * are separate bundles in Next, and PGlite must be opened once per process.
 */
export function getDatabase(): Promise<Database> {
  if (!cache.__assistStorefrontDb) {
    const opening = openDatabase(getEnv().database);
    cache.__assistStorefrontDb = opening;
    opening.then(
      (database) => onShutdown('database', () => database.close()),
      () => {
        if (cache.__assistStorefrontDb === opening) cache.__assistStorefrontDb = undefined;
      },
    );
  }
  return cache.__assistStorefrontDb;
}

/** The Drizzle database for the configured engine (PostgreSQL with DATABASE_URL, else PGlite). */
export async function getDb() {
  return (await getDatabase()).db;
}
