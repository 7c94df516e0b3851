import { describe, expect, it } from 'vitest';
import { EnvError, loadEnv } from './env';

describe('loadEnv', () => {
  it('defaults to the embedded database and a localhost app URL', () => {
    const r = loadEnv({});
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.env.database).toEqual({ kind: 'pglite', dir: '.data/pglite' });
    expect(r.env.APP_URL).toBe('http://localhost:3000');
    expect(r.env.PORT).toBe(3000);
  });

  it('honours PORT in the default APP_URL and trims a trailing slash from APP_URL', () => {
    const a = loadEnv({ PORT: '4100' });
    expect(a.ok && a.env.APP_URL).toBe('http://localhost:4100');
    const b = loadEnv({ APP_URL: 'https://shop.example/' });
    expect(b.ok && b.env.APP_URL).toBe('https://shop.example');
  });

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    const r = loadEnv({ DATABASE_URL: 'postgres://u@127.0.0.1:5432/shop' });
    expect(r.ok && r.env.database).toEqual({ kind: 'postgres', url: 'postgres://u@127.0.0.1:5432/shop' });
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
    const r = loadEnv({ NODE_ENV: 'production' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors[0]).toMatch(/^DATABASE_URL: required in production/);
    expect(loadEnv({ NODE_ENV: 'production', ALLOW_EMBEDDED_DB: '1' }).ok).toBe(true);
  });

  it('formats a readable message without a stack trace in the text', () => {
    const err = new EnvError(['A: bad', 'B: worse']);
    expect(err.message).toBe('Invalid configuration:\n  - A: bad\n  - B: worse\nSee .env.example.');
  });
});
