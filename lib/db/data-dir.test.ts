import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDataDir } from './data-dir';

describe('ensureDataDir', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'data-dir-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('creates the folder with every missing parent', () => {
    const dir = path.join(root, 'a', 'b', 'sandbox');
    expect(ensureDataDir(dir, 'SANDBOX_DIR')).toBe(dir);
    expect(statSync(dir).isDirectory()).toBe(true);
  });

  it('fails with a message naming the setting and the folder when it cannot be made', () => {
    const file = path.join(root, 'a-file');
    writeFileSync(file, 'x');
    expect(() => ensureDataDir(path.join(file, 'sandbox'), 'SANDBOX_DIR')).toThrow(
      /^SANDBOX_DIR: cannot create the data folder .*a-file\/sandbox/,
    );
  });
});
