import { randomUUID } from 'node:crypto';
import type { Db } from '@/lib/db/connect';
import { acquireLease } from './lease';

/** The legacy report's request budget: one results.cfm request per 10 minutes across the whole shop. */
const LEGACY_REPORT_BUDGET = 'legacy-results-budget';
export const LEGACY_REPORT_INTERVAL_SECONDS = 600;

/**
 * Claims one use of a shared request budget, kept in the `leases` table so that every caller (sync,
 * notification re-read, admin re-check) and every instance draws from the same one. The claim holds
 * nothing: the lease is taken and released in the same statement (ttl 0), only its start time counts.
 */
export async function claimRequestBudget(
  db: Db,
  name: string,
  intervalSeconds: number,
): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }> {
  const claim = await acquireLease(db, name, randomUUID(), {
    ttlSeconds: 0,
    minIntervalSeconds: intervalSeconds,
  });
  if (claim.ok) return { ok: true };
  return { ok: false, retryAfterSeconds: claim.reason === 'throttled' ? claim.retryAfterSeconds : 1 };
}

/** The adapter option that draws the legacy report's budget from `db`. */
export function legacyReportBudget(
  getDb: () => Promise<Db>,
  intervalSeconds: number = LEGACY_REPORT_INTERVAL_SECONDS,
) {
  return async () => claimRequestBudget(await getDb(), LEGACY_REPORT_BUDGET, intervalSeconds);
}
