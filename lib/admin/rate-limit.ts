import 'server-only';
import { and, count, eq, gt, lt, max } from 'drizzle-orm';
import type { Db } from '@/lib/db/connect';
import { loginAttempts } from './schema';

/**
 * Sign-in throttling, kept in the database so it holds across instances and restarts. Failures are
 * counted per typed email (whether or not it belongs to anyone, so a limit reveals nothing) and per
 * client IP (one address guessing across many accounts).
 */
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_IP = 20;
const KEEP_ATTEMPTS_MS = 24 * 60 * 60 * 1000;

export type LoginKey = { email: string; ip: string };

/**
 * Whether another password check is allowed. An account's count restarts at its last successful
 * sign-in (the owner getting in ends the lockout); an IP's does not, or one valid account would let
 * an address reset its own counter.
 */
export async function isLoginAllowed(db: Db, key: LoginKey, now: Date = new Date()): Promise<boolean> {
  const windowStart = new Date(now.getTime() - LOGIN_WINDOW_MS);
  const [lastSuccess] = await db
    .select({ at: max(loginAttempts.at) })
    .from(loginAttempts)
    .where(
      and(
        eq(loginAttempts.email, key.email),
        eq(loginAttempts.success, true),
        gt(loginAttempts.at, windowStart),
      ),
    );
  const accountSince = lastSuccess?.at ?? windowStart;
  const [account] = await db
    .select({ n: count() })
    .from(loginAttempts)
    .where(
      and(
        eq(loginAttempts.email, key.email),
        eq(loginAttempts.success, false),
        gt(loginAttempts.at, accountSince),
      ),
    );
  if ((account?.n ?? 0) >= MAX_FAILURES_PER_ACCOUNT) return false;
  const [ip] = await db
    .select({ n: count() })
    .from(loginAttempts)
    .where(
      and(eq(loginAttempts.ip, key.ip), eq(loginAttempts.success, false), gt(loginAttempts.at, windowStart)),
    );
  return (ip?.n ?? 0) < MAX_FAILURES_PER_IP;
}

/** Records a checked attempt and drops day-old ones, which no window looks at any more. */
export async function recordLoginAttempt(
  db: Db,
  attempt: LoginKey & { success: boolean },
  now: Date = new Date(),
): Promise<void> {
  await db.insert(loginAttempts).values({ ...attempt, at: now });
  await db.delete(loginAttempts).where(lt(loginAttempts.at, new Date(now.getTime() - KEEP_ATTEMPTS_MS)));
}
