import iconv from 'iconv-lite';

export type FormCharset = 'utf-8' | 'windows-1251';

function charsetOf(label: string | undefined): FormCharset | null {
  const l = label
    ?.trim()
    .toLowerCase()
    .replace(/^["']|["']$/g, '');
  if (l === undefined || l === '') return null;
  if (l === 'utf-8' || l === 'utf8') return 'utf-8';
  if (l === 'windows-1251' || l === 'cp1251' || l === 'win1251' || l === 'x-cp1251') return 'windows-1251';
  return null;
}

function percentBytes(part: string): Buffer {
  // Percent escapes become bytes first and only then text, so a windows-1251 body is not read as UTF-8.
  const bytes: number[] = [];
  for (let i = 0; i < part.length; i++) {
    const ch = part.charCodeAt(i);
    const hex = ch === 0x25 ? part.slice(i + 1, i + 3) : '';
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else bytes.push(ch === 0x2b ? 0x20 : ch & 0xff);
  }
  return Buffer.from(bytes);
}

/**
 * Decodes an `application/x-www-form-urlencoded` notification body by its charset: the Content-Type's
 * `charset`, else the `_charset_` field, else `fallback`. Legacy (2010) notifications may come in
 * windows-1251, which `URLSearchParams` would garble. Field names keep their case. Unknown charsets fall
 * back too: the checkvalue then decides whether what was read is what was signed.
 */
export function decodeFormBody(
  body: Uint8Array,
  contentType: string | null,
  fallback: FormCharset = 'utf-8',
): URLSearchParams {
  const text = Buffer.from(body).toString('latin1');
  const pairs = text
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=');
      return eq < 0 ? ([p, ''] as const) : ([p.slice(0, eq), p.slice(eq + 1)] as const);
    });
  const declared = /charset=([^;]+)/i.exec(contentType ?? '')?.[1];
  const field = pairs.find(([k]) => k.toLowerCase() === '_charset_')?.[1];
  const charset = charsetOf(declared) ?? charsetOf(field) ?? fallback;
  const codec = charset === 'utf-8' ? 'utf8' : 'win1251';
  const out = new URLSearchParams();
  for (const [k, v] of pairs)
    out.append(iconv.decode(percentBytes(k), codec), iconv.decode(percentBytes(v), codec));
  return out;
}
