/**
 * A streaming tokenizer for the subset of XML the gateway sends: elements, attributes, text, CDATA,
 * comments, processing instructions and one DOCTYPE before the root, which is skipped unread. It works
 * on bytes (every markup byte is ASCII, which no byte of a multi-byte UTF-8 or a cp1251 character
 * equals), keeps only the unfinished token between chunks, and decodes each name and value on its own,
 * so a character split across chunks is decoded whole and no value holds on to a chunk.
 *
 * Only the five predefined entities and character references are decoded: any other reference would
 * point into a DTD we deliberately dropped, so it is refused, as is every entity declaration outside the
 * DOCTYPE. Honouring a DTD would open the door to external entities (XXE) and entity expansion (billion
 * laughs). Anything else the tokenizer does not understand is an error, never skipped.
 *
 * One file, over 300 lines: each kind of markup is a small function over the same bytes, position and
 * open-element stack, which splitting would pass around for every token.
 */
import { type Decoder, decoderFor, utf8 } from '../charset';
import { type ChunkReader, readChunks } from '../chunks';

/** Receives the document in order; a returned string stops the parse with that error. */
export interface XmlHandler {
  open(name: string, attributes: Record<string, string>): string | null;
  /** Text inside the root, entities decoded; whitespace-only runs are not reported. */
  text(text: string): string | null;
  close(name: string): string | null;
}

/** `end`: the document ended; unfinished markup or unclosed elements are errors. */
export type XmlTokenizer = ChunkReader;

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const QUESTION = 0x3f;
const BANG = 0x21;
const EQUALS = 0x3d;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const NEED_MORE = -1;
const MAX_NAMES = 128;

interface Name {
  text: string;
  bytes: Buffer;
}

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const isNameStart = (c: number) =>
  (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a || c >= 0x80;
const isNameChar = (c: number) => isNameStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e;

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const REFERENCE = /^#(?:(\d{1,7})|x([0-9a-fA-F]{1,6}))$/;

/** Decodes the predefined entities and character references in one pass; anything else is an error. */
export function decodeEntities(text: string): { ok: true; text: string } | { ok: false; error: string } {
  let amp = text.indexOf('&');
  if (amp === -1) return { ok: true, text };
  let out = '';
  let from = 0;
  while (amp !== -1) {
    const semi = text.indexOf(';', amp + 1);
    const name = semi === -1 ? '' : text.slice(amp + 1, semi);
    let value = PREDEFINED[name];
    if (value === undefined) {
      const m = REFERENCE.exec(name);
      if (!m) return { ok: false, error: 'reference to an undeclared entity' };
      const cp = m[1] !== undefined ? Number(m[1]) : Number.parseInt(m[2] ?? '', 16);
      const allowed = cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0x10ffff);
      if (!allowed || (cp >= 0xd800 && cp <= 0xdfff))
        return { ok: false, error: `not well-formed XML: &${name}; is not a character` };
      value = String.fromCodePoint(cp);
    }
    out += text.slice(from, amp) + value;
    from = semi + 1;
    amp = text.indexOf('&', from);
  }
  return { ok: true, text: out + text.slice(from) };
}

function startsWithIgnoringCase(bytes: Buffer, at: number, ascii: string): boolean {
  for (let k = 0; k < ascii.length; k++) {
    const c = bytes[at + k];
    if (c === undefined || (c | 0x20) !== (ascii.charCodeAt(k) | 0x20)) return false;
  }
  return true;
}

/**
 * `charset`: the transport's (HTTP Content-Type); without one the XML declaration's encoding decides,
 * UTF-8 by default.
 */
export function createXmlTokenizer(handler: XmlHandler, options: { charset?: string } = {}): XmlTokenizer {
  let decode: Decoder = utf8;
  let charsetFixed = false;
  let failed: string | null = null;
  if (options.charset !== undefined) {
    const d = decoderFor(options.charset);
    if (d === null) failed = `unsupported charset "${options.charset.slice(0, 40)}"`;
    else decode = d;
    charsetFixed = true;
  }
  let bytes: Buffer = Buffer.alloc(0);
  // How far the unfinished text at the start of `bytes` was already searched for '<'.
  let textScanned = 0;
  let anyMarkup = false;
  let doctypeSeen = false;
  let rootOpened = false;
  let rootClosed = false;
  const open: Name[] = [];
  // Element and attribute names repeat in every row: decoding each once keeps millions of short-lived
  // strings out of the heap (they would outlive the young generation often enough to fill the old one).
  const names = new Map<number, Name[]>();
  let nameCount = 0;

  function nameAt(start: number, end: number): Name {
    const length = end - start;
    const key = length * 65536 + (bytes[start] as number) * 256 + (bytes[end - 1] as number);
    const candidates = names.get(key);
    if (candidates !== undefined)
      for (const n of candidates) if (n.bytes.length === length && sameBytes(n.bytes, start)) return n;
    const n = { text: decode(bytes, start, end), bytes: Buffer.from(bytes.subarray(start, end)) };
    if (nameCount < MAX_NAMES) {
      nameCount++;
      if (candidates === undefined) names.set(key, [n]);
      else candidates.push(n);
    }
    return n;
  }

  function sameBytes(name: Buffer, at: number): boolean {
    for (let k = 0; k < name.length; k++) if (name[k] !== bytes[at + k]) return false;
    return true;
  }

  function fail(error: string): number {
    failed = error;
    return NEED_MORE;
  }

  function text(start: number, end: number, raw: boolean): string | null {
    let k = start;
    while (k < end && isSpace(bytes[k] as number)) k++;
    if (k === end) return null;
    if (open.length === 0) return 'not well-formed XML: text outside the root element';
    const s = decode(bytes, start, end);
    if (raw) return handler.text(s);
    const decoded = decodeEntities(s);
    return decoded.ok ? handler.text(decoded.text) : decoded.error;
  }

  function declaration(start: number, end: number): string | null {
    const body = bytes.toString('latin1', start, end);
    const m = /\sencoding\s*=\s*["']([^"']*)["']/.exec(body);
    if (!m || charsetFixed) return null;
    const d = decoderFor(m[1] ?? '');
    if (d === null) return `unsupported charset "${(m[1] ?? '').slice(0, 40)}"`;
    decode = d;
    return null;
  }

  /** Skips a DOCTYPE (internal subset included) unread; returns where it ends. */
  function doctype(pos: number, final: boolean): number {
    if (doctypeSeen) return fail('more than one DOCTYPE');
    if (rootOpened) return fail('not well-formed XML: DOCTYPE inside the document');
    let depth = 0;
    let quote = 0;
    for (let i = pos + 9; i < bytes.length; i++) {
      const c = bytes[i] as number;
      if (quote !== 0) {
        if (c === quote) quote = 0;
      } else if (c === DQUOTE || c === SQUOTE) quote = c;
      else if (c === OPEN_BRACKET) depth++;
      else if (c === CLOSE_BRACKET) depth--;
      else if (c === GT && depth === 0) {
        doctypeSeen = true;
        return i + 1;
      }
    }
    return final ? fail('unterminated DOCTYPE') : NEED_MORE;
  }

  function until(from: number, terminator: string, what: string, final: boolean): number {
    const at = bytes.indexOf(terminator, from, 'latin1');
    if (at === -1) return final ? fail(`not well-formed XML: unterminated ${what}`) : NEED_MORE;
    return at;
  }

  function endTag(pos: number, final: boolean): number {
    const gt = bytes.indexOf(GT, pos + 2);
    if (gt === -1) return final ? fail('not well-formed XML: unterminated end tag') : NEED_MORE;
    let nameEnd = pos + 2;
    while (nameEnd < gt && isNameChar(bytes[nameEnd] as number)) nameEnd++;
    for (let k = nameEnd; k < gt; k++)
      if (!isSpace(bytes[k] as number)) return fail('not well-formed XML: bad end tag');
    const expected = open.pop();
    const length = nameEnd - pos - 2;
    if (expected === undefined || expected.bytes.length !== length || !sameBytes(expected.bytes, pos + 2)) {
      const name = decode(bytes, pos + 2, nameEnd);
      if (expected === undefined) return fail(`not well-formed XML: </${name}> without an open element`);
      return fail(`not well-formed XML: </${name}> closes <${expected.text}>`);
    }
    if (open.length === 0) rootClosed = true;
    const problem = handler.close(expected.text);
    return problem === null ? gt + 1 : fail(problem);
  }

  function unfinishedTag(final: boolean): number {
    return final ? fail('not well-formed XML: unterminated tag') : NEED_MORE;
  }

  function startTag(pos: number, final: boolean): number {
    const len = bytes.length;
    let i = pos + 1;
    if (!isNameStart(bytes[i] as number)) return fail('not well-formed XML: "<" not followed by a name');
    while (i < len && isNameChar(bytes[i] as number)) i++;
    if (i >= len) return unfinishedTag(final);
    const element = nameAt(pos + 1, i);
    const name = element.text;
    const attributes: Record<string, string> = {};
    let selfClosing = false;
    for (;;) {
      const spaced = isSpace(bytes[i] as number);
      while (i < len && isSpace(bytes[i] as number)) i++;
      if (i >= len) return unfinishedTag(final);
      const c = bytes[i] as number;
      if (c === GT) {
        i++;
        break;
      }
      if (c === SLASH) {
        if (i + 1 >= len) return unfinishedTag(final);
        if (bytes[i + 1] !== GT) return fail(`not well-formed XML: bad tag <${name}>`);
        i += 2;
        selfClosing = true;
        break;
      }
      if (!spaced || !isNameStart(c)) return fail(`not well-formed XML: bad attribute in <${name}>`);
      const nameStart = i;
      while (i < len && isNameChar(bytes[i] as number)) i++;
      const nameEnd = i;
      while (i < len && isSpace(bytes[i] as number)) i++;
      if (i >= len) return unfinishedTag(final);
      if (bytes[i] !== EQUALS) return fail(`not well-formed XML: attribute without a value in <${name}>`);
      i++;
      while (i < len && isSpace(bytes[i] as number)) i++;
      if (i >= len) return unfinishedTag(final);
      const quote = bytes[i] as number;
      if (quote !== DQUOTE && quote !== SQUOTE)
        return fail(`not well-formed XML: unquoted attribute in <${name}>`);
      const close = bytes.indexOf(quote, i + 1);
      if (close === -1) return unfinishedTag(final);
      const attribute = nameAt(nameStart, nameEnd).text;
      if (attribute in attributes)
        return fail(`not well-formed XML: attribute ${attribute} repeated in <${name}>`);
      const raw = decode(bytes, i + 1, close);
      if (raw.includes('<')) return fail(`not well-formed XML: "<" in an attribute of <${name}>`);
      const value = decodeEntities(raw);
      if (!value.ok) return fail(value.error);
      attributes[attribute] = value.text;
      i = close + 1;
    }
    if (rootClosed) return fail(`not well-formed XML: <${name}> after the root element`);
    rootOpened = true;
    let problem = handler.open(name, attributes);
    if (problem === null && selfClosing) {
      if (open.length === 0) rootClosed = true;
      problem = handler.close(name);
    } else if (problem === null) open.push(element);
    return problem === null ? i : fail(problem);
  }

  function markup(pos: number, final: boolean): number {
    const len = bytes.length;
    if (pos + 1 >= len) return final ? fail('not well-formed XML: "<" at the end') : NEED_MORE;
    const c = bytes[pos + 1];
    if (c === SLASH) return endTag(pos, final);
    if (c === QUESTION) {
      const end = until(pos + 2, '?>', 'processing instruction', final);
      if (end < 0) return end;
      const isDeclaration =
        !anyMarkup && startsWithIgnoringCase(bytes, pos + 2, 'xml') && isSpace(bytes[pos + 5] as number);
      const problem = isDeclaration ? declaration(pos + 5, end) : null;
      return problem === null ? end + 2 : fail(problem);
    }
    if (c !== BANG) return startTag(pos, final);
    // Up to nine bytes decide which `<!` construct this is.
    if (len - pos < 9 && !final && !startsWithIgnoringCase(bytes, pos, '<!--')) return NEED_MORE;
    if (startsWithIgnoringCase(bytes, pos, '<!--')) {
      const end = until(pos + 4, '-->', 'comment', final);
      return end < 0 ? end : end + 3;
    }
    if (startsWithIgnoringCase(bytes, pos, '<![CDATA[')) {
      const end = until(pos + 9, ']]>', 'CDATA section', final);
      if (end < 0) return end;
      const problem = text(pos + 9, end, true);
      return problem === null ? end + 3 : fail(problem);
    }
    if (startsWithIgnoringCase(bytes, pos, '<!DOCTYPE')) return doctype(pos, final);
    if (startsWithIgnoringCase(bytes, pos, '<!ENTITY')) return fail('entity declaration outside a DOCTYPE');
    return fail(
      `not well-formed XML: unknown markup ${JSON.stringify(bytes.toString('latin1', pos, pos + 9))}`,
    );
  }

  function scan(chunk: Buffer, final: boolean): number {
    bytes = chunk;
    let pos = 0;
    const len = bytes.length;
    while (pos < len && failed === null) {
      if (bytes[pos] !== LT) {
        let lt = bytes.indexOf(LT, Math.max(pos, textScanned));
        if (lt === -1) {
          if (!final) {
            textScanned = len;
            break;
          }
          lt = len;
        }
        textScanned = 0;
        const problem = text(pos, lt, false);
        if (problem !== null) failed = problem;
        pos = lt;
        continue;
      }
      const next = markup(pos, final);
      if (next === NEED_MORE) break;
      anyMarkup = true;
      pos = next;
    }
    if (textScanned > 0) textScanned -= pos;
    return pos;
  }

  return readChunks(
    {
      scan,
      failure: () => failed,
      finish() {
        const unclosed = open[open.length - 1];
        if (unclosed !== undefined) return `not well-formed XML: <${unclosed.text}> is not closed`;
        return rootOpened ? null : 'not well-formed XML: no root element';
      },
    },
    'not well-formed XML: a tag or text',
  );
}
