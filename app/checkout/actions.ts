'use server';

import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { getDb } from '@/lib/db/client';
import { getEnv } from '@/lib/env';
import { clientAddress } from '@/lib/http/client-address';
import { getLocale } from '@/lib/i18n/server';
import { currentCartId } from '@/lib/shop/cart-cookie';
import { type CustomerFieldError, type CustomerInput, parseCustomer } from '@/lib/shop/customer';
import { claimOrderPlacement, createOrderFromCart } from '@/lib/shop/orders';
import { rememberOrder } from '@/lib/shop/recent-orders-cookie';
import { orderSettings } from '@/lib/shop/settings';

export type CheckoutState = {
  values: Partial<Record<keyof CustomerInput, string>>;
  fieldErrors: Partial<Record<keyof CustomerInput, CustomerFieldError>>;
  formError: 'empty_cart' | 'cart_limits' | 'invalid' | 'rate_limited' | null;
};

const FIELDS: (keyof CustomerInput)[] = ['lastName', 'firstName', 'middleName', 'email', 'phone'];

export async function placeOrderAction(_prev: CheckoutState, formData: FormData): Promise<CheckoutState> {
  const values: CheckoutState['values'] = {};
  for (const f of FIELDS) values[f] = String(formData.get(f) ?? '').slice(0, 500);
  const parsed = parseCustomer(values);
  if (!parsed.ok) return { values, fieldErrors: parsed.errors, formError: 'invalid' };
  const cartId = await currentCartId();
  if (!cartId) return { values, fieldErrors: {}, formError: 'empty_cart' };
  const db = await getDb();
  const env = getEnv();
  const client = clientAddress((await headers()).get('x-forwarded-for'), env.TRUSTED_PROXY_HOPS);
  if (!(await claimOrderPlacement(db, client ?? `cart:${cartId}`, env.ORDERS_PER_CLIENT_PER_HOUR))) {
    return { values, fieldErrors: {}, formError: 'rate_limited' };
  }
  const result = await createOrderFromCart(db, cartId, parsed.customer, orderSettings(await getLocale()));
  if (!result.ok) return { values, fieldErrors: {}, formError: result.error };
  await rememberOrder(result.order.publicId);
  redirect(`/pay/${result.order.publicId}`);
}
