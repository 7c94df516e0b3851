import { describe, expect, it } from 'vitest';
import { en } from './en';
import { ru } from './ru';

function keys(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    v && typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

describe('dictionaries', () => {
  it('have the same keys in every language and no empty text', () => {
    expect(keys(en).sort()).toEqual(keys(ru).sort());
    for (const dict of [ru, en]) {
      for (const k of keys(dict)) {
        const value = k.split('.').reduce<unknown>((o, part) => (o as Record<string, unknown>)[part], dict);
        expect(typeof value === 'string' && value.trim().length > 0, k).toBe(true);
      }
    }
  });
});
