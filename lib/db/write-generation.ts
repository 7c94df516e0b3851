import type { PGlite } from '@electric-sql/pglite';

/**
 * PGlite only: a counter moved by every statement that may write, so that a per-process cache can skip a
 * read while the counter shows nothing could have changed (the cp1251 /pay page keeps its order row).
 *
 * Sound because an embedded database has exactly one writer: the PGlite folder is opened by one process
 * (README, "PGlite"; a second opener would corrupt it, so scripts and a second server are not run beside
 * it) and every statement of that process goes through this one client. PGlite also runs one
 * transaction or statement at a time, so a read issued after taking the counter sees every write
 * counted before it. PostgreSQL has other writers (a second server, the cron, a script) and has no
 * counter: there `writeGeneration` is undefined and callers read.
 */
// On globalThis: the database is opened by one Next bundle (instrumentation) and read by others, each
// with its own copy of this module.
const shared = globalThis as typeof globalThis & { __assistStorefrontWrites?: WeakMap<object, () => number> };
shared.__assistStorefrontWrites ??= new WeakMap();
const generations = shared.__assistStorefrontWrites;

/**
 * Whether a statement may change data. Only a plain `select` is read-only: the schema's functions are
 * trigger functions, run inside the write that fires them, and no select calls a function that writes;
 * anything else (a `with`, an insert, a DDL) counts as a write.
 */
export function mayWrite(statement: string): boolean {
  return !/^\s*select\s/i.test(statement);
}

// Per client, so that a client given to several databases one after another (the test databases reuse
// theirs) is wrapped once and keeps one counter that only moves forward.
const counters = new WeakMap<PGlite, () => number>();

/** Wraps the client's entry points so that each possible write moves the counter before it runs. */
export function countWrites(client: PGlite, db: object): void {
  const counted = counters.get(client);
  if (counted) {
    generations.set(db, counted);
    return;
  }
  let writes = 0;
  const query = client.query.bind(client);
  const exec = client.exec.bind(client);
  const transaction = client.transaction.bind(client);
  client.query = ((statement: string, ...rest: unknown[]) => {
    if (mayWrite(statement)) writes++;
    return (query as (...args: unknown[]) => unknown)(statement, ...rest);
  }) as PGlite['query'];
  client.exec = ((statement: string, ...rest: unknown[]) => {
    writes++;
    return (exec as (...args: unknown[]) => unknown)(statement, ...rest);
  }) as PGlite['exec'];
  // Statements inside a transaction go through its own handle: count the transaction as a write, before
  // it starts and again when it ends, whatever it did.
  client.transaction = (async (callback: Parameters<PGlite['transaction']>[0]) => {
    writes++;
    try {
      return await transaction(callback);
    } finally {
      writes++;
    }
  }) as PGlite['transaction'];
  const read = () => writes;
  counters.set(client, read);
  generations.set(db, read);
}

/** The write counter of an embedded database; undefined for PostgreSQL, which other processes write. */
export function writeGeneration(db: object): number | undefined {
  return generations.get(db)?.();
}
