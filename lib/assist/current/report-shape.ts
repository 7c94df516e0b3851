/**
 * The shapes a web-service XML reply may take, as rules over an already tokenized element tree: no XML
 * parsing here, so any tokenizer (the tree parser in `xml.ts`, or a streaming one fed row by row) accepts
 * exactly the same replies. See docs/assist-protocol.md §5.4 for each shape's public source.
 *
 * Accepted under `<result firstcode secondcode [count]>`:
 * - `<order>` rows, with or without nested `<operation>` elements (orderstate, orderresult);
 * - `<orders>` wrapping `<order>` rows (charge/cancel, public SDK fixtures);
 * - flat `<payment>` rows carrying order and operation fields together (resultbydate as a production
 *   Bitrix cron script reads it).
 * Anything else is an error naming the element: a reply we do not fully understand must never read as
 * "nothing found".
 */

/** One element as a tokenizer produced it: names as received, text trimmed by the tokenizer or not. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  text: string;
  children: XmlElement[];
}

/** One row of a reply: its own fields (lowercased names) and its nested operations, if any. */
export interface RawRecord {
  fields: Record<string, string>;
  operations: Array<Record<string, string>>;
}

export type ShapeResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** Row elements, and the one element allowed to wrap rows. */
const ROW_NAMES = new Set(['order', 'payment']);
const WRAPPER_NAME = 'orders';
/** Nested sections of a row whose leaf fields belong to the row (the JSON charge reply groups the payer so). */
const MERGED_SECTIONS = new Set(['customer']);

const lower = (name: string) => name.toLowerCase();

function leafFields(
  el: XmlElement,
  path: string,
  into: Record<string, string>,
  allowOperations: boolean,
  operations: Array<Record<string, string>>,
): string | null {
  for (const child of el.children) {
    const name = lower(child.name);
    if (child.children.length === 0) {
      if (name in into) return `element <${path}><${name}> appears twice`;
      into[name] = child.text.trim();
    } else if (allowOperations && name === 'operation') {
      const op: Record<string, string> = {};
      const problem = leafFields(child, `${path}><operation`, op, false, []);
      if (problem) return problem;
      operations.push(op);
    } else if (MERGED_SECTIONS.has(name)) {
      const problem = leafFields(child, `${path}><${name}`, into, false, []);
      if (problem) return problem;
    } else {
      return `unknown element <${path}><${name}>`;
    }
  }
  return null;
}

/** One row element (`<order>` or `<payment>`) → its record. */
export function recordOf(el: XmlElement): ShapeResult<RawRecord> {
  const name = lower(el.name);
  if (!ROW_NAMES.has(name)) return { ok: false, error: `unknown element <${name}> where a row was expected` };
  const fields: Record<string, string> = {};
  const operations: Array<Record<string, string>> = [];
  const problem = leafFields(el, name, fields, true, operations);
  if (problem) return { ok: false, error: problem };
  return { ok: true, value: { fields, operations } };
}

/** One child of `<result>` → the rows it holds; an element of no known shape is an error naming it. */
export function rowsOfResultChild(child: XmlElement): ShapeResult<RawRecord[]> {
  const name = lower(child.name);
  if (ROW_NAMES.has(name)) {
    const r = recordOf(child);
    return r.ok ? { ok: true, value: [r.value] } : r;
  }
  if (name !== WRAPPER_NAME) return { ok: false, error: `unknown element <result><${name}>` };
  const rows: RawRecord[] = [];
  for (const inner of child.children) {
    if (lower(inner.name) !== 'order') {
      return { ok: false, error: `unknown element <result><orders><${lower(inner.name)}>` };
    }
    const r = recordOf(inner);
    if (!r.ok) return r;
    rows.push(r.value);
  }
  return { ok: true, value: rows };
}

/** `count`, when present, must equal the rows read: a truncated or half-understood reply is not a short one. */
export function checkCount(count: string | undefined, rows: number): string | null {
  if (count === undefined) return null;
  const text = count.trim();
  if (!/^\d+$/.test(text)) return `<result count="${text.slice(0, 20)}"> is not a number`;
  return Number(text) === rows ? null : `<result count="${text}"> but ${rows} rows were read`;
}

function code(attributes: Record<string, string>, name: string): number | null {
  const v = attributes[name];
  return v !== undefined && /^\s*\d+\s*$/.test(v) ? Number(v) : null;
}

export type ResultShape = { firstCode: number; secondCode: number; records: RawRecord[] };

/** The whole `<result>` element → codes and rows, or the first thing that does not fit a known shape. */
export function readResult(root: XmlElement): ShapeResult<ResultShape> {
  if (lower(root.name) !== 'result')
    return { ok: false, error: `root element <${root.name}> is not <result>` };
  const attributes: Record<string, string> = {};
  for (const [k, v] of Object.entries(root.attributes)) attributes[lower(k)] = v;
  const firstCode = code(attributes, 'firstcode');
  const secondCode = code(attributes, 'secondcode');
  if (firstCode === null || secondCode === null) return { ok: false, error: 'missing firstcode/secondcode' };
  const records: RawRecord[] = [];
  for (const child of root.children) {
    const rows = rowsOfResultChild(child);
    if (!rows.ok) return rows;
    records.push(...rows.value);
  }
  // An error reply carries no rows; its count (if any) says nothing about them.
  if (firstCode === 0 && secondCode === 0) {
    const problem = checkCount(attributes.count, records.length);
    if (problem) return { ok: false, error: problem };
  }
  return { ok: true, value: { firstCode, secondCode, records } };
}
