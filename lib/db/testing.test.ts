import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { resultRows } from './connect';
import { createTestDatabase, type TestDatabase } from './testing';

/** The PGlite client under a test database: the same object when a closed database's client is reused. */
const clientOf = (database: TestDatabase) => (database.db as unknown as { $client: object }).$client;

async function rows<T>(database: TestDatabase, query: ReturnType<typeof sql>): Promise<T[]> {
  return resultRows<T>(await database.db.execute(query));
}

async function addAuditRow(database: TestDatabase): Promise<number> {
  const [row] = await rows<{ id: string }>(
    database,
    sql`insert into audit_log (action) values ('test') returning id`,
  );
  return Number(row?.id);
}

describe('test databases on PGlite reuse the clients of closed ones', () => {
  it('hand the next database a used client as the template holds it: rows, sequences, session', async () => {
    const first = await createTestDatabase({ engine: 'pglite' });
    const firstId = await addAuditRow(first);
    await addAuditRow(first);
    await first.db.execute(sql`insert into counters (name, value) values ('left-behind', 7)`);
    await first.db.execute(sql`set statement_timeout = '1234ms'`);
    const migrations = await rows<{ n: string }>(
      first,
      sql`select count(*) as n from drizzle.__drizzle_migrations`,
    );
    const client = clientOf(first);
    await first.close();

    const second = await createTestDatabase({ engine: 'pglite' });
    try {
      expect(clientOf(second)).toBe(client);
      expect(await rows(second, sql`select * from audit_log`)).toEqual([]);
      expect(await rows(second, sql`select * from counters`)).toEqual([]);
      // The append-only table's sequence starts again where the template's does.
      expect(await addAuditRow(second)).toBe(firstId);
      const [timeout] = await rows<{ statement_timeout: string }>(second, sql`show statement_timeout`);
      expect(timeout?.statement_timeout).toBe('0');
      expect(await rows(second, sql`select count(*) as n from drizzle.__drizzle_migrations`)).toEqual(
        migrations,
      );
      // The append-only guard is back on after the reset.
      await expect(second.db.execute(sql`delete from audit_log`)).rejects.toMatchObject({
        cause: { message: expect.stringMatching(/append-only/) },
      });
    } finally {
      await second.close();
    }
  });

  it('close a client whose schema a test changed instead of reusing it', async () => {
    const changed = await createTestDatabase({ engine: 'pglite' });
    await changed.db.execute(sql`alter table counters add column note text`);
    const client = clientOf(changed);
    await changed.close();

    const next = await createTestDatabase({ engine: 'pglite' });
    try {
      expect(clientOf(next)).not.toBe(client);
      const columns = await rows<{ column_name: string }>(
        next,
        sql`select column_name from information_schema.columns where table_name = 'counters' order by 1`,
      );
      expect(columns.map((c) => c.column_name)).toEqual(['name', 'value']);
    } finally {
      await next.close();
    }
  });

  it('give a client closed twice to one database only', async () => {
    const once = await createTestDatabase({ engine: 'pglite' });
    await once.close();
    await once.close();
    const a = await createTestDatabase({ engine: 'pglite' });
    const b = await createTestDatabase({ engine: 'pglite' });
    try {
      expect(clientOf(a)).not.toBe(clientOf(b));
      await a.db.execute(sql`insert into counters (name, value) values ('a', 1)`);
      expect(await rows(b, sql`select * from counters`)).toEqual([]);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
