import { describe, expect, it } from 'vitest';
import { en } from './en';
import { ru } from './ru';

/** Every text of a dictionary with its path (keys themselves may hold dots, like audit action names). */
function texts(obj: object, path: string[] = []): Array<[string[], unknown]> {
  return Object.entries(obj).flatMap(([k, v]) =>
    v && typeof v === 'object' ? texts(v, [...path, k]) : [[[...path, k], v] as [string[], unknown]],
  );
}

const paths = (obj: object) => texts(obj).map(([path]) => JSON.stringify(path));

describe('dictionaries', () => {
  it('have the same keys in every language and no empty text', () => {
    expect(paths(en).sort()).toEqual(paths(ru).sort());
    for (const dict of [ru, en]) {
      for (const [path, value] of texts(dict)) {
        expect(typeof value === 'string' && value.trim().length > 0, path.join(' › ')).toBe(true);
      }
    }
  });
});
