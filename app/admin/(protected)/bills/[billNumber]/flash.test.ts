import { describe, expect, it } from 'vitest';
import { en } from '@/lib/i18n/en';
import { ru } from '@/lib/i18n/ru';
import { BILL_ACTION_ERROR_KINDS } from '@/lib/payments/admin-action-outcomes';
import { errorFlash, FLASH_CODES, flashParams, outcomeFlash, readFlash } from './flash';

const read = (params: URLSearchParams) => readFlash(Object.fromEntries(params));

describe('bill page flash', () => {
  it('has a message in both dictionaries for every code', () => {
    for (const code of FLASH_CODES) {
      expect(ru.admin.bill.results[code]).toBeTruthy();
      expect(en.admin.bill.results[code]).toBeTruthy();
    }
    expect(FLASH_CODES).toEqual(expect.arrayContaining([...BILL_ACTION_ERROR_KINDS]));
  });

  it('carries an outcome through the URL and back', () => {
    const refused = errorFlash({ kind: 'amount_exceeds_limit', maxKopecks: 150_000, currency: 'RUB' });
    expect(read(flashParams(refused))).toEqual(refused);
    const gateway = errorFlash({
      kind: 'reread_failed',
      error: { kind: 'rate_limited', retryAfterSeconds: 60 },
    });
    expect(read(flashParams(gateway))).toEqual(gateway);
    const invalid = outcomeFlash({ kind: 'invalid', field: 'reason' });
    expect(read(flashParams(invalid))?.code).toBe('invalid_reason');
  });

  it('ignores an unknown code and a gateway error that is not one', () => {
    expect(readFlash({ done: 'teapot' })).toBeNull();
    expect(readFlash({ done: 'reread_failed', gerr: '{"kind":"teapot"}' })?.gatewayError).toBeNull();
    expect(readFlash({ done: 'reread_failed', gerr: '{' })?.gatewayError).toBeNull();
  });
});
