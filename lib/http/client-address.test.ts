import { describe, expect, it } from 'vitest';
import { clientAddress } from './client-address';

describe('clientAddress', () => {
  it('ignores X-Forwarded-For without a trusted proxy: the client wrote it', () => {
    expect(clientAddress('203.0.113.9', 0)).toBeNull();
    expect(clientAddress(null, 1)).toBeNull();
  });

  it('takes the entry the outermost trusted proxy appended, not what the client prepended', () => {
    // The client sent "X-Forwarded-For: 6.6.6.6"; nginx appended the address it saw.
    expect(clientAddress('6.6.6.6, 198.51.100.7', 1)).toBe('198.51.100.7');
    expect(clientAddress('6.6.6.6, 198.51.100.7, 10.0.0.2', 2)).toBe('198.51.100.7');
    expect(clientAddress('198.51.100.7', 1)).toBe('198.51.100.7');
  });

  it('refuses what is not an address, and too few hops', () => {
    expect(clientAddress('evil, not-an-ip', 1)).toBeNull();
    expect(clientAddress('198.51.100.7', 2)).toBeNull();
    expect(clientAddress('[2001:DB8::1]:443', 1)).toBe('2001:db8::1');
    expect(clientAddress('198.51.100.7:5000', 1)).toBe('198.51.100.7');
  });
});
