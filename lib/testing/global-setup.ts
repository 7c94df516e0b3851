import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
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
 * Vitest global setup for the projects that open databases: what every test database then copies (PGlite:
 * a dumped, migrated data folder; PostgreSQL: a migrated template database). The paths reach the test
 * processes through the environment, which they inherit.
 *
 * Vitest runs a global setup once per project, and `npm test` has two projects that open databases: the
 * work is shared within the process, and the last project's teardown cleans up.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const shared = globalThis as typeof globalThis & { [RUN]?: { ready: Promise<Cleanup>; users: number } };
  shared[RUN] ??= { ready: prepare(), users: 0 };
  const run = shared[RUN];
  run.users++;
  const cleanup = await run.ready;
  return async () => {
    if (--run.users > 0) return;
    delete shared[RUN];
    await cleanup();
  };
}

type Cleanup = () => Promise<void>;
const RUN = Symbol.for('assist-storefront.test-templates');

/**
 * Initialising and migrating a PGlite data folder costs about ten seconds of CPU, so the dumps are kept
 * in node_modules/.cache, named by everything their contents follow from: the migration files and the
 * PGlite and drizzle versions. A changed migration makes a new dump; `npm ci` starts from none.
 */
const CACHE_DIR = path.join(process.cwd(), 'node_modules', '.cache', 'assist-tests');

async function prepare(): Promise<Cleanup> {
  let blank: Promise<Blob> | undefined;
  for (const [env, folder] of [
    [TEMPLATE_ENV.pglite, MIGRATIONS_FOLDER],
    [TEMPLATE_ENV.sandbox, defaultMigrationsFolder()],
  ] as const) {
    const file = path.join(CACHE_DIR, `pglite-${templateKey(folder)}.tar`);
    if (!existsSync(file)) {
      blank ??= initialisedDataFolder();
      await writePgliteTemplate(file, folder, await blank);
    }
    process.env[env] = file;
  }

  const serverUrl = testServerUrl();
  if (!serverUrl) return async () => {};
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
  return async () => {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end({ timeout: 5 });
  };
}

/**
 * What the test folders trim from a new data folder: every test database is a PGlite instance started
 * from a copy of one, about seventy per run, and half of each start went to zeroing the default 128 MB of
 * shared buffers and unpacking the two template databases no test copies (measured: 580 -> 300 ms of CPU
 * per start). Part of the cache key, so a change here makes new folders.
 */
const TEST_FOLDER_SETTINGS = [
  "alter system set shared_buffers = '16MB'",
  "update pg_database set datistemplate = false where datname in ('template0', 'template1')",
  'drop database template0',
  'drop database template1',
  'checkpoint',
];

/** An empty PGlite data folder (initdb is the slow part: done once, then copied). */
async function initialisedDataFolder(): Promise<Blob> {
  const client = new PGlite();
  // dumpDataDir before the instance is ready never settles.
  await client.waitReady;
  for (const statement of TEST_FOLDER_SETTINGS) await client.exec(statement);
  const dump = await client.dumpDataDir('none');
  await client.close();
  return dump;
}

async function writePgliteTemplate(file: string, migrationsFolder: string, blank: Blob): Promise<void> {
  const client = new PGlite({ loadDataDir: blank });
  await client.waitReady;
  await migratePglite(drizzlePglite(client), { migrationsFolder });
  const dump = Buffer.from(await (await client.dumpDataDir('none')).arrayBuffer());
  await client.close();
  mkdirSync(CACHE_DIR, { recursive: true });
  // Renamed into place, so a run started meanwhile never reads half a file.
  const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(partial, dump);
  renameSync(partial, file);
}

function templateKey(migrationsFolder: string): string {
  const hash = createHash('sha256').update(`${TEST_FOLDER_SETTINGS.join('\n')}\n`);
  for (const pkg of ['@electric-sql/pglite', 'drizzle-orm']) {
    const manifest = path.join(process.cwd(), 'node_modules', pkg, 'package.json');
    hash.update(`${pkg}@${(JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version}\n`);
  }
  for (const file of filesUnder(migrationsFolder)) {
    hash.update(`${path.relative(migrationsFolder, file)}\n`).update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? filesUnder(full) : [full];
    });
}
