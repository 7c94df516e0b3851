/**
 * 54-FZ receipt items ("Чек в заказе", docs/assist-protocol.md "Fiscal receipts"), built from plain order
 * lines. Pure: money stays integer kopecks and quantities integer thousandths until the JSON is written.
 *
 * The rule that makes a receipt add up: every item's `amount` is `price × quantity` rounded half up to the
 * kopeck, and the items sum exactly to the amount paid. A discount (total below the lines' sum) is spread
 * over the lines in proportion to their amounts, largest remainder first; a line whose discounted amount
 * cannot be written as one price × its quantity is split in two (all units but one at one price, the last
 * unit carrying the remainder), so no kopeck is invented or lost.
 *
 * One file over 300 lines because the rounding, the discount spread and the line split are one
 * algorithm whose invariant (items sum exactly to the amount) holds only across all three.
 */

/** VAT rates kept as data on each product: a percentage, the computed forms, or none. */
export const VAT_RATES = [
  'none',
  '0',
  '5',
  '7',
  '10',
  '20',
  '22',
  '5/105',
  '7/107',
  '10/110',
  '20/120',
  '22/122',
] as const;
export type VatRate = (typeof VAT_RATES)[number];

/** Payment subject (FFD tag 1212) of an item. */
export const PAYMENT_SUBJECTS = ['goods', 'excise', 'work', 'service', 'payment', 'other'] as const;
export type PaymentSubject = (typeof PAYMENT_SUBJECTS)[number];

/** Payment method (FFD tag 1214): one-stage orders are paid in full; made-to-order ones are prepaid. */
export type FiscalPaymentMethod = 'full_payment' | 'full_prepayment';

/** The shop's taxation system (FFD tag 1055); set in the ASSIST cabinet, kept here to check the rates. */
export const TAXATION_SYSTEMS = ['osn', 'usn_income', 'usn_income_outcome', 'esn', 'patent'] as const;
export type TaxationSystem = (typeof TAXATION_SYSTEMS)[number];

/**
 * How each value is written in ChequeItems. Public pages show `tax` as `vat10`/`vat20` and `fpmode`/`subjtype`
 * as integers; the other identifiers (notably the 2026 rates 22 % and 22/122, and 5 %, 7 %) are not published,
 * so these defaults follow the fiscal data format's numbering and the shop can override every one
 * (`ASSIST_FISCAL_TAX_CODES`, `ASSIST_FISCAL_FPMODES`).
 */
export interface FiscalCodes {
  tax: Record<VatRate, string>;
  fpmode: Record<FiscalPaymentMethod, number>;
  subjtype: Record<PaymentSubject, number>;
}

export const DEFAULT_FISCAL_CODES: FiscalCodes = {
  tax: {
    none: 'none',
    '0': 'vat0',
    '5': 'vat5',
    '7': 'vat7',
    '10': 'vat10',
    '20': 'vat20',
    '22': 'vat22',
    '5/105': 'vat105',
    '7/107': 'vat107',
    '10/110': 'vat110',
    '20/120': 'vat120',
    '22/122': 'vat122',
  },
  fpmode: { full_prepayment: 1, full_payment: 4 },
  subjtype: { goods: 1, excise: 2, work: 3, service: 4, payment: 10, other: 13 },
};

/** Rates a simplified-tax merchant may charge: none, or the reduced 5 % and 7 % (and their computed forms). */
const SIMPLIFIED_RATES: ReadonlySet<VatRate> = new Set(['none', '0', '5', '7', '5/105', '7/107']);

/** Whether a taxation system allows a VAT rate: the general system all, the others only their own. */
export function rateAllowed(system: TaxationSystem, rate: VatRate): boolean {
  if (system === 'osn') return true;
  if (system === 'usn_income' || system === 'usn_income_outcome') return SIMPLIFIED_RATES.has(rate);
  return rate === 'none';
}

/** One order line, as stored: unit price in kopecks, quantity in thousandths (1000 = one unit). */
export interface ChequeLine {
  /** The order line's own id: refunds and full-calculation receipts find their items by it. */
  ref: number;
  /** Product code (≤ 50 characters). */
  product: string;
  /** Name printed on the receipt (≤ 250 characters). */
  name: string;
  unitPriceKopecks: number;
  quantityMilli: number;
  vat: VatRate;
  subject: PaymentSubject;
  markingCode?: string | null;
}

/** One receipt item: `amountKopecks` is `priceKopecks × quantityMilli / 1000`, rounded half up. */
export interface ChequeItem {
  /** Position on the receipt, 1..n. */
  id: number;
  ref: number;
  product: string;
  name: string;
  priceKopecks: number;
  quantityMilli: number;
  amountKopecks: number;
  vat: VatRate;
  subject: PaymentSubject;
  method: FiscalPaymentMethod;
  markingCode: string | null;
}

export type ChequeError =
  | { kind: 'no_lines' }
  | { kind: 'invalid_line'; ref: number; message: string }
  /** The amount to fiscalise is above what the lines hold: surcharges must be lines of their own. */
  | { kind: 'amount_exceeds_lines'; amountKopecks: number; linesKopecks: number }
  | { kind: 'invalid_amount'; message: string };

export type ChequeResult = { ok: true; items: ChequeItem[] } | { ok: false; error: ChequeError };

/** `price × quantity / 1000` rounded half up, in bigint so a large price times a large quantity stays exact. */
export function lineAmount(priceKopecks: number, quantityMilli: number): number {
  return Number((BigInt(priceKopecks) * BigInt(quantityMilli) + 500n) / 1000n);
}

/** Thousandths → `2`, `0.125`, `1.5` (JSON number text, no trailing zeros). */
export function formatQuantity(quantityMilli: number): string {
  const whole = Math.trunc(quantityMilli / 1000);
  const frac = quantityMilli % 1000;
  return frac === 0 ? String(whole) : `${whole}.${frac.toString().padStart(3, '0').replace(/0+$/, '')}`;
}

/** A quantity as thousandths: `1`, `0.125`, `2,5` → 1000, 125, 2500; null when it has more than 3 decimals. */
export function parseQuantity(text: string): number | null {
  const m = /^(\d{1,9})(?:[.,](\d{1,3}))?$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * 1000 + Number((m[2] ?? '').padEnd(3, '0') || '0');
}

type Part = Omit<ChequeItem, 'id'>;

/**
 * Items for `amount` kopecks of one line's quantity: one item when some price gives exactly that amount,
 * else two (all units but the last at one price, the last unit carrying the remainder).
 */
function partsFor(
  base: Omit<Part, 'priceKopecks' | 'quantityMilli' | 'amountKopecks'>,
  amount: number,
  quantityMilli: number,
): Part[] {
  const guess = Math.floor((amount * 1000) / quantityMilli);
  for (let p = Math.max(0, guess - 1); p <= guess + 2; p++) {
    if (lineAmount(p, quantityMilli) === amount)
      return [{ ...base, priceKopecks: p, quantityMilli, amountKopecks: amount }];
  }
  // Below one unit every kopeck of price moves the amount by less than a kopeck, so a price was found;
  // from here on the quantity is above one unit.
  const restMilli = quantityMilli - 1000;
  const first = lineAmount(guess, restMilli);
  return [
    { ...base, priceKopecks: guess, quantityMilli: restMilli, amountKopecks: first },
    { ...base, priceKopecks: amount - first, quantityMilli: 1000, amountKopecks: amount - first },
  ];
}

/**
 * Splits `target` over `weights` in proportion, each share rounded down and the kopecks left over given
 * one by one to the largest remainders (the earlier line on a tie). The shares sum exactly to `target`.
 */
export function allocate(weights: number[], target: number): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  if (total === 0) return weights.map(() => 0);
  const t = BigInt(target);
  const T = BigInt(total);
  const shares = weights.map((w) => (t * BigInt(w)) / T);
  const remainders = weights.map((w, i) => ({ i, r: (t * BigInt(w)) % T }));
  let left = target - shares.reduce((a, b) => a + Number(b), 0);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  const out = shares.map(Number);
  for (const { i } of remainders) {
    if (left <= 0) break;
    out[i] = (out[i] ?? 0) + 1;
    left--;
  }
  return out;
}

function number(items: Part[]): ChequeItem[] {
  return items.map((item, i) => ({ id: i + 1, ...item }));
}

function checkLine(line: ChequeLine): string | null {
  if (!Number.isSafeInteger(line.unitPriceKopecks) || line.unitPriceKopecks < 0)
    return 'unit price must be a whole, non-negative number of kopecks';
  if (!Number.isSafeInteger(line.quantityMilli) || line.quantityMilli <= 0)
    return 'quantity must be a positive number of thousandths';
  if (line.name.trim() === '' || line.name.length > 250) return 'name must be 1..250 characters';
  if (line.product === '' || line.product.length > 50) return 'product code must be 1..50 characters';
  if (!(VAT_RATES as readonly string[]).includes(line.vat)) return `unknown VAT rate ${line.vat}`;
  if (!(PAYMENT_SUBJECTS as readonly string[]).includes(line.subject))
    return `unknown payment subject ${line.subject}`;
  return null;
}

/**
 * The receipt for `amountKopecks` paid over `lines` (the stored order lines). Equal to the lines' sum, it
 * holds them as they are; below it, the difference is a discount spread over the lines.
 */
export function buildCheque(
  lines: ChequeLine[],
  input: { amountKopecks: number; method: FiscalPaymentMethod },
): ChequeResult {
  if (lines.length === 0) return { ok: false, error: { kind: 'no_lines' } };
  for (const line of lines) {
    const problem = checkLine(line);
    if (problem) return { ok: false, error: { kind: 'invalid_line', ref: line.ref, message: problem } };
  }
  if (!Number.isSafeInteger(input.amountKopecks) || input.amountKopecks <= 0)
    return { ok: false, error: { kind: 'invalid_amount', message: 'must be a positive number of kopecks' } };
  const gross = lines.map((l) => lineAmount(l.unitPriceKopecks, l.quantityMilli));
  const linesKopecks = gross.reduce((a, b) => a + b, 0);
  if (input.amountKopecks > linesKopecks)
    return {
      ok: false,
      error: { kind: 'amount_exceeds_lines', amountKopecks: input.amountKopecks, linesKopecks },
    };
  const amounts = input.amountKopecks === linesKopecks ? gross : allocate(gross, input.amountKopecks);
  const parts: Part[] = [];
  lines.forEach((line, i) => {
    const amount = amounts[i] ?? 0;
    if (amount === 0) return;
    const base = {
      ref: line.ref,
      product: line.product,
      name: line.name,
      vat: line.vat,
      subject: line.subject,
      method: input.method,
      markingCode: line.markingCode ?? null,
    };
    if (amount === gross[i]) {
      parts.push({
        ...base,
        priceKopecks: line.unitPriceKopecks,
        quantityMilli: line.quantityMilli,
        amountKopecks: amount,
      });
    } else {
      parts.push(...partsFor(base, amount, line.quantityMilli));
    }
  });
  return { ok: true, items: number(parts) };
}

/** What a receipt still holds per order line after earlier refunds: amounts and quantities by `ref`. */
export function remainingItems(sold: ChequeItem[], returned: ChequeItem[][]): ChequeItem[] {
  type Acc = { first: ChequeItem; amount: number; milli: number };
  const byRef = new Map<number, Acc>();
  for (const item of sold) {
    const acc = byRef.get(item.ref);
    if (acc) {
      acc.amount += item.amountKopecks;
      acc.milli += item.quantityMilli;
    } else byRef.set(item.ref, { first: item, amount: item.amountKopecks, milli: item.quantityMilli });
  }
  for (const receipt of returned) {
    for (const item of receipt) {
      const acc = byRef.get(item.ref);
      if (!acc) continue;
      acc.amount -= item.amountKopecks;
      acc.milli -= item.quantityMilli;
    }
  }
  const parts: Part[] = [];
  for (const { first, amount, milli } of byRef.values()) {
    if (amount <= 0 || milli <= 0) continue;
    const { id: _id, priceKopecks: _p, quantityMilli: _q, amountKopecks: _a, ...base } = first;
    parts.push(...partsFor(base, amount, milli));
  }
  return number(parts);
}

/**
 * The items for part of a receipt (a partial charge or a refund): all of it when the amount is the
 * whole; the line, or the one unit of a line, whose amount is exactly the amount when there is one (staff
 * refunding one item); otherwise the amount spread over every item in proportion.
 */
export function chequeForAmount(
  items: ChequeItem[],
  amountKopecks: number,
  method: FiscalPaymentMethod,
): ChequeResult {
  if (items.length === 0) return { ok: false, error: { kind: 'no_lines' } };
  if (!Number.isSafeInteger(amountKopecks) || amountKopecks <= 0)
    return { ok: false, error: { kind: 'invalid_amount', message: 'must be a positive number of kopecks' } };
  const total = items.reduce((a, i) => a + i.amountKopecks, 0);
  if (amountKopecks > total)
    return {
      ok: false,
      error: { kind: 'amount_exceeds_lines', amountKopecks, linesKopecks: total },
    };
  const withMethod = (parts: Part[]) => ({
    ok: true as const,
    items: number(parts.map((p) => ({ ...p, method }))),
  });
  const strip = ({ id: _id, ...rest }: ChequeItem): Part => rest;
  if (amountKopecks === total) return withMethod(items.map(strip));
  const whole = items.find((i) => i.amountKopecks === amountKopecks);
  if (whole) return withMethod([strip(whole)]);
  const unit = items.find(
    (i) => i.quantityMilli > 1000 && i.quantityMilli % 1000 === 0 && i.priceKopecks === amountKopecks,
  );
  if (unit) return withMethod([{ ...strip(unit), quantityMilli: 1000, amountKopecks }]);
  const shares = allocate(
    items.map((i) => i.amountKopecks),
    amountKopecks,
  );
  const parts: Part[] = [];
  items.forEach((item, i) => {
    const share = shares[i] ?? 0;
    if (share === 0) return;
    const { id: _id, priceKopecks: _p, quantityMilli: _q, amountKopecks: _a, ...base } = item;
    parts.push(...partsFor(base, share, item.quantityMilli));
  });
  return withMethod(parts);
}

export function chequeTotal(items: ChequeItem[]): number {
  return items.reduce((a, i) => a + i.amountKopecks, 0);
}

function roubles(kopecks: number): string {
  return `${Math.trunc(kopecks / 100)}.${(kopecks % 100).toString().padStart(2, '0')}`;
}

/**
 * The `ChequeItems` JSON: `{"items":[…]}`, prices and amounts as numbers with two decimals, quantities
 * with up to three. Written by hand so every byte is known (JSON.stringify would turn `1500.00` into 1500).
 */
export function chequeItemsJson(items: ChequeItem[], codes: FiscalCodes = DEFAULT_FISCAL_CODES): string {
  const rows = items.map((item) => {
    const fields: string[] = [
      `"id":${item.id}`,
      `"product":${JSON.stringify(item.product)}`,
      `"name":${JSON.stringify(item.name)}`,
      `"price":${roubles(item.priceKopecks)}`,
      `"quantity":${formatQuantity(item.quantityMilli)}`,
      `"amount":${roubles(item.amountKopecks)}`,
      `"tax":${JSON.stringify(codes.tax[item.vat])}`,
      `"fpmode":${codes.fpmode[item.method]}`,
      `"subjtype":${codes.subjtype[item.subject]}`,
    ];
    if (item.markingCode) fields.push(`"gs1code":${JSON.stringify(item.markingCode)}`);
    return `{${fields.join(',')}}`;
  });
  return `{"items":[${rows.join(',')}]}`;
}
