/**
 * Normalises a `next` (where to go back to) against the shop's own origin with the URL parser, the same
 * way a browser will resolve the Location header: `/\evil.example`, `/<TAB>/evil.example` and
 * `//evil.example` all resolve to another origin and are refused, as is anything holding control or line
 * separator characters (an invalid header otherwise). Returns the path, query and hash to redirect to,
 * or the fallback.
 */
export function sameOriginPath(next: unknown, fallback: string, within?: string): string {
  if (typeof next !== 'string' || next === '' || next.length > 2048) return fallback;
  if (!next.startsWith('/')) return fallback;
  // C0/C1 controls, DEL and the Unicode line/paragraph separators: never in a header we write.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029\\]/.test(next)) return fallback;
  const base = 'http://shop.invalid';
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base || url.pathname.includes('//')) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (within !== undefined && !(url.pathname === within || url.pathname.startsWith(`${within}/`)))
    return fallback;
  return path;
}
