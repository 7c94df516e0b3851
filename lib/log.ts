/**
 * Structured logs: one JSON object per line on stdout, which every host (Vercel, systemd, Docker)
 * collects as is. Callers pass facts, never secrets, passwords or full card numbers.
 */
export type LogLevel = 'info' | 'warn' | 'error';

export function logEvent(
  event: string,
  fields: Record<string, unknown> = {},
  level: LogLevel = 'info',
): void {
  const line = JSON.stringify({ time: new Date().toISOString(), level, event, ...fields });
  if (level === 'error') console.error(line);
  else console.log(line);
}
