import { decodeFormBody } from '@/lib/assist';
import { getDb } from '@/lib/db/client';
import { getEnv } from '@/lib/env';
import { getGateway } from '@/lib/payments/gateway';
import { handleNotification, readLimitedBody } from '@/lib/payments/notifications';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** POST /api/assist/notify: the gateway's result notification (docs/assist-protocol.md §4). */
export async function POST(request: Request): Promise<Response> {
  const body = await readLimitedBody(request);
  if (body === null) return new Response('Payload too large', { status: 413 });
  const gateway = getGateway();
  // The legacy protocol posts in windows-1251; the body says so, or the protocol's default decides.
  const fields = decodeFormBody(
    body,
    request.headers.get('content-type'),
    gateway.protocol === 'legacy' ? 'windows-1251' : 'utf-8',
  );
  const env = getEnv();
  const reply = await handleNotification(
    {
      getDb,
      gateway,
      testPaymentsCount: env.assist.testMode,
      rereadsPerMinute: env.ASSIST_NOTIFICATION_REREADS_PER_MINUTE,
    },
    fields,
  );
  return new Response(reply.body, {
    status: reply.status,
    headers: { 'Content-Type': reply.contentType, 'Cache-Control': 'no-store' },
  });
}
