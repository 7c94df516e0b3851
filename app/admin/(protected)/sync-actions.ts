'use server';

import { redirect } from 'next/navigation';
import { recordAudit } from '@/lib/admin/audit';
import { getStaffAccess } from '@/lib/admin/auth';
import { getDb } from '@/lib/db/client';
import { getEnv } from '@/lib/env';
import { getGateway } from '@/lib/payments/gateway';
import { runSync } from '@/lib/payments/sync';
import { syncSettings } from '@/lib/payments/sync-settings';

/** "Sync now": the same run as the cron route, under the same lease and throttle. */
export async function syncNowAction(): Promise<void> {
  const access = await getStaffAccess('admin');
  if (!access.ok) redirect(access.error === 'signed_out' ? '/admin/login' : '/admin?sync=forbidden');
  const db = await getDb();
  const result = await runSync(db, getGateway(), syncSettings(getEnv()), 'manual');
  await recordAudit(db, {
    action: 'assist.sync_requested',
    actor: { id: access.staff.id, email: access.staff.email },
    details: result.ok
      ? { runId: result.summary.runId, outcome: result.summary.outcome }
      : { refused: result.reason },
  });
  if (result.ok) {
    const { outcome, error } = result.summary;
    redirect(
      outcome === 'ok'
        ? '/admin?sync=ok'
        : `/admin?sync=failed&error=${encodeURIComponent((error ?? '').slice(0, 300))}`,
    );
  }
  redirect(
    result.reason === 'busy'
      ? '/admin?sync=busy'
      : `/admin?sync=throttled&seconds=${result.retryAfterSeconds}`,
  );
}
