import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@/lib/db/testing';
import { authenticate, authorize, loginPath, safeReturnPath, signIn, signOut } from './auth';
import { auditLog, staff } from './schema';
import { createStaff } from './staff';

const meta = { ip: '192.0.2.10', userAgent: 'vitest' };

describe('authorisation', () => {
  it('ranks admin above viewer', () => {
    expect(authorize({ role: 'viewer' }, 'viewer')).toBe(true);
    expect(authorize({ role: 'viewer' }, 'admin')).toBe(false);
    expect(authorize({ role: 'admin' }, 'viewer')).toBe(true);
    expect(authorize({ role: 'admin' }, 'admin')).toBe(true);
  });

  it('returns only to paths inside /admin after sign-in', () => {
    expect(safeReturnPath('/admin/bills?page=2')).toBe('/admin/bills?page=2');
    expect(safeReturnPath('/admin')).toBe('/admin');
    for (const bad of [
      undefined,
      '',
      'https://evil.example',
      '//evil.example',
      '/\\evil',
      '/administrator',
      '/',
    ]) {
      expect(safeReturnPath(bad)).toBe('/admin');
    }
    expect(safeReturnPath('/admin//evil.example')).toBe('/admin');
    expect(safeReturnPath('/admin/login?next=/admin')).toBe('/admin');
    expect(loginPath('/admin/bills')).toBe('/admin/login?next=%2Fadmin%2Fbills');
    expect(loginPath('/admin')).toBe('/admin/login');
  });
});

describe('sign-in, roles and sign-out', () => {
  let database: TestDatabase;
  const accounts: Record<'admin' | 'viewer', { email: string; password: string }> = {
    admin: { email: 'admin@example.ru', password: '' },
    viewer: { email: 'viewer@example.ru', password: '' },
  };
  beforeAll(async () => {
    database = await createTestDatabase();
    for (const role of ['admin', 'viewer'] as const) {
      const created = await createStaff(database.db, { email: accounts[role].email, role });
      if (!created.ok) throw new Error(created.error);
      accounts[role].password = created.password;
    }
  });
  afterAll(async () => {
    await database.close();
  });

  it('lets a viewer see viewer pages but not admin actions; an admin may do both', async () => {
    const viewer = await signIn(database.db, { ...accounts.viewer, ...meta });
    const admin = await signIn(database.db, { ...accounts.admin, ...meta });
    if (!viewer.ok || !admin.ok) throw new Error('sign-in failed');
    expect(await authenticate(database.db, viewer.token, 'viewer')).toMatchObject({
      ok: true,
      staff: { email: 'viewer@example.ru', role: 'viewer' },
    });
    expect(await authenticate(database.db, viewer.token, 'admin')).toEqual({ ok: false, error: 'forbidden' });
    expect((await authenticate(database.db, admin.token, 'admin')).ok).toBe(true);
    expect(await authenticate(database.db, undefined, 'viewer')).toEqual({ ok: false, error: 'signed_out' });
    expect(await authenticate(database.db, 'made-up', 'viewer')).toEqual({ ok: false, error: 'signed_out' });
  });

  it('refuses a disabled account with the same message as a wrong password', async () => {
    await database.db
      .update(staff)
      .set({ disabledAt: new Date() })
      .where(eq(staff.email, accounts.viewer.email));
    expect(await signIn(database.db, { ...accounts.viewer, ...meta })).toEqual({
      ok: false,
      error: 'bad_credentials',
    });
    await database.db.update(staff).set({ disabledAt: null }).where(eq(staff.email, accounts.viewer.email));
  });

  it('signs out by revoking the session in the database, and audits sign-in, failure and sign-out', async () => {
    const session = await signIn(database.db, { ...accounts.admin, ...meta });
    if (!session.ok) throw new Error(session.error);
    await signOut(database.db, session.token, meta);
    expect(await authenticate(database.db, session.token)).toEqual({ ok: false, error: 'signed_out' });
    await signOut(database.db, session.token, meta);

    await signIn(database.db, { email: accounts.admin.email, password: 'wrong', ...meta });
    const rows = await database.db.select().from(auditLog);
    const adminRows = rows.filter(
      (r) => r.details.email === accounts.admin.email || r.actorEmail === accounts.admin.email,
    );
    expect(adminRows.map((r) => r.action)).toEqual(
      expect.arrayContaining(['staff.sign_in', 'staff.sign_out', 'staff.sign_in_failed']),
    );
    expect(rows.filter((r) => r.action === 'staff.sign_out')).toHaveLength(1);
    const failed = rows.find(
      (r) => r.action === 'staff.sign_in_failed' && r.details.email === accounts.admin.email,
    );
    expect(failed).toMatchObject({ actorStaffId: null, subjectType: 'staff', details: { ip: meta.ip } });
    expect(JSON.stringify(rows)).not.toContain('wrong');
  });
});
