import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@/lib/testing/hooks';
import { listAuditEntries } from './audit-log';
import { signIn } from './auth';
import { staff } from './schema';
import { validateSession } from './sessions';
import { createStaff } from './staff';
import { changeStaff, listStaff } from './staff-management';

const meta = { ip: '203.0.113.9', userAgent: 'vitest' };

describe('staff management', () => {
  const database = useTestDatabase();
  let counter = 0;

  async function member(role: 'admin' | 'viewer') {
    counter++;
    const created = await createStaff(database.db, { email: `person-${counter}@shop.test`, role });
    if (!created.ok) throw new Error(created.error);
    return { id: created.staff.id, email: created.staff.email, password: created.password };
  }

  it('disabling revokes the sessions at once and is audited; enabling lets the old password in again', async () => {
    const boss = await member('admin');
    const clerk = await member('viewer');
    const session = await signIn(database.db, { email: clerk.email, password: clerk.password, ...meta });
    if (!session.ok) throw new Error(session.error);

    expect(await changeStaff(database.db, clerk.id, { kind: 'disable' }, boss)).toMatchObject({ ok: true });
    expect(await validateSession(database.db, session.token)).toEqual({ ok: false, error: 'revoked' });
    expect((await signIn(database.db, { email: clerk.email, password: clerk.password, ...meta })).ok).toBe(
      false,
    );
    expect(await changeStaff(database.db, clerk.id, { kind: 'disable' }, boss)).toEqual({
      ok: false,
      error: 'unchanged',
    });

    expect(await changeStaff(database.db, clerk.id, { kind: 'enable' }, boss)).toMatchObject({ ok: true });
    expect((await signIn(database.db, { email: clerk.email, password: clerk.password, ...meta })).ok).toBe(
      true,
    );

    const trail = await listAuditEntries(database.db, { actor: boss.email });
    expect(trail.rows.map((r) => [r.action, r.subjectId, r.details.sessionsRevoked])).toEqual([
      ['staff.enabled', String(clerk.id), 0],
      ['staff.disabled', String(clerk.id), 1],
    ]);
  });

  it('a password reset returns a new password once; the old one stops working', async () => {
    const boss = await member('admin');
    const clerk = await member('viewer');
    const reset = await changeStaff(database.db, clerk.id, { kind: 'reset_password' }, boss);
    if (!reset.ok || !reset.password) throw new Error('no new password');
    expect(reset.password).not.toBe(clerk.password);
    expect((await signIn(database.db, { email: clerk.email, password: clerk.password, ...meta })).ok).toBe(
      false,
    );
    expect((await signIn(database.db, { email: clerk.email, password: reset.password, ...meta })).ok).toBe(
      true,
    );
  });

  it('changes a role, and the list shows role, state and last sign-in', async () => {
    const boss = await member('admin');
    const clerk = await member('viewer');
    await signIn(database.db, { email: clerk.email, password: clerk.password, ...meta });
    expect(await changeStaff(database.db, clerk.id, { kind: 'role', role: 'admin' }, boss)).toMatchObject({
      ok: true,
    });
    const listed = (await listStaff(database.db)).find((m) => m.id === clerk.id);
    expect(listed).toMatchObject({ role: 'admin', disabledAt: null });
    expect(listed?.lastSignInAt).toBeInstanceOf(Date);
    const [audit] = (await listAuditEntries(database.db, { action: 'staff.role_changed', actor: boss.email }))
      .rows;
    expect(audit?.details).toMatchObject({ from: 'viewer', role: 'admin' });
  });

  it('refuses changing one’s own account and unknown accounts', async () => {
    const boss = await member('admin');
    expect(await changeStaff(database.db, boss.id, { kind: 'reset_password' }, boss)).toEqual({
      ok: false,
      error: 'self',
    });
    expect(await changeStaff(database.db, 999_999, { kind: 'disable' }, boss)).toEqual({
      ok: false,
      error: 'not_found',
    });
  });

  it('never leaves the shop without an enabled administrator, even when two disable each other at once', async () => {
    const viewer = await member('viewer');
    for (let round = 0; round < 10; round++) {
      // Only these two are enabled administrators in each round.
      await database.db.update(staff).set({ disabledAt: new Date() }).where(eq(staff.role, 'admin'));
      const a = await member('admin');
      const b = await member('admin');
      const results = await Promise.all([
        changeStaff(database.db, b.id, { kind: 'disable' }, a),
        changeStaff(database.db, a.id, { kind: 'disable' }, b),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok && r.error === 'last_admin')).toHaveLength(1);
      const enabled = (await listStaff(database.db)).filter((m) => m.role === 'admin' && !m.disabledAt);
      expect(enabled.map((m) => m.id)).toHaveLength(1);
      // Demoting the last one is refused the same way.
      expect(
        await changeStaff(database.db, enabled[0]?.id ?? 0, { kind: 'role', role: 'viewer' }, viewer),
      ).toEqual({ ok: false, error: 'last_admin' });
    }
  });
});
