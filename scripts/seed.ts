import { openDatabase } from '@/lib/db/connect';
import { seedCatalogue } from '@/lib/db/seed';
import { getEnv } from '@/lib/env';
import { runCli } from './cli';

runCli(async () => {
  const database = await openDatabase(getEnv().database, { poolSize: 1 });
  try {
    const { products } = await seedCatalogue(database.db);
    console.log(`Seeded ${products} products (${database.kind}).`);
  } finally {
    await database.close();
  }
});
