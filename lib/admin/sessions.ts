import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '@/lib/db/connect';
import { type StaffRole, staff, staffSessions } from './schema';

/**
 * Staff sessions: a random 32-byte token in an httpOnly cookie, its SHA-256 in `staff_sessions`.
 *
 * Lifetime: absolute 12 h from sign-in (a stolen cookie dies the same day however busy it is kept)
 * plus a 2 h idle limit tracked in `last_seen_at` (a browser left open overnight is signed out).
 */
export const SESSION_COOKIE = 'admin_session';
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
export const SESSION_IDLE_MS = 2 * 60 * 60 * 1000;
// Writing last_seen_at on every request would turn each page view into a write; a minute is precise enough.
const TOUCH_EVERY_MS = 60 * 1000;

export type SessionStaff = { id: number; email: string; role: StaffRole };
export type SessionError = 'missing' | 'unknown' | 'revoked' | 'expired' | 'idle' | 'disabled';
export type SessionResult =
  | { ok: true; sessionId: number; staff: SessionStaff; expiresAt: Date }
  | { ok: false; error: SessionError };

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createSession(
  db: Pick<Db, 'insert'>,
  input: { staffId: number; ip?: string | null; userAgent?: string | null; now?: Date },
): Promise<{ token: string; expiresAt: Date }> {
  const now = input.now ?? new Date();
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await db.insert(staffSessions).values({
    tokenHash: hashSessionToken(token),
    staffId: input.staffId,
    createdAt: now,
    lastSeenAt: now,
    expiresAt,
    ip: input.ip ?? null,
    userAgent: input.userAgent?.slice(0, 512) ?? null,
  });
  return { token, expiresAt };
}

/** The session behind a cookie token, checked against expiry, idle time, revocation and a disabled account. */
export async function validateSession(
  db: Db,
  token: string | undefined,
  now: Date = new Date(),
): Promise<SessionResult> {
  if (!token) return { ok: false, error: 'missing' };
  const [row] = await db
    .select({
      id: staffSessions.id,
      expiresAt: staffSessions.expiresAt,
      revokedAt: staffSessions.revokedAt,
      lastSeenAt: staffSessions.lastSeenAt,
      staffId: staff.id,
      email: staff.email,
      role: staff.role,
      disabledAt: staff.disabledAt,
    })
    .from(staffSessions)
    .innerJoin(staff, eq(staff.id, staffSessions.staffId))
    .where(eq(staffSessions.tokenHash, hashSessionToken(token)))
    .limit(1);
  if (!row) return { ok: false, error: 'unknown' };
  if (row.revokedAt) return { ok: false, error: 'revoked' };
  if (row.expiresAt.getTime() <= now.getTime()) return { ok: false, error: 'expired' };
  if (now.getTime() - row.lastSeenAt.getTime() >= SESSION_IDLE_MS) return { ok: false, error: 'idle' };
  if (row.disabledAt) return { ok: false, error: 'disabled' };
  if (now.getTime() - row.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
    await db.update(staffSessions).set({ lastSeenAt: now }).where(eq(staffSessions.id, row.id));
  }
  return {
    ok: true,
    sessionId: row.id,
    staff: { id: row.staffId, email: row.email, role: row.role },
    expiresAt: row.expiresAt,
  };
}

/** Marks the session revoked in the database, so the token is dead even if the cookie survives somewhere. */
export async function revokeSession(
  db: Pick<Db, 'update'>,
  token: string,
  now: Date = new Date(),
): Promise<{ id: number; staffId: number } | null> {
  const [row] = await db
    .update(staffSessions)
    .set({ revokedAt: now })
    .where(and(eq(staffSessions.tokenHash, hashSessionToken(token)), isNull(staffSessions.revokedAt)))
    .returning({ id: staffSessions.id, staffId: staffSessions.staffId });
  return row ?? null;
}
