'use server';

import { redirect } from 'next/navigation';
import { z } from 'zod';
import { getDb } from '@/lib/db/client';
import { addToCart, setCartQuantity } from '@/lib/shop/cart';
import { currentCartId, ensureCartId } from '@/lib/shop/cart-cookie';

const addSchema = z.object({
  slug: z.string().min(1).max(200),
  quantity: z.coerce.number().int().min(1).max(99).default(1),
});

const setSchema = z.object({
  productId: z.coerce.number().int().positive(),
  quantity: z.coerce.number().int().min(0).max(99),
});

export async function addToCartAction(formData: FormData): Promise<void> {
  const input = addSchema.safeParse(Object.fromEntries(formData));
  if (!input.success) redirect('/cart?error=bad_quantity');
  const result = await addToCart(await getDb(), await ensureCartId(), input.data.slug, input.data.quantity);
  redirect(result.ok ? '/cart' : `/cart?error=${result.error}`);
}

export async function setQuantityAction(formData: FormData): Promise<void> {
  const cartId = await currentCartId();
  const input = setSchema.safeParse({
    productId: formData.get('productId'),
    quantity: formData.get('remove') ? 0 : formData.get('quantity'),
  });
  if (!cartId) redirect('/cart');
  if (!input.success) redirect('/cart?error=bad_quantity');
  const result = await setCartQuantity(await getDb(), cartId, input.data.productId, input.data.quantity);
  redirect(result.ok ? '/cart' : `/cart?error=${result.error}`);
}
