import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle, type PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { ensureDataDir } from '@/lib/db/data-dir';
import * as schema from './schema';

export type SandboxDb = PgliteDatabase<typeof schema> & { $client: PGlite };

/** The handle a sandbox `db.transaction()` callback receives. */
export type SandboxTx = Parameters<Parameters<SandboxDb['transaction']>[0]>[0];

export interface SandboxStore {
  db: SandboxDb;
  /** Releases this handle; the PGlite instance closes when its last handle is released. */
  release(): Promise<void>;
}

interface CachedStore {
  refs: number;
  ready: Promise<SandboxDb>;
}

// Next loads route handlers as separate bundles, and a PGlite data folder must have one owner per
// process, so the open instances live on globalThis rather than in module scope.
const CACHE_KEY = Symbol.for('assist-storefront.sandbox.stores');
const globalCache = globalThis as unknown as { [CACHE_KEY]?: Map<string, CachedStore> };
globalCache[CACHE_KEY] ??= new Map();
const stores = globalCache[CACHE_KEY];

export const defaultMigrationsFolder = () => path.join(process.cwd(), 'drizzle', 'sandbox');

/** Where in-memory stores get their client; by default each starts an empty PGlite and closes it after. */
type MemoryClients = () => Promise<{ client: PGlite; release: () => Promise<void> }>;
let memoryClients: MemoryClients = async () => {
  const client = new PGlite();
  return { client, release: () => client.close() };
};

/**
 * Tests hand in-memory stores clients started from one dumped, migrated data folder (made once per run)
 * and reused once released, instead of initialising and migrating a new one each time.
 */
export function setMemoryStoreClients(source: MemoryClients): void {
  memoryClients = source;
}

async function open(dataDir: string, migrationsFolder: string): Promise<SandboxDb> {
  // PGlite makes the folder itself but not its parent (a fresh checkout or container has no .data/).
  mkdirSync(path.dirname(dataDir), { recursive: true });
  return migrated(new PGlite(dataDir), migrationsFolder);
}

async function migrated(client: PGlite, migrationsFolder: string): Promise<SandboxDb> {
  const db = drizzle({ client, schema });
  await migrate(db, { migrationsFolder });
  return db;
}

/**
 * Opens the sandbox store: `'memory'` gives a fresh in-memory database (tests), anything else a PGlite
 * data folder shared by every caller in this process.
 */
export async function openSandboxStore(
  dataDir: string,
  migrationsFolder = defaultMigrationsFolder(),
): Promise<SandboxStore> {
  if (dataDir === 'memory') {
    const { client, release } = await memoryClients();
    return { db: await migrated(client, migrationsFolder), release };
  }
  const key = ensureDataDir(dataDir, 'SANDBOX_DIR');
  let entry = stores.get(key);
  if (!entry) {
    entry = { refs: 0, ready: open(key, migrationsFolder) };
    stores.set(key, entry);
    entry.ready.catch(() => stores.delete(key));
  }
  const cached = entry;
  cached.refs++;
  const db = await cached.ready;
  let released = false;
  return {
    db,
    release: async () => {
      if (released) return;
      released = true;
      cached.refs--;
      if (cached.refs > 0) return;
      stores.delete(key);
      await db.$client.close();
    },
  };
}
