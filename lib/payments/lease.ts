import { and, eq, lte, or, sql } from 'drizzle-orm';
import type { Db } from '@/lib/db/connect';
import { leases } from './schema';

export type LeaseResult =
  | { ok: true; holder: string; cursor: Date | null }
  | { ok: false; reason: 'busy'; until: Date }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/**
 * Takes the named lease with one conditional UPDATE, which is atomic on PGlite and on pooled
 * PostgreSQL alike: free (expired) and, when `minIntervalSeconds` is set, not started too recently.
 * The same row remembers the last start, so the throttle holds across instances and restarts.
 */
export async function acquireLease(
  db: Db,
  name: string,
  holder: string,
  options: { ttlSeconds: number; minIntervalSeconds: number },
): Promise<LeaseResult> {
  await db.insert(leases).values({ name }).onConflictDoNothing({ target: leases.name });
  const [taken] = await db
    .update(leases)
    .set({
      holder,
      until: sql`now() + make_interval(secs => ${options.ttlSeconds})`,
      lastStartedAt: sql`now()`,
    })
    .where(
      and(
        eq(leases.name, name),
        lte(leases.until, sql`now()`),
        or(
          sql`${leases.lastStartedAt} is null`,
          lte(leases.lastStartedAt, sql`now() - make_interval(secs => ${options.minIntervalSeconds})`),
        ),
      ),
    )
    .returning({ holder: leases.holder, cursor: leases.cursor });
  if (taken) return { ok: true, holder, cursor: taken.cursor };
  const [row] = await db
    .select({
      until: leases.until,
      busy: sql<boolean>`${leases.until} > now()`,
      retryAfter: sql<number>`greatest(1, ceil(extract(epoch from (${leases.lastStartedAt} + make_interval(secs => ${options.minIntervalSeconds}) - now()))))::int`,
    })
    .from(leases)
    .where(eq(leases.name, name));
  if (!row) throw new Error(`lease ${name} vanished`);
  if (row.busy) return { ok: false, reason: 'busy', until: row.until };
  return { ok: false, reason: 'throttled', retryAfterSeconds: Number(row.retryAfter) };
}

/** Moves the lease's cursor; only the current holder may. */
export async function advanceCursor(db: Db, name: string, holder: string, cursor: Date): Promise<void> {
  await db
    .update(leases)
    .set({ cursor })
    .where(and(eq(leases.name, name), eq(leases.holder, holder)));
}

export async function releaseLease(db: Db, name: string, holder: string): Promise<void> {
  await db
    .update(leases)
    .set({ until: sql`now()` })
    .where(and(eq(leases.name, name), eq(leases.holder, holder)));
}
