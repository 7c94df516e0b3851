import 'server-only';
import { z } from 'zod';
import type { AccessResult } from '@/lib/admin/auth';
import {
  type AssistGateway,
  type BillActions,
  billNumberSchema,
  type FiscalConfig,
  parseAmount,
} from '@/lib/assist';
import type { Db } from '@/lib/db/connect';
import {
  type AdminAction,
  type BillActionError,
  type BillActionResult,
  checkBillAction,
} from './admin-action-outcomes';
import { availableBillActions, isSettleable, performBillAction, settleUnknownAction } from './admin-actions';
import { isInProcess } from './in-process-actions';

/**
 * What the bill page's forms submit, checked on the server whatever the browser showed: the role
 * first (a viewer's hand-made POST is refused), then every field with zod.
 */

/** Admin-typed roubles: `1 500,50`, `1500.5`, `1 500` (spaces, no-break spaces) → kopecks, no floats. */
export function parseRoubles(text: string): number | null {
  const compact = text.replace(/[\s\u00a0\u202f]/g, '');
  if (compact === '') return null;
  const parsed = parseAmount(compact);
  return parsed.ok && parsed.kopecks > 0 ? parsed.kopecks : null;
}

export const billActionIntent = z
  .object({
    billNumber: billNumberSchema,
    kind: z.enum(['charge', 'cancel']),
    scope: z.enum(['full', 'partial']),
    amount: z.string().max(32).optional(),
    reason: z.enum(['shop', 'customer', 'fraud']).optional(),
    comment: z.string().trim().max(500).default(''),
  })
  .transform((v, ctx) => {
    const amountKopecks = v.scope === 'partial' ? parseRoubles(v.amount ?? '') : null;
    if (v.scope === 'partial' && amountKopecks === null) {
      ctx.addIssue({ code: 'custom', path: ['amount'], message: 'amount' });
      return z.NEVER;
    }
    if (v.kind === 'cancel' && !v.reason) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'reason' });
      return z.NEVER;
    }
    return {
      billNumber: v.billNumber,
      kind: v.kind,
      amountKopecks,
      reason: v.kind === 'cancel' ? (v.reason ?? null) : null,
      comment: v.comment,
    };
  });
export type BillActionIntent = z.output<typeof billActionIntent>;

export const billActionSubmission = z.object({
  idempotencyKey: z.string().regex(/^[A-Za-z0-9_-]{16,80}$/),
  confirm: z.literal('1'),
});

/** The fields a form can get wrong, each with its own message. */
export const INVALID_FIELDS = ['amount', 'reason', 'form'] as const;
export type InvalidField = (typeof INVALID_FIELDS)[number];

export type FormOutcome =
  | { kind: 'signed_out' }
  | { kind: 'forbidden' }
  | { kind: 'invalid'; field: InvalidField }
  | { kind: 'done'; billNumber: string; result: BillActionResult };

export type ActionDeps = {
  db: Db;
  gateway: AssistGateway;
  access: AccessResult;
  holdWarningDays: number;
  testPaymentsCount: boolean;
  /** ASSIST_FISCAL's settings: charges and refunds then carry or ask for their receipts. */
  fiscal?: FiscalConfig;
};

function invalidField(error: z.ZodError): InvalidField {
  const field = error.issues[0]?.path[0];
  return field === 'amount' || field === 'reason' ? field : 'form';
}

export function parseIntent(
  fields: Record<string, unknown>,
): { ok: true; intent: BillActionIntent } | { ok: false; field: InvalidField } {
  const parsed = billActionIntent.safeParse(fields);
  return parsed.success
    ? { ok: true, intent: parsed.data }
    : { ok: false, field: invalidField(parsed.error) };
}

/** The confirmed charge or cancel/refund form. */
export async function submitBillAction(
  deps: ActionDeps,
  fields: Record<string, unknown>,
): Promise<FormOutcome> {
  if (!deps.access.ok) return { kind: deps.access.error };
  const intent = parseIntent(fields);
  if (!intent.ok) return { kind: 'invalid', field: intent.field };
  const submission = billActionSubmission.safeParse(fields);
  if (!submission.success) return { kind: 'invalid', field: 'form' };
  const { staff } = deps.access;
  const result = await performBillAction(deps.db, deps.gateway, {
    ...intent.intent,
    actor: { id: staff.id, email: staff.email },
    idempotencyKey: submission.data.idempotencyKey,
    holdWarningDays: deps.holdWarningDays,
    testPaymentsCount: deps.testPaymentsCount,
    fiscal: deps.fiscal,
  });
  return { kind: 'done', billNumber: intent.intent.billNumber, result };
}

const recheckForm = z.object({
  billNumber: billNumberSchema,
  actionId: z.coerce.number().int().positive(),
});

/** The "re-check" button next to an action whose outcome is unknown. */
export async function submitRecheck(deps: ActionDeps, fields: Record<string, unknown>): Promise<FormOutcome> {
  if (!deps.access.ok) return { kind: deps.access.error };
  const parsed = recheckForm.safeParse(fields);
  if (!parsed.success) return { kind: 'invalid', field: 'form' };
  const { staff } = deps.access;
  const result = await settleUnknownAction(deps.db, deps.gateway, {
    actionId: parsed.data.actionId,
    actor: { id: staff.id, email: staff.email },
    testPaymentsCount: deps.testPaymentsCount,
    fiscal: deps.fiscal,
  });
  return { kind: 'done', billNumber: parsed.data.billNumber, result };
}

export type ConfirmStep =
  | { ok: true; intent: BillActionIntent; maxKopecks: number }
  | { ok: false; error: { kind: 'invalid'; field: InvalidField } | BillActionError };

export type BillActionPanel = {
  actions: BillActions;
  unfinished: { action: AdminAction; inProcess: boolean; settleable: boolean } | null;
  /** The confirm step's verdict on the fields it was opened with; null when it was not asked for. */
  confirm: ConfirmStep | null;
};

/**
 * What the bill page offers an administrator: the actions the bill allows, the unfinished action (if
 * any) and whether it may be re-checked, and the confirm step checked by the rules the action itself
 * applies. Null when there is no such bill.
 */
export async function billActionPanel(
  db: Db,
  input: { billNumber: string; holdWarningDays: number; confirm: Record<string, unknown> | null },
  now: Date = new Date(),
): Promise<BillActionPanel | null> {
  const available = await availableBillActions(db, input.billNumber, input.holdWarningDays, now);
  if (!available) return null;
  const { actions, unfinished, currency } = available;
  return {
    actions,
    unfinished: unfinished
      ? { action: unfinished, inProcess: isInProcess(unfinished), settleable: isSettleable(unfinished, now) }
      : null,
    confirm: input.confirm
      ? confirmStep(actions, currency, { ...input.confirm, billNumber: input.billNumber })
      : null,
  };
}

function confirmStep(actions: BillActions, currency: string, fields: Record<string, unknown>): ConfirmStep {
  const parsed = parseIntent(fields);
  if (!parsed.ok) return { ok: false, error: { kind: 'invalid', field: parsed.field } };
  const check = checkBillAction(actions, parsed.intent, currency);
  return check.ok ? { ok: true, intent: parsed.intent, maxKopecks: check.maxKopecks } : check;
}
