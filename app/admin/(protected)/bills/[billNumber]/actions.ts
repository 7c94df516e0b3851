'use server';

import { redirect } from 'next/navigation';
import { getStaffAccess, loginPath } from '@/lib/admin/auth';
import { isBillNumber } from '@/lib/assist';
import { getDb } from '@/lib/db/client';
import { getEnv } from '@/lib/env';
import {
  type ActionDeps,
  type FormOutcome,
  submitBillAction,
  submitRecheck,
} from '@/lib/payments/admin-action-input';
import { getGateway } from '@/lib/payments/gateway';
import { flashParams, outcomeFlash } from './flash';

async function deps(): Promise<ActionDeps> {
  const env = getEnv();
  return {
    db: await getDb(),
    gateway: getGateway(),
    // The role is checked here, on the server: a viewer's forged POST gets `forbidden`.
    access: await getStaffAccess('admin'),
    holdWarningDays: env.assist.holdWarningDays,
    testPaymentsCount: env.assist.testMode,
    fiscal: env.assist.fiscal,
  };
}

function fields(formData: FormData): Record<string, unknown> {
  return Object.fromEntries(formData.entries());
}

function billPath(formData: FormData, outcome: FormOutcome): string {
  const raw = outcome.kind === 'done' ? outcome.billNumber : formData.get('billNumber');
  const bill = typeof raw === 'string' && isBillNumber(raw) ? raw : null;
  return bill ? `/admin/bills/${bill}` : '/admin/bills';
}

function finish(formData: FormData, outcome: FormOutcome): never {
  const path = billPath(formData, outcome);
  if (outcome.kind === 'signed_out') redirect(loginPath(path));
  redirect(`${path}?${flashParams(outcomeFlash(outcome)).toString()}`);
}

/** The confirmed charge or cancel/refund. */
export async function confirmBillAction(formData: FormData): Promise<void> {
  finish(formData, await submitBillAction(await deps(), fields(formData)));
}

/** Settles an action whose outcome is unknown by re-reading the bill. */
export async function recheckBillAction(formData: FormData): Promise<void> {
  finish(formData, await submitRecheck(await deps(), fields(formData)));
}
