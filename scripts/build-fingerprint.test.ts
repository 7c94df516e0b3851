import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isBuildCurrent, sourceFingerprint } from './build-fingerprint.mjs';

let root: string;
const write = (file: string, text: string) => {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
};

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'fingerprint-'));
  write('package.json', '{}');
  write('app/page.tsx', 'export default 1;');
  write('lib/shop/orders.ts', 'export const a = 1;');
  write('scripts/start.ts', 'start();');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('the demo rebuilds only when the build is not of the current sources', () => {
  it('changes with a source file, a new file or the lock file; not with a test or a shell script', () => {
    const before = sourceFingerprint(root);
    expect(sourceFingerprint(root)).toBe(before);
    write('lib/shop/orders.test.ts', 'test();');
    write('scripts/ci/smoke.sh', 'echo');
    write('README.md', 'docs');
    expect(sourceFingerprint(root)).toBe(before);
    write('lib/shop/orders.ts', 'export const a = 2;');
    const edited = sourceFingerprint(root);
    expect(edited).not.toBe(before);
    write('lib/shop/new.ts', '');
    expect(sourceFingerprint(root)).not.toBe(edited);
    const withNew = sourceFingerprint(root);
    write('package-lock.json', '{"lockfileVersion":3}');
    expect(sourceFingerprint(root)).not.toBe(withNew);
  });

  it('a build is current only when complete and made from these sources', () => {
    expect(isBuildCurrent(root)).toBe(false);
    write('.next/cli/fingerprint', sourceFingerprint(root));
    // No BUILD_ID: the Next build did not finish.
    expect(isBuildCurrent(root)).toBe(false);
    write('.next/BUILD_ID', 'abc');
    expect(isBuildCurrent(root)).toBe(true);
    write('app/page.tsx', 'export default 2;');
    expect(isBuildCurrent(root)).toBe(false);
  });
});
