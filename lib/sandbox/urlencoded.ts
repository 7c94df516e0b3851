import { type FormCharset, readFormPairs } from '../assist/form-body';

/** A request's form fields by lower-cased name: ASSIST (ColdFusion) treats names case-insensitively. */
export type FormFields = Map<string, string>;

export type FormParseResult =
  | { ok: true; fields: FormFields; charset: string }
  | { ok: false; error: string };

/**
 * Decodes a urlencoded body with the shared codec (lib/assist/form-body.ts) into the sandbox's field map.
 * A charset it cannot decode is refused: the sandbox answers it as a bad request.
 */
export function parseUrlEncoded(
  body: Uint8Array,
  contentType?: string | null,
  fallback: FormCharset = 'utf-8',
): FormParseResult {
  const read = readFormPairs(body, contentType, fallback);
  if (!read.ok) return read;
  const fields: FormFields = new Map();
  for (const [k, v] of read.pairs) {
    const name = k.toLowerCase();
    // ASSIST fields are never repeated; the first occurrence wins so a later duplicate cannot override.
    if (!fields.has(name)) fields.set(name, v);
  }
  return { ok: true, fields, charset: read.charset };
}
