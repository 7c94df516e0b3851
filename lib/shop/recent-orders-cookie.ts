import 'server-only';
import { inArray } from 'drizzle-orm';
import { cookies } from 'next/headers';
import type { Db } from '@/lib/db/connect';
import { orders } from '@/lib/db/schema';
import { type Order, payability } from './orders';
import { parseRecentOrders, withRecentOrder } from './recent-orders';

const RECENT_ORDERS_COOKIE = 'orders';

/** Server actions only: remembers an order this browser placed, so the customer can find it again. */
export async function rememberOrder(publicId: string): Promise<void> {
  const jar = await cookies();
  jar.set(RECENT_ORDERS_COOKIE, withRecentOrder(jar.get(RECENT_ORDERS_COOKIE)?.value, publicId), {
    httpOnly: true,
    sameSite: 'lax',
    secure: process.env.NODE_ENV === 'production' && (process.env.APP_URL ?? '').startsWith('https:'),
    path: '/',
    maxAge: 60 * 60 * 24 * 30,
  });
}

/** This browser's orders that can still be paid and are not yet, newest first. */
export async function ordersAwaitingPayment(db: Db, now = new Date()): Promise<Order[]> {
  const ids = parseRecentOrders((await cookies()).get(RECENT_ORDERS_COOKIE)?.value);
  if (ids.length === 0) return [];
  const rows = await db.select().from(orders).where(inArray(orders.publicId, ids));
  return rows
    .filter((o) => payability(o, now) === 'payable')
    .sort((a, b) => ids.indexOf(a.publicId) - ids.indexOf(b.publicId));
}
