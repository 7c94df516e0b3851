import type { PGlite } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import { countWrites, mayWrite, writeGeneration } from './write-generation';

/** Stands in for PGlite's three entry points; records what reached it. */
function fakeClient() {
  const seen: string[] = [];
  const client = {
    async query(statement: string) {
      seen.push(statement);
      return { rows: [] };
    },
    async exec(statement: string) {
      seen.push(statement);
      return [];
    },
    async transaction<T>(callback: (tx: unknown) => Promise<T>) {
      seen.push('BEGIN');
      return callback({});
    },
  };
  return { client: client as unknown as PGlite, seen };
}

describe('mayWrite', () => {
  it('treats only a plain select as read-only', () => {
    expect(mayWrite('select "id" from "orders" where "public_id" = $1')).toBe(false);
    expect(mayWrite('  SELECT 1')).toBe(false);
    expect(mayWrite('update "orders" set "status" = $1')).toBe(true);
    expect(mayWrite('insert into "orders" values ($1)')).toBe(true);
    expect(mayWrite('with moved as (update "orders" set x = 1 returning id) select * from moved')).toBe(true);
    expect(mayWrite('delete from "orders"')).toBe(true);
    expect(mayWrite('selectivity')).toBe(true);
  });
});

describe('countWrites', () => {
  it('moves the generation for writes, exec and transactions, not for selects', async () => {
    const { client, seen } = fakeClient();
    const db = {};
    countWrites(client, db);
    const start = writeGeneration(db);
    expect(start).toBe(0);
    await client.query('select 1');
    expect(writeGeneration(db)).toBe(start);
    await client.query('update "orders" set "status" = $1', ['paid']);
    expect(writeGeneration(db)).toBe(1);
    await client.exec('select 1; select 2');
    expect(writeGeneration(db)).toBe(2);
    let during: number | undefined;
    await client.transaction(async () => {
      during = writeGeneration(db);
    });
    expect(during).toBe(3);
    expect(writeGeneration(db)).toBe(4);
    expect(seen).toEqual(['select 1', 'update "orders" set "status" = $1', 'select 1; select 2', 'BEGIN']);
  });

  it('counts a transaction that fails', async () => {
    const { client } = fakeClient();
    const db = {};
    countWrites(client, db);
    await expect(
      client.transaction(async () => {
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(writeGeneration(db)).toBe(2);
  });

  it('wraps a client given to a second database once, with one counter that keeps moving forward', async () => {
    const { client, seen } = fakeClient();
    const first = {};
    countWrites(client, first);
    await client.exec('select 1');
    const second = {};
    countWrites(client, second);
    expect(writeGeneration(second)).toBe(1);
    await client.query('delete from "orders"');
    expect(writeGeneration(second)).toBe(2);
    expect(writeGeneration(first)).toBe(2);
    expect(seen).toEqual(['select 1', 'delete from "orders"']);
  });

  it('has no generation for a database it did not wrap (PostgreSQL)', () => {
    expect(writeGeneration({})).toBeUndefined();
  });
});
