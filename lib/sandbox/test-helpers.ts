import { XMLParser } from 'fast-xml-parser';
import { checkvalue, formCheckvalueInput } from '../assist/checkvalue';
import { DEMO_MERCHANT } from './demo-merchant';

/** Shared by the sandbox's integration tests: a shop's side of the protocol, written plainly. */

export const SECRET = DEMO_MERCHANT.secret;

export function orderForm(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const base: Record<string, string | undefined> = {
    Merchant_ID: DEMO_MERCHANT.merchantId,
    OrderNumber: `T-${Math.random().toString(36).slice(2, 10)}`,
    OrderAmount: '1500.00',
    OrderCurrency: 'RUB',
    URL_RETURN_OK: 'https://shop.example/pay/ok?x=1',
    URL_RETURN_NO: 'https://shop.example/pay/no',
    ...overrides,
  };
  if (!('Checkvalue' in overrides)) {
    base.Checkvalue = checkvalue(
      SECRET,
      formCheckvalueInput({
        merchantId: base.Merchant_ID ?? '',
        orderNumber: base.OrderNumber ?? '',
        orderAmount: base.OrderAmount ?? '',
        orderCurrency: base.OrderCurrency ?? '',
      }),
    );
  }
  return Object.fromEntries(Object.entries(base).filter((e): e is [string, string] => e[1] !== undefined));
}

export const postForm = (url: string, fields: Record<string, string>) =>
  fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });

/** Opens the payment page; returns the new billnumber and the page. */
export async function openBill(base: string, fields: Record<string, string>) {
  const res = await postForm(`${base}/pay/order.cfm`, fields);
  const html = await res.text();
  const billnumber = /name="billnumber" value="(\d+)"/.exec(html)?.[1];
  if (res.status !== 200 || !billnumber)
    throw new Error(`order.cfm failed: ${res.status} ${html.slice(0, 400)}`);
  return { billnumber, html, orderNumber: fields.OrderNumber ?? '' };
}

export const APPROVE = {
  card_number: '4111 1111 1111 1111',
  expiry: '12/39',
  cvc: '123',
  holder: 'IVAN IVANOV',
};

export const submitCard = (base: string, billnumber: string, card: Partial<typeof APPROVE> = {}) =>
  postForm(`${base}/pay/process.cfm`, { billnumber, ...APPROVE, ...card });

/** Opens a bill and pays it with `card`; returns the billnumber and order number. */
export async function paidBill(base: string, overrides: Record<string, string | undefined> = {}, card = {}) {
  const bill = await openBill(base, orderForm(overrides));
  const res = await submitCard(base, bill.billnumber, card);
  if (res.status !== 303)
    throw new Error(`payment failed: ${res.status} ${(await res.text()).slice(0, 300)}`);
  return bill;
}

export const CREDENTIALS = {
  Merchant_ID: DEMO_MERCHANT.merchantId,
  Login: DEMO_MERCHANT.login,
  Password: DEMO_MERCHANT.password,
};

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  processEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => name === 'order' || name === 'operation' || name === 'payment',
});

export interface XmlResult {
  firstcode: string;
  secondcode: string;
  count: string;
  order?: Array<Record<string, string> & { operation?: Array<Record<string, string>> }>;
  orders?: { order: Array<Record<string, string> & { operation?: Array<Record<string, string>> }> };
  /** The report's default rows: one flat `<payment>` per operation, billnumber `<bill>.<n>`. */
  payment?: Array<Record<string, string>>;
}

/** Calls a web service with the demo credentials and Format=3; returns the parsed `<result>`. */
export async function ws(
  base: string,
  path: string,
  fields: Record<string, string> = {},
): Promise<XmlResult> {
  const res = await postForm(`${base}${path}`, { ...CREDENTIALS, Format: '3', ...fields });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status} ${text}`);
  const doc = parser.parse(text) as { result?: XmlResult };
  if (!doc.result) throw new Error(`${path}: not a result: ${text}`);
  return doc.result;
}

export const codes = (r: XmlResult) => `${r.firstcode}/${r.secondcode}`;
