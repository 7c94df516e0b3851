import postgres from 'postgres';
import { hashPassword } from '@/lib/admin/password';
import { staff } from '@/lib/admin/schema';
import { openDatabase } from '@/lib/db/connect';
import { seedCatalogue } from '@/lib/db/seed';
import { DEMO_MERCHANT } from '@/lib/sandbox/demo-merchant';
import { startSandboxServer } from '@/lib/sandbox/standalone';
import { runCli } from '../../scripts/cli';
import { ADMIN, databaseUrl, GATEWAY_URL, SHOP_URL } from './deployment';

/**
 * The first web server of playwright.security.config.ts: makes the suite's database afresh (migrate,
 * seed, one admin), then serves the sandbox gateway on its own port. The shop starts once this answers.
 */
runCli(async () => {
  const target = new URL(databaseUrl());
  const name = target.pathname.slice(1);
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`unexpected database name ${name}`);
  const server = new URL(target);
  server.pathname = '/postgres';
  const admin = postgres(server.toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.unsafe(`create database "${name}"`);
  const database = await openDatabase({ kind: 'postgres', url: target.toString() }, { poolSize: 1 });
  try {
    await database.migrate();
    await seedCatalogue(database.db);
    await database.db
      .insert(staff)
      .values({ email: ADMIN.email, role: 'admin', passwordHash: await hashPassword(ADMIN.password) });
  } finally {
    await database.close();
  }
  const sandbox = await startSandboxServer({
    port: Number(new URL(GATEWAY_URL).port),
    dataDir: 'memory',
    config: {
      merchantId: DEMO_MERCHANT.merchantId,
      login: DEMO_MERCHANT.login,
      password: DEMO_MERCHANT.password,
      secret: DEMO_MERCHANT.secret,
      notifyUrl: `${SHOP_URL}/api/assist/notify`,
      notifyIntervalMs: 1000,
      faultsEnabled: true,
    },
  });
  console.log(`Security suite: gateway on ${sandbox.url}, database ${name} ready.`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await sandbox.close();
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.end({ timeout: 5 });
});
