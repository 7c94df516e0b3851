import { MAX_KOPECKS } from '@/lib/assist';

/** Limits that keep a cart sane and its total far inside what ASSIST and int64 accept. */
export const MAX_QUANTITY_PER_LINE = 99;
export const MAX_LINES = 50;

export type PricedLine = { unitPriceKopecks: number; quantity: number };

export type CartTotals = { lines: number; items: number; subtotalKopecks: number; totalKopecks: number };

export type CartTotalsResult = { ok: true; totals: CartTotals } | { ok: false; error: CartLimitError };

export type CartLimitError = 'empty' | 'too_many_lines' | 'bad_quantity' | 'bad_price' | 'total_too_large';

/** Totals in integer kopecks; shipping and discounts are zero in the template, kept apart for shops to add. */
export function computeTotals(lines: readonly PricedLine[]): CartTotalsResult {
  if (lines.length === 0) return { ok: false, error: 'empty' };
  if (lines.length > MAX_LINES) return { ok: false, error: 'too_many_lines' };
  let subtotal = 0n;
  let items = 0;
  for (const line of lines) {
    if (!isValidQuantity(line.quantity)) return { ok: false, error: 'bad_quantity' };
    if (!Number.isSafeInteger(line.unitPriceKopecks) || line.unitPriceKopecks < 0) {
      return { ok: false, error: 'bad_price' };
    }
    subtotal += BigInt(line.unitPriceKopecks) * BigInt(line.quantity);
    items += line.quantity;
  }
  if (subtotal > BigInt(MAX_KOPECKS)) return { ok: false, error: 'total_too_large' };
  const subtotalKopecks = Number(subtotal);
  return { ok: true, totals: { lines: lines.length, items, subtotalKopecks, totalKopecks: subtotalKopecks } };
}

export function isValidQuantity(quantity: number): boolean {
  return Number.isInteger(quantity) && quantity >= 1 && quantity <= MAX_QUANTITY_PER_LINE;
}

export function lineTotal(line: PricedLine): number {
  return line.unitPriceKopecks * line.quantity;
}
