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

const staffEmail = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email())
  .transform((v) => v.toLowerCase());

function isStaffRole(value: unknown): value is StaffRole {
  return (STAFF_ROLES as readonly unknown[]).includes(value);
}

/** The demo's fixed accounts; `npm run demo` prints their fresh passwords on every start. */
export const DEMO_ADMIN_EMAIL = 'admin@example.com';
export const DEMO_VIEWER_EMAIL = 'viewer@example.com';

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
 * A demo account with a fresh password: created on the first run, afterwards re-enabled, given its
 * role again and a new password, with its old sessions revoked (whoever knew the old one is out).
 * A fixed password (12+ characters, from `DEMO_ADMIN_PASSWORD` / `DEMO_VIEWER_PASSWORD`) lets browser
 * tests sign in to a demo whose printed output they cannot read.
 */
async function ensureDemoStaff(
  db: Db,
  account: { email: string; role: StaffRole; passwordVariable: string },
  fixedPassword: string | undefined,
): Promise<{ email: string; password: string }> {
  if (fixedPassword !== undefined && fixedPassword !== '' && fixedPassword.length < 12)
    throw new Error(`${account.passwordVariable} must be at least 12 characters`);
  const password = fixedPassword || generatePassword();
  const passwordHash = await hashPassword(password);
  await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(staff)
      .values({ email: account.email, role: account.role, passwordHash })
      .onConflictDoUpdate({
        target: staff.email,
        set: { passwordHash, role: account.role, disabledAt: null },
      })
      // xmax = 0 only on a freshly inserted row: tells a first run from a reset in the same statement.
      .returning({ id: staff.id, email: staff.email, inserted: sql<boolean>`(xmax = 0)` });
    if (!row) throw new Error(`upserting the demo account ${account.email} returned no row`);
    const revoked = await tx
      .update(staffSessions)
      .set({ revokedAt: new Date() })
      .where(and(eq(staffSessions.staffId, row.id), isNull(staffSessions.revokedAt)))
      .returning({ id: staffSessions.id });
    await recordAudit(tx, {
      action: row.inserted ? 'staff.created' : 'staff.password_reset',
      actor: null,
      subject: { type: 'staff', id: row.id },
      details: { email: row.email, role: account.role, reason: 'demo', sessionsRevoked: revoked.length },
    });
  });
  return { email: account.email, password };
}

export function ensureDemoAdmin(db: Db, fixedPassword: string | undefined = process.env.DEMO_ADMIN_PASSWORD) {
  return ensureDemoStaff(
    db,
    { email: DEMO_ADMIN_EMAIL, role: 'admin', passwordVariable: 'DEMO_ADMIN_PASSWORD' },
    fixedPassword,
  );
}

/** The demo's read-only account, so the viewer role can be tried (and tested) beside the admin. */
export function ensureDemoViewer(
  db: Db,
  fixedPassword: string | undefined = process.env.DEMO_VIEWER_PASSWORD,
) {
  return ensureDemoStaff(
    db,
    { email: DEMO_VIEWER_EMAIL, role: 'viewer', passwordVariable: 'DEMO_VIEWER_PASSWORD' },
    fixedPassword,
  );
}
