import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@/lib/db/testing';
import { type PaymentsHarness, startPaymentsHarness } from './payments-harness';

/**
 * A resource for the enclosing `describe` block: opened before its tests, closed after them. The returned
 * object stands for the resource (reads, calls and writes go to it), so tests and helpers use it as they
 * would the resource itself; touching it while the file is being collected is an error naming `what`.
 */
function perBlock<T extends object>(what: string, open: () => Promise<T>, close: (t: T) => Promise<void>): T {
  let resource: T | undefined;
  beforeAll(async () => {
    resource = await open();
  });
  afterAll(async () => {
    if (resource !== undefined) await close(resource);
  });
  const current = (): T => {
    if (resource === undefined) throw new Error(`${what} is opened in beforeAll: use it inside a test`);
    return resource;
  };
  return new Proxy({} as T, {
    get(_, key) {
      const target = current();
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
    set(_, key, value) {
      return Reflect.set(current(), key, value);
    },
  });
}

/** A database of its own for the enclosing `describe` block. */
export function useTestDatabase(options?: Parameters<typeof createTestDatabase>[0]): TestDatabase {
  return perBlock(
    'the test database',
    () => createTestDatabase(options),
    (d) => d.close(),
  );
}

/** A payments harness (shop database, sandbox gateway, notification receiver) for the enclosing block. */
export function usePaymentsHarness(options?: Parameters<typeof startPaymentsHarness>[0]): PaymentsHarness {
  return perBlock(
    'the payments harness',
    () => startPaymentsHarness(options),
    (h) => h.close(),
  );
}
