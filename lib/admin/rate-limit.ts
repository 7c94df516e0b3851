import 'server-only';
import { and, eq, gt, lt, or } from 'drizzle-orm';
import type { Db, Tx } from '@/lib/db/connect';
import { type AttemptClaim, claimAttempt, type DelayedKey, resetKeys } from '@/lib/ops/throttle';
import { loginAttempts } from './schema';

/**
 * Sign-in throttling: progressive delays, never locks, so a stranger can slow the owner of a correct
 * password down by a short bounded delay at most and never keep them out. Counted in the database (holds
 * across instances and restarts) and BEFORE the password is checked, atomically: concurrent guesses cannot
 * all pass the check before one of them is counted.
 *
 * Keys: the typed email (whether or not it belongs to anyone, so a delay reveals nothing) from one client
 * address; the client address alone (one address guessing across many accounts); and the email from
 * anywhere (guessing spread over many addresses), whose delay stays short and which does not apply to an
 * address that has signed in to that account before. Without a trusted proxy the client address is
 * unknown and only the email keys apply.
 */
export const FREE_FAILURES_PER_ACCOUNT = 5;
export const FREE_FAILURES_PER_CLIENT = 20;
/** Longest wait between two attempts on one account from one address, or from one address. */
export const MAX_DELAY_SECONDS = 60;
/** Longest wait an account imposes on addresses it has not seen: what a stranger can cost the owner. */
export const MAX_ACCOUNT_DELAY_SECONDS = 15;
/** How long a successful sign-in makes its address known to that account. */
const KNOWN_ADDRESS_MS = 30 * 24 * 60 * 60 * 1000;
const KEEP_FAILURES_MS = 24 * 60 * 60 * 1000;

/** `ip` is null when the client address cannot be trusted (no trusted proxy configured). */
export type LoginKey = { email: string; ip: string | null };

function keysFor(key: LoginKey, knownAddress: boolean): DelayedKey[] {
  const keys: DelayedKey[] = [];
  if (key.ip !== null) {
    keys.push({
      key: `login:client:${key.ip}`,
      free: FREE_FAILURES_PER_CLIENT,
      capSeconds: MAX_DELAY_SECONDS,
    });
    keys.push({
      key: `login:account-client:${key.email}|${key.ip}`,
      free: FREE_FAILURES_PER_ACCOUNT,
      capSeconds: MAX_DELAY_SECONDS,
    });
  }
  if (!knownAddress) {
    keys.push({
      key: `login:account:${key.email}`,
      free: FREE_FAILURES_PER_ACCOUNT,
      capSeconds: MAX_ACCOUNT_DELAY_SECONDS,
    });
  }
  return keys;
}

/** Whether this account has signed in from this address recently. */
async function isKnownAddress(db: Db, key: LoginKey, now: Date): Promise<boolean> {
  if (key.ip === null) return false;
  const [row] = await db
    .select({ id: loginAttempts.id })
    .from(loginAttempts)
    .where(
      and(
        eq(loginAttempts.email, key.email),
        eq(loginAttempts.ip, key.ip),
        eq(loginAttempts.success, true),
        gt(loginAttempts.at, new Date(now.getTime() - KNOWN_ADDRESS_MS)),
      ),
    )
    .limit(1);
  return row !== undefined;
}

/** Counts the attempt (as a failure until proven otherwise) or says how long to wait first. */
export async function claimLoginAttempt(
  db: Db,
  key: LoginKey,
  now: Date = new Date(),
): Promise<AttemptClaim> {
  return claimAttempt(db, keysFor(key, await isKnownAddress(db, key, now)), now);
}

/**
 * Records a checked attempt. A success ends the account's delays (not the address's: one valid account
 * must not let an address reset its own count) and makes the address known to the account.
 */
export async function recordLoginAttempt(
  db: Db | Tx,
  attempt: { email: string; ip: string | null; success: boolean },
  now: Date = new Date(),
): Promise<void> {
  const ip = attempt.ip ?? 'unknown';
  await db.insert(loginAttempts).values({ email: attempt.email, ip, success: attempt.success, at: now });
  if (attempt.success) {
    await resetKeys(db, [
      `login:account:${attempt.email}`,
      ...(attempt.ip === null ? [] : [`login:account-client:${attempt.email}|${attempt.ip}`]),
    ]);
  }
  await db
    .delete(loginAttempts)
    .where(
      or(
        lt(loginAttempts.at, new Date(now.getTime() - KNOWN_ADDRESS_MS)),
        and(
          eq(loginAttempts.success, false),
          lt(loginAttempts.at, new Date(now.getTime() - KEEP_FAILURES_MS)),
        ),
      ),
    );
}
