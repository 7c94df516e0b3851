'use server';

import { eq } from 'drizzle-orm';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { recordAudit } from '@/lib/admin/audit';
import { getStaffAccess, loginPath } from '@/lib/admin/auth';
import { isBillNumber } from '@/lib/assist';
import { getDb } from '@/lib/db/client';
import { orders } from '@/lib/db/schema';
import { getEnv } from '@/lib/env';
import { handOverOrder, sendReceipt } from '@/lib/payments/fiscal';
import { getGateway } from '@/lib/payments/gateway';

const ORDER_NUMBER = /^[A-Za-z0-9-]{1,128}$/;
/** The page to return to: one bill's or one order's, never a path from elsewhere. */
const back = z.string().refine((path) => {
  const [, page, id = ''] = /^\/admin\/(bills|orders)\/([^/]+)$/.exec(path) ?? [];
  return page === 'bills' ? isBillNumber(id) : page === 'orders' && ORDER_NUMBER.test(id);
});
const resendForm = z.object({ receiptId: z.coerce.number().int().positive(), back });
const handOverForm = z.object({ orderNumber: z.string().regex(ORDER_NUMBER) });

function fields(formData: FormData): Record<string, unknown> {
  return Object.fromEntries(formData.entries());
}

/** "Send again" next to a receipt the gateway refused or never answered. */
export async function resendReceiptAction(formData: FormData): Promise<void> {
  // The role first: whatever a forged post holds, a signed-out or viewer request learns nothing more.
  const parsed = resendForm.safeParse(fields(formData));
  const path = parsed.success ? parsed.data.back : '/admin/bills';
  const access = await getStaffAccess('admin');
  if (!access.ok) redirect(access.error === 'signed_out' ? loginPath(path) : `${path}?fiscal=forbidden`);
  if (!parsed.success) redirect('/admin/bills');
  const { receiptId } = parsed.data;
  const db = await getDb();
  const sent = await sendReceipt(db, getGateway(), receiptId);
  await recordAudit(db, {
    action: 'fiscal.receipt_resent',
    actor: { id: access.staff.id, email: access.staff.email },
    subject: { type: 'fiscal_receipt', id: receiptId },
    details: sent.ok ? { kind: sent.receipt.kind, state: sent.receipt.state } : { error: sent.error.kind },
  });
  redirect(`${path}?fiscal=${sent.ok ? 'resent' : sent.error.kind}`);
}

/** Staff handed a prepaid made-to-order order over: the full-calculation receipt follows. */
export async function handOverAction(formData: FormData): Promise<void> {
  const parsed = handOverForm.safeParse(fields(formData));
  const path = parsed.success ? `/admin/orders/${parsed.data.orderNumber}` : '/admin/bills';
  const access = await getStaffAccess('admin');
  if (!access.ok) redirect(access.error === 'signed_out' ? loginPath(path) : `${path}?handover=forbidden`);
  if (!parsed.success) redirect('/admin/bills');
  const db = await getDb();
  const [order] = await db
    .select({ id: orders.id })
    .from(orders)
    .where(eq(orders.orderNumber, parsed.data.orderNumber));
  const result = order
    ? await handOverOrder(db, getGateway(), order.id, getEnv().assist.fiscal)
    : ({ ok: false, error: 'order_not_found' } as const);
  await recordAudit(db, {
    action: 'order.handed_over',
    actor: { id: access.staff.id, email: access.staff.email },
    subject: { type: 'order', id: parsed.data.orderNumber },
    details: result.ok
      ? { kind: result.receipt?.kind ?? null, state: result.receipt?.state ?? null }
      : { error: result.error },
  });
  redirect(`${path}?handover=${result.ok ? 'done' : result.error}`);
}
