import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@/lib/db/testing';
import { recordAudit } from './audit';
import { listAuditEntries, parseAuditCursor, parseAuditFilters } from './audit-log';
import { createStaff } from './staff';

describe('reading the audit log', () => {
  let database: TestDatabase;
  let boss: { id: number; email: string };
  let other: { id: number; email: string };

  beforeAll(async () => {
    database = await createTestDatabase();
    const staffMember = async (email: string) => {
      const created = await createStaff(database.db, { email, role: 'admin' });
      if (!created.ok) throw new Error(created.error);
      return { id: created.staff.id, email };
    };
    boss = await staffMember('boss@shop.test');
    other = await staffMember('other@shop.test');
    const bill = (id: string) => ({ type: 'assist_bill', id });
    await recordAudit(database.db, { action: 'staff.sign_in', actor: boss, details: { ip: '::1' } });
    await recordAudit(database.db, {
      action: 'bill.action_requested',
      actor: boss,
      subject: bill('1001'),
      details: { kind: 'charge', amountKopecks: null },
    });
    await recordAudit(database.db, {
      action: 'bill.action_finished',
      actor: boss,
      subject: bill('1001'),
      details: { kind: 'charge', state: 'succeeded' },
    });
    await recordAudit(database.db, {
      action: 'bill.action_requested',
      actor: other,
      subject: bill('1002'),
      details: { kind: 'cancel', amountKopecks: 100 },
    });
    await recordAudit(database.db, { action: 'staff.sign_in_failed', actor: null, details: { ip: '::1' } });
  });
  afterAll(async () => {
    await database.close();
  });

  it('lists newest first and pages by id without gaps or repeats', async () => {
    const all = await listAuditEntries(database.db, {});
    expect(all.rows.map((r) => r.action)).toEqual([
      'staff.sign_in_failed',
      'bill.action_requested',
      'bill.action_finished',
      'bill.action_requested',
      'staff.sign_in',
      'staff.created',
      'staff.created',
    ]);
    expect(all.next).toBeNull();

    const seen: number[] = [];
    let after: number | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const page = await listAuditEntries(database.db, {}, { after, limit: 2 });
      seen.push(...page.rows.map((r) => r.id));
      if (!page.next) break;
      after = page.next;
    }
    expect(seen).toEqual(all.rows.map((r) => r.id));
  });

  it("filters one bill's trail, one staff member, one action", async () => {
    const trail = await listAuditEntries(database.db, { bill: '1001' });
    expect(trail.rows.map((r) => r.action)).toEqual(['bill.action_finished', 'bill.action_requested']);
    expect(trail.rows.every((r) => r.subjectId === '1001')).toBe(true);

    const byOther = await listAuditEntries(database.db, { actor: 'other@shop.test' });
    expect(byOther.rows.map((r) => r.subjectId)).toEqual(['1002']);

    const requests = await listAuditEntries(database.db, {
      action: 'bill.action_requested',
      actor: 'boss@shop.test',
    });
    expect(requests.rows.map((r) => r.details)).toEqual([{ kind: 'charge', amountKopecks: null }]);
  });

  it('ignores malformed filters and cursors one by one instead of failing the page', () => {
    expect(
      parseAuditFilters({ action: 'drop table', actor: ' Boss@Shop.Test ', bill: '12; select', after: 'x' }),
    ).toEqual({ actor: 'boss@shop.test' });
    expect(parseAuditFilters({ action: ['staff.sign_in', 'x'], bill: '5960911000000001' })).toEqual({
      action: 'staff.sign_in',
      bill: '5960911000000001',
    });
    expect(parseAuditCursor('42')).toBe(42);
    expect(parseAuditCursor('-1')).toBeNull();
    expect(parseAuditCursor('9'.repeat(40))).toBeNull();
    expect(parseAuditCursor(undefined)).toBeNull();
  });
});
