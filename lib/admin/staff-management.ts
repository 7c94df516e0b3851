import 'server-only';
import { and, asc, eq, isNull, max } from 'drizzle-orm';
import type { Db } from '@/lib/db/connect';
import { recordAudit } from './audit';
import { generatePassword, hashPassword } from './password';
import { loginAttempts, type StaffRole, staff, staffSessions } from './schema';

/**
 * Administrators managing staff accounts from /admin/staff. Accounts are disabled, never deleted (the
 * audit log points at them). Every change revokes the person's sessions, so it takes effect at their
 * next click, and is audited in the same transaction. Nobody changes their own account here, and the
 * shop always keeps at least one enabled administrator.
 */

export type StaffMember = {
  id: number;
  email: string;
  role: StaffRole;
  createdAt: Date;
  disabledAt: Date | null;
  lastSignInAt: Date | null;
};

export async function listStaff(db: Db): Promise<StaffMember[]> {
  return db
    .select({
      id: staff.id,
      email: staff.email,
      role: staff.role,
      createdAt: staff.createdAt,
      disabledAt: staff.disabledAt,
      lastSignInAt: max(loginAttempts.at),
    })
    .from(staff)
    .leftJoin(loginAttempts, and(eq(loginAttempts.email, staff.email), eq(loginAttempts.success, true)))
    .groupBy(staff.id)
    .orderBy(asc(staff.email));
}

export type StaffChange =
  | { kind: 'disable' }
  | { kind: 'enable' }
  | { kind: 'role'; role: StaffRole }
  | { kind: 'reset_password' };

export type StaffChangeError = 'not_found' | 'self' | 'last_admin' | 'unchanged';
export type StaffChangeResult =
  | { ok: true; email: string; password: string | null }
  | { ok: false; error: StaffChangeError };

type Actor = { id: number; email: string };

export async function changeStaff(
  db: Db,
  targetId: number,
  change: StaffChange,
  actor: Actor,
): Promise<StaffChangeResult> {
  if (targetId === actor.id) return { ok: false, error: 'self' };
  // Hashing is slow on purpose: do it before taking any lock.
  const password = change.kind === 'reset_password' ? generatePassword() : null;
  const passwordHash = password ? await hashPassword(password) : null;
  return db.transaction(async (tx) => {
    // Every enabled administrator's row, locked: two administrators disabling each other at once queue
    // here, and the second sees that it would leave nobody.
    const admins = await tx
      .select({ id: staff.id })
      .from(staff)
      .where(and(eq(staff.role, 'admin'), isNull(staff.disabledAt)))
      .orderBy(asc(staff.id))
      .for('update');
    const [target] = await tx.select().from(staff).where(eq(staff.id, targetId)).for('update');
    if (!target) return { ok: false, error: 'not_found' } as const;
    const othersAdmins = admins.filter((a) => a.id !== target.id).length;
    const removesAdmin =
      target.role === 'admin' &&
      target.disabledAt === null &&
      (change.kind === 'disable' || (change.kind === 'role' && change.role !== 'admin'));
    if (removesAdmin && othersAdmins === 0) return { ok: false, error: 'last_admin' } as const;

    let audit: { action: 'staff.disabled' | 'staff.enabled' | 'staff.role_changed' | 'staff.password_reset' };
    let details: Record<string, unknown> = { email: target.email };
    switch (change.kind) {
      case 'disable':
        if (target.disabledAt) return { ok: false, error: 'unchanged' } as const;
        await tx.update(staff).set({ disabledAt: new Date() }).where(eq(staff.id, target.id));
        audit = { action: 'staff.disabled' };
        break;
      case 'enable':
        if (!target.disabledAt) return { ok: false, error: 'unchanged' } as const;
        await tx.update(staff).set({ disabledAt: null }).where(eq(staff.id, target.id));
        audit = { action: 'staff.enabled' };
        break;
      case 'role':
        if (target.role === change.role) return { ok: false, error: 'unchanged' } as const;
        await tx.update(staff).set({ role: change.role }).where(eq(staff.id, target.id));
        audit = { action: 'staff.role_changed' };
        details = { ...details, from: target.role, role: change.role };
        break;
      case 'reset_password':
        await tx
          .update(staff)
          .set({ passwordHash: passwordHash ?? '' })
          .where(eq(staff.id, target.id));
        audit = { action: 'staff.password_reset' };
        break;
      default: {
        const unhandled: never = change;
        throw new Error(`unknown staff change ${JSON.stringify(unhandled)}`);
      }
    }
    const revoked = await tx
      .update(staffSessions)
      .set({ revokedAt: new Date() })
      .where(and(eq(staffSessions.staffId, target.id), isNull(staffSessions.revokedAt)))
      .returning({ id: staffSessions.id });
    await recordAudit(tx, {
      action: audit.action,
      actor,
      subject: { type: 'staff', id: target.id },
      details: { ...details, sessionsRevoked: revoked.length },
    });
    return { ok: true, email: target.email, password } as const;
  });
}
