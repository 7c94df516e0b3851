import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { ensureDemoAdmin, ensureDemoViewer } from '@/lib/admin/staff';
import { openDatabase } from '@/lib/db/connect';
import { seedCatalogue } from '@/lib/db/seed';
import { getEnv } from '@/lib/env';
import { runCli } from './cli';
import { startCronLoop } from './cron-loop';
import { runNext, waitForExit } from './next-server';

/**
 * `npm run demo`: the whole shop on one machine with nothing configured. It chooses the embedded
 * database and the sandbox gateway explicitly (production never falls back to either), builds,
 * migrates, seeds and serves. Flags: `--no-build` reuses an existing build; `--fresh` deletes the demo's
 * data folders first (the browser tests use it).
 */
const args = new Set(process.argv.slice(2));

const defaults: Record<string, string> = {
  NODE_ENV: 'production',
  ALLOW_EMBEDDED_DB: '1',
  ASSIST_MODE: 'sandbox',
  PGLITE_DIR: '.data/pglite',
  SANDBOX_DIR: '.data/sandbox',
  CRON_SECRET: randomBytes(24).toString('hex'),
  // The demo confirms payments within a minute even when a notification is lost.
  ASSIST_SYNC_MIN_INTERVAL_SECONDS: '60',
  // The demo shows 54-FZ receipts (on the sandbox's payment page and receipt log, and in the admin);
  // the legacy protocol has none. ASSIST_FISCAL=0 turns them off.
  ...(process.env.ASSIST_PROTOCOL?.toLowerCase() === 'legacy' ? {} : { ASSIST_FISCAL: '1' }),
};
for (const [k, v] of Object.entries(defaults)) {
  if (!process.env[k]) process.env[k] = v;
}

runCli(async () => {
  const env = getEnv();
  if (args.has('--fresh')) {
    for (const dir of [env.PGLITE_DIR, process.env.SANDBOX_DIR ?? '']) {
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  }
  if (!args.has('--no-build')) {
    console.log('Building the production bundle…');
    await waitForExit(runNext(['build'], process.env), 'next build');
  }
  const database = await openDatabase(env.database, { poolSize: 1 });
  let admin: { email: string; password: string };
  let viewer: { email: string; password: string };
  try {
    await database.migrate();
    const { products } = await seedCatalogue(database.db);
    admin = await ensureDemoAdmin(database.db);
    viewer = await ensureDemoViewer(database.db);
    console.log(`Database ready (${database.kind}), ${products} demo products.`);
  } finally {
    await database.close();
  }
  const server = runNext(['start', '--port', String(env.PORT)], process.env);
  console.log(
    [
      '',
      `Demo shop:       ${env.APP_URL}`,
      `Admin:           ${env.APP_URL}/admin  (${admin.email} / ${admin.password}, ${process.env.DEMO_ADMIN_PASSWORD ? 'set by DEMO_ADMIN_PASSWORD' : 'new at every start'})`,
      `Read-only staff: ${viewer.email} / ${viewer.password}`,
      `Sandbox gateway: ${env.APP_URL}/sandbox/assist (test payments only)`,
      ...(env.assist.fiscal ? [`Receipt log:     ${env.APP_URL}/sandbox/assist/fiscal/log`] : []),
      '',
    ].join('\n'),
  );
  const stopCron = startCronLoop({
    url: `${env.APP_URL}/api/cron/assist-sync`,
    secret: env.CRON_SECRET ?? '',
    intervalMs: 60_000,
    firstDelayMs: 15_000,
    log: (line) => {
      if (!line.includes('"status":200') && !line.includes('"status":429')) console.log(line);
    },
  });
  await waitForExit(server, 'next start').finally(stopCron);
});
