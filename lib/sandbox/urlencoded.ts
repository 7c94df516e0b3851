import iconv from 'iconv-lite';

/**
 * `application/x-www-form-urlencoded` parsing at the byte level. `URLSearchParams` decodes percent
 * escapes as UTF-8, which garbles a form the browser encoded in windows-1251; here the escapes are
 * turned back into bytes first and only then decoded, by the charset the browser reported.
 */

export type FormFields = Map<string, string>;

export type FormParseResult =
  | { ok: true; fields: FormFields; charset: string }
  | { ok: false; error: string };

const AMP = 0x26;
const EQ = 0x3d;
const PLUS = 0x2b;
const PERCENT = 0x25;

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  return -1;
}

function unescapeBytes(raw: Uint8Array): Uint8Array {
  const out = new Uint8Array(raw.length);
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i] ?? 0;
    if (b === PLUS) {
      out[n++] = 0x20;
      continue;
    }
    const hi = b === PERCENT ? hexValue(raw[i + 1] ?? -1) : -1;
    const lo = b === PERCENT ? hexValue(raw[i + 2] ?? -1) : -1;
    if (hi >= 0 && lo >= 0) {
      out[n++] = hi * 16 + lo;
      i += 2;
    } else {
      out[n++] = b;
    }
  }
  return out.subarray(0, n);
}

function splitPairs(body: Uint8Array): Array<[Uint8Array, Uint8Array]> {
  const pairs: Array<[Uint8Array, Uint8Array]> = [];
  let start = 0;
  for (let i = 0; i <= body.length; i++) {
    if (i < body.length && body[i] !== AMP) continue;
    const part = body.subarray(start, i);
    start = i + 1;
    if (part.length === 0) continue;
    const eq = part.indexOf(EQ);
    pairs.push(eq < 0 ? [part, new Uint8Array()] : [part.subarray(0, eq), part.subarray(eq + 1)]);
  }
  return pairs;
}

const ascii = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

/** Maps a charset label to an iconv-lite encoding, or null when it is not one we can decode. */
export function normalizeCharset(label: string): string | null {
  const l = label
    .trim()
    .toLowerCase()
    .replace(/^["']|["']$/g, '');
  if (l === '' || l === 'utf-8' || l === 'utf8') return 'utf8';
  if (l === 'windows-1251' || l === 'cp1251' || l === 'win1251' || l === 'x-cp1251') return 'win1251';
  return iconv.encodingExists(l) ? l : null;
}

/**
 * Decodes a urlencoded body. The charset is, in order: the `_charset_` field the browser fills in,
 * the `charset` parameter of the Content-Type, else `fallback` (UTF-8 for the current protocol).
 * Field names are lower-cased: ASSIST (ColdFusion) treats them case-insensitively.
 */
export function parseUrlEncoded(
  body: Uint8Array,
  contentType?: string | null,
  fallback = 'utf8',
): FormParseResult {
  const pairs = splitPairs(body).map(([k, v]) => [unescapeBytes(k), unescapeBytes(v)] as const);
  const fromField = pairs.find(([k]) => ascii(k).toLowerCase() === '_charset_')?.[1];
  const declared = fromField ? ascii(fromField) : /charset=([^;]+)/i.exec(contentType ?? '')?.[1];
  const charset = declared ? normalizeCharset(declared) : fallback;
  if (!charset) return { ok: false, error: `unsupported charset ${JSON.stringify(declared)}` };
  const fields: FormFields = new Map();
  for (const [k, v] of pairs) {
    const name = iconv.decode(Buffer.from(k), charset).toLowerCase();
    // ASSIST fields are never repeated; the first occurrence wins so a later duplicate cannot override.
    if (!fields.has(name)) fields.set(name, iconv.decode(Buffer.from(v), charset));
  }
  return { ok: true, fields, charset };
}
