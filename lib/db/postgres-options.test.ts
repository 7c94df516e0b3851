import { describe, expect, it } from 'vitest';
import { POOL_DEFAULTS, postgresClientOptions, splitPoolerFlag } from './postgres-options';

describe('splitPoolerFlag', () => {
  it('reads ?pgbouncer=true and removes it, keeping the other parameters', () => {
    expect(splitPoolerFlag('postgres://u:p@pooler.example:6543/shop?sslmode=require&pgbouncer=true')).toEqual(
      {
        url: 'postgres://u:p@pooler.example:6543/shop?sslmode=require',
        pooled: true,
      },
    );
    expect(splitPoolerFlag('postgres://u@h/shop?pgbouncer=1').pooled).toBe(true);
  });

  it('leaves a URL without the flag untouched, and pgbouncer=false means direct', () => {
    const url = 'postgres://u@127.0.0.1:5432/shop?sslmode=disable';
    expect(splitPoolerFlag(url)).toEqual({ url, pooled: false });
    expect(splitPoolerFlag('postgres://u@h/shop?pgbouncer=false')).toEqual({
      url: 'postgres://u@h/shop',
      pooled: false,
    });
  });
});

describe('postgresClientOptions', () => {
  it('prepares statements and sends the statement timeout on a direct connection', () => {
    expect(postgresClientOptions(POOL_DEFAULTS.server, false)).toEqual({
      max: 10,
      idle_timeout: 300,
      prepare: true,
      connection: { statement_timeout: '30000' },
    });
  });

  it('behind a transaction pooler: no named statements, no startup parameters', () => {
    const o = postgresClientOptions(POOL_DEFAULTS.serverless, true);
    expect(o.prepare).toBe(false);
    expect(o.connection).toEqual({});
    expect(o.max).toBe(2);
  });

  it('zero means none: no idle timeout, no statement timeout; scripts may ask for one connection', () => {
    const o = postgresClientOptions({ max: 10, idleTimeoutSeconds: 0, statementTimeoutMs: 0 }, false, {
      max: 1,
    });
    expect(o).toEqual({ max: 1, idle_timeout: undefined, prepare: true, connection: {} });
  });
});
