import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { ensureDemoAdmin, ensureDemoViewer } from '@/lib/admin/staff';
import { openDatabase } from '@/lib/db/connect';
import { seedCatalogue } from '@/lib/db/seed';
import { getEnv } from '@/lib/env';
import { isBuildCurrent } from './build-fingerprint.mjs';
import { runCli } from './cli';
import { startCronLoop } from './cron-loop';
import { build, startServer, waitForExit } from './next-server';

/**
 * `npm run demo`: the whole shop on one machine with nothing configured. It chooses the embedded
 * database and the sandbox gateway explicitly (production never falls back to either), builds when the
 * sources changed since the last build, migrates, seeds and serves on 127.0.0.1 (HOSTNAME to change
 * it). Flags: `--build` builds even so; `--no-build` never builds; `--fresh` deletes the demo's data
 * folders first (the browser tests use it). Ctrl+C stops the server gracefully and quietly.
 */
const args = new Set(process.argv.slice(2));

const defaults: Record<string, string> = {
  NODE_ENV: 'production',
  ALLOW_EMBEDDED_DB: '1',
  ASSIST_MODE: 'sandbox',
  PGLITE_DIR: '.data/pglite',
  SANDBOX_DIR: '.data/sandbox',
  // The demo is for this machine: other machines reach it only when HOSTNAME says so.
  HOSTNAME: '127.0.0.1',
  CRON_SECRET: randomBytes(24).toString('hex'),
  // The demo confirms payments within a minute even when a notification is lost.
  ASSIST_SYNC_MIN_INTERVAL_SECONDS: '60',
  // The demo shows 54-FZ receipts (on the sandbox's payment page and receipt log, and in the admin);
  // the legacy protocol has none. ASSIST_FISCAL=0 turns them off.
  ...(process.env.ASSIST_PROTOCOL?.toLowerCase() === 'legacy' ? {} : { ASSIST_FISCAL: '1' }),
};
const cronSecretGiven = Boolean(process.env.CRON_SECRET);
for (const [k, v] of Object.entries(defaults)) {
  if (!process.env[k]) process.env[k] = v;
}

/** Set by the first Ctrl+C (or SIGTERM): from then on a child's exit is the expected end, not an error. */
let stopSignal: NodeJS.Signals | undefined;

runCli(async () => {
  let stopCron = () => {};
  const onSignal = (signal: NodeJS.Signals) => {
    stopSignal ??= signal;
    stopCron();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const env = getEnv();
  if (args.has('--fresh')) {
    for (const dir of [env.PGLITE_DIR, process.env.SANDBOX_DIR ?? '']) {
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  }
  if (args.has('--build') || (!args.has('--no-build') && !isBuildCurrent())) {
    console.log('Building the production bundle (the sources changed since the last build)…');
    try {
      await build(process.env);
    } catch (err) {
      if (stopSignal) return;
      throw err;
    }
  } else if (!args.has('--no-build')) {
    console.log('Reusing the production build: nothing it was made from has changed.');
  }
  if (stopSignal) return;
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
  if (stopSignal) return;
  const server = startServer(process.env);
  const syncUrl = `${env.APP_URL}/api/cron/assist-sync`;
  console.log(
    [
      '',
      `Demo shop:       ${env.APP_URL}  (listening on ${process.env.HOSTNAME}:${env.PORT})`,
      `Admin:           ${env.APP_URL}/admin  (${admin.email} / ${admin.password}, ${process.env.DEMO_ADMIN_PASSWORD ? 'set by DEMO_ADMIN_PASSWORD' : 'new at every start'})`,
      `Read-only staff: ${viewer.email} / ${viewer.password}`,
      `Sandbox gateway: ${env.APP_URL}/sandbox/assist (test payments only)`,
      ...(env.assist.fiscal ? [`Receipt log:     ${env.APP_URL}/sandbox/assist/fiscal/log`] : []),
      `Cron secret:     ${env.CRON_SECRET} (${cronSecretGiven ? 'from CRON_SECRET' : 'new at every start; set CRON_SECRET to keep one'})`,
      `Run a sync:      curl -H "Authorization: Bearer ${env.CRON_SECRET}" ${syncUrl}`,
      '',
    ].join('\n'),
  );
  // DEMO_CRON=0: the browser tests run every sync themselves, so that a payment a test means to confirm
  // by its notification is not confirmed by a sync that happened to run first.
  if (process.env.DEMO_CRON !== '0')
    stopCron = startCronLoop({
      url: syncUrl,
      secret: env.CRON_SECRET ?? '',
      intervalMs: 60_000,
      firstDelayMs: 15_000,
      log: (line) => {
        if (!line.includes('"status":200') && !line.includes('"status":429')) console.log(line);
      },
    });
  try {
    await waitForExit(server, 'the shop server');
  } catch (err) {
    // Killed outright after a signal (a second Ctrl+C): still the end the person asked for.
    if (!stopSignal) throw err;
  } finally {
    stopCron();
  }
});
