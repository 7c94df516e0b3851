import { and, asc, eq, inArray, lte, min, sql } from 'drizzle-orm';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { decodeFormText, type FormCharset } from '../assist/form-body';
import { logEvent } from '../log';
import type { BillRow, OperationRow } from './bills';
import type { SandboxConfig } from './config';
import type { SandboxDb, SandboxTx } from './db';
import type { ArmedFault } from './faults';
import { sandboxDeliveries, sandboxDeliveryAttempts } from './schema';

/**
 * Retry k (after failed attempt k) waits `notifyIntervalMs × RETRY_MULTIPLIERS[k-1]`. ASSIST publishes
 * only "at most 8 times over 4 hours"; with the default 60 s scale these add up to exactly 240 minutes.
 */
export const RETRY_MULTIPLIERS = [1, 2, 5, 10, 20, 60, 142] as const;
export const MAX_ATTEMPTS = RETRY_MULTIPLIERS.length + 1;
const CLAIM_MARGIN_MS = 5_000;

/** A notification as it goes on the wire: each protocol encodes its own (see `current/`, `legacy/`). */
export interface NotificationBody {
  body: string;
  charset: FormCharset;
}

/** Records the notification of a finished attempt; called inside the attempt's transaction. */
export async function recordDelivery(
  tx: SandboxTx,
  config: SandboxConfig,
  finished: { bill: BillRow; operation: OperationRow },
  { body, charset }: NotificationBody,
  fault: ArmedFault | null,
): Promise<void> {
  const now = new Date();
  const dropped = fault?.mode === 'drop';
  const firstAt = fault?.mode === 'delay' ? new Date(now.getTime() + (fault.delayMs ?? 0)) : now;
  const [delivery] = await tx
    .insert(sandboxDeliveries)
    .values({
      billnumber: finished.bill.billnumber,
      seq: finished.operation.seq,
      url: config.notifyUrl,
      body,
      charset,
      status: dropped ? 'dropped' : 'pending',
      nextAttemptAt: dropped ? null : firstAt,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing()
    .returning();
  if (delivery && dropped) {
    await tx.insert(sandboxDeliveryAttempts).values({
      deliveryId: delivery.id,
      attempt: 0,
      at: now,
      outcome: 'dropped',
      detail: 'fault injection',
    });
  }
}

export type ReplyOutcome = { outcome: 'delivered' | 'rejected' | 'failed'; detail: string };

const replyParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  processEntities: false,
  ignoreDeclaration: true,
  parseAttributeValue: false,
  parseTagValue: false,
});

/** Only a well-formed `pushpaymentresult` ends the retries: firstcode 0 delivered, other codes rejected. */
export function classifyReply(status: number, text: string): ReplyOutcome {
  // A server error is "no reply" whatever it says; any other status is judged by its body, so a shop
  // that rejects with HTTP 400 and a pushpaymentresult is heard.
  if (status >= 500 || status < 200) return { outcome: 'failed', detail: `HTTP ${status}` };
  if (/<!ENTITY/i.test(text) || XMLValidator.validate(text) !== true) {
    return { outcome: 'failed', detail: `HTTP ${status}, reply is not well-formed XML` };
  }
  const doc = replyParser.parse(text) as Record<string, unknown>;
  const root = doc.pushpaymentresult as Record<string, unknown> | undefined;
  const first = typeof root === 'object' && root ? String(root.firstcode ?? '').trim() : '';
  const second = typeof root === 'object' && root ? String(root.secondcode ?? '').trim() : '';
  if (!/^\d+$/.test(first) || !/^\d+$/.test(second)) {
    return { outcome: 'failed', detail: 'reply is not a pushpaymentresult' };
  }
  return first === '0'
    ? { outcome: 'delivered', detail: `firstcode=${first} secondcode=${second}` }
    : { outcome: 'rejected', detail: `firstcode=${first} secondcode=${second}` };
}

async function send(
  url: string,
  body: string,
  charset: string,
  timeoutMs: number,
  stop: AbortSignal,
): Promise<ReplyOutcome & { httpStatus: number | null }> {
  // A plain controller and timer: on Node 20, AbortSignal.any over AbortSignal.timeout can be collected
  // before it fires, which left a silent shop's attempt hanging forever.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no reply within ${timeoutMs} ms`)), timeoutMs);
  const onStop = () => controller.abort(new Error('sandbox stopping'));
  stop.addEventListener('abort', onStop, { once: true });
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': `application/x-www-form-urlencoded; charset=${charset === 'utf-8' ? 'UTF-8' : charset}`,
      },
      body,
      signal: controller.signal,
      redirect: 'manual',
    });
    const text = await res.text();
    return { ...classifyReply(res.status, text), httpStatus: res.status };
  } catch (err) {
    const reason = controller.signal.aborted ? controller.signal.reason : err;
    const cause = reason instanceof Error && reason.cause instanceof Error ? `: ${reason.cause.message}` : '';
    const detail = reason instanceof Error ? `${reason.message}${cause}` : String(reason);
    return { outcome: 'failed', detail: detail.slice(0, 500), httpStatus: null };
  } finally {
    clearTimeout(timer);
    stop.removeEventListener('abort', onStop);
  }
}

/**
 * Sends pending notifications in the background. State lives only in `sandbox_deliveries`, so a
 * restart resumes whatever was pending. Each attempt is: read due rows, send (no transaction open),
 * then record the outcome in a short transaction.
 */
export class Notifier {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private scheduling: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private readonly stopping = new AbortController();

  constructor(
    private readonly db: SandboxDb,
    private readonly config: SandboxConfig,
  ) {}

  /** Runs a pass soon; safe to call any number of times. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass()
      .catch((err: unknown) => logEvent('sandbox_notification_pass_failed', { error: err }, 'error'))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        } else {
          this.scheduling = this.scheduleNext().catch((err: unknown) =>
            logEvent('sandbox_notification_scheduling_failed', { error: err }, 'error'),
          );
        }
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // An attempt cut short counts as "no reply" and stays pending: the next start sends it again.
    this.stopping.abort();
    await this.running;
    await this.scheduling;
  }

  private async pass(): Promise<void> {
    const now = new Date();
    const due = this.db
      .select({ id: sandboxDeliveries.id })
      .from(sandboxDeliveries)
      .where(and(eq(sandboxDeliveries.status, 'pending'), lte(sandboxDeliveries.nextAttemptAt, now)))
      .orderBy(asc(sandboxDeliveries.nextAttemptAt))
      .limit(50);
    // Claiming pushes the due time past the attempt's timeout in one statement, so a second sender on
    // the same store (two gateways on one folder) cannot send the same notification at the same time,
    // and a crash mid-attempt only delays the resend.
    const claimed = await this.db
      .update(sandboxDeliveries)
      .set({ nextAttemptAt: new Date(now.getTime() + this.config.notifyTimeoutMs + CLAIM_MARGIN_MS) })
      .where(and(inArray(sandboxDeliveries.id, due), lte(sandboxDeliveries.nextAttemptAt, now)))
      .returning();
    await Promise.all(claimed.map((d) => this.attempt(d)));
  }

  private async attempt(d: typeof sandboxDeliveries.$inferSelect): Promise<void> {
    const result = await send(d.url, d.body, d.charset, this.config.notifyTimeoutMs, this.stopping.signal);
    const attempt = d.attempts + 1;
    const at = new Date();
    let status = result.outcome === 'failed' ? 'pending' : result.outcome;
    let next: Date | null = null;
    if (status === 'pending') {
      const multiplier = RETRY_MULTIPLIERS[attempt - 1];
      if (multiplier === undefined) status = 'exhausted';
      else next = new Date(at.getTime() + multiplier * this.config.notifyIntervalMs);
    }
    await this.db.transaction(async (tx) => {
      await tx.insert(sandboxDeliveryAttempts).values({
        deliveryId: d.id,
        attempt,
        at,
        outcome: result.outcome,
        httpStatus: result.httpStatus,
        detail: result.detail,
      });
      await tx
        .update(sandboxDeliveries)
        .set({ status, attempts: attempt, nextAttemptAt: next, updatedAt: at })
        .where(eq(sandboxDeliveries.id, d.id));
    });
  }

  private async scheduleNext(): Promise<void> {
    if (this.stopped) return;
    const [row] = await this.db
      .select({ at: min(sandboxDeliveries.nextAttemptAt) })
      .from(sandboxDeliveries)
      .where(eq(sandboxDeliveries.status, 'pending'));
    if (this.stopped || !row?.at || this.running) return;
    if (this.timer) clearTimeout(this.timer);
    const wait = Math.max(0, new Date(row.at).getTime() - Date.now());
    // Capped so a far-off retry is re-read rather than trusted to one very long timer.
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.kick();
      },
      Math.min(wait, 60_000),
    );
    this.timer.unref();
  }
}

export interface DeliveryView {
  id: number;
  billnumber: string;
  status: string;
  attempts: Array<{
    attempt: number;
    at: Date;
    outcome: string;
    httpStatus: number | null;
    detail: string | null;
  }>;
  fields: Record<string, string>;
}

/** All notifications with their attempts, oldest first (for tests and the introspection endpoint). */
export async function listDeliveries(db: SandboxDb): Promise<DeliveryView[]> {
  const deliveries = await db.select().from(sandboxDeliveries).orderBy(asc(sandboxDeliveries.id));
  const attempts = await db
    .select()
    .from(sandboxDeliveryAttempts)
    .orderBy(asc(sandboxDeliveryAttempts.deliveryId), asc(sandboxDeliveryAttempts.id));
  return deliveries.map((d) => ({
    id: d.id,
    billnumber: d.billnumber,
    status: d.status,
    fields:
      d.charset === 'utf-8'
        ? Object.fromEntries(new URLSearchParams(d.body))
        : decodeFormText(d.body, 'windows-1251'),
    attempts: attempts
      .filter((a) => a.deliveryId === d.id)
      .map((a) => ({
        attempt: a.attempt,
        at: a.at,
        outcome: a.outcome,
        httpStatus: a.httpStatus,
        detail: a.detail,
      })),
  }));
}

/** Number of deliveries still waiting to be sent. */
export async function pendingDeliveries(db: SandboxDb): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(sandboxDeliveries)
    .where(eq(sandboxDeliveries.status, 'pending'));
  return row?.n ?? 0;
}
