import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@/lib/db/testing';
import { FIRST_DELAY_SECONDS } from '@/lib/ops/throttle';
import { signIn } from './auth';
import {
  FREE_FAILURES_PER_ACCOUNT,
  FREE_FAILURES_PER_CLIENT,
  MAX_ACCOUNT_DELAY_SECONDS,
  MAX_DELAY_SECONDS,
} from './rate-limit';
import { auditLog } from './schema';
import { createStaff } from './staff';

describe('sign-in delays', () => {
  let database: TestDatabase;
  const passwords = new Map<string, string>();
  beforeAll(async () => {
    database = await createTestDatabase();
    for (const email of ['ivan@example.ru', 'pavel@example.ru', 'olga@example.ru', 'anna@example.ru']) {
      const created = await createStaff(database.db, { email, role: 'viewer' });
      if (!created.ok) throw new Error(created.error);
      passwords.set(email, created.password);
    }
  });
  afterAll(async () => {
    await database.close();
  });

  const attempt = (email: string, password: string, ip: string | null, now: Date) =>
    signIn(database.db, { email, password, ip, userAgent: null }, now);
  const at = (base: Date, seconds: number) => new Date(base.getTime() + seconds * 1000);

  it('a stranger failing on an account delays the owner by a bounded wait at most, never locks', async () => {
    const now = new Date('2030-03-01T10:00:00Z');
    const right = passwords.get('ivan@example.ru') ?? '';
    // 12 failures from rotating addresses, each as soon as it is allowed.
    let t = now;
    let failures = 0;
    for (let i = 0; i < 100 && failures < 12; i++) {
      const r = await attempt('ivan@example.ru', 'wrong', `192.0.2.${i % 250}`, t);
      if (!r.ok && r.error === 'bad_credentials') failures++;
      else if (!r.ok && r.retryAfterSeconds !== undefined) {
        expect(r.retryAfterSeconds).toBeLessThanOrEqual(MAX_ACCOUNT_DELAY_SECONDS);
        t = at(t, r.retryAfterSeconds);
      }
    }
    expect(failures).toBe(12);
    // The owner, right after the stranger's last failure, waits at most the account's short delay.
    const refused = await attempt('IVAN@example.ru', right, '198.51.100.1', t);
    expect(refused.ok).toBe(false);
    const wait = refused.ok ? 0 : (refused.retryAfterSeconds ?? 0);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(MAX_ACCOUNT_DELAY_SECONDS);
    expect((await attempt('ivan@example.ru', right, '198.51.100.1', at(t, wait))).ok).toBe(true);
    // From an address it signed in from, the account-wide delay does not apply at all.
    expect((await attempt('ivan@example.ru', 'wrong', `192.0.2.9`, at(t, wait))).ok).toBe(false);
    expect((await attempt('ivan@example.ru', right, '198.51.100.1', at(t, wait))).ok).toBe(true);
  });

  it('counts an attempt before the password check, atomically: 30 concurrent guesses get 5 checks', async () => {
    const now = new Date('2030-03-02T10:00:00Z');
    const results = await Promise.all(
      Array.from({ length: 30 }, () => attempt('olga@example.ru', 'wrong', '203.0.113.77', now)),
    );
    const checked = results.filter((r) => !r.ok && r.error === 'bad_credentials').length;
    expect(checked).toBe(FREE_FAILURES_PER_ACCOUNT);
    const [audited] = await database.db
      .select({ n: count() })
      .from(auditLog)
      .where(eq(auditLog.action, 'staff.sign_in_failed'));
    expect(audited?.n).toBeGreaterThanOrEqual(FREE_FAILURES_PER_ACCOUNT);
  });

  it('gives an unknown email the same answers as a real one, including the delay', async () => {
    const now = new Date('2030-04-01T10:00:00Z');
    const results = [];
    for (let i = 0; i <= FREE_FAILURES_PER_ACCOUNT; i++) {
      results.push(await attempt('nobody@example.ru', 'guess', `198.51.100.${i}`, now));
    }
    expect(results.slice(0, -1).every((r) => !r.ok && r.error === 'bad_credentials')).toBe(true);
    expect(results.at(-1)).toMatchObject({
      ok: false,
      error: 'rate_limited',
      retryAfterSeconds: FIRST_DELAY_SECONDS,
    });
  });

  it(`slows an address after ${FREE_FAILURES_PER_CLIENT} failures over many accounts, never past the cap`, async () => {
    const now = new Date('2030-05-01T10:00:00Z');
    const ip = '203.0.113.50';
    for (let i = 0; i < FREE_FAILURES_PER_CLIENT; i++) {
      expect((await attempt(`guess${i}@example.ru`, 'x', ip, now)).ok).toBe(false);
    }
    const pavel = passwords.get('pavel@example.ru') ?? '';
    expect(await attempt('pavel@example.ru', pavel, ip, now)).toMatchObject({
      ok: false,
      error: 'rate_limited',
    });
    // The same account from another address still works: the delay is on the address.
    expect((await attempt('pavel@example.ru', pavel, '203.0.113.51', now)).ok).toBe(true);
    // Many more failures from the address: each wait stays bounded.
    let t = now;
    for (let i = 0; i < 8; i++) {
      const r = await attempt(`more${i}@example.ru`, 'x', ip, t);
      const wait = r.ok ? 0 : (r.retryAfterSeconds ?? 0);
      expect(wait).toBeLessThanOrEqual(MAX_DELAY_SECONDS);
      t = at(t, wait + 0.001);
    }
  });

  it('without a trusted address only the account delay applies (forged addresses change nothing)', async () => {
    const now = new Date('2030-06-01T10:00:00Z');
    for (let i = 0; i < FREE_FAILURES_PER_ACCOUNT; i++) {
      expect(await attempt('anna@example.ru', 'wrong', null, now)).toMatchObject({
        error: 'bad_credentials',
      });
    }
    const anna = passwords.get('anna@example.ru') ?? '';
    expect(await attempt('anna@example.ru', anna, null, now)).toMatchObject({ error: 'rate_limited' });
    expect((await attempt('anna@example.ru', anna, null, at(now, FIRST_DELAY_SECONDS))).ok).toBe(true);
  });
});
