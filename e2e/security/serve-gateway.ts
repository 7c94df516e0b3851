import postgres from 'postgres';
import { openDatabase } from '@/lib/db/connect';
import { runCli } from '../../scripts/cli';
import { seedSuiteDatabase, serveSandboxGateway } from '../support/sandbox-gateway';
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
    await seedSuiteDatabase(database, [ADMIN]);
  } finally {
    await database.close();
  }
  await serveSandboxGateway({
    url: GATEWAY_URL,
    notifyUrl: `${SHOP_URL}/api/assist/notify`,
    ready: `Security suite: database ${name} ready.`,
  });
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.end({ timeout: 5 });
});
