import { describe, expect, it } from 'vitest';
import { formatRoubles } from './money-format';

describe('money for people', () => {
  it('displays roubles with Russian grouping', () => {
    expect(formatRoubles(150000)).toBe('1\u00a0500,00\u00a0₽');
    expect(formatRoubles(99)).toBe('0,99\u00a0₽');
  });
});
