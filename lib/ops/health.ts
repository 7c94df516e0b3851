import { readFileSync } from 'node:fs';
import path from 'node:path';
import { desc, sql } from 'drizzle-orm';
import type { Db } from '@/lib/db/connect';
import { MIGRATIONS_FOLDER, resultRows } from '@/lib/db/connect';
import { assistSyncRuns } from '@/lib/payments/schema';

export type Health =
  | { status: 'ok'; migrations: { latest: number; applied: number } }
  | { status: 'down'; reason: 'database_unavailable' | 'migrations_behind'; detail: string };

/** The newest migration this build ships, by drizzle's own key (the journal's `when`). */
export function latestMigration(folder = MIGRATIONS_FOLDER): number {
  const journal = JSON.parse(readFileSync(path.join(folder, 'meta', '_journal.json'), 'utf8')) as {
    entries: Array<{ when: number }>;
  };
  return Math.max(0, ...journal.entries.map((e) => e.when));
}

/** 503-worthy when the database cannot answer or has not been migrated to what this build expects. */
export async function checkHealth(getDb: () => Promise<Db>, latest = latestMigration()): Promise<Health> {
  let applied: number;
  try {
    const db = await getDb();
    const result = await db.execute(
      sql`select coalesce(max(created_at), 0)::text as applied from drizzle.__drizzle_migrations`,
    );
    const rows = resultRows<{ applied: string }>(result);
    applied = Number(rows[0]?.applied ?? 0);
  } catch (err) {
    return {
      status: 'down',
      reason: 'database_unavailable',
      detail: err instanceof Error ? err.message : String(err),
    };
  }
  if (applied < latest) {
    return { status: 'down', reason: 'migrations_behind', detail: 'run npm run db:migrate' };
  }
  return { status: 'ok', migrations: { latest, applied } };
}

/** What operators see with the cron secret or an admin session: never shown to the public. */
export async function healthDetails(db: Db) {
  const [lastRun] = await db.select().from(assistSyncRuns).orderBy(desc(assistSyncRuns.id)).limit(1);
  return lastRun
    ? {
        lastSync: {
          outcome: lastRun.outcome,
          startedAt: lastRun.startedAt,
          finishedAt: lastRun.finishedAt,
          error: lastRun.error,
        },
      }
    : { lastSync: null };
}
