import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
    const copy = mkdtempSync(path.join(tmpdir(), 'migrations-'));
    try {
      if (existsSync(set.out))
        cpSync(set.out, copy, { recursive: true, filter: (src) => !src.endsWith('/sandbox') });
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
