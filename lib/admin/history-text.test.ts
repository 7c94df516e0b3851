import { describe, expect, it } from 'vitest';
import { en } from '@/lib/i18n/en';
import { ru } from '@/lib/i18n/ru';
import { historyFieldText, historyValueText } from './history-text';

describe('bill history in words', () => {
  it('names fields and statuses from the dictionary in both languages', () => {
    expect(historyFieldText('rawStatus', ru.admin)).toBe('Статус в ASSIST');
    expect(historyFieldText('status', en.admin)).toBe('Status');
    expect(historyValueText('status', 'partially_charged', ru.admin, 'ru')).toBe('Списано частично');
    expect(historyValueText('status', 'partially_charged', en.admin, 'en')).toBe('Partially charged');
    expect(historyValueText('testMode', true, ru.admin, 'ru')).toBe('Да');
  });

  it("shows stored UTC times in the shop's time zone", () => {
    expect(historyValueText('packetDate', '2026-11-29T09:05:00.000Z', ru.admin, 'ru')).toBe(
      '29.11.2026, 12:05:00',
    );
    expect(historyValueText('packetDate', '2026-11-29T09:05:00.000Z', en.admin, 'en')).toBe(
      '29/11/2026, 12:05:00',
    );
  });

  it('reads an operation as kind, outcome, amount, time and id', () => {
    const op = {
      operationId: '5960911000000001.1',
      kind: 'payment',
      outcome: 'success',
      amountKopecks: 150_000,
      currency: 'RUB',
      at: '2026-11-29T09:05:00.000Z',
    };
    expect(historyValueText('operation', op, en.admin, 'en')).toMatch(
      /^Payment · Success · 1[\s\u00a0\u202f,]?500[.,]00\s?₽ · 29\/11\/2026, 12:05:00 · 5960911000000001\.1$/,
    );
  });

  it('keeps what it does not know visible', () => {
    expect(historyFieldText('someNewField', ru.admin)).toBe('someNewField');
    expect(historyValueText('status', 'frozen', ru.admin, 'ru')).toBe('frozen');
    expect(historyValueText('message', null, ru.admin, 'ru')).toBe('—');
  });
});
