import {
  createResultReader,
  type RawRecord,
  type ResultSummary,
  type ShapeResult,
  type XmlElement,
} from './report-shape';
import { createXmlTokenizer } from './xml-tokenizer';

/** One row as received: its own text fields and its nested `<operation>` elements. */
export type RawOrder = RawRecord;

export type XmlReplyResult =
  | { ok: true; firstCode: number; secondCode: number; orders: RawOrder[] }
  | { ok: false; error: string };

export type ReplyCodes = { firstCode: number; secondCode: number };

/** Receives each row as soon as it is complete; a returned string stops the parse with that error. */
export type RowSink = (record: RawRecord, codes: ReplyCodes) => string | null;

export interface XmlReplyReader {
  /** Feeds the next bytes of the reply; returns the first error, after which the rest may be dropped. */
  write(chunk: Uint8Array): string | null;
  end(): ShapeResult<ResultSummary>;
}

/**
 * Reads a web-service XML reply as it arrives (see `report-shape.ts` for the accepted shapes): only the
 * row being read is held as elements, each finished row goes to `onRow`. Values are trimmed; a DOCTYPE
 * is skipped unread; anything unsafe or of an unknown shape is an error.
 */
export function createXmlReplyReader(onRow: RowSink, options: { charset?: string } = {}): XmlReplyReader {
  const shape = createResultReader();
  // Elements open outside the row being read, and the row's own open elements.
  let depth = 0;
  const building: XmlElement[] = [];
  const tokenizer = createXmlTokenizer(
    {
      open(name, attributes) {
        const el: XmlElement = { name, attributes, text: '', children: [] };
        const parent = building[building.length - 1];
        if (parent !== undefined) {
          parent.children.push(el);
          building.push(el);
          return null;
        }
        const place = shape.open(name, attributes, depth);
        if (!place.ok) return place.error;
        depth++;
        if (place.value === 'row') building.push(el);
        return null;
      },
      text(text) {
        const el = building[building.length - 1];
        if (el !== undefined) el.text += text;
        return null;
      },
      close() {
        const el = building.pop();
        if (el === undefined) {
          depth--;
          return null;
        }
        if (building.length > 0) return null;
        depth--;
        const r = shape.row(el);
        if (!r.ok) return r.error;
        const codes = shape.codes();
        return codes === null ? 'row outside <result>' : onRow(r.value, codes);
      },
    },
    options,
  );
  return {
    write: (chunk) => tokenizer.write(chunk),
    end() {
      const problem = tokenizer.end();
      return problem === null ? shape.end() : { ok: false, error: problem };
    },
  };
}

/** Parses a whole web-service XML reply into rows. */
export function parseXmlReply(body: string): XmlReplyResult {
  const orders: RawOrder[] = [];
  const reader = createXmlReplyReader(
    (record) => {
      orders.push(record);
      return null;
    },
    { charset: 'utf-8' },
  );
  reader.write(Buffer.from(body));
  const summary = reader.end();
  if (!summary.ok) return summary;
  return { ok: true, firstCode: summary.value.firstCode, secondCode: summary.value.secondCode, orders };
}
