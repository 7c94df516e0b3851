import { describe, expect, it } from 'vitest';
import { createInterner } from './intern';

describe('createInterner', () => {
  // Sharing itself is not observable from JavaScript (equal strings are equal); what must hold is that
  // no value is ever changed, whether shared, too long to share, or seen after the table started over.
  it('returns every value unchanged', () => {
    const intern = createInterner(8, 2);
    const values = ['Success', 'Success', 'a', 'b', 'c', 'Success', 'a much longer value', ''];
    expect(values.map((v) => intern(Buffer.from(v).toString()))).toEqual(values);
  });
});
