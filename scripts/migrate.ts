import { openDatabase } from '@/lib/db/connect';
import { getEnv } from '@/lib/env';
import { runCli } from './cli';

runCli(async () => {
  const env = getEnv();
  const database = await openDatabase(env.database, { poolSize: 1 });
  try {
    await database.migrate();
    console.log(`Migrations applied (${database.kind}).`);
  } finally {
    await database.close();
  }
});
