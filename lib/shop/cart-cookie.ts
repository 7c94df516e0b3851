import 'server-only';
import { cookies } from 'next/headers';
import { isCartId, newCartId } from './cart';

export const CART_COOKIE = 'cart';

/** The visitor's cart id, if they have one (pages only read, they never set cookies). */
export async function currentCartId(): Promise<string | undefined> {
  const value = (await cookies()).get(CART_COOKIE)?.value;
  return isCartId(value) ? value : undefined;
}

/** Server actions only: returns the cart id, creating the cookie on the first add. */
export async function ensureCartId(): Promise<string> {
  const existing = await currentCartId();
  if (existing) return existing;
  const id = newCartId();
  (await cookies()).set(CART_COOKIE, id, {
    httpOnly: true,
    sameSite: 'lax',
    secure: process.env.NODE_ENV === 'production' && (process.env.APP_URL ?? '').startsWith('https:'),
    path: '/',
    maxAge: 60 * 60 * 24 * 30,
  });
  return id;
}
