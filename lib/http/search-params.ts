import type { z } from 'zod';

/** What a page's `searchParams` promise resolves to: a repeated key gives an array. */
export type SearchParams = Record<string, string | string[] | undefined>;

/**
 * Parses a page's URL search params field by field: a malformed field is dropped on its own rather than
 * failing the page (a hand-edited URL still shows the list, just less filtered). Repeated keys: first wins.
 */
export function parseSearchParams<T extends z.ZodObject>(schema: T, params: SearchParams): z.infer<T> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    const raw = params[key];
    const parsed = (field as z.ZodType).safeParse(Array.isArray(raw) ? raw[0] : raw);
    if (parsed.success && parsed.data !== undefined) out[key] = parsed.data;
  }
  return out as z.infer<T>;
}
