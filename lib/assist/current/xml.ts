import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** One `<order>` as received: its own text fields and its nested `<operation>` elements. */
export interface RawOrder {
  fields: Record<string, string>;
  operations: Array<Record<string, string>>;
}

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
  isArray: (name) => name === 'order' || name === 'operation' || name === 'orders',
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

function textOf(v: unknown): string | null {
  if (typeof v === 'string') return decodeEntities(v).trim();
  if (isNode(v) && typeof v['#text'] === 'string') return decodeEntities(v['#text']).trim();
  if (isNode(v) && Object.keys(v).every((k) => k.startsWith('@_'))) return '';
  return null;
}

/** Text children of an element, keys lowercased; nested elements other than operations are skipped. */
function flatten(node: Node): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('@_') || key === 'operation') continue;
    const t = textOf(value);
    if (t !== null) out[key.toLowerCase()] = t;
  }
  return out;
}

function code(root: Node, name: string): number | null {
  const v = root[`@_${name}`];
  if (typeof v !== 'string' || !/^\s*\d+\s*$/.test(v)) return null;
  return Number(v);
}

/**
 * Parses a web-service XML reply: `<result firstcode secondcode>` holding `<order>` elements, bare or in
 * `<orders>`. Values are trimmed; a DOCTYPE is dropped unread; anything unsafe or unexpected is an error.
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
  const root = isNode(doc) ? doc.result : undefined;
  if (root === undefined) return { ok: false, error: 'no <result> element' };
  // An empty report is `<result firstcode="0" secondcode="0" count="0"/>`: no children, only attributes.
  const node: Node = isNode(root) ? root : {};
  const firstCode = code(node, 'firstcode');
  const secondCode = code(node, 'secondcode');
  if (firstCode === null || secondCode === null) return { ok: false, error: 'missing firstcode/secondcode' };

  const orderNodes: unknown[] = [];
  for (const o of (node.order as unknown[] | undefined) ?? []) orderNodes.push(o);
  for (const wrapper of (node.orders as unknown[] | undefined) ?? []) {
    if (isNode(wrapper)) for (const o of (wrapper.order as unknown[] | undefined) ?? []) orderNodes.push(o);
  }
  const orders: RawOrder[] = [];
  for (const o of orderNodes) {
    if (!isNode(o)) return { ok: false, error: 'an <order> element has no fields' };
    const ops = (o.operation as unknown[] | undefined) ?? [];
    const operations: Array<Record<string, string>> = [];
    for (const op of ops) {
      if (!isNode(op)) return { ok: false, error: 'an <operation> element has no fields' };
      operations.push(flatten(op));
    }
    orders.push({ fields: flatten(o), operations });
  }
  return { ok: true, firstCode, secondCode, orders };
}
