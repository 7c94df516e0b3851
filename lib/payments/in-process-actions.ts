import 'server-only';
import { and, eq, sql } from 'drizzle-orm';
import { recordAudit } from '@/lib/admin/audit';
import { type GatewayError, responseCodeText } from '@/lib/assist';
import type { Tx } from '@/lib/db/connect';
import { inList } from '@/lib/db/recordset';
import { adminActions } from './admin-actions-schema';
import { assistOperations } from './schema';

type OperationRow = typeof assistOperations.$inferSelect;
type AdminAction = typeof adminActions.$inferSelect;

/** An action the gateway answered "in process" (AS300): unfinished until a re-read shows how it ended. */
export function isInProcess(action: Pick<AdminAction, 'state' | 'gatewayError'>): boolean {
  return action.state === 'pending' && action.gatewayError?.kind === 'in_process';
}

export type Sighting =
  | { kind: 'happened' }
  | { kind: 'in_progress' }
  /** Not there, or there and failed: `error` is the bank's decline when the operation itself says so. */
  | { kind: 'absent'; error: GatewayError | null };

/** Did a stored re-read show this action's operation: a new one of its kind (and amount), and how did it end? */
export function showsAction(
  action: Pick<AdminAction, 'kind' | 'amountKopecks' | 'knownOperations'>,
  operations: OperationRow[],
): Sighting {
  const known = new Set(action.knownOperations);
  const fresh = operations.filter((o) => !known.has(o.operationId) && o.kind === action.kind);
  const matches = (o: OperationRow) =>
    action.amountKopecks === null || o.amountKopecks === action.amountKopecks;
  if (fresh.some((o) => o.outcome === 'success' && matches(o))) return { kind: 'happened' };
  if (fresh.some((o) => o.outcome === 'pending')) return { kind: 'in_progress' };
  const declined = fresh.find((o) => o.outcome === 'failed' && matches(o) && o.responseCode !== null);
  return {
    kind: 'absent',
    error: declined?.responseCode
      ? {
          kind: 'declined',
          responseCode: declined.responseCode,
          text: responseCodeText(declined.responseCode),
        }
      : null,
  };
}

/**
 * Settles the in-process actions of these bills from what was just stored, in the transaction that
 * stored it: whichever re-read (sync, notification, re-check) brings the operation's end settles it.
 */
export async function settleInProcessActions(tx: Tx, billNumbers: string[]): Promise<number> {
  if (billNumbers.length === 0) return 0;
  const waiting = await tx
    .select()
    .from(adminActions)
    .where(
      and(
        inList(adminActions.billNumber, billNumbers),
        eq(adminActions.state, 'pending'),
        sql`${adminActions.gatewayError}->>'kind' = 'in_process'`,
      ),
    );
  let settled = 0;
  for (const action of waiting) {
    const operations = await tx
      .select()
      .from(assistOperations)
      .where(eq(assistOperations.billNumber, action.billNumber));
    const seen = showsAction(action, operations);
    if (seen.kind === 'in_progress') continue;
    const state = seen.kind === 'happened' ? 'succeeded' : 'failed';
    const error = seen.kind === 'absent' ? (seen.error ?? action.gatewayError) : null;
    const [done] = await tx
      .update(adminActions)
      .set({ state, gatewayError: error, settledBy: 'reread', finishedAt: new Date() })
      .where(and(eq(adminActions.id, action.id), eq(adminActions.state, 'pending')))
      .returning();
    if (!done) continue;
    settled++;
    await recordAudit(tx, {
      action: 'bill.action_settled',
      actor: null,
      subject: { type: 'assist_bill', id: action.billNumber },
      details: { actionId: action.id, kind: action.kind, state, by: 'reread', error },
    });
  }
  return settled;
}
