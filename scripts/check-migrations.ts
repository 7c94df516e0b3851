import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { runCli } from './cli';

/**
 * Fails when a Drizzle schema and its committed migrations disagree: drizzle-kit generates into a copy
 * of the migration folder, and any new file there is a migration somebody forgot to generate.
 */
const SETS = [
  { schema: 'lib/db/schema.ts', out: 'drizzle' },
  { schema: 'lib/sandbox/schema.ts', out: 'drizzle/sandbox' },
];

runCli(async () => {
  const problems: string[] = [];
  for (const set of SETS.filter((s) => existsSync(s.schema))) {
    // drizzle-kit prefixes `--out` with './', so the copy must live under the project, not in /tmp.
    mkdirSync('.data', { recursive: true });
    const copy = mkdtempSync(path.join('.data', 'migrations-'));
    try {
      // The shop's folder holds the sandbox's as a subfolder: copy only this set's own files.
      const nested = SETS.filter((o) => o.out.startsWith(`${set.out}/`)).map((o) => path.resolve(o.out));
      if (existsSync(set.out)) {
        cpSync(set.out, copy, { recursive: true, filter: (src) => !nested.includes(path.resolve(src)) });
      }
      const before = new Set(readdirSync(copy));
      execFileSync(
        'npx',
        ['drizzle-kit', 'generate', '--dialect', 'postgresql', '--schema', set.schema, '--out', copy],
        { stdio: 'pipe' },
      );
      const added = readdirSync(copy).filter((f) => !before.has(f) && f.endsWith('.sql'));
      if (added.length) problems.push(`${set.schema} differs from ${set.out}/ (run npm run db:generate)`);
      else console.log(`${set.out}/ matches ${set.schema}`);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }
  if (problems.length) throw new Error(problems.join('; '));
});
