import { getDb } from '@/lib/db/client';
import { getEnv } from '@/lib/env';
import { logEvent } from '@/lib/log';
import { checkCronAuthorization } from '@/lib/payments/cron-auth';
import { recheckReceipts } from '@/lib/payments/fiscal';
import { getGateway } from '@/lib/payments/gateway';
import { runSync } from '@/lib/payments/sync';
import { syncSettings } from '@/lib/payments/sync-settings';
import { cleanUpAbandoned } from '@/lib/shop/cleanup';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';
export const maxDuration = 300;

/** GET /api/cron/assist-sync: Vercel Cron (or `npm run cron`) pulls the ASSIST report. */
export async function GET(request: Request): Promise<Response> {
  const env = getEnv();
  const auth = checkCronAuthorization(request.headers.get('authorization'), env.CRON_SECRET);
  if (!auth.ok) return Response.json({ error: auth.error }, { status: auth.status });
  const db = await getDb();
  const result = await runSync(db, getGateway(), syncSettings(env));
  // Clean-up rides on runs that happened, so it is as rare as the sync itself.
  if (result.ok) logEvent('cleanup', { ...(await cleanUpAbandoned(db)) });
  // Receipts whose answer never came are asked again on the same schedule (and only when the sync ran).
  if (result.ok && env.assist.fiscal) {
    const receipts = await recheckReceipts(db, getGateway(), env.ASSIST_SYNC_RECHECK_LIMIT);
    if (receipts.asked > 0) logEvent('fiscal_recheck', receipts);
  }
  logEvent(
    'sync_run',
    result.ok ? { ...result.summary } : { skipped: result.reason },
    result.ok && result.summary.outcome === 'failed' ? 'error' : 'info',
  );
  if (result.ok)
    return Response.json(result.summary, { status: result.summary.outcome === 'ok' ? 200 : 502 });
  switch (result.reason) {
    case 'busy':
      return Response.json({ error: 'another sync is running' }, { status: 409 });
    case 'throttled':
      return Response.json(
        { error: 'too early', retryAfterSeconds: result.retryAfterSeconds },
        { status: 429, headers: { 'Retry-After': String(result.retryAfterSeconds) } },
      );
  }
}
