// One hash of everything a production build is made from, written beside the build by
// scripts/build-cli.mjs: `npm run demo` rebuilds only when it changed. Tests, docs and data are left
// out: they never reach the build.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const DIRS = ['app', 'lib', 'scripts', 'public', 'drizzle'];
const FILES = [
  'package.json',
  'package-lock.json',
  'next.config.mjs',
  'tsconfig.json',
  'proxy.ts',
  'instrumentation.ts',
];
// Tests and shell scripts (CI, container stages) never reach the build.
const SKIP = /\.test\.tsx?$|\.sh$/;

function walk(dir, out) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(file, out);
    else if (entry.isFile() && !SKIP.test(entry.name)) out.push(file);
  }
}

export function sourceFingerprint(root = process.cwd()) {
  const files = [];
  for (const dir of DIRS) if (existsSync(path.join(root, dir))) walk(path.join(root, dir), files);
  for (const file of FILES) if (existsSync(path.join(root, file))) files.push(path.join(root, file));
  const hash = createHash('sha256');
  for (const file of files.sort()) {
    if (!statSync(file).isFile()) continue;
    hash.update(path.relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  // Public variables are inlined into the client bundle at build time.
  for (const [k, v] of Object.entries(process.env).sort())
    if (k.startsWith('NEXT_PUBLIC_')) hash.update(`${k}=${v}\0`);
  return hash.digest('hex');
}

/** Whether `.next` holds a complete build (app and compiled commands) of the sources as they are now. */
export function isBuildCurrent(root = process.cwd()) {
  try {
    if (!existsSync(path.join(root, '.next', 'BUILD_ID'))) return false;
    return readFileSync(path.join(root, '.next', 'cli', 'fingerprint'), 'utf8') === sourceFingerprint(root);
  } catch {
    return false;
  }
}
