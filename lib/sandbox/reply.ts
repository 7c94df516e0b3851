import { checkvalue, replyCheckvalueInput } from '../assist/checkvalue';
import { csvLine } from './csv';

/**
 * Web-service replies in ASSIST's shapes (ASSIST.md §5): XML `<result firstcode secondcode count>`,
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
  /** charge/cancel wrap their order in `<orders>`; orderstate and the reports do not. */
  wrapOrders?: boolean;
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

function renderXml(reply: ServiceReply): string {
  const orders = reply.orders
    .map((o) => {
      const ops = o.operations.map(
        (op) => `<operation>${op.map(([k, v]) => element(k, v)).join('')}</operation>`,
      );
      return `<order>${o.fields.map(([k, v]) => element(k, v)).join('')}${ops.join('')}</order>`;
    })
    .join('\n');
  const body = reply.wrapOrders && reply.orders.length > 0 ? `<orders>\n${orders}\n</orders>` : orders;
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<result firstcode="${reply.firstcode}" secondcode="${reply.secondcode}" count="${reply.orders.length}">\n` +
    `${body}\n</result>\n`
  );
}

/**
 * One row per operation when the reply carries operations (order columns repeated), else one per
 * order. An operation column whose name an order column already uses gets the prefix `operation`
 * (so the extended billnumber is `operationbillnumber`). ASSIST publishes no column list (§9).
 */
function renderCsv(reply: ServiceReply): string {
  if (reply.firstcode !== 0) return `error;${reply.firstcode};${reply.secondcode};\n`;
  const rows: Fields[] = [];
  for (const o of reply.orders) {
    const names = new Set(o.fields.map(([k]) => k));
    const opFields = (op: Fields): Fields => op.map(([k, v]) => [names.has(k) ? `operation${k}` : k, v]);
    if (o.operations.length === 0) rows.push(o.fields);
    for (const op of o.operations) rows.push([...o.fields, ...opFields(op)]);
  }
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
