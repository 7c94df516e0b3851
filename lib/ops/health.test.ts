import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '@/lib/testing/hooks';
import { checkHealth, latestMigration } from './health';

describe('checkHealth', () => {
  const database = useTestDatabase();

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
