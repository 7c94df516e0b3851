import { afterEach, describe, expect, it, vi } from 'vitest';
import { logEvent, REDACTED, redactLogFields } from './log';

describe('logEvent', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  function capture() {
    const out: string[] = [];
    const err: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => out.push(line));
    vi.spyOn(console, 'error').mockImplementation((line: string) => err.push(line));
    return { out, err };
  }

  it('writes one JSON line with time, level and event; errors go to stderr, the rest to stdout', () => {
    const { out, err } = capture();
    logEvent('sync_run', { windows: 2 });
    logEvent('assist_call', { service: 'bills' }, 'warn');
    logEvent('payment_form_invalid', { order: 'A-1' }, 'error');
    expect(out).toHaveLength(2);
    expect(err).toHaveLength(1);
    const first = JSON.parse(out[0] ?? '') as Record<string, unknown>;
    expect(first).toMatchObject({ level: 'info', event: 'sync_run', windows: 2 });
    expect(Number.isNaN(Date.parse(String(first.time)))).toBe(false);
    expect(JSON.parse(out[1] ?? '')).toMatchObject({ level: 'warn', service: 'bills' });
    expect(JSON.parse(err[0] ?? '')).toMatchObject({ level: 'error', order: 'A-1' });
  });

  it('never writes credentials or card data, at any depth and in any spelling of the key', () => {
    const { out } = capture();
    logEvent('careless', {
      billNumber: '5600000000000001',
      Password: 'hunter2',
      ASSIST_SECRET: 'word-secret',
      request: {
        checkvalue: 'ABCDEF0123',
        CardNumber: '4111111111111111',
        cvc2: '123',
        meannumber: '411111******1111',
        nested: [{ card_holder: 'IVAN IVANOV', token: 't0k' }],
      },
      headers: new Map([['Authorization', 'Bearer x']]),
    });
    const line = out[0] ?? '';
    for (const secret of [
      'hunter2',
      'word-secret',
      'ABCDEF0123',
      '4111111111111111',
      '"123"',
      'IVAN',
      't0k',
      'Bearer',
    ])
      expect(line).not.toContain(secret);
    expect(JSON.parse(line)).toMatchObject({
      billNumber: '5600000000000001',
      Password: REDACTED,
      ASSIST_SECRET: REDACTED,
      request: {
        checkvalue: REDACTED,
        CardNumber: REDACTED,
        cvc2: REDACTED,
        meannumber: '411111******1111',
        nested: [{ card_holder: REDACTED, token: REDACTED }],
      },
      headers: { Authorization: REDACTED },
    });
  });

  it('writes an error as its message, a shared object twice, and a cycle without looping', () => {
    const shared = { n: 1 };
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(redactLogFields({ error: new Error('boom'), x: shared, y: shared, cyclic })).toEqual({
      error: 'boom',
      x: { n: 1 },
      y: { n: 1 },
      cyclic: { a: 1, self: '[circular]' },
    });
  });
});
