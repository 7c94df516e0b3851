import { spawnSync } from 'node:child_process';

/**
 * The long form of lib/reliability/interleaving.test.ts: 500 seeded interleavings (CI runs 50) on every
 * engine the tests would use (PostgreSQL too when TEST_DATABASE_URL or DATABASE_URL is set).
 *
 *   node --import tsx scripts/seeded-runs.ts [--seeds 500] [--first 1]
 *
 * A failure names its seed and its steps; replay it with `--first <seed> --seeds 1`.
 */
function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const raw = i === -1 ? undefined : process.argv[i + 1];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) {
    console.error(`--${name} must be a positive whole number, got ${raw}`);
    process.exit(2);
  }
  return value;
}

const seeds = option('seeds', 500);
const first = option('first', 1);
const started = Date.now();
console.log(`seeded runs: seeds ${first}..${first + seeds - 1}`);
const result = spawnSync('npx', ['vitest', 'run', 'lib/reliability/interleaving.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, RELIABILITY_SEEDS: String(seeds), RELIABILITY_FIRST_SEED: String(first) },
});
const seconds = ((Date.now() - started) / 1000).toFixed(0);
const passed = result.status === 0;
console.log(`seeded runs: ${seeds} seeds ${passed ? 'passed' : 'FAILED'} in ${seconds} s`);
process.exit(result.status ?? 1);
