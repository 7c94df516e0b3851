import { getEnv } from '@/lib/env';
import { runCli } from './cli';
import { callSyncRoute, startCronLoop } from './cron-loop';

/**
 * `npm run cron` (self-hosting): calls GET /api/cron/assist-sync with the secret every
 * CRON_INTERVAL_SECONDS (default 600, django-assist-ru's "once per 10 minutes"). `--once` calls it once
 * and exits non-zero unless the run succeeded, which suits a system crontab line.
 */
runCli(async () => {
  const env = getEnv();
  if (!env.CRON_SECRET) throw new Error('CRON_SECRET: required to call the sync route');
  const url = `${env.APP_URL}/api/cron/assist-sync`;
  if (process.argv.includes('--once')) {
    const { status, body } = await callSyncRoute(url, env.CRON_SECRET);
    console.log(JSON.stringify({ event: 'cron_sync', status, body }));
    if (status !== 200) throw new Error(`sync route answered ${status}`);
    return;
  }
  const intervalMs = Number(process.env.CRON_INTERVAL_SECONDS ?? 600) * 1000;
  if (!Number.isFinite(intervalMs) || intervalMs < 1000)
    throw new Error('CRON_INTERVAL_SECONDS: expected a number ≥ 1');
  console.log(`Calling ${url} every ${intervalMs / 1000} s.`);
  startCronLoop({ url, secret: env.CRON_SECRET, intervalMs });
  await new Promise(() => {});
});
