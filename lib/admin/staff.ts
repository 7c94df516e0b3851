import 'server-only';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/lib/db/connect';
import { recordAudit } from './audit';
import { generatePassword, hashPassword } from './password';
import { STAFF_ROLES, type StaffRole, staff, staffSessions } from './schema';

export type Staff = typeof staff.$inferSelect;
export type CreateStaffError = 'invalid_email' | 'invalid_role' | 'duplicate_email';
export type CreateStaffResult =
  | { ok: true; staff: Staff; password: string }
  | { ok: false; error: CreateStaffError };

export const staffEmail = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email())
  .transform((v) => v.toLowerCase());

export function isStaffRole(value: unknown): value is StaffRole {
  return (STAFF_ROLES as readonly unknown[]).includes(value);
}

/** The demo's fixed admin; `npm run demo` prints its fresh password on every start. */
export const DEMO_ADMIN_EMAIL = 'admin@example.com';

/**
 * Creates a staff member with a generated password, returned once and stored only as a hash. `actor`
 * is who did it (null from the command line), recorded in the audit log in the same transaction.
 */
export async function createStaff(
  db: Db,
  input: { email: string; role: string },
  actor: { id: number; email: string } | null = null,
): Promise<CreateStaffResult> {
  const email = staffEmail.safeParse(input.email);
  if (!email.success) return { ok: false, error: 'invalid_email' };
  if (!isStaffRole(input.role)) return { ok: false, error: 'invalid_role' };
  const role = input.role;
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  const created = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(staff)
      .values({ email: email.data, role, passwordHash })
      .onConflictDoNothing({ target: staff.email })
      .returning();
    if (!row) return null;
    await recordAudit(tx, {
      action: 'staff.created',
      actor,
      subject: { type: 'staff', id: row.id },
      details: { email: row.email, role },
    });
    return row;
  });
  return created ? { ok: true, staff: created, password } : { ok: false, error: 'duplicate_email' };
}

/**
 * The demo admin with a fresh password: created on the first run, afterwards re-enabled, made admin
 * again and given a new password, with its old sessions revoked (whoever knew the old one is out).
 * `DEMO_ADMIN_PASSWORD` (12+ characters) fixes the password, so browser tests can sign in to a demo
 * whose printed output they cannot read.
 */
export async function ensureDemoAdmin(
  db: Db,
  fixedPassword: string | undefined = process.env.DEMO_ADMIN_PASSWORD,
): Promise<{ email: string; password: string }> {
  if (fixedPassword !== undefined && fixedPassword !== '' && fixedPassword.length < 12)
    throw new Error('DEMO_ADMIN_PASSWORD must be at least 12 characters');
  const password = fixedPassword || generatePassword();
  const passwordHash = await hashPassword(password);
  await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(staff)
      .values({ email: DEMO_ADMIN_EMAIL, role: 'admin', passwordHash })
      .onConflictDoUpdate({ target: staff.email, set: { passwordHash, role: 'admin', disabledAt: null } })
      // xmax = 0 only on a freshly inserted row: tells a first run from a reset in the same statement.
      .returning({ id: staff.id, email: staff.email, inserted: sql<boolean>`(xmax = 0)` });
    if (!row) throw new Error('upserting the demo admin returned no row');
    const revoked = await tx
      .update(staffSessions)
      .set({ revokedAt: new Date() })
      .where(and(eq(staffSessions.staffId, row.id), isNull(staffSessions.revokedAt)))
      .returning({ id: staffSessions.id });
    await recordAudit(tx, {
      action: row.inserted ? 'staff.created' : 'staff.password_reset',
      actor: null,
      subject: { type: 'staff', id: row.id },
      details: { email: row.email, reason: 'demo', sessionsRevoked: revoked.length },
    });
  });
  return { email: DEMO_ADMIN_EMAIL, password };
}
