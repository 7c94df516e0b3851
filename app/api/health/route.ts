import { authenticate, getSessionToken } from '@/lib/admin/auth';
import { getDb } from '@/lib/db/client';
import { getEnv } from '@/lib/env';
import { checkHealth, healthDetails } from '@/lib/ops/health';
import { checkCronAuthorization } from '@/lib/payments/cron-auth';
import { getGateway } from '@/lib/payments/gateway';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/**
 * GET /api/health: `{"status":"ok"}`, or 503 when the database is down or migrations are behind.
 * Gateway mode and the last sync only for the cron secret or a signed-in staff member.
 */
export async function GET(request: Request): Promise<Response> {
  const env = getEnv();
  const health = await checkHealth(getDb);
  const headers = { 'Cache-Control': 'no-store' };
  if (health.status !== 'ok')
    return Response.json({ status: 'down', reason: health.reason }, { status: 503, headers });
  if (!(await isOperator(request))) return Response.json({ status: 'ok' }, { headers });
  return Response.json(
    {
      status: 'ok',
      migrations: health.migrations,
      gateway: {
        mode: env.ASSIST_MODE,
        protocol: getGateway().protocol,
        testMode: env.assist.testMode,
        server: new URL(env.assist.server).origin,
      },
      ...(await healthDetails(await getDb())),
    },
    { headers },
  );
}

async function isOperator(request: Request): Promise<boolean> {
  if (checkCronAuthorization(request.headers.get('authorization'), getEnv().CRON_SECRET).ok) return true;
  const token = await getSessionToken();
  if (!token) return false;
  const access = await authenticate(await getDb(), token, 'viewer');
  return access.ok;
}
