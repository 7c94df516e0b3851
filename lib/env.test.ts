import { describe, expect, it } from 'vitest';
import { EnvError, loadEnv, servesBuiltInSandbox } from './env';

const SANDBOX = { ASSIST_MODE: 'sandbox' };
const REAL = {
  ASSIST_MERCHANT_ID: '123456',
  ASSIST_LOGIN: 'shop',
  ASSIST_PASSWORD: 'pw',
  ASSIST_SECRET: 'word',
};

describe('loadEnv', () => {
  it('defaults to the embedded database and a localhost app URL', () => {
    const r = loadEnv({ ...SANDBOX });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.env.database).toEqual({ kind: 'pglite', dir: '.data/pglite' });
    expect(r.env.APP_URL).toBe('http://localhost:3000');
    expect(r.env.PORT).toBe(3000);
  });

  it('honours PORT in the default APP_URL and trims a trailing slash from APP_URL', () => {
    const a = loadEnv({ ...SANDBOX, PORT: '4100' });
    expect(a.ok && a.env.APP_URL).toBe('http://localhost:4100');
    const b = loadEnv({ ...SANDBOX, APP_URL: 'https://shop.example/' });
    expect(b.ok && b.env.APP_URL).toBe('https://shop.example');
  });

  it('uses PostgreSQL when DATABASE_URL is set, with the long-running server pool by default', () => {
    const r = loadEnv({ ...REAL, DATABASE_URL: 'postgres://u@127.0.0.1:5432/shop' });
    expect(r.ok && r.env.database).toEqual({
      kind: 'postgres',
      url: 'postgres://u@127.0.0.1:5432/shop',
      pooled: false,
      pool: { max: 10, idleTimeoutSeconds: 300, statementTimeoutMs: 30_000 },
    });
  });

  it('on Vercel the pool defaults are the serverless ones; each setting can be given', () => {
    const url = 'postgres://u@pooler.example:6543/shop';
    const vercel = loadEnv({ ...REAL, DATABASE_URL: url, VERCEL: '1' });
    expect(vercel.ok && vercel.env.database).toMatchObject({
      pool: { max: 2, idleTimeoutSeconds: 5, statementTimeoutMs: 30_000 },
    });
    const set = loadEnv({
      ...REAL,
      DATABASE_URL: url,
      DATABASE_URL_DIRECT: 'postgres://u@db.example:5432/shop',
      DATABASE_PGBOUNCER: '1',
      DATABASE_POOL_MAX: '4',
      DATABASE_IDLE_TIMEOUT_SECONDS: '0',
      DATABASE_STATEMENT_TIMEOUT_MS: '5000',
    });
    expect(set.ok && set.env.database).toEqual({
      kind: 'postgres',
      url,
      pooled: true,
      directUrl: 'postgres://u@db.example:5432/shop',
      pool: { max: 4, idleTimeoutSeconds: 0, statementTimeoutMs: 5000 },
    });
  });

  it('refuses a bad pool setting or direct URL by name', () => {
    const r = loadEnv({
      ...REAL,
      DATABASE_URL: 'postgres://u@h/shop',
      DATABASE_URL_DIRECT: 'mysql://h/shop',
      DATABASE_POOL_MAX: '0',
      DATABASE_STATEMENT_TIMEOUT_MS: '-1',
    });
    expect(r.ok).toBe(false);
    const text = r.ok ? '' : r.errors.join('\n');
    expect(text).toMatch(/DATABASE_URL_DIRECT: expected a postgres:\/\//);
    expect(text).toMatch(/DATABASE_POOL_MAX:/);
    expect(text).toMatch(/DATABASE_STATEMENT_TIMEOUT_MS:/);
  });

  it('names every bad variable in one result', () => {
    const r = loadEnv({ DATABASE_URL: 'mysql://x', PORT: 'eighty', CRON_SECRET: 'short' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const text = r.errors.join('\n');
    expect(text).toMatch(/DATABASE_URL: expected a postgres:\/\//);
    expect(text).toMatch(/PORT:/);
    expect(text).toMatch(/CRON_SECRET: expected at least 16 characters/);
  });

  it('refuses a production start on the embedded database unless chosen explicitly', () => {
    const r = loadEnv({ ...REAL, NODE_ENV: 'production' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors[0]).toMatch(/^DATABASE_URL: required in production/);
    expect(loadEnv({ ...REAL, NODE_ENV: 'production', ALLOW_EMBEDDED_DB: '1' }).ok).toBe(true);
  });

  it('points the sandbox at the built-in gateway with the demo merchant', () => {
    const r = loadEnv({ ...SANDBOX, PORT: '3200' });
    if (!r.ok) throw new Error(r.errors.join('; '));
    expect(r.env.assist).toMatchObject({
      server: 'http://localhost:3200/sandbox/assist',
      merchantId: '777001',
      testMode: true,
    });
    expect(r.env.assist.secret).toBeTruthy();
  });

  it('serves the built-in sandbox only when the shop is pointed at it', () => {
    const env = (source: Record<string, string>) => {
      const r = loadEnv(source);
      if (!r.ok) throw new Error(r.errors.join('; '));
      return r.env;
    };
    expect(servesBuiltInSandbox(env({ ...SANDBOX, PORT: '3200' }))).toBe(true);
    expect(servesBuiltInSandbox(env({ ...SANDBOX, APP_URL: 'https://shop.example/' }))).toBe(true);
    expect(
      servesBuiltInSandbox(env({ ...SANDBOX, ASSIST_SERVER: 'http://127.0.0.1:3110', PORT: '3200' })),
    ).toBe(false);
    expect(servesBuiltInSandbox(env(REAL))).toBe(false);
  });

  it('never falls back to the sandbox: real mode without credentials is an error naming each variable', () => {
    const r = loadEnv({ NODE_ENV: 'production', DATABASE_URL: 'postgres://u@h/db' });
    expect(r.ok).toBe(false);
    const text = r.ok ? '' : r.errors.join('\n');
    expect(text).toMatch(/ASSIST_MERCHANT_ID: is required/);
    expect(text).toMatch(/ASSIST_LOGIN: is required/);
    expect(text).toMatch(/ASSIST_PASSWORD: is required/);
    expect(text).toMatch(/ASSIST_MODE: set ASSIST_MODE=sandbox/);
  });

  it('uses real credentials and the production host outside test mode', () => {
    const r = loadEnv(REAL);
    expect(r.ok && r.env.assist.server).toBe('https://payments.paysecure.ru');
    const t = loadEnv({ ...REAL, ASSIST_TEST_MODE: '1' });
    expect(t.ok && t.env.assist.server).toBe('https://payments.demo.paysecure.ru');
    const s = loadEnv({ ...REAL, ASSIST_TEST_MODE: '1', ASSIST_SERVER: 'http://127.0.0.1:9000/gw' });
    expect(s.ok && s.env.assist.server).toBe('http://127.0.0.1:9000/gw');
  });

  it('formats a readable message without a stack trace in the text', () => {
    const err = new EnvError(['A: bad', 'B: worse']);
    expect(err.message).toBe('Invalid configuration:\n  - A: bad\n  - B: worse\nSee .env.example.');
  });
});
