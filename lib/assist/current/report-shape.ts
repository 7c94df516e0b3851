/**
 * The shapes a web-service XML reply may take, as rules over tokenized elements: no XML parsing here,
 * so the streaming tokenizer behind `xml.ts` (fed element by element, one row in memory at a time) and a
 * tree walked by `readResult` accept exactly the same replies. See docs/assist-protocol.md §5.4 for each shape's public source.
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

/** Where an element that opens outside any row stands: the root, the wrapper of rows, or a row. */
export type Place = 'root' | 'wrapper' | 'row';

export type ResultSummary = { firstCode: number; secondCode: number; rows: number };

/**
 * The shape rules as a reader fed element by element, so that a streaming tokenizer keeps one row in
 * memory at a time: `open` for each element outside a row (`depth` 0 is the root), `row` for each
 * complete row element, `end` once the reply is over.
 */
export interface ResultReader {
  open(name: string, attributes: Record<string, string>, depth: number): ShapeResult<Place>;
  row(el: XmlElement): ShapeResult<RawRecord>;
  /** Only the codes read so far, once the root has opened: rows of an error reply are not mapped. */
  codes(): { firstCode: number; secondCode: number } | null;
  end(): ShapeResult<ResultSummary>;
}

export function createResultReader(): ResultReader {
  let head: { firstCode: number; secondCode: number; count: string | undefined } | null = null;
  let wrapped = false;
  let rows = 0;
  return {
    open(rawName, rawAttributes, depth) {
      const name = lower(rawName);
      if (depth === 0) {
        if (name !== 'result') return { ok: false, error: `no <result> element: the root is <${rawName}>` };
        const attributes: Record<string, string> = {};
        for (const [k, v] of Object.entries(rawAttributes)) attributes[lower(k)] = v;
        const firstCode = code(attributes, 'firstcode');
        const secondCode = code(attributes, 'secondcode');
        if (firstCode === null || secondCode === null)
          return { ok: false, error: 'missing firstcode/secondcode' };
        head = { firstCode, secondCode, count: attributes.count };
        return { ok: true, value: 'root' };
      }
      if (depth === 1) {
        wrapped = name === WRAPPER_NAME;
        if (wrapped) return { ok: true, value: 'wrapper' };
        if (ROW_NAMES.has(name)) return { ok: true, value: 'row' };
        return { ok: false, error: `unknown element <result><${name}>` };
      }
      if (depth === 2 && wrapped && name === 'order') return { ok: true, value: 'row' };
      return { ok: false, error: `unknown element <result><${WRAPPER_NAME}><${name}>` };
    },
    row(el) {
      const r = recordOf(el);
      if (r.ok) rows++;
      return r;
    },
    codes() {
      return head && { firstCode: head.firstCode, secondCode: head.secondCode };
    },
    end() {
      if (head === null) return { ok: false, error: 'no <result> element' };
      // An error reply carries no rows; its count (if any) says nothing about them.
      if (head.firstCode === 0 && head.secondCode === 0) {
        const problem = checkCount(head.count, rows);
        if (problem) return { ok: false, error: problem };
      }
      return { ok: true, value: { firstCode: head.firstCode, secondCode: head.secondCode, rows } };
    },
  };
}

export type ResultShape = { firstCode: number; secondCode: number; records: RawRecord[] };

/** A whole `<result>` tree → codes and rows, or the first thing that does not fit a known shape. */
export function readResult(root: XmlElement): ShapeResult<ResultShape> {
  const reader = createResultReader();
  const records: RawRecord[] = [];
  const visit = (el: XmlElement, depth: number): string | null => {
    const place = reader.open(el.name, el.attributes, depth);
    if (!place.ok) return place.error;
    if (place.value === 'row') {
      const r = reader.row(el);
      if (!r.ok) return r.error;
      records.push(r.value);
      return null;
    }
    for (const child of el.children) {
      const problem = visit(child, depth + 1);
      if (problem !== null) return problem;
    }
    return null;
  };
  const problem = visit(root, 0);
  if (problem !== null) return { ok: false, error: problem };
  const summary = reader.end();
  if (!summary.ok) return summary;
  return {
    ok: true,
    value: { firstCode: summary.value.firstCode, secondCode: summary.value.secondCode, records },
  };
}
