import iconv from 'iconv-lite';

/** Decodes `bytes[start, end)` into a string of its own (never a view of a larger string). */
export type Decoder = (bytes: Buffer, start: number, end: number) => string;

export const utf8: Decoder = (bytes, start, end) => bytes.toString('utf8', start, end);

// Replies are scanned for markup and separators byte by byte, which needs an ASCII-compatible charset;
// these are the ones a Russian gateway may name.
const SINGLE_BYTE = new Set(['windows-1251', 'cp1251', 'koi8-r', 'iso-8859-1', 'latin1', 'iso-8859-5']);

/** The decoder for a charset label, or null for one the reply readers cannot scan. */
export function decoderFor(charset: string): Decoder | null {
  const name = charset.trim().toLowerCase();
  if (name === 'utf-8' || name === 'utf8' || name === 'us-ascii' || name === 'ascii') return utf8;
  if (SINGLE_BYTE.has(name)) return (bytes, start, end) => iconv.decode(bytes.subarray(start, end), name);
  return null;
}

/** The `charset` parameter of a Content-Type header, if any. */
export function charsetOf(contentType: string | null): string | undefined {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return m?.[1];
}
