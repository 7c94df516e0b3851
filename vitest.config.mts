import path from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Test files that open a database, per project (every other test file is `unit`: pure, no database,
 * sub-second as a whole; its setup refuses to open one, so a misplaced file fails loudly).
 * `database`: on whichever engine the run is pointed at (CI runs it on PostgreSQL and on PGlite).
 * `integration`: always PGlite (the sandbox gateway's own store, scripts on a data folder), run once.
 */
const DATABASE = [
  'lib/admin/audit-log.test.ts',
  'lib/admin/audit.test.ts',
  'lib/admin/auth.test.ts',
  'lib/admin/rate-limit.test.ts',
  'lib/admin/sessions.test.ts',
  'lib/admin/staff-management.test.ts',
  'lib/admin/staff.test.ts',
  'lib/db/migrations.test.ts',
  'lib/db/pooler.test.ts',
  'lib/db/recordset.test.ts',
  'lib/db/seed.test.ts',
  'lib/db/testing.test.ts',
  'lib/gateway-contract/report.contract.test.ts',
  'lib/ops/graceful-server.test.ts',
  'lib/ops/health.test.ts',
  'lib/payments/admin-action-input.test.ts',
  'lib/payments/admin-actions.test.ts',
  'lib/payments/bill-queries/bill-queries.test.ts',
  'lib/payments/*.integration.test.ts',
  'lib/payments/notification-reread.test.ts',
  'lib/payments/read-budget.test.ts',
  'lib/reliability/*.test.ts',
  'lib/shop/catalogue.test.ts',
  'lib/shop/cleanup.test.ts',
  'lib/shop/fulfilment.test.ts',
  'lib/shop/orders.test.ts',
];
const INTEGRATION = [
  'lib/admin/admin-create.test.ts',
  'lib/gateway-contract/actions.contract.test.ts',
  'lib/sandbox/gateway.test.ts',
  'lib/sandbox/legacy/protocol.test.ts',
  'lib/sandbox/notify.test.ts',
  'lib/sandbox/persistence.test.ts',
];

/**
 * Vitest runs the projects of a group in name order, so `integration` (a few long files: spawned scripts,
 * the sandbox over HTTP) came after the many short `database` files and its slowest file ran alone at the
 * end. Here it goes first, and the short files fill the end; the base order holds otherwise.
 */
class IntegrationFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) =>
      f.project.config.sequence.groupOrder * 2 + (f.project.name === 'integration' ? 0 : 1);
    return sorted
      .map((file, at) => ({ file, at, rank: rank(file) }))
      .sort((a, b) => a.rank - b.rank || a.at - b.at)
      .map(({ file }) => file);
  }
}

export default defineConfig({
  resolve: {
    alias: {
      '@': path.resolve(import.meta.dirname),
      // `server-only` throws outside a React Server Components bundle; tests run server code directly.
      'server-only': path.resolve(import.meta.dirname, 'lib/testing/server-only-stub.ts'),
    },
  },
  test: {
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    sequence: { sequencer: IntegrationFirst },
    // Transformed modules are kept in node_modules/.experimental-vitest-cache, keyed by their source, the
    // config and the versions: a second run (CI's PostgreSQL pass, the inner loop) skips transforming.
    experimental: { fsModuleCache: true },
    // CI totals results from JSON reports (it reads no closing line from vitest's own output).
    reporters: process.env.VITEST_JSON_REPORT ? ['default', 'json'] : ['default'],
    outputFile: process.env.VITEST_JSON_REPORT ? { json: process.env.VITEST_JSON_REPORT } : undefined,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['lib/**/*.test.ts', 'app/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: [...DATABASE, ...INTEGRATION],
          setupFiles: ['lib/testing/setup-unit.ts'],
          // Pure modules: each worker reuses what it imported instead of a fresh process per file. Two
          // workers, not the default one on two cores: with the type check and lint beside them and the
          // test databases' templates made meanwhile, npm test took 71-73 s instead of 80-82 s.
          pool: 'threads',
          isolate: false,
          maxWorkers: 2,
          // Projects with different worker counts run as groups, one after the other: pure tests first.
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'database',
          include: DATABASE,
          // Much of a database test is waiting (PostgreSQL, HTTP to the sandbox, retry back-offs): two
          // files at a time keep both cores busy.
          maxWorkers: 2,
          // Each file opens databases of its own; a process per file spent ~1.5 s of CPU per file on
          // starting and importing again, a third of these projects' CPU time.
          isolate: false,
          sequence: { groupOrder: 1 },
          globalSetup: ['lib/testing/global-setup.ts'],
          setupFiles: ['lib/testing/setup-database.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: INTEGRATION,
          maxWorkers: 2,
          isolate: false,
          sequence: { groupOrder: 1 },
          globalSetup: ['lib/testing/global-setup.ts'],
          setupFiles: ['lib/testing/setup-database.ts'],
        },
      },
    ],
  },
});
