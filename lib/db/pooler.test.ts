import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToCart, newCartId } from '@/lib/shop/cart';
import { createOrderFromCart, findOrderRowByPublicId } from '@/lib/shop/orders';
import { type Database, openDatabase } from './connect';
import { splitPoolerFlag } from './postgres-options';
import { seedCatalogue } from './seed';
import { createTestDatabase, type TestDatabase, testServerUrl } from './testing';

/**
 * Runs only when the test server is reached through a transaction-mode pooler (CI starts PgBouncer and
 * sets TEST_DATABASE_URL=…:6432/…?pgbouncer=true): the pay page's named prepared statement must work
 * there with the switch on, and the control shows the switch is what makes it work.
 */
const pooled = splitPoolerFlag(testServerUrl() ?? 'postgres://none/none').pooled;

/** Order look-ups in parallel, each beside a transaction, so the pooler hands out server connections in turn. */
async function lookUps(db: Database['db'], publicId: string, rounds: number) {
  const results: Array<PromiseSettledResult<unknown>> = [];
  for (let round = 0; round < rounds; round++) {
    const batch = Array.from({ length: 16 }, (_, i) =>
      i % 2 === 0
        ? findOrderRowByPublicId(db, publicId)
        : db.transaction(async (tx) => tx.execute(sql`select pg_sleep(0.005)`)),
    );
    results.push(...(await Promise.allSettled(batch)));
  }
  return results;
}

describe.runIf(pooled)('PostgreSQL behind a transaction-mode pooler', () => {
  let database: TestDatabase;
  let publicId: string;
  beforeAll(async () => {
    database = await createTestDatabase();
    await seedCatalogue(database.db);
    const cart = newCartId();
    await addToCart(database.db, cart, 'samovar');
    const placed = await createOrderFromCart(
      database.db,
      cart,
      { lastName: 'Иванова', firstName: 'Анна', middleName: null, email: 'anna@example.ru', phone: null },
      { twoStageDefault: false, expiryMinutes: 60, language: 'ru' },
    );
    if (!placed.ok) throw new Error(placed.error);
    publicId = placed.order.publicId;
  });
  afterAll(async () => {
    await database.close();
  });

  it('the pay page look-up answers every time and leaves no named statement on the server connections', async () => {
    const results = await lookUps(database.db, publicId, 25);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const orders = results.filter((r, i) => i % 2 === 0 && r.status === 'fulfilled');
    expect(orders.length).toBe(200);
    for (const r of orders)
      expect((r as PromiseFulfilledResult<{ publicId: string }>).value.publicId).toBe(publicId);
    expect(await namedStatementsOnServers(database.db)).toBe(0);
  });

  it('control: with named statements on, they are left on the pooled server connections', async () => {
    const url = new URL(testServerUrl() ?? '');
    url.pathname = new URL(await currentDatabaseUrl(database)).pathname;
    // No statement timeout either: PgBouncer refuses it as a startup parameter before any query runs.
    const direct = await openDatabase({
      kind: 'postgres',
      url: splitPoolerFlag(url.toString()).url,
      pool: { max: 16, idleTimeoutSeconds: 0, statementTimeoutMs: 0 },
    });
    try {
      await lookUps(direct.db, publicId, 5);
      // Another client's transaction now finds statements it never made: a named one lives on a server
      // connection, not on the client's, which is why the pay page's must be off behind a pooler.
      expect(await namedStatementsOnServers(database.db)).toBeGreaterThan(0);
    } finally {
      await direct.close();
    }
  });
});

/** Named statements on the pooler's server connections: enough overlapping transactions to touch each. */
async function namedStatementsOnServers(db: Database['db']): Promise<number> {
  const counts = await Promise.all(
    Array.from({ length: 8 }, () =>
      db.transaction(async (tx) => {
        await tx.execute(sql`select pg_sleep(0.05)`);
        const result = await tx.execute(sql`select count(*)::int as n from pg_prepared_statements`);
        const [row] = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<{
          n: number;
        }>;
        return row?.n ?? 0;
      }),
    ),
  );
  return counts.reduce((a, b) => a + b, 0);
}

async function currentDatabaseUrl(database: TestDatabase): Promise<string> {
  const result = await database.db.execute(sql`select current_database() as name`);
  const [row] = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<{
    name: string;
  }>;
  return `postgres://x/${row?.name ?? ''}`;
}
