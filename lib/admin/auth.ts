import 'server-only';
import { eq } from 'drizzle-orm';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { getDb } from '@/lib/db/client';
import type { Db } from '@/lib/db/connect';
import { getEnv } from '@/lib/env';
import { clientAddress } from '@/lib/http/client-address';
import { sameOriginPath } from '@/lib/http/safe-next';
import { recordAudit } from './audit';
import { burnPasswordCheck, verifyPassword } from './password';
import { claimLoginAttempt, recordLoginAttempt } from './rate-limit';
import type { StaffRole } from './schema';
import { staff } from './schema';
import { createSession, revokeSession, SESSION_COOKIE, type SessionStaff, validateSession } from './sessions';

/*
 * The core (signIn, signOut, authenticate, authorize) takes the database and plain values, so tests
 * call it without Next. The wrappers below it read cookies and headers for pages and server actions.
 */

export type { SessionStaff };
export type SignInError = 'bad_credentials' | 'rate_limited';
export type SignInResult =
  | { ok: true; token: string; expiresAt: Date; staff: SessionStaff }
  | { ok: false; error: SignInError; retryAfterSeconds?: number };
export type AccessError = 'signed_out' | 'forbidden';
export type AccessResult = { ok: true; staff: SessionStaff } | { ok: false; error: AccessError };
/** `ip` is null when no trusted proxy reports it (TRUSTED_PROXY_HOPS=0). */
export type ClientMeta = { ip: string | null; userAgent: string | null };

const ROLE_RANK: Record<StaffRole, number> = { viewer: 0, admin: 1 };

export function authorize(who: Pick<SessionStaff, 'role'>, minRole: StaffRole): boolean {
  return ROLE_RANK[who.role] >= ROLE_RANK[minRole];
}

/**
 * Checks a password and opens a session. An unknown email, a disabled account and a wrong password
 * give the same error after the same scrypt work; the limits apply to any typed email alike.
 */
export async function signIn(
  db: Db,
  input: { email: string; password: string } & ClientMeta,
  now: Date = new Date(),
): Promise<SignInResult> {
  const email = input.email.trim().toLowerCase();
  const key = { email, ip: input.ip };
  // Counted before the password is checked; refused attempts are not audited (the log is append-only
  // and must not be floodable by a script).
  const claim = await claimLoginAttempt(db, key, now);
  if (!claim.ok) return { ok: false, error: 'rate_limited', retryAfterSeconds: claim.retryAfterSeconds };
  const [found] = await db.select().from(staff).where(eq(staff.email, email)).limit(1);
  const valid =
    found && !found.disabledAt
      ? await verifyPassword(input.password, found.passwordHash)
      : await burnPasswordCheck(input.password);
  if (!found || !valid) {
    await recordLoginAttempt(db, { ...key, success: false }, now);
    await recordAudit(db, {
      action: 'staff.sign_in_failed',
      actor: null,
      subject: found ? { type: 'staff', id: found.id } : undefined,
      details: { email, ip: input.ip },
    });
    return { ok: false, error: 'bad_credentials' };
  }
  const session = await db.transaction(async (tx) => {
    await recordLoginAttempt(tx, { ...key, success: true }, now);
    const created = await createSession(tx, {
      staffId: found.id,
      ip: input.ip,
      userAgent: input.userAgent,
      now,
    });
    await recordAudit(tx, {
      action: 'staff.sign_in',
      actor: { id: found.id, email: found.email },
      subject: { type: 'staff', id: found.id },
      details: { ip: input.ip },
    });
    return created;
  });
  return { ok: true, ...session, staff: { id: found.id, email: found.email, role: found.role } };
}

/** Revokes the session in the database (not just the cookie) and records who signed out. */
export async function signOut(
  db: Db,
  token: string,
  meta: ClientMeta,
  now: Date = new Date(),
): Promise<void> {
  await db.transaction(async (tx) => {
    const revoked = await revokeSession(tx, token, now);
    if (!revoked) return;
    const [who] = await tx.select({ email: staff.email }).from(staff).where(eq(staff.id, revoked.staffId));
    await recordAudit(tx, {
      action: 'staff.sign_out',
      actor: { id: revoked.staffId, email: who?.email ?? '' },
      subject: { type: 'staff_session', id: revoked.id },
      details: { ip: meta.ip },
    });
  });
}

export async function authenticate(
  db: Db,
  token: string | undefined,
  minRole: StaffRole = 'viewer',
  now: Date = new Date(),
): Promise<AccessResult> {
  const session = await validateSession(db, token, now);
  if (!session.ok) return { ok: false, error: 'signed_out' };
  if (!authorize(session.staff, minRole)) return { ok: false, error: 'forbidden' };
  return { ok: true, staff: session.staff };
}

/**
 * Where to go after signing in: a same-origin path inside /admin once normalised by the URL parser, so
 * `?next=` cannot send a freshly signed-in person to another site (`//evil`, `/\evil`), chain through
 * another redirect (`/admin/../lang/en?next=…`) or go back to the login form.
 */
export function safeReturnPath(next: unknown): string {
  const path = sameOriginPath(next, '/admin', '/admin');
  return path === '/admin/login' || path.startsWith('/admin/login?') || path.startsWith('/admin/login/')
    ? '/admin'
    : path;
}

export function loginPath(returnTo: string): string {
  const next = safeReturnPath(returnTo);
  return next === '/admin' ? '/admin/login' : `/admin/login?next=${encodeURIComponent(next)}`;
}

// ---- Next wrappers: request cookies and headers ----

/** The client address as a trusted proxy reports it (TRUSTED_PROXY_HOPS), or null. */
export async function getClientMeta(): Promise<ClientMeta> {
  const h = await headers();
  const ip = clientAddress(h.get('x-forwarded-for'), getEnv().TRUSTED_PROXY_HOPS);
  return { ip, userAgent: h.get('user-agent')?.slice(0, 512) ?? null };
}

export async function getSessionToken(): Promise<string | undefined> {
  return (await cookies()).get(SESSION_COOKIE)?.value;
}

/** For server actions that report a typed result instead of redirecting. */
export async function getStaffAccess(minRole: StaffRole = 'viewer'): Promise<AccessResult> {
  return authenticate(await getDb(), await getSessionToken(), minRole);
}

/**
 * The signed-in staff member, for every admin page and server action: signed out goes to the login
 * form (back to `returnTo` afterwards), a too-low role to /admin/forbidden. Runs on the server per
 * request; a layout or proxy check alone would not cover the page's own data fetching.
 */
export async function requireStaff(
  minRole: StaffRole = 'viewer',
  returnTo = '/admin',
): Promise<SessionStaff> {
  const access = await getStaffAccess(minRole);
  if (access.ok) return access.staff;
  redirect(access.error === 'signed_out' ? loginPath(returnTo) : '/admin/forbidden');
}

function cookieIsSecure(): boolean {
  const env = getEnv();
  return env.NODE_ENV === 'production' && env.APP_URL.startsWith('https://');
}

export async function setSessionCookie(token: string, expiresAt: Date): Promise<void> {
  (await cookies()).set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: cookieIsSecure(),
    path: '/',
    expires: expiresAt,
  });
}

export async function clearSessionCookie(): Promise<void> {
  (await cookies()).set(SESSION_COOKIE, '', {
    httpOnly: true,
    sameSite: 'strict',
    secure: cookieIsSecure(),
    path: '/',
    maxAge: 0,
  });
}
