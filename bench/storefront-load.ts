/**
 * Load on a production build: the windows-1251 /pay page, the catalogue and a product page, each
 * beside a trivial route handler (/api/ping, the framework's own ceiling) measured in the same run,
 * interleaved in rounds so that drift (JIT, GC, a busy neighbour) hits every route alike. Prints one
 * target line per page: its p50 over the trivial route's p50, met or missed against 1.5.
 *
 * Run: npm run build && npx tsx bench/storefront-load.ts [--requests 2000] [--concurrency 4]
 *   [--database pglite|postgres] [--port N] [--database-name bench_storefront]
 * Bounded and loopback only: it starts `next start` on 127.0.0.1 with a throwaway database (a PGlite
 * folder, or with `--database postgres` a database, `bench_storefront` unless --database-name says, that
 * it creates on the server named by TEST_DATABASE_URL or DATABASE_URL, as production runs) and
 * sandbox folder, seeds them (and one order) before the server opens them (PGlite is one process),
 * sends a fixed number of requests from N workers, and stops the server it started.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { type DatabaseTarget, openDatabase } from '../lib/db/connect';
import { seedCatalogue } from '../lib/db/seed';
import { addToCart, newCartId } from '../lib/shop/cart';
import { createOrderFromCart } from '../lib/shop/orders';

const { values: args } = parseArgs({
  options: {
    requests: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '3' },
    database: { type: 'string', default: 'pglite' },
    // Where several people share a machine: each takes a port and a database name of their own.
    port: { type: 'string' },
    'database-name': { type: 'string', default: 'bench_storefront' },
  },
});
if (args.database !== 'pglite' && args.database !== 'postgres') {
  throw new Error('--database takes pglite or postgres');
}
const ENGINE = args.database;
const REQUESTS = Math.min(Math.max(Number(args.requests), 30), 100_000);
const CONCURRENCY = Math.min(Math.max(Number(args.concurrency), 1), 64);
const ROUNDS = Math.min(Math.max(Number(args.rounds), 1), 10);
const TARGET_RATIO = 1.5;

type Sample = { latenciesMs: number[]; errors: number; elapsedMs: number };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

async function seed(target: DatabaseTarget): Promise<string> {
  const database = await openDatabase(target);
  try {
    await database.migrate();
    await seedCatalogue(database.db);
    const cartId = newCartId();
    await addToCart(database.db, cartId, 'matryoshka', 1);
    await addToCart(database.db, cartId, 'ivan-chai', 2);
    const placed = await createOrderFromCart(
      database.db,
      cartId,
      { lastName: 'Нагрузкин', firstName: 'Тест', middleName: null, email: 'bench@example.ru', phone: null },
      { twoStageDefault: false, expiryMinutes: 24 * 60, language: 'ru' },
    );
    if (!placed.ok) throw new Error(`seed order: ${placed.error}`);
    return placed.order.publicId;
  } finally {
    await database.close();
  }
}

/** A fresh `bench_storefront` database on the configured PostgreSQL server; returns its URL and a drop. */
async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const serverUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (!serverUrl) {
    throw new Error('--database postgres needs TEST_DATABASE_URL or DATABASE_URL naming a PostgreSQL server');
  }
  const name = args['database-name'];
  if (!/^[a-z_][a-z0-9_-]{0,62}$/.test(name))
    throw new Error('--database-name: lower-case letters, digits, _ and -');
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}

function startServer(
  port: number,
  dirs: { pglite: string; sandbox: string },
  databaseUrl: string,
): ChildProcess {
  const nextBin = path.join(process.cwd(), 'node_modules', 'next', 'dist', 'bin', 'next');
  return spawn(process.execPath, [nextBin, 'start', '--hostname', '127.0.0.1', '--port', String(port)], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      ALLOW_EMBEDDED_DB: '1',
      ASSIST_MODE: 'sandbox',
      PORT: String(port),
      APP_URL: `http://127.0.0.1:${port}`,
      PGLITE_DIR: dirs.pglite,
      SANDBOX_DIR: dirs.sandbox,
      DATABASE_URL: databaseUrl,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function waitUntilUp(url: string, server: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`next start exited with code ${server.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within 60 s`);
}

async function load(url: string, requests: number, check: (res: Response) => boolean): Promise<Sample> {
  const latenciesMs: number[] = [];
  let errors = 0;
  let issued = 0;
  const started = performance.now();
  async function worker() {
    while (issued < requests) {
      issued++;
      const t0 = performance.now();
      try {
        const res = await fetch(url);
        await res.arrayBuffer();
        if (check(res)) latenciesMs.push(performance.now() - t0);
        else errors++;
      } catch {
        errors++;
      }
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { latenciesMs, errors, elapsedMs: performance.now() - started };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function summarise(samples: Sample[]) {
  const all = samples.flatMap((s) => s.latenciesMs).sort((a, b) => a - b);
  const elapsed = samples.reduce((sum, s) => sum + s.elapsedMs, 0);
  return {
    requests: all.length,
    errors: samples.reduce((sum, s) => sum + s.errors, 0),
    rps: (all.length / elapsed) * 1000,
    p50: percentile(all, 50),
    p99: percentile(all, 99),
  };
}

async function main() {
  if (!existsSync(path.join(process.cwd(), '.next', 'BUILD_ID'))) {
    throw new Error('no production build: run `npm run build` first');
  }
  const root = mkdtempSync(path.join(tmpdir(), 'storefront-bench-'));
  const dirs = { pglite: path.join(root, 'pglite'), sandbox: path.join(root, 'sandbox') };
  let server: ChildProcess | undefined;
  const postgresDb = ENGINE === 'postgres' ? await createPostgresDatabase() : undefined;
  try {
    const publicId = await seed(
      postgresDb ? { kind: 'postgres', url: postgresDb.url } : { kind: 'pglite', dir: dirs.pglite },
    );
    const port = args.port ? Number(args.port) : await freePort();
    const base = `http://127.0.0.1:${port}`;
    server = startServer(port, dirs, postgresDb?.url ?? '');
    await waitUntilUp(`${base}/api/ping`, server);

    const routes = [
      { name: 'GET /api/ping (trivial)', url: `${base}/api/ping`, check: (r: Response) => r.status === 200 },
      {
        name: `GET /pay/<id> (cp1251)`,
        url: `${base}/pay/${publicId}`,
        check: (r: Response) =>
          r.status === 200 && r.headers.get('content-type') === 'text/html; charset=windows-1251',
      },
      { name: 'GET / (catalogue)', url: `${base}/`, check: (r: Response) => r.status === 200 },
      {
        name: 'GET /products/<slug>',
        url: `${base}/products/matryoshka`,
        check: (r: Response) => r.status === 200,
      },
    ];
    for (const route of routes) {
      const warm = await load(route.url, 200, route.check);
      if (warm.errors > 0) throw new Error(`${route.name}: ${warm.errors} failed requests while warming up`);
    }
    const samples = new Map<string, Sample[]>(routes.map((r) => [r.name, []]));
    const perRound = Math.ceil(REQUESTS / ROUNDS);
    for (let round = 0; round < ROUNDS; round++) {
      for (const route of routes) samples.get(route.name)?.push(await load(route.url, perRound, route.check));
    }

    const results = routes.map((r) => ({ route: r.name, ...summarise(samples.get(r.name) ?? []) }));
    console.log(
      `\n${REQUESTS} requests per route in ${ROUNDS} interleaved rounds, ${CONCURRENCY} concurrent, ` +
        `next start on 127.0.0.1, ${ENGINE === 'postgres' ? 'PostgreSQL' : 'PGlite'}, node ${process.version}\n`,
    );
    console.table(
      results.map((r) => ({
        route: r.route,
        requests: r.requests,
        errors: r.errors,
        'req/s': Math.round(r.rps),
        'p50 ms': Number(r.p50.toFixed(2)),
        'p99 ms': Number(r.p99.toFixed(2)),
      })),
    );
    const [ping, ...pages] = results;
    if (!ping || pages.length === 0) throw new Error('missing results');
    for (const page of pages) {
      const ratio = page.p50 / ping.p50;
      const verdict = ratio <= TARGET_RATIO ? 'met' : 'MISSED';
      console.log(
        `target ${page.route}: p50 / trivial route p50 = ${ratio.toFixed(2)} (≤ ${TARGET_RATIO}: ${verdict})`,
      );
    }
    if (results.some((r) => r.errors > 0)) process.exitCode = 1;
  } finally {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server?.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    await postgresDb?.drop();
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
