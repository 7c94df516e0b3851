import 'server-only';
import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { billNumberSchema } from '@/lib/assist';
import type { Db } from '@/lib/db/connect';
import { parseSearchParams, type SearchParams } from '@/lib/http/search-params';
import { AUDIT_ACTIONS, type AuditAction } from './audit';
import { auditLog } from './schema';

/**
 * Staff reading the audit trail: newest first, paged by id (the log only grows, so a page never shifts
 * under the reader), filtered by action, by who did it, or by what it was done to (one bill's trail).
 */
const AUDIT_PAGE_SIZE = 50;

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const auditFiltersSchema = z.object({
  action: z.preprocess(emptyToUndefined, z.enum(AUDIT_ACTIONS).optional()),
  actor: z.preprocess(emptyToUndefined, z.string().trim().toLowerCase().max(254).optional()),
  bill: z.preprocess(emptyToUndefined, z.string().trim().pipe(billNumberSchema).optional()),
});
export type AuditFilters = z.infer<typeof auditFiltersSchema>;

export function parseAuditFilters(params: SearchParams): AuditFilters {
  return parseSearchParams(auditFiltersSchema, params);
}

/** The `after` parameter: the id of the last entry on the previous page. */
export function parseAuditCursor(value: string | string[] | undefined): number | null {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw || !/^\d{1,15}$/.test(raw)) return null;
  return Number(raw);
}

export type AuditRow = {
  id: number;
  at: Date;
  actorEmail: string | null;
  action: AuditAction | string;
  subjectType: string | null;
  subjectId: string | null;
  details: Record<string, unknown>;
};

export async function listAuditEntries(
  db: Db,
  filters: AuditFilters,
  options: { after?: number | null; limit?: number } = {},
): Promise<{ rows: AuditRow[]; next: number | null }> {
  const limit = options.limit ?? AUDIT_PAGE_SIZE;
  const where: SQL[] = [];
  if (filters.action) where.push(eq(auditLog.action, filters.action));
  if (filters.actor) where.push(eq(auditLog.actorEmail, filters.actor));
  if (filters.bill) {
    where.push(eq(auditLog.subjectType, 'assist_bill'), eq(auditLog.subjectId, filters.bill));
  }
  if (options.after) where.push(lt(auditLog.id, options.after));
  const rows = await db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      actorEmail: auditLog.actorEmail,
      action: auditLog.action,
      subjectType: auditLog.subjectType,
      subjectId: auditLog.subjectId,
      details: auditLog.details,
    })
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return { rows: page, next: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
}
