import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@/lib/db/testing';
import { signIn } from './auth';
import { LOGIN_WINDOW_MS, MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_IP } from './rate-limit';
import { createStaff } from './staff';

describe('sign-in rate limits', () => {
  let database: TestDatabase;
  const passwords = new Map<string, string>();
  beforeAll(async () => {
    database = await createTestDatabase();
    for (const email of ['ivan@example.ru', 'pavel@example.ru']) {
      const created = await createStaff(database.db, { email, role: 'viewer' });
      if (!created.ok) throw new Error(created.error);
      passwords.set(email, created.password);
    }
  });
  afterAll(async () => {
    await database.close();
  });

  const attempt = (email: string, password: string, ip: string, now: Date) =>
    signIn(database.db, { email, password, ip, userAgent: null }, now);

  it(`locks an account after ${MAX_FAILURES_PER_ACCOUNT} failures from any addresses, even for the right password`, async () => {
    const now = new Date('2030-03-01T10:00:00Z');
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
      expect(await attempt('ivan@example.ru', 'wrong', `192.0.2.${i}`, now)).toEqual({
        ok: false,
        error: 'bad_credentials',
      });
    }
    const right = passwords.get('ivan@example.ru') ?? '';
    expect(await attempt('IVAN@example.ru', right, '192.0.2.100', now)).toEqual({
      ok: false,
      error: 'rate_limited',
    });
    // The other account is not affected.
    expect(
      (await attempt('pavel@example.ru', passwords.get('pavel@example.ru') ?? '', '192.0.2.100', now)).ok,
    ).toBe(true);
    // Once the window has passed, the owner gets in, and that success clears the account's count.
    const later = new Date(now.getTime() + LOGIN_WINDOW_MS + 1000);
    expect((await attempt('ivan@example.ru', right, '192.0.2.100', later)).ok).toBe(true);
    expect((await attempt('ivan@example.ru', 'wrong', '192.0.2.100', later)).ok).toBe(false);
    expect((await attempt('ivan@example.ru', right, '192.0.2.100', later)).ok).toBe(true);
  });

  it('gives an unknown email the same answers as a real one, including the lockout', async () => {
    const now = new Date('2030-04-01T10:00:00Z');
    const results = [];
    for (let i = 0; i <= MAX_FAILURES_PER_ACCOUNT; i++) {
      results.push(await attempt('nobody@example.ru', 'guess', `198.51.100.${i}`, now));
    }
    expect(results.slice(0, -1).every((r) => !r.ok && r.error === 'bad_credentials')).toBe(true);
    expect(results.at(-1)).toEqual({ ok: false, error: 'rate_limited' });
  });

  it(`blocks an address after ${MAX_FAILURES_PER_IP} failures spread over many accounts`, async () => {
    const now = new Date('2030-05-01T10:00:00Z');
    const ip = '203.0.113.50';
    for (let i = 0; i < MAX_FAILURES_PER_IP; i++) {
      // A different email each time stays under every per-account limit.
      expect((await attempt(`guess${i}@example.ru`, 'x', ip, now)).ok).toBe(false);
    }
    const pavel = passwords.get('pavel@example.ru') ?? '';
    expect(await attempt('pavel@example.ru', pavel, ip, now)).toEqual({ ok: false, error: 'rate_limited' });
    // The same account from another address still works: the block is on the address.
    expect((await attempt('pavel@example.ru', pavel, '203.0.113.51', now)).ok).toBe(true);
    // A success does not reset an address's count, so one valid account cannot unlock guessing.
    expect(await attempt('pavel@example.ru', pavel, ip, now)).toEqual({ ok: false, error: 'rate_limited' });
    const later = new Date(now.getTime() + LOGIN_WINDOW_MS + 1000);
    expect((await attempt('pavel@example.ru', pavel, ip, later)).ok).toBe(true);
  });
});
