import { and, inArray, lt, sql } from 'drizzle-orm';
import type { Db, Tx } from '@/lib/db/connect';
import { throttles } from '@/lib/db/schema';

/**
 * A key with progressive delays: the first `free` attempts in a window pass at once, each one after that
 * waits `FIRST_DELAY_SECONDS * 2^(n - free)` seconds after the previous one, never more than `capSeconds`. A delay, never a
 * lock: whoever waits the (bounded) delay gets a try.
 */
export type DelayedKey = { key: string; free: number; capSeconds: number };

export type AttemptClaim = { ok: true } | { ok: false; retryAfterSeconds: number };

/** The first delay, long enough to stop a script, short enough not to bother a person. */
export const FIRST_DELAY_SECONDS = 5;

/** After this long without an attempt a key starts from zero again. */
const ATTEMPT_WINDOW_SECONDS = 15 * 60;

/** The delay that follows the `count`-th attempt of a key (seconds; 0 while still free). */
function delayAfter(count: number, free: number, capSeconds: number): number {
  if (count < free) return 0;
  return Math.min(capSeconds, FIRST_DELAY_SECONDS * 2 ** Math.min(30, count - free));
}

/**
 * Counts one attempt on every key, atomically and before the attempt's work is done: each key's row is
 * locked, refused while its delay runs, and otherwise counted with its next delay set in the same
 * statement, so concurrent attempts cannot all pass the check before any of them is counted. When any
 * key refuses, nothing is counted (a refused attempt costs the server nothing and proves nothing).
 */
export async function claimAttempt(db: Db, keys: DelayedKey[], now = new Date()): Promise<AttemptClaim> {
  class Refused extends Error {
    constructor(readonly retryAfterSeconds: number) {
      super('refused');
    }
  }
  try {
    await db.transaction(async (tx) => {
      for (const k of keys) {
        const claimed = await claimOne(tx, k, now);
        if (claimed !== true) throw new Refused(claimed);
      }
    });
    return { ok: true };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, retryAfterSeconds: error.retryAfterSeconds };
    throw error;
  }
}

async function claimOne(tx: Tx, k: DelayedKey, now: Date): Promise<true | number> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const windowStart = new Date(now.getTime() - ATTEMPT_WINDOW_SECONDS * 1000).toISOString();
  const stale = sql`${throttles.updatedAt} < ${windowStart}::timestamptz`;
  const count = sql`case when ${stale} then 1 else ${throttles.count} + 1 end`;
  const delay = sql`case when ${count} < ${k.free} then null else least(${k.capSeconds}::float8, ${FIRST_DELAY_SECONDS} * power(2, least(30, ${count} - ${k.free}))) end`;
  const [row] = await tx
    .insert(throttles)
    .values({
      key: k.key,
      count: 1,
      until: new Date(
        delayAfter(1, k.free, k.capSeconds) > 0
          ? now.getTime() + delayAfter(1, k.free, k.capSeconds) * 1000
          : 0,
      ),
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: throttles.key,
      set: {
        count,
        until: sql`coalesce(${at} + make_interval(secs => ${delay}), 'epoch'::timestamptz)`,
        updatedAt: now,
      },
      setWhere: sql`${throttles.until} <= ${at} or ${stale}`,
    })
    .returning({ key: throttles.key });
  if (row) return true;
  const [held] = await tx
    .select({ until: throttles.until })
    .from(throttles)
    .where(inArray(throttles.key, [k.key]));
  const ms = (held?.until.getTime() ?? now.getTime()) - now.getTime();
  return Math.max(1, Math.ceil(ms / 1000));
}

/** Forgets the counts of some keys (the owner signed in: their own delays end). */
export async function resetKeys(db: Db | Tx, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await db.delete(throttles).where(inArray(throttles.key, keys));
}

/**
 * A rate: at most `limit` claims per `windowSeconds` for a key (GCRA: `until` is the theoretical time the
 * budget is spent up to; a claim is allowed while that stays within one window of now). One conditional
 * statement, so concurrent claims cannot overspend.
 */
export async function claimRate(
  db: Db,
  key: string,
  limit: number,
  now = new Date(),
  windowSeconds = 60,
): Promise<boolean> {
  if (limit <= 0) return false;
  const step = windowSeconds / limit;
  const at = sql`${now.toISOString()}::timestamptz`;
  const spentUntil = sql`greatest(${throttles.until}, ${at}) + make_interval(secs => ${step})`;
  const [row] = await db
    .insert(throttles)
    .values({ key, count: 1, until: new Date(now.getTime() + step * 1000), updatedAt: now })
    .onConflictDoUpdate({
      target: throttles.key,
      set: { count: sql`${throttles.count} + 1`, until: spentUntil, updatedAt: now },
      setWhere: sql`${spentUntil} <= ${at} + make_interval(secs => ${windowSeconds})`,
    })
    .returning({ key: throttles.key });
  return row !== undefined;
}

/** Drops keys nothing has touched for `olderThanSeconds` (every window and delay has ended). */
export async function removeStaleThrottles(
  db: Db,
  olderThanSeconds: number,
  now = new Date(),
): Promise<number> {
  const rows = await db
    .delete(throttles)
    .where(
      and(
        lt(throttles.updatedAt, new Date(now.getTime() - olderThanSeconds * 1000)),
        lt(throttles.until, now),
      ),
    )
    .returning({ key: throttles.key });
  return rows.length;
}
