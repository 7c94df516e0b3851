import { describe, expect, it } from 'vitest';
import { parseBillFilters } from './list';

describe('parseBillFilters', () => {
  it('drops a date that has the shape but is not a calendar day, instead of throwing later', () => {
    expect(parseBillFilters({ from: '2026-13-45', to: '2026-02-30' })).not.toHaveProperty('from');
    expect(parseBillFilters({ from: '2026-13-45', to: '2026-02-30' })).not.toHaveProperty('to');
    expect(parseBillFilters({ from: '2026-02-28', to: '2024-02-29' })).toMatchObject({
      from: '2026-02-28',
      to: '2024-02-29',
    });
  });
});
