import { checkvalue, replyCheckvalueInput } from '../../assist/checkvalue';
import { csvLine } from '../csv';

/**
 * Web-service replies in ASSIST's shapes (docs/assist-protocol.md §5): XML `<result firstcode secondcode count>`,
 * `;`-separated CSV with a header row (errors as `error;<firstcode>;<secondcode>;`), or JSON.
 * Business errors keep HTTP 200.
 */

export type Fields = Array<[name: string, value: string]>;

export interface ReplyOrder {
  fields: Fields;
  operations: Fields[];
}

export type Format = 1 | 3 | 5;

export interface ServiceReply {
  firstcode: number;
  secondcode: number;
  orders: ReplyOrder[];
  /**
   * XML rows: `order` (bare `<order>` with nested `<operation>`: orderstate, orderresult), `orders` (the
   * same inside `<orders>`: charge/cancel), `payment` (one flat `<payment>` per operation: the report).
   */
  rows?: 'order' | 'orders' | 'payment';
}

export const errorReply = (firstcode: number, secondcode: number): ServiceReply => ({
  firstcode,
  secondcode,
  orders: [],
});

/** The per-order checkvalue of replies and notifications; empty when the merchant has no secret word. */
export function orderCheckvalue(
  secret: string,
  f: { merchantId: string; orderNumber: string; amount: string; currency: string; orderState: string },
): string {
  return secret === '' ? '' : checkvalue(secret, replyCheckvalueInput(f));
}

/** Escapes markup and drops the control characters XML 1.0 cannot carry at all. */
export function escapeXml(text: string): string {
  let clean = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    const allowed =
      code >= 0x20 ? code !== 0xfffe && code !== 0xffff : code === 0x09 || code === 0x0a || code === 0x0d;
    if (allowed) clean += ch;
  }
  return clean.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const element = (name: string, value: string) => `<${name}>${escapeXml(value)}</${name}>`;

/**
 * One flat row per operation: the order's fields with the operation's on top, the billnumber being the
 * operation's extended one (`<bill>.<n>`) so that each row names its operation. A bill without operations
 * is one row of its own fields.
 */
function paymentRows(order: ReplyOrder): Fields[] {
  if (order.operations.length === 0) return [order.fields];
  return order.operations.map((op) => {
    const opValues = new Map(op);
    const own = order.fields.map(([k, v]): [string, string] => [k, opValues.get(k) ?? v]);
    const names = new Set(order.fields.map(([k]) => k));
    return [...own, ...op.filter(([k]) => !names.has(k))];
  });
}

const fieldsXml = (fields: Fields) => fields.map(([k, v]) => element(k, v)).join('');

function renderXml(reply: ServiceReply): string {
  let rows: string[];
  if (reply.rows === 'payment') {
    rows = reply.orders.flatMap(paymentRows).map((r) => `<payment>${fieldsXml(r)}</payment>`);
  } else {
    rows = reply.orders.map((o) => {
      const ops = o.operations.map((op) => `<operation>${fieldsXml(op)}</operation>`);
      return `<order>${fieldsXml(o.fields)}${ops.join('')}</order>`;
    });
  }
  const joined = rows.join('\n');
  const body = reply.rows === 'orders' && rows.length > 0 ? `<orders>\n${joined}\n</orders>` : joined;
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<result firstcode="${reply.firstcode}" secondcode="${reply.secondcode}" count="${rows.length}">\n` +
    `${body}\n</result>\n`
  );
}

/**
 * The CSV report: one row per operation, the same flat rows as the `<payment>` XML shape (order columns
 * repeated, billnumber `<bill>.<n>`), or one per order without operations. ASSIST publishes no column
 * list (docs/assist-protocol.md §9): these are the sandbox's.
 */
function renderCsv(reply: ServiceReply): string {
  if (reply.firstcode !== 0) return `error;${reply.firstcode};${reply.secondcode};\n`;
  const rows = reply.orders.flatMap(paymentRows);
  const first = rows[0];
  if (!first) return '';
  const header = first.map(([k]) => k).join(';');
  return `${[header, ...rows.map((r) => csvLine(r.map(([, v]) => v)))].join('\n')}\n`;
}

function renderJson(reply: ServiceReply): string {
  const order = reply.orders.map((o) => ({
    ...Object.fromEntries(o.fields),
    ...(o.operations.length > 0 ? { operation: o.operations.map((op) => Object.fromEntries(op)) } : {}),
  }));
  return JSON.stringify({
    result: { firstcode: reply.firstcode, secondcode: reply.secondcode, count: reply.orders.length, order },
  });
}

export function renderReply(format: Format, reply: ServiceReply): Response {
  switch (format) {
    case 1:
      return new Response(renderCsv(reply), { headers: { 'Content-Type': 'text/csv; charset=utf-8' } });
    case 5:
      return new Response(renderJson(reply), {
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
      });
    case 3:
      return new Response(renderXml(reply), { headers: { 'Content-Type': 'text/xml; charset=utf-8' } });
  }
}
