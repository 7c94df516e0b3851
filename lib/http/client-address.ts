import { isIP } from 'node:net';

/**
 * The client's address, read from `X-Forwarded-For` only when the shop runs behind `hops` proxies it
 * trusts (TRUSTED_PROXY_HOPS). Each trusted proxy appends the address it saw, so the entry `hops` from
 * the right is the one the outermost trusted proxy recorded; everything left of it is what the client
 * wrote. With no trusted proxy the header is the client's own words and the address is unknown (null).
 */
export function clientAddress(forwardedFor: string | null, hops: number): string | null {
  if (hops <= 0 || !forwardedFor) return null;
  const entries = forwardedFor
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  const entry = entries[entries.length - hops];
  if (entry === undefined) return null;
  const address = entry.replace(/^\[(.*)\](?::\d+)?$/, '$1').replace(/^(\d+\.\d+\.\d+\.\d+):\d+$/, '$1');
  return isIP(address) ? address.toLowerCase() : null;
}
