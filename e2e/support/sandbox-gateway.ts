import { hashPassword } from '@/lib/admin/password';
import { staff } from '@/lib/admin/schema';
import type { Database } from '@/lib/db/connect';
import { seedCatalogue } from '@/lib/db/seed';
import { DEMO_MERCHANT } from '@/lib/sandbox/demo-merchant';
import { startSandboxServer } from '@/lib/sandbox/standalone';

/**
 * What the serve-gateway scripts of the production-build suites (e2e/support/production-servers.ts)
 * share: the suite's migrated database seeded with the catalogue and its admins, and the sandbox gateway served on
 * its own port until Playwright stops it.
 */
export async function seedSuiteDatabase(
  database: Database,
  admins: ReadonlyArray<{ email: string; password: string }>,
): Promise<void> {
  await seedCatalogue(database.db);
  // Pinned passwords, so the browser can sign in (createStaff would generate them).
  const rows = [];
  for (const admin of admins) {
    rows.push({
      email: admin.email,
      role: 'admin' as const,
      passwordHash: await hashPassword(admin.password),
    });
  }
  await database.db.insert(staff).values(rows);
}

/** Serves the sandbox gateway for the demo merchant on `url`'s port until SIGINT or SIGTERM. */
export async function serveSandboxGateway(options: {
  url: string;
  notifyUrl: string;
  ready: string;
}): Promise<void> {
  const sandbox = await startSandboxServer({
    port: Number(new URL(options.url).port),
    dataDir: 'memory',
    config: {
      // Explicit, so a merchant in the caller's environment cannot make the gateway and the shops disagree.
      merchantId: DEMO_MERCHANT.merchantId,
      login: DEMO_MERCHANT.login,
      password: DEMO_MERCHANT.password,
      secret: DEMO_MERCHANT.secret,
      // The merchant cabinet holds one notification URL.
      notifyUrl: options.notifyUrl,
      notifyIntervalMs: 1000,
      // Faults and the /__bills, /__deliveries introspection the specs check the gateway's side with.
      faultsEnabled: true,
    },
  });
  console.log(`${options.ready} Gateway on ${sandbox.url}.`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await sandbox.close();
}
