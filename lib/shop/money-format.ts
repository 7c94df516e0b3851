/**
 * Amounts as people read them in the shop and the admin. The gateway's own `1500.00` form and its
 * parsing stay in lib/assist (money.ts): that is the protocol's boundary, this is presentation.
 */

/** Human display in roubles with Russian grouping, e.g. `1 500,00 ₽`. Display only, never parsed back. */
export function formatRoubles(kopecks: number, currency = 'RUB'): string {
  const sign = kopecks < 0 ? '-' : '';
  const abs = Math.abs(kopecks);
  const whole = Math.trunc(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
  const frac = (abs % 100).toString().padStart(2, '0');
  const symbol = currency === 'RUB' ? '₽' : currency;
  return `${sign}${whole},${frac}\u00a0${symbol}`;
}
