import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@/lib/db/connect';
import { verifyPassword } from './password';
import { staff } from './schema';

const root = path.resolve(import.meta.dirname, '../..');
let dir: string;

function run(script: string, args: string[]) {
  const result = spawnSync(
    process.execPath,
    ['--conditions=react-server', '--import', 'tsx', path.join('scripts', script), ...args],
    {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
      // A clean environment (the sandbox spares the test gateway credentials): only PGLITE_DIR names the database.
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'test',
        ASSIST_MODE: 'sandbox',
        PGLITE_DIR: path.join(dir, 'db'),
      },
    },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run admin:create', () => {
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'admin-create-'));
    expect(run('migrate.ts', []).code).toBe(0);
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates a staff member and prints the generated password once', async () => {
    const out = run('admin-create.ts', ['--email', 'Olga@Example.ru', '--role', 'admin']);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('Created admin olga@example.ru.');
    const password = /Password[^:]*: (\S+)/.exec(out.stdout)?.[1];
    expect(password).toMatch(/^\S{20}$/);
    const database = await openDatabase({ kind: 'pglite', dir: path.join(dir, 'db') });
    try {
      const [row] = await database.db.select().from(staff);
      expect(row).toMatchObject({ email: 'olga@example.ru', role: 'admin' });
      expect(await verifyPassword(password ?? '', row?.passwordHash ?? '')).toBe(true);
    } finally {
      await database.close();
    }
  });

  it('fails with one clear line for a duplicate email, a bad role, a bad email or missing flags', () => {
    const cases: Array<[string[], RegExp]> = [
      [
        ['--email', 'OLGA@example.ru', '--role', 'viewer'],
        /^Error: A staff member with the email olga@example\.ru already exists\.$/m,
      ],
      [
        ['--email', 'pavel@example.ru', '--role', 'owner'],
        /^Error: Unknown role "owner": expected admin or viewer\.$/m,
      ],
      [['--email', 'pavel', '--role', 'viewer'], /^Error: "pavel" is not an email address\.$/m],
      [['--email', 'pavel@example.ru'], /^Error: --email and --role are required\./m],
    ];
    for (const [args, message] of cases) {
      const out = run('admin-create.ts', args);
      expect(out.code, args.join(' ')).toBe(1);
      expect(out.stderr).toMatch(message);
      expect(out.stdout).not.toMatch(/Password/);
    }
  });
});
