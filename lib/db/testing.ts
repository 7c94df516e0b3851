import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { type Database, openDatabase, pgliteDatabase } from './connect';
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
    const database = template
      ? await pgliteFromTemplate(template)
      : await openDatabase({ kind: 'pglite', dir: 'memory' });
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

/**
 * PGlite clients of closed test databases (and in-memory sandbox stores), reset to their template and
 * handed to the next one of this process. Test files share worker processes (`isolate: false`); starting
 * a client from the template took 0.3-0.5 s of CPU, 68 times in a run, and resetting one takes
 * ~35 ms (measured: 8 starts and 66 resets in a PGlite run of the database projects).
 */
const spares = new Map<Blob, PGlite[]>();
const SPARES_KEPT = 2;

/** What a client started from the template holds, to reset a used one to it. */
type TemplateState = {
  catalog: string;
  tables: string[];
  rows: Array<{ table: string; json: string }>;
  sequences: Array<{ name: string; value: string; called: boolean }>;
};
const templateStates = new Map<Blob, TemplateState>();

/** A PGlite client started from (or reset to) a dumped template, and how to give it back for reuse. */
export type TemplateClient = { client: PGlite; release: () => Promise<void> };

export async function clientFromTemplate(template: Blob): Promise<TemplateClient> {
  let client = spares.get(template)?.pop();
  if (!client) {
    client = new PGlite({ loadDataDir: template });
    await client.waitReady;
    if (!templateStates.has(template)) templateStates.set(template, await readTemplateState(client));
  }
  const state = templateStates.get(template) as TemplateState;
  const own = client;
  let released = false;
  return {
    client: own,
    release: async () => {
      if (released) return;
      released = true;
      const kept = spares.get(template) ?? [];
      let reset = false;
      try {
        reset = kept.length < SPARES_KEPT && (await resetToTemplate(own, state));
      } finally {
        if (reset) spares.set(template, [...kept, own]);
        else if (!own.closed) await own.close();
      }
    },
  };
}

async function pgliteFromTemplate(template: Blob): Promise<Database> {
  const { client, release } = await clientFromTemplate(template);
  return pgliteDatabase(client, release);
}

/** Whether a schema name is the tests' own, not the server's catalogue, toast or temporary ones. */
const userSchema = (column: string) =>
  `${column} not in ('pg_catalog', 'information_schema') and ${column} !~ '^pg_(toast|temp)'`;

/**
 * The user-visible schema as one text: a client whose tests changed it (a dropped trigger, an added
 * column) is closed instead of reused.
 */
async function catalogOf(client: PGlite): Promise<string> {
  const { rows } = await client.query<{ catalog: string }>(
    `select string_agg(entry, E'\\n' order by entry) as catalog from (
       select format('relation %s %s', c.oid::regclass, c.relkind) from pg_class c
         join pg_namespace n on n.oid = c.relnamespace where ${userSchema('n.nspname')}
       union all select format('column %s %s %s %s', a.attrelid::regclass, a.attname, a.atttypid::regtype, a.attnotnull)
         from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
         where ${userSchema('n.nspname')} and a.attnum > 0 and not a.attisdropped
       union all select format('default %s %s', d.adrelid::regclass, pg_get_expr(d.adbin, d.adrelid)) from pg_attrdef d
       union all select format('constraint %s %s', c.conrelid::regclass, pg_get_constraintdef(c.oid)) from pg_constraint c
         join pg_namespace n on n.oid = c.connamespace where ${userSchema('n.nspname')}
       union all select format('index %s', pg_get_indexdef(i.indexrelid)) from pg_index i
         join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace where ${userSchema('n.nspname')}
       union all select format('trigger %s %s %s', t.tgrelid::regclass, t.tgname, t.tgenabled) from pg_trigger t where not t.tgisinternal
       union all select format('function %s %s', p.oid::regprocedure, md5(p.prosrc)) from pg_proc p
         join pg_namespace n on n.oid = p.pronamespace where ${userSchema('n.nspname')}
       union all select format('enum %s %s', e.enumtypid::regtype, e.enumlabel) from pg_enum e
       union all select format('schema %s', nspname) from pg_namespace
       union all select format('role %s', rolname) from pg_roles
       union all select format('extension %s', extname) from pg_extension
     ) as catalog(entry)`,
  );
  return rows[0]?.catalog ?? '';
}

async function readTemplateState(client: PGlite): Promise<TemplateState> {
  const tables = (
    await client.query<{ name: string }>(
      `select format('%I.%I', schemaname, tablename) as name from pg_tables
       where ${userSchema('schemaname')} order by 1`,
    )
  ).rows.map((r) => r.name);
  const rows: TemplateState['rows'] = [];
  for (const table of tables) {
    const { rows: held } = await client.query<{ json: string | null }>(
      `select json_agg(t)::text as json from ${table} as t`,
    );
    if (held[0]?.json) rows.push({ table, json: held[0].json });
  }
  const sequences = (
    await client.query<{ name: string; value: string; called: boolean }>(
      `select format('%I.%I', schemaname, sequencename) as name,
              coalesce(last_value, start_value)::text as value, last_value is not null as called
       from pg_sequences where ${userSchema('schemaname')}`,
    )
  ).rows;
  return { catalog: await catalogOf(client), tables, rows, sequences };
}

/**
 * Back to what a client started from the template holds: session state, rows and sequences. False when
 * the client is closed or a test changed its schema; the caller then closes it rather than reuse it, as
 * it does when the reset fails (and the error is thrown).
 */
async function resetToTemplate(client: PGlite, state: TemplateState): Promise<boolean> {
  if (client.closed) return false;
  await client.exec('discard all');
  if ((await catalogOf(client)) !== state.catalog) return false;
  // Replica role: no trigger runs, so the append-only tables' guards allow the truncate, and the rows put
  // back are exactly the template's.
  await client.exec(`set session_replication_role = replica; truncate ${state.tables.join(', ')}`);
  for (const { table, json } of state.rows) {
    await client.query(
      `insert into ${table} overriding system value select * from json_populate_recordset(null::${table}, $1)`,
      [json],
    );
  }
  for (const s of state.sequences) {
    await client.query('select setval($1::regclass, $2::bigint, $3)', [s.name, s.value, s.called]);
  }
  await client.exec('reset session_replication_role');
  return true;
}
