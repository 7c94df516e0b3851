import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { type Database, openDatabase } from './connect';
import { splitPoolerFlag } from './postgres-options';

export type TestDatabase = Database & { label: string };

/**
 * Set by the test run's global setup (lib/testing/global-setup.ts): a dumped PGlite data folder and a
 * PostgreSQL database, both already migrated, that every test database starts as a copy of. Migrating
 * each test file's database from scratch was most of the suite's time.
 */
export const TEMPLATE_ENV = {
  pglite: 'TEST_PGLITE_TEMPLATE',
  postgres: 'TEST_POSTGRES_TEMPLATE',
  sandbox: 'TEST_SANDBOX_PGLITE_TEMPLATE',
} as const;

/** The PostgreSQL server tests use when one is configured; otherwise tests run on in-memory PGlite. */
export function testServerUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;
}

/** The engines a database test runs on: PGlite always, PostgreSQL too when a server is given. */
export function testEngines(): Array<'pglite' | 'postgres'> {
  return testServerUrl() ? ['pglite', 'postgres'] : ['pglite'];
}

const templates = new Map<string, Blob>();

/** One of the run's dumped PGlite data folders, read once per test process. */
export function readPgliteTemplate(file: string | undefined): Blob | undefined {
  if (!file) return undefined;
  let blob = templates.get(file);
  if (!blob) {
    blob = new Blob([readFileSync(file)]);
    templates.set(file, blob);
  }
  return blob;
}

/**
 * A fresh, migrated database for one test file: a new database on the configured PostgreSQL server
 * (dropped on close), or an in-memory PGlite. Both start as a copy of the run's migrated template when
 * there is one; `fresh` migrates an empty database instead (the test of the migrations themselves).
 */
export async function createTestDatabase(
  options: { engine?: 'pglite' | 'postgres'; fresh?: boolean } = {},
): Promise<TestDatabase> {
  const serverUrl = testServerUrl();
  const engine = options.engine ?? (serverUrl ? 'postgres' : 'pglite');
  if (engine === 'pglite') {
    const template = options.fresh ? undefined : readPgliteTemplate(process.env[TEMPLATE_ENV.pglite]);
    const database = await openDatabase({ kind: 'pglite', dir: 'memory' }, { loadDataDir: template });
    // Applies nothing on a current template; a template older than the migration folder catches up.
    await database.migrate();
    return { ...database, label: 'pglite' };
  }
  if (!serverUrl) throw new Error('a PostgreSQL test needs TEST_DATABASE_URL or DATABASE_URL');
  // With a pooler in front (TEST_DATABASE_URL at PgBouncer, `?pgbouncer=true`), the database is created
  // and migrated over the direct URL, as a deployment does, and the test's queries go through the pooler.
  const directServerUrl = process.env.TEST_DATABASE_URL_DIRECT || serverUrl;
  const name = `test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const template = options.fresh ? undefined : process.env[TEMPLATE_ENV.postgres];
  const admin = postgres(splitPoolerFlag(directServerUrl).url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"${template ? ` template "${template}"` : ''}`);
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

export function withDatabase(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
