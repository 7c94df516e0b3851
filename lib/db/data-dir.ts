import { mkdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Creates a data folder with its parents (PGLITE_DIR elsewhere must not leave the sandbox's default
 * `.data/sandbox` without its `.data`), or fails with one message naming the setting and the folder,
 * so that start-up stops clearly instead of every route answering 500 later.
 */
export function ensureDataDir(dir: string, setting: string): string {
  const absolute = path.resolve(dir);
  try {
    mkdirSync(absolute, { recursive: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${setting}: cannot create the data folder ${absolute} (${reason})`);
  }
  return absolute;
}
