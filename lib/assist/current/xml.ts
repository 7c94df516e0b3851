import { XMLParser, XMLValidator } from 'fast-xml-parser';

import { type RawRecord, readResult, type XmlElement } from './report-shape';

/** One row as received: its own text fields and its nested `<operation>` elements. */
export type RawOrder = RawRecord;

export type XmlReplyResult =
  | { ok: true; firstCode: number; secondCode: number; orders: RawOrder[] }
  | { ok: false; error: string };

/**
 * Removes a DOCTYPE, including an internal subset, without interpreting it. Replies carry one for
 * validation only; honouring it would open the door to external entities (XXE) and entity expansion
 * (billion laughs), so its declarations never reach the parser.
 */
export function stripDoctype(xml: string): { ok: true; xml: string } | { ok: false; error: string } {
  const start = xml.search(/<!DOCTYPE/i);
  if (start === -1) return { ok: true, xml };
  let depth = 0;
  let quote: string | null = null;
  for (let i = start + 9; i < xml.length; i++) {
    const ch = xml[i];
    if (quote !== null) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[') depth++;
    else if (ch === ']') depth--;
    else if (ch === '>' && depth === 0) {
      const rest = xml.slice(0, start) + xml.slice(i + 1);
      if (/<!DOCTYPE/i.test(rest)) return { ok: false, error: 'more than one DOCTYPE' };
      return { ok: true, xml: rest };
    }
  }
  return { ok: false, error: 'unterminated DOCTYPE' };
}

// Only the five predefined entities and character references are allowed: any other reference would
// point into a DTD we deliberately dropped.
const FOREIGN_ENTITY = /&(?!(?:lt|gt|amp|quot|apos|#\d{1,7}|#x[0-9a-fA-F]{1,6});)/;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // Entities are decoded by `decodeEntities` in one pass: the parser's own decoding runs a regex per
  // known entity over every value, which dominated the parse time of large reports.
  processEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Every element is a list, so that repeated and single elements look alike to `toElement`.
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
});

type Node = Record<string, unknown>;

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes the five predefined entities and character references in a single pass (no double decoding). */
function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(lt|gt|amp|quot|apos|#\d{1,7}|#x[0-9a-fA-F]{1,6});/g, (whole, name: string) => {
    if (name[0] !== '#') return PREDEFINED[name] ?? whole;
    const cp = name[1] === 'x' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
    return cp <= 0x10ffff ? String.fromCodePoint(cp) : whole;
  });
}

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The parser's object form → the tokenizer-neutral element the shape rules read. */
function toElement(name: string, value: unknown): XmlElement {
  if (!isNode(value)) {
    return { name, attributes: {}, text: decodeEntities(String(value ?? '')).trim(), children: [] };
  }
  const el: XmlElement = { name, attributes: {}, text: '', children: [] };
  for (const [key, v] of Object.entries(value)) {
    if (key.startsWith('@_')) el.attributes[key.slice(2)] = decodeEntities(String(v));
    else if (key === '#text') el.text = decodeEntities(String(v)).trim();
    else for (const item of Array.isArray(v) ? v : [v]) el.children.push(toElement(key, item));
  }
  return el;
}

/**
 * Parses a web-service XML reply into rows (see `report-shape.ts` for the accepted shapes). Values are
 * trimmed; a DOCTYPE is dropped unread; anything unsafe or of an unknown shape is an error.
 */
export function parseXmlReply(body: string): XmlReplyResult {
  const stripped = stripDoctype(body.replace(/^\uFEFF/, ''));
  if (!stripped.ok) return stripped;
  const xml = stripped.xml;
  if (/<!ENTITY/i.test(xml)) return { ok: false, error: 'entity declaration outside a DOCTYPE' };
  if (FOREIGN_ENTITY.test(xml)) return { ok: false, error: 'reference to an undeclared entity' };
  const valid = XMLValidator.validate(xml);
  if (valid !== true)
    return { ok: false, error: `not well-formed XML: ${valid.err.msg} (line ${valid.err.line})` };
  let doc: unknown;
  try {
    doc = parser.parse(xml);
  } catch (e) {
    return { ok: false, error: `not well-formed XML: ${(e as Error).message}` };
  }
  const roots = isNode(doc) ? Object.entries(doc) : [];
  const [root, ...others] = roots.flatMap(([name, v]) =>
    (Array.isArray(v) ? v : [v]).map((x) => [name, x] as const),
  );
  if (root === undefined || root[0] !== 'result') return { ok: false, error: 'no <result> element' };
  if (others.length > 0) return { ok: false, error: `unknown element <${others[0]?.[0]}> beside <result>` };
  const shaped = readResult(toElement(root[0], root[1]));
  if (!shaped.ok) return shaped;
  const { firstCode, secondCode, records } = shaped.value;
  return { ok: true, firstCode, secondCode, orders: records };
}
