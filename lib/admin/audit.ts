import 'server-only';
import type { Db } from '@/lib/db/connect';
import { auditLog } from './schema';

/** A database or a transaction: audit rows are written in the same transaction as the change they record. */
export type DbOrTx = Pick<Db, 'insert'>;

export const AUDIT_ACTIONS = [
  'staff.sign_in',
  'staff.sign_in_failed',
  'staff.sign_out',
  'staff.created',
  'staff.password_reset',
  'staff.disabled',
  'staff.enabled',
  'staff.role_changed',
  'bill.action_requested',
  'bill.action_finished',
  'bill.action_settled',
  'assist.sync_requested',
  'fiscal.receipt_resent',
  'order.handed_over',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type AuditEntry = {
  action: AuditAction;
  /** Null for the command line and for failed sign-ins, where nobody is authenticated. */
  actor: { id: number; email: string } | null;
  subject?: { type: string; id: string | number };
  details?: Record<string, unknown>;
};

export async function recordAudit(db: DbOrTx, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    action: entry.action,
    actorStaffId: entry.actor?.id ?? null,
    actorEmail: entry.actor?.email ?? null,
    subjectType: entry.subject?.type ?? null,
    subjectId: entry.subject ? String(entry.subject.id) : null,
    details: entry.details ?? {},
  });
}
