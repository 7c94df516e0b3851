import { asc, eq, gt, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { SandboxDb } from './db';
import { sandboxFaults } from './schema';

const WEB_SERVICES = ['orderstate', 'orderresult', 'resultbydate', 'charge', 'cancel'] as const;
export type WebService = (typeof WEB_SERVICES)[number];
export type FaultService = WebService | 'notify';

/** What happens to the request on the wire: an error, a stall, garbage. */
export const TRANSPORT_MODES = ['500', 'hang', 'malformed', 'unknown_element', 'frequency', 'delay'] as const;
/**
 * How a charge or cancel ends at the bank, in a firstcode-0 reply: `decline` answers its responsecode
 * (default AS100), `in_process` answers AS300 and settles after `delayMs` (with `responseCode`, else AS000).
 */
export const OUTCOME_MODES = ['decline', 'in_process'] as const;
/** Which documented shape a charge or cancel reply takes (the default is each service's own, see current/services.ts). */
export const SHAPE_MODES = ['flat_reply', 'nested_reply'] as const;
const SERVICE_MODES = [...TRANSPORT_MODES, ...OUTCOME_MODES, ...SHAPE_MODES] as const;
const ACTION_ONLY: readonly string[] = [...OUTCOME_MODES, ...SHAPE_MODES];
export const NOTIFY_MODES = ['drop', 'delay'] as const;

/** A fault request, as posted to `/__faults` or passed to `gateway.armFault`. */
const FaultSpecSchema = z
  .object({
    service: z.enum([...WEB_SERVICES, 'notify']),
    mode: z.enum([...SERVICE_MODES, ...NOTIFY_MODES]),
    count: z.number().int().min(1).max(10_000).default(1),
    delayMs: z.number().int().min(0).max(3_600_000).optional(),
    responseCode: z
      .string()
      .regex(/^AS\d{3}$/, { message: 'a response code such as AS100' })
      .optional(),
  })
  .refine(
    (f) =>
      f.service === 'notify'
        ? (NOTIFY_MODES as readonly string[]).includes(f.mode)
        : (SERVICE_MODES as readonly string[]).includes(f.mode),
    {
      message:
        'notify takes drop|delay; web services take 500|hang|malformed|unknown_element|frequency|delay',
    },
  )
  .refine((f) => !ACTION_ONLY.includes(f.mode) || f.service === 'charge' || f.service === 'cancel', {
    message: 'decline, in_process, flat_reply and nested_reply are for charge and cancel',
  });

export type FaultSpec = z.input<typeof FaultSpecSchema>;
export type FaultMode = z.output<typeof FaultSpecSchema>['mode'];

export interface ArmedFault {
  id: number;
  service: FaultService;
  mode: FaultMode;
  remaining: number;
  delayMs: number | null;
  responseCode: string | null;
}

export type ArmResult = { ok: true; fault: ArmedFault } | { ok: false; error: string };

export async function armFault(db: SandboxDb, input: unknown, now: Date): Promise<ArmResult> {
  const parsed = FaultSpecSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: z.prettifyError(parsed.error) };
  const f = parsed.data;
  const [row] = await db
    .insert(sandboxFaults)
    .values({
      service: f.service,
      mode: f.mode,
      remaining: f.count,
      delayMs: f.delayMs ?? null,
      responseCode: f.responseCode ?? null,
      createdAt: now,
    })
    .returning();
  if (!row) return { ok: false, error: 'fault not stored' };
  return { ok: true, fault: toArmed(row) };
}

export async function clearFaults(db: SandboxDb): Promise<void> {
  await db.delete(sandboxFaults);
}

export async function listFaults(db: SandboxDb): Promise<ArmedFault[]> {
  const rows = await db
    .select()
    .from(sandboxFaults)
    .where(gt(sandboxFaults.remaining, 0))
    .orderBy(asc(sandboxFaults.id));
  return rows.map(toArmed);
}

/**
 * Consumes one use of the oldest armed fault of `service` among `modes` (a request takes one fault of each
 * kind: transport, outcome, shape), if any; one statement, so two callers never share one.
 */
export async function takeFault(
  db: SandboxDb,
  service: FaultService,
  modes: readonly FaultMode[] = TRANSPORT_MODES,
): Promise<ArmedFault | null> {
  const rows = await db
    .update(sandboxFaults)
    .set({ remaining: sql`${sandboxFaults.remaining} - 1` })
    .where(
      eq(
        sandboxFaults.id,
        sql`(select id from ${sandboxFaults} where ${sandboxFaults.service} = ${service} and ${inArray(sandboxFaults.mode, [...modes])} and ${sandboxFaults.remaining} > 0 order by id limit 1)`,
      ),
    )
    .returning();
  const row = rows[0];
  return row ? toArmed(row) : null;
}

function toArmed(row: typeof sandboxFaults.$inferSelect): ArmedFault {
  return {
    id: row.id,
    service: row.service as FaultService,
    mode: row.mode as FaultMode,
    remaining: row.remaining,
    delayMs: row.delayMs,
    responseCode: row.responseCode,
  };
}
