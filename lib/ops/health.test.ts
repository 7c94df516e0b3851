import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@/lib/db/testing';
import { checkHealth, latestMigration } from './health';

describe('checkHealth', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  it('is ok on a migrated database', async () => {
    const h = await checkHealth(async () => database.db);
    expect(h).toEqual({
      status: 'ok',
      migrations: { latest: latestMigration(), applied: latestMigration() },
    });
  });

  it('reports migrations behind when the build ships a newer one', async () => {
    const h = await checkHealth(async () => database.db, latestMigration() + 1);
    expect(h).toMatchObject({ status: 'down', reason: 'migrations_behind' });
  });

  it('reports the database unavailable instead of throwing', async () => {
    const h = await checkHealth(async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
    });
    expect(h).toMatchObject({ status: 'down', reason: 'database_unavailable' });
  });
});
