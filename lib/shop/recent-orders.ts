import { isPublicId } from './orders';

/** How many of a visitor's orders the browser remembers: enough to find an unpaid one again. */
export const RECENT_ORDERS_MAX = 5;

/** The cookie's value: public ids, newest first, comma-separated. Anything else in it is dropped. */
export function parseRecentOrders(value: string | undefined): string[] {
  if (!value) return [];
  const ids = value.split(',').filter(isPublicId);
  return [...new Set(ids)].slice(0, RECENT_ORDERS_MAX);
}

/** Puts an order first, keeping at most RECENT_ORDERS_MAX. */
export function withRecentOrder(value: string | undefined, publicId: string): string {
  return [publicId, ...parseRecentOrders(value).filter((id) => id !== publicId)]
    .slice(0, RECENT_ORDERS_MAX)
    .join(',');
}
