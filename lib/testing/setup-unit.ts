import { vi } from 'vitest';

/**
 * The `unit` project is the sub-second inner loop: its tests must not open a database. One that does
 * belongs in the `database` project (or `integration` when its engine does not matter): see
 * vitest.config.ts.
 */
function refuse(what: string): never {
  throw new Error(
    `${what} opened in a unit test: list this file under the database or integration project in vitest.config.ts`,
  );
}

vi.mock('@electric-sql/pglite', () => ({
  PGlite: class {
    constructor() {
      refuse('PGlite');
    }
  },
}));
vi.mock('postgres', () => ({ default: () => refuse('A PostgreSQL connection') }));
