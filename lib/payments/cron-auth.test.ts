import { describe, expect, it } from 'vitest';
import { checkCronAuthorization } from './cron-auth';

describe('checkCronAuthorization', () => {
  const secret = 'a-long-cron-secret-value';
  it('accepts exactly the configured bearer token', () => {
    expect(checkCronAuthorization(`Bearer ${secret}`, secret)).toEqual({ ok: true });
  });
  it('answers 401 for a missing, wrong, differently-cased or non-bearer header', () => {
    for (const header of [
      null,
      '',
      'Bearer',
      `Bearer ${secret}x`,
      `bearer ${secret}`,
      secret,
      `Basic ${secret}`,
    ]) {
      expect(checkCronAuthorization(header, secret), String(header)).toEqual({
        ok: false,
        status: 401,
        error: 'unauthorized',
      });
    }
  });
  it('refuses to run at all when no secret is configured', () => {
    expect(checkCronAuthorization('Bearer ', undefined)).toMatchObject({ ok: false, status: 503 });
    expect(checkCronAuthorization('Bearer anything', '')).toMatchObject({ ok: false, status: 503 });
  });
});
