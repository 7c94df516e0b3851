/**
 * The SQLSTATE and constraint of a database error, from either driver: postgres.js and PGlite name them
 * differently, and drizzle wraps them as the `cause` of its own error.
 */
export function pgErrorCode(err: unknown): { code?: string; constraint?: string } {
  for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const { code, constraint, constraint_name } = e as Record<string, unknown>;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code))
      return { code, constraint: String(constraint ?? constraint_name ?? '') };
  }
  return {};
}

/** SQLSTATE 23505: a row with the same key is stored. */
export const UNIQUE_VIOLATION = '23505';
