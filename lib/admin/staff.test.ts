import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@/lib/testing/hooks';
import { signIn } from './auth';
import { verifyPassword } from './password';
import { auditLog, staff } from './schema';
import { validateSession } from './sessions';
import { createStaff, DEMO_ADMIN_EMAIL, DEMO_VIEWER_EMAIL, ensureDemoAdmin, ensureDemoViewer } from './staff';

const meta = { ip: '203.0.113.1', userAgent: 'vitest' };

describe('staff', () => {
  const database = useTestDatabase();

  it('creates staff with a lower-cased email and a generated password stored only as a hash', async () => {
    const result = await createStaff(database.db, { email: '  Olga@Example.RU ', role: 'viewer' });
    if (!result.ok) throw new Error(result.error);
    expect(result.staff).toMatchObject({ email: 'olga@example.ru', role: 'viewer', disabledAt: null });
    expect(result.staff.passwordHash).not.toContain(result.password);
    expect(await verifyPassword(result.password, result.staff.passwordHash)).toBe(true);
    const audit = await database.db.select().from(auditLog).where(eq(auditLog.action, 'staff.created'));
    expect(audit).toEqual([
      expect.objectContaining({
        actorStaffId: null,
        subjectId: String(result.staff.id),
        details: expect.any(Object),
      }),
    ]);
  });

  it('refuses a duplicate email (whatever its case), a bad email and an unknown role', async () => {
    expect(await createStaff(database.db, { email: 'OLGA@example.ru', role: 'admin' })).toEqual({
      ok: false,
      error: 'duplicate_email',
    });
    expect(await createStaff(database.db, { email: 'not-an-email', role: 'admin' })).toEqual({
      ok: false,
      error: 'invalid_email',
    });
    expect(await createStaff(database.db, { email: 'x@example.ru', role: 'owner' })).toEqual({
      ok: false,
      error: 'invalid_role',
    });
  });

  it('keeps emails lower-case in the database itself', async () => {
    await expect(
      database.db.insert(staff).values({ email: 'Mixed@example.ru', role: 'viewer', passwordHash: 'x' }),
    ).rejects.toThrow();
  });

  it('ensureDemoAdmin creates the admin, then resets its password and revokes its sessions', async () => {
    const first = await ensureDemoAdmin(database.db);
    expect(first.email).toBe(DEMO_ADMIN_EMAIL);
    const signedIn = await signIn(database.db, { ...first, ...meta });
    if (!signedIn.ok) throw new Error(signedIn.error);
    expect(signedIn.staff.role).toBe('admin');

    await database.db.update(staff).set({ disabledAt: new Date() }).where(eq(staff.email, DEMO_ADMIN_EMAIL));
    const second = await ensureDemoAdmin(database.db);
    expect(second.password).not.toBe(first.password);
    expect(await validateSession(database.db, signedIn.token)).toEqual({ ok: false, error: 'revoked' });
    expect((await signIn(database.db, { ...first, ...meta })).ok).toBe(false);
    expect((await signIn(database.db, { ...second, ...meta })).ok).toBe(true);

    const rows = await database.db.select().from(staff).where(eq(staff.email, DEMO_ADMIN_EMAIL));
    expect(rows).toHaveLength(1);
    const actions = (
      await database.db
        .select()
        .from(auditLog)
        .where(eq(auditLog.subjectId, String(rows[0]?.id)))
    )
      .map((r) => r.action)
      .filter((a) => a === 'staff.created' || a === 'staff.password_reset');
    expect(actions).toEqual(['staff.created', 'staff.password_reset']);
  });

  it('ensureDemoAdmin takes a fixed password for browser tests, and refuses a short one', async () => {
    const fixed = await ensureDemoAdmin(database.db, 'e2e-password-0123');
    expect(fixed.password).toBe('e2e-password-0123');
    expect((await signIn(database.db, { ...fixed, ...meta })).ok).toBe(true);
    await expect(ensureDemoAdmin(database.db, 'short')).rejects.toThrow(/12 characters/);
  });

  it('ensureDemoViewer makes a read-only account, and puts back its role if someone raised it', async () => {
    const viewer = await ensureDemoViewer(database.db, 'viewer-password-0123');
    expect(viewer.email).toBe(DEMO_VIEWER_EMAIL);
    const signedIn = await signIn(database.db, { ...viewer, ...meta });
    if (!signedIn.ok) throw new Error(signedIn.error);
    expect(signedIn.staff.role).toBe('viewer');

    await database.db.update(staff).set({ role: 'admin' }).where(eq(staff.email, DEMO_VIEWER_EMAIL));
    await ensureDemoViewer(database.db, 'viewer-password-0123');
    const [row] = await database.db.select().from(staff).where(eq(staff.email, DEMO_VIEWER_EMAIL));
    expect(row?.role).toBe('viewer');
    await expect(ensureDemoViewer(database.db, 'short')).rejects.toThrow(/DEMO_VIEWER_PASSWORD/);
  });
});
