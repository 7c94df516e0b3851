/**
 * Structured logs: one JSON object per line (errors on stderr, the rest on stdout), which every host
 * (Vercel, systemd, Docker) collects as is. This is the only way server code logs. Callers pass facts;
 * as a safety net, fields named like credentials or card data are written as `[redacted]` whatever
 * their depth, and an `Error` is written as its message.
 */
export type LogLevel = 'info' | 'warn' | 'error';

export const REDACTED = '[redacted]';

// Matched against the key lower-cased with `_`/`-` removed, so `CheckValue`, `check_value` and
// `ASSIST_SECRET` all hit. `meannumber` (ASSIST's masked card number) is not card data and stays.
const SECRET_KEY =
  /password|secret|token|checkvalue|signature|authorization|cookie|cardnumber|cardholder|cvc|cvv/;
const SECRET_KEY_EXACT = new Set(['pan', 'pin', 'expiremonth', 'expireyear']);

function isSecretKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[_-]/g, '');
  return SECRET_KEY.test(k) || SECRET_KEY_EXACT.has(k);
}

function clean(value: unknown, seen: WeakSet<object>): unknown {
  if (value instanceof Error) return value.message;
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  let out: unknown;
  if (Array.isArray(value)) out = value.map((v) => clean(v, seen));
  else if (value instanceof URLSearchParams || value instanceof Map)
    out = clean(Object.fromEntries(value.entries()), seen);
  else {
    const fields: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) fields[key] = isSecretKey(key) ? REDACTED : clean(v, seen);
    out = fields;
  }
  // Only the current path counts as a cycle: the same object twice side by side is written twice.
  seen.delete(value);
  return out;
}

/** The fields as they will be written: secret-named keys redacted, errors reduced to their message. */
export function redactLogFields(fields: Record<string, unknown>): Record<string, unknown> {
  return clean(fields, new WeakSet()) as Record<string, unknown>;
}

export function logEvent(
  event: string,
  fields: Record<string, unknown> = {},
  level: LogLevel = 'info',
): void {
  const line = JSON.stringify({ time: new Date().toISOString(), level, event, ...redactLogFields(fields) });
  if (level === 'error') console.error(line);
  else console.log(line);
}
