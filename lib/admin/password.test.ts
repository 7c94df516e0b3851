import { describe, expect, it } from 'vitest';
import { burnPasswordCheck, generatePassword, hashPassword, verifyPassword } from './password';

describe('password hashing', () => {
  it('hashes with scrypt and a random salt, and verifies the right password only', async () => {
    const a = await hashPassword('correct horse');
    const b = await hashPassword('correct horse');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse', a)).toBe(true);
    expect(await verifyPassword('correct horse', b)).toBe(true);
    expect(await verifyPassword('correct hors', a)).toBe(false);
    expect(await verifyPassword('', a)).toBe(false);
  });

  it('rejects a tampered or malformed hash instead of throwing', async () => {
    const hash = await hashPassword('secret');
    const parts = hash.split('$');
    const flipped = [...parts];
    const key = Buffer.from(parts[5] ?? '', 'base64url');
    key[0] = (key[0] ?? 0) ^ 1;
    flipped[5] = key.toString('base64url');
    expect(await verifyPassword('secret', flipped.join('$'))).toBe(false);
    const otherSalt = [...parts];
    otherSalt[4] = Buffer.alloc(16, 7).toString('base64url');
    expect(await verifyPassword('secret', otherSalt.join('$'))).toBe(false);
    for (const bad of ['', 'plain', 'scrypt$1$8$1$c2FsdHNhbHQ$aGFzaA', 'bcrypt$x', `${hash}$extra`]) {
      expect(await verifyPassword('secret', bad)).toBe(false);
    }
    // A cost far above the bound would be a memory bomb, not a password check.
    expect(await verifyPassword('secret', ['scrypt', 2 ** 24, 8, 1, parts[4], parts[5]].join('$'))).toBe(
      false,
    );
  });

  it('normalises Unicode so the same typed password verifies however the keyboard composed it', async () => {
    const hash = await hashPassword('Ёлка');
    expect(await verifyPassword('Ёлка'.normalize('NFD'), hash)).toBe(true);
  });

  it('burns a check for unknown accounts and always fails it', async () => {
    expect(await burnPasswordCheck('anything')).toBe(false);
  });

  it('generates long, distinct, unambiguous passwords', () => {
    const seen = new Set(Array.from({ length: 200 }, generatePassword));
    expect(seen.size).toBe(200);
    for (const p of seen) expect(p).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{20}$/);
  });
});
