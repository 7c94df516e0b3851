import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import postgres from 'postgres';
import { MIGRATIONS_FOLDER, openDatabase } from '@/lib/db/connect';
import { splitPoolerFlag } from '@/lib/db/postgres-options';
import { TEMPLATE_ENV, testServerUrl, withDatabase } from '@/lib/db/testing';
import { defaultMigrationsFolder } from '@/lib/sandbox/db';

/**
 * Vitest global setup for the projects that open databases: migrates once per run what every test
 * database then copies (PGlite: a dumped data folder; PostgreSQL: a template database). The paths
 * reach the test processes through the environment, which they inherit.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const dir = mkdtempSync(path.join(tmpdir(), 'assist-tests-'));
  const cleanups: Array<() => Promise<void>> = [async () => rmSync(dir, { recursive: true, force: true })];

  // Initialising a PGlite data folder is the slow part (seconds); do it once and copy the result.
  const blank = new PGlite();
  // dumpDataDir before the instance is ready never settles.
  await blank.waitReady;
  const empty = await blank.dumpDataDir('none');
  await blank.close();
  for (const [env, folder] of [
    [TEMPLATE_ENV.pglite, MIGRATIONS_FOLDER],
    [TEMPLATE_ENV.sandbox, defaultMigrationsFolder()],
  ] as const) {
    const client = new PGlite({ loadDataDir: empty });
    await client.waitReady;
    await migratePglite(drizzlePglite(client), { migrationsFolder: folder });
    const file = path.join(dir, `${env.toLowerCase()}.tar`);
    writeFileSync(file, Buffer.from(await (await client.dumpDataDir('none')).arrayBuffer()));
    await client.close();
    process.env[env] = file;
  }

  const serverUrl = testServerUrl();
  if (serverUrl) {
    // Created over the direct URL when a pooler is in front, as test databases are (lib/db/testing.ts).
    const directUrl = splitPoolerFlag(process.env.TEST_DATABASE_URL_DIRECT || serverUrl).url;
    // Per run, so parallel runs on one server never copy a template another run is changing.
    const name = `test_template_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
    const admin = postgres(directUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    const template = await openDatabase(
      { kind: 'postgres', url: withDatabase(directUrl, name) },
      { poolSize: 1 },
    );
    await template.migrate();
    // A database can only be copied while nobody is connected to it.
    await template.close();
    process.env[TEMPLATE_ENV.postgres] = name;
    cleanups.push(async () => {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end({ timeout: 5 });
    });
  }

  return async () => {
    for (const cleanup of cleanups) await cleanup();
  };
}
