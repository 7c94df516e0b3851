import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { type Database, openDatabase } from './connect';
import { splitPoolerFlag } from './postgres-options';

export type TestDatabase = Database & { label: string };

/** The PostgreSQL server tests use when one is configured; otherwise tests run on in-memory PGlite. */
export function testServerUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;
}

/**
 * A fresh, migrated database for one test file: a new database on the configured PostgreSQL server
 * (dropped on close), or an in-memory PGlite.
 */
export async function createTestDatabase(
  options: { engine?: 'pglite' | 'postgres' } = {},
): Promise<TestDatabase> {
  const serverUrl = testServerUrl();
  const engine = options.engine ?? (serverUrl ? 'postgres' : 'pglite');
  if (engine === 'pglite') {
    const database = await openDatabase({ kind: 'pglite', dir: 'memory' });
    await database.migrate();
    return { ...database, label: 'pglite' };
  }
  if (!serverUrl) throw new Error('a PostgreSQL test needs TEST_DATABASE_URL or DATABASE_URL');
  // With a pooler in front (TEST_DATABASE_URL at PgBouncer, `?pgbouncer=true`), the database is created
  // and migrated over the direct URL, as a deployment does, and the test's queries go through the pooler.
  const directServerUrl = process.env.TEST_DATABASE_URL_DIRECT || serverUrl;
  const name = `test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(splitPoolerFlag(directServerUrl).url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const database = await openDatabase({
    kind: 'postgres',
    url: withDatabase(serverUrl, name),
    directUrl: withDatabase(directServerUrl, name),
  });
  await database.migrate();
  return {
    ...database,
    label: directServerUrl === serverUrl ? 'postgres' : 'postgres via pooler',
    close: async () => {
      await database.close();
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}

function withDatabase(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
