import { count } from 'drizzle-orm';
import { staff } from '@/lib/admin/schema';
import { openDatabase } from '@/lib/db/connect';
import { leases } from '@/lib/payments/schema';
import { runCli } from '../../scripts/cli';
import { seedSuiteDatabase, serveSandboxGateway } from '../support/sandbox-gateway';
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
    await seedSuiteDatabase(
      database,
      ADMINS.map((email) => ({ email, password: ADMIN_PASSWORD })),
    );
  } finally {
    await database.close();
  }
  // The merchant cabinet holds one notification URL: instance A's.
  await serveSandboxGateway({
    url: SANDBOX_URL,
    notifyUrl: `${SHOP_A}/api/assist/notify`,
    ready: 'Two instances: database ready.',
  });
});
