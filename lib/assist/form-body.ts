import iconv from 'iconv-lite';

/**
 * The one `application/x-www-form-urlencoded` codec, for the shop (notifications) and the sandbox (forms,
 * web services, the notifications it sends). `URLSearchParams` decodes percent escapes as UTF-8, which
 * garbles a body encoded in windows-1251: here the escapes become bytes first and only then text, by
 * the body's charset.
 */

export type FormCharset = 'utf-8' | 'windows-1251';

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

function unescapeBytes(raw: Uint8Array): Buffer {
  const out = Buffer.alloc(raw.length);
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
    } else out[n++] = b;
  }
  return out.subarray(0, n);
}

function splitPairs(body: Uint8Array): Array<[Buffer, Buffer]> {
  const pairs: Array<[Buffer, Buffer]> = [];
  let start = 0;
  for (let i = 0; i <= body.length; i++) {
    if (i < body.length && body[i] !== AMP) continue;
    const part = body.subarray(start, i);
    start = i + 1;
    if (part.length === 0) continue;
    const eq = part.indexOf(EQ);
    const [k, v] = eq < 0 ? [part, new Uint8Array()] : [part.subarray(0, eq), part.subarray(eq + 1)];
    pairs.push([unescapeBytes(k), unescapeBytes(v)]);
  }
  return pairs;
}

/** Maps a charset label to an iconv-lite encoding, or null when it is not one we can decode. */
function normalizeCharset(label: string): string | null {
  const l = label
    .trim()
    .toLowerCase()
    .replace(/^["']|["']$/g, '');
  if (l === '' || l === 'utf-8' || l === 'utf8') return 'utf8';
  if (l === 'windows-1251' || l === 'cp1251' || l === 'win1251' || l === 'x-cp1251') return 'win1251';
  return iconv.encodingExists(l) ? l : null;
}

const CODEC: Record<FormCharset, string> = { 'utf-8': 'utf8', 'windows-1251': 'win1251' };

export type FormPairsResult =
  | { ok: true; pairs: Array<[name: string, value: string]>; charset: string }
  | { ok: false; error: string };

/**
 * Decodes every pair, in order, names keeping their case. The charset is, in order: the Content-Type's
 * `charset`, the `_charset_` field a browser fills in, else `fallback`; a declared charset we cannot
 * decode is an error (the caller decides whether to refuse or fall back).
 */
export function readFormPairs(
  body: Uint8Array,
  contentType: string | null | undefined,
  fallback: FormCharset = 'utf-8',
): FormPairsResult {
  const raw = splitPairs(body);
  const fromHeader = /charset=([^;]+)/i.exec(contentType ?? '')?.[1];
  const fromField = raw
    .find(([k]) => k.toString('latin1').toLowerCase() === '_charset_')?.[1]
    .toString('latin1');
  const declared = fromHeader ?? fromField;
  const charset = declared === undefined ? CODEC[fallback] : normalizeCharset(declared);
  if (charset === null) return { ok: false, error: `unsupported charset ${JSON.stringify(declared)}` };
  return {
    ok: true,
    charset,
    pairs: raw.map(([k, v]) => [iconv.decode(k, charset), iconv.decode(v, charset)]),
  };
}

/**
 * A notification body as URLSearchParams. Legacy (2010) notifications may come in windows-1251. An
 * unknown charset falls back: the checkvalue then decides whether what was read is what was signed.
 */
export function decodeFormBody(
  body: Uint8Array,
  contentType: string | null,
  fallback: FormCharset = 'utf-8',
): URLSearchParams {
  const read = readFormPairs(body, contentType, fallback);
  if (read.ok) return new URLSearchParams(read.pairs);
  const asFallback = readFormPairs(body, `charset=${fallback}`);
  return new URLSearchParams(asFallback.ok ? asFallback.pairs : []);
}

const UNRESERVED = (b: number) =>
  (b >= 0x30 && b <= 0x39) ||
  (b >= 0x41 && b <= 0x5a) ||
  (b >= 0x61 && b <= 0x7a) ||
  [0x2d, 0x2e, 0x5f, 0x2a].includes(b);

/** Encodes fields in `charset` as a browser would: percent escapes of that charset's bytes, `+` for space. */
export function encodeForm(fields: Record<string, string>, charset: FormCharset): string {
  const enc = (s: string) =>
    [...iconv.encode(s, CODEC[charset])]
      .map((b) =>
        UNRESERVED(b)
          ? String.fromCharCode(b)
          : b === 0x20
            ? '+'
            : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
      )
      .join('');
  return Object.entries(fields)
    .map(([k, v]) => `${enc(k)}=${enc(v)}`)
    .join('&');
}

/** Decodes an encoded body kept as text (the sandbox's delivery log), names keeping their case. */
export function decodeFormText(body: string, charset: FormCharset): Record<string, string> {
  const read = readFormPairs(Buffer.from(body, 'latin1'), `charset=${charset}`);
  return read.ok ? Object.fromEntries(read.pairs) : {};
}
