/**
 * The self-hosted stand-in for Vercel Cron: calls the sync route with the cron secret on a fixed
 * interval, the way Vercel would, and logs one JSON line per call. The route itself enforces the
 * minimum interval and the single-run lease, so an extra or overlapping call is harmless.
 */
export type CronLoopOptions = {
  url: string;
  secret: string;
  intervalMs: number;
  /** Delay before the first call (the demo waits for its server to start). */
  firstDelayMs?: number;
  log?: (line: string) => void;
};

export async function callSyncRoute(url: string, secret: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, {
    headers: { Authorization: `Bearer ${secret}` },
    signal: AbortSignal.timeout(5 * 60_000),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (a proxy's error page, say): log it as text.
  }
  return { status: res.status, body };
}

export function startCronLoop(options: CronLoopOptions): () => void {
  const log = options.log ?? ((line: string) => console.log(line));
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    try {
      const { status, body } = await callSyncRoute(options.url, options.secret);
      // A call that ends after stop() ended with the server: nothing to report.
      if (!stopped) log(JSON.stringify({ event: 'cron_sync', status, body }));
    } catch (err) {
      if (!stopped)
        log(
          JSON.stringify({
            event: 'cron_sync',
            status: 0,
            error: err instanceof Error ? err.message : String(err),
          }),
        );
    }
    if (!stopped) timer = setTimeout(tick, options.intervalMs);
  };
  timer = setTimeout(tick, options.firstDelayMs ?? 0);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
