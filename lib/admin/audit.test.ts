import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@/lib/testing/hooks';
import { recordAudit } from './audit';
import { auditLog } from './schema';

/** Drizzle wraps driver errors ("Failed query: …"); the trigger's message is on the cause. */
async function rejectionMessage(query: PromiseLike<unknown>): Promise<string> {
  try {
    await query;
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : '';
    return `${err instanceof Error ? err.message : String(err)} ${cause}`;
  }
  return 'no error';
}

describe('audit log', () => {
  const database = useTestDatabase();

  it('records entries', async () => {
    await recordAudit(database.db, {
      action: 'staff.created',
      actor: null,
      subject: { type: 'staff', id: 42 },
      details: { via: 'test' },
    });
    const rows = await database.db.select().from(auditLog);
    expect(rows).toEqual([
      expect.objectContaining({
        action: 'staff.created',
        actorStaffId: null,
        subjectType: 'staff',
        subjectId: '42',
        details: { via: 'test' },
      }),
    ]);
  });

  it('is append-only in the database: UPDATE, DELETE and TRUNCATE are rejected', async () => {
    const { db } = database;
    expect(await rejectionMessage(db.update(auditLog).set({ action: 'rewritten' }))).toMatch(
      /append-only: UPDATE/,
    );
    expect(await rejectionMessage(db.delete(auditLog))).toMatch(/append-only: DELETE/);
    expect(await rejectionMessage(db.execute(sql`truncate audit_log`))).toMatch(/append-only: TRUNCATE/);
    const rows = await db.select().from(auditLog);
    expect(rows.map((r) => r.action)).toEqual(['staff.created']);
  });
});
