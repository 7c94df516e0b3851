import { count } from 'drizzle-orm';
import { hashPassword } from '@/lib/admin/password';
import { staff } from '@/lib/admin/schema';
import { openDatabase } from '@/lib/db/connect';
import { seedCatalogue } from '@/lib/db/seed';
import { leases } from '@/lib/payments/schema';
import { DEMO_MERCHANT } from '@/lib/sandbox/demo-merchant';
import { startSandboxServer } from '@/lib/sandbox/standalone';
import { runCli } from '../../scripts/cli';
import { ADMIN_PASSWORD, ADMINS, databaseUrl, SANDBOX_URL, SHOP_A } from './cluster';

/**
 * The first web server of playwright.multi.config.ts: prepares the shared database (migrate, seed, two
 * admins), then serves the sandbox gateway on its own port, as a real ASSIST would be: outside both
 * shop instances. Playwright starts its web servers one after another, so the shops start only once
 * this one answers, on a ready database.
 */
runCli(async () => {
  const database = await openDatabase({ kind: 'postgres', url: databaseUrl() }, { poolSize: 1 });
  try {
    await database.migrate();
    // The throttle and lease tests mean nothing on a database where a sync already ran: refuse it.
    const [staffRows] = await database.db.select({ n: count() }).from(staff);
    const [leaseRows] = await database.db.select({ n: count() }).from(leases);
    if (staffRows?.n !== 0 || leaseRows?.n !== 0)
      throw new Error('DATABASE_URL must name an empty database: this one has staff or sync leases.');
    await seedCatalogue(database.db);
    // A pinned password, so the browser can sign in (createStaff would generate one).
    const passwordHash = await hashPassword(ADMIN_PASSWORD);
    await database.db
      .insert(staff)
      .values(ADMINS.map((email) => ({ email, role: 'admin' as const, passwordHash })));
  } finally {
    await database.close();
  }

  const sandbox = await startSandboxServer({
    port: Number(new URL(SANDBOX_URL).port),
    dataDir: 'memory',
    config: {
      // Explicit, so a merchant in the caller's environment cannot make the gateway and the shops disagree.
      merchantId: DEMO_MERCHANT.merchantId,
      login: DEMO_MERCHANT.login,
      password: DEMO_MERCHANT.password,
      secret: DEMO_MERCHANT.secret,
      // The merchant cabinet holds one notification URL: instance A's.
      notifyUrl: `${SHOP_A}/api/assist/notify`,
      notifyIntervalMs: 1000,
      // Faults and the /__bills, /__deliveries introspection the spec checks the gateway's side with.
      faultsEnabled: true,
    },
  });
  console.log(`Sandbox gateway on ${sandbox.url}, database ready.`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await sandbox.close();
});
