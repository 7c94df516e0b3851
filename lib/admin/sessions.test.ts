import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@/lib/db/testing';
import { staff, staffSessions } from './schema';
import {
  createSession,
  hashSessionToken,
  revokeSession,
  SESSION_IDLE_MS,
  SESSION_TTL_MS,
  validateSession,
} from './sessions';
import { createStaff } from './staff';

const MINUTE = 60 * 1000;

describe('staff sessions', () => {
  let database: TestDatabase;
  let staffId: number;
  beforeAll(async () => {
    database = await createTestDatabase();
    const created = await createStaff(database.db, { email: 'anna@example.ru', role: 'admin' });
    if (!created.ok) throw new Error(created.error);
    staffId = created.staff.id;
  });
  afterAll(async () => {
    await database.close();
  });

  it('issues a random token and stores only its SHA-256', async () => {
    const { token, expiresAt } = await createSession(database.db, {
      staffId,
      ip: '198.51.100.7',
      userAgent: 'UA',
    });
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    const rows = await database.db.select().from(staffSessions).where(eq(staffSessions.staffId, staffId));
    const row = rows.find((r) => r.tokenHash === hashSessionToken(token));
    expect(row).toMatchObject({ ip: '198.51.100.7', userAgent: 'UA', revokedAt: null });
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(expiresAt.getTime() - (row?.createdAt.getTime() ?? 0)).toBe(SESSION_TTL_MS);
    expect(await validateSession(database.db, token)).toMatchObject({
      ok: true,
      staff: { id: staffId, email: 'anna@example.ru', role: 'admin' },
    });
  });

  it('rejects a missing or unknown token', async () => {
    expect(await validateSession(database.db, undefined)).toEqual({ ok: false, error: 'missing' });
    expect(await validateSession(database.db, 'forged')).toEqual({ ok: false, error: 'unknown' });
  });

  it('expires absolutely after the lifetime even when kept busy', async () => {
    const start = new Date('2030-01-01T08:00:00Z');
    const { token } = await createSession(database.db, { staffId, now: start });
    for (let t = 0; t < SESSION_TTL_MS; t += SESSION_IDLE_MS / 2) {
      expect((await validateSession(database.db, token, new Date(start.getTime() + t))).ok).toBe(true);
    }
    expect(await validateSession(database.db, token, new Date(start.getTime() + SESSION_TTL_MS))).toEqual({
      ok: false,
      error: 'expired',
    });
  });

  it('ends after the idle limit, and a request within it extends the idle window', async () => {
    const start = new Date('2030-02-01T08:00:00Z');
    const { token } = await createSession(database.db, { staffId, now: start });
    const later = new Date(start.getTime() + SESSION_IDLE_MS - MINUTE);
    expect((await validateSession(database.db, token, later)).ok).toBe(true);
    expect(
      (await validateSession(database.db, token, new Date(later.getTime() + SESSION_IDLE_MS - MINUTE))).ok,
    ).toBe(true);
    const idle = new Date(later.getTime() + 3 * SESSION_IDLE_MS);
    expect(await validateSession(database.db, token, idle)).toEqual({ ok: false, error: 'idle' });
  });

  it('revokes in the database: the same token is refused afterwards', async () => {
    const { token } = await createSession(database.db, { staffId });
    expect(await revokeSession(database.db, token)).toMatchObject({ staffId });
    expect(await validateSession(database.db, token)).toEqual({ ok: false, error: 'revoked' });
    expect(await revokeSession(database.db, token)).toBeNull();
  });

  it('refuses every session of a disabled staff member', async () => {
    const { token } = await createSession(database.db, { staffId });
    await database.db.update(staff).set({ disabledAt: new Date() }).where(eq(staff.id, staffId));
    expect(await validateSession(database.db, token)).toEqual({ ok: false, error: 'disabled' });
    await database.db.update(staff).set({ disabledAt: null }).where(eq(staff.id, staffId));
    expect((await validateSession(database.db, token)).ok).toBe(true);
  });
});
