import { createHash, timingSafeEqual } from 'node:crypto';

export type CronAuth = { ok: true } | { ok: false; status: 401 | 503; error: string };

/**
 * `Authorization: Bearer $CRON_SECRET`, the header Vercel Cron sends. Compared as SHA-256 digests so the
 * comparison is constant-time whatever the lengths. Without a configured secret nothing is authorised.
 */
export function checkCronAuthorization(header: string | null, secret: string | undefined): CronAuth {
  if (!secret) return { ok: false, status: 503, error: 'CRON_SECRET is not configured' };
  const given = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(secret).digest();
  return given !== '' && timingSafeEqual(a, b)
    ? { ok: true }
    : { ok: false, status: 401, error: 'unauthorized' };
}
