import { describe, expect, it } from 'vitest';
import { errorCodeText, isSuccessCode, responseCodeText } from './codes';

describe('response and error codes', () => {
  it('has ru and en texts for every documented AS code', () => {
    for (const c of ['AS000', 'AS100', 'AS101', 'AS102', 'AS104', 'AS105', 'AS106', 'AS107', 'AS108']) {
      const t = responseCodeText(c);
      expect(t.ru).not.toMatch(/Неизвестный/);
      expect(t.en).not.toMatch(/Unknown/);
    }
    for (const c of ['AS109', 'AS110', 'AS200', 'AS300', 'AS400', 'AS998']) {
      expect(responseCodeText(c).en).not.toMatch(/Unknown/);
    }
    expect(responseCodeText(' as102 ').ru).toBe('Недостаточно средств');
  });

  it('quotes an unknown code instead of hiding it', () => {
    expect(responseCodeText('AS777')).toEqual({
      ru: 'Неизвестный код ответа AS777',
      en: 'Unknown response code AS777',
    });
  });

  it('knows the success codes, legacy ones included', () => {
    expect(isSuccessCode('AS000')).toBe(true);
    expect(isSuccessCode('AS020')).toBe(true);
    expect(isSuccessCode('AS100')).toBe(false);
  });

  it('describes firstcode/secondcode pairs', () => {
    expect(errorCodeText(0, 0).en).toBe('No error');
    expect(errorCodeText(5, 108)).toEqual({
      ru: 'Неверное значение параметра: AMOUNT',
      en: 'Bad parameter value: AMOUNT',
    });
    expect(errorCodeText(1, 3).en).toBe('Error: request frequency exceeded');
    expect(errorCodeText(10, 201).ru).toBe('Ничего не найдено');
    expect(errorCodeText(99, 999).en).toBe('Error 99: code 999');
  });
});
