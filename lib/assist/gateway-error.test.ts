import { describe, expect, it } from 'vitest';
import { type GatewayError, gatewayErrorSchema } from './index';

const text = { ru: 'Ошибка', en: 'Error' };
const every: GatewayError[] = [
  { kind: 'invalid_request', field: 'billNumber', message: 'must be digits' },
  { kind: 'network', sent: true, message: 'socket hang up' },
  { kind: 'timeout', timeoutMs: 30_000 },
  { kind: 'http', status: 502 },
  { kind: 'gateway', firstCode: 10, secondCode: 201, text },
  { kind: 'malformed', message: 'no orderstate' },
  { kind: 'rate_limited', retryAfterSeconds: 540 },
  { kind: 'declined', responseCode: 'AS100', text },
  { kind: 'in_process', responseCode: 'AS300', text },
];

describe('gatewayErrorSchema', () => {
  it('reads back every kind of gateway error as stored in jsonb', () => {
    for (const error of every)
      expect(gatewayErrorSchema.parse(JSON.parse(JSON.stringify(error)))).toEqual(error);
  });

  it('refuses an unknown kind or a kind without its fields', () => {
    expect(gatewayErrorSchema.safeParse({ kind: 'teapot' }).success).toBe(false);
    expect(gatewayErrorSchema.safeParse({ kind: 'declined', responseCode: 'AS100' }).success).toBe(false);
    expect(gatewayErrorSchema.safeParse({ kind: 'http', status: '502' }).success).toBe(false);
  });
});
