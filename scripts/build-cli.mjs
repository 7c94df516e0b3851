// Compiles the production commands (start, migrate, seed, admin:create, cron) to plain JavaScript in
// .next/cli/, so they run after `npm prune --omit=dev`: runtime dependencies stay imports, the project's
// own TypeScript is bundled in, and `server-only` resolves to its server (empty) module. esbuild is here
// only at build time (through tsx and vitest); the output never needs it.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { sourceFingerprint } from './build-fingerprint.mjs';

export const CLI_DIR = path.join('.next', 'cli');
export const COMMANDS = ['start', 'migrate', 'seed', 'admin-create', 'cron'];

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const runtime = Object.keys(pkg.dependencies).filter((name) => name !== 'server-only');

const started = Date.now();
const fingerprint = sourceFingerprint();
await build({
  entryPoints: COMMANDS.map((name) => path.join('scripts', `${name}.ts`)),
  outdir: CLI_DIR,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  conditions: ['react-server'],
  external: [...runtime, ...runtime.map((name) => `${name}/*`)],
  tsconfig: 'tsconfig.json',
  logLevel: 'warning',
  // A bundled CommonJS helper may call require(); ESM output has none of its own.
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
});
writeFileSync(path.join(CLI_DIR, 'fingerprint'), fingerprint);
console.log(`Compiled ${COMMANDS.length} commands to ${CLI_DIR}/ in ${Date.now() - started} ms.`);
