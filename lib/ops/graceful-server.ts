import type { Server } from 'node:http';
import { abortOutboundCalls, closeResources } from './shutdown';

export type StopTimings = {
  /** How long requests in flight may take to finish before outbound calls are aborted. */
  drainMs: number;
  /** After aborting: time for those requests to record their outcome and answer. */
  abortGraceMs: number;
};

/** Docker and systemd wait 10 s after SIGTERM before SIGKILL: finish well inside that. */
const DEFAULT_STOP_TIMINGS: StopTimings = { drainMs: 6_000, abortGraceMs: 2_000 };

export type StopSummary = {
  finished: number;
  /** Requests still running when outbound calls were aborted. */
  aborted: number;
  /** Requests cut off at the very end. */
  cut: number;
  closed: string[];
  failed: string[];
};

/**
 * Counts requests in flight on `server` and stops it without losing one: no new connections, new
 * requests on kept-alive connections told to close, in-flight requests given `drainMs`, then outbound
 * gateway calls aborted (the charge in flight is recorded as unknown) and `abortGraceMs` more, then
 * every connection closed and the registered resources (database pools) closed.
 */
export function trackRequests(server: Server, timings: StopTimings = DEFAULT_STOP_TIMINGS) {
  let inFlight = 0;
  let stopping = false;
  let finishedDuringStop = 0;
  let settled: (() => void) | undefined;
  server.on('request', (_req, res) => {
    inFlight++;
    if (stopping) res.setHeader('Connection', 'close');
    res.on('close', () => {
      inFlight--;
      if (stopping) finishedDuringStop++;
      if (inFlight === 0) settled?.();
    });
  });

  const idle = (ms: number) =>
    new Promise<boolean>((resolve) => {
      if (inFlight === 0) return resolve(true);
      const timer = setTimeout(() => resolve(inFlight === 0), ms);
      settled = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });

  return {
    inFlight: () => inFlight,
    async stop(): Promise<StopSummary> {
      stopping = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      let aborted = 0;
      if (!(await idle(timings.drainMs))) {
        aborted = inFlight;
        abortOutboundCalls();
        await idle(timings.abortGraceMs);
      }
      const cut = inFlight;
      const finished = finishedDuringStop;
      server.closeAllConnections();
      await closed;
      const resources = await closeResources();
      return { finished, aborted, cut, ...resources };
    },
  };
}

/** The one line a stop prints. */
export function describeStop(signal: string, s: StopSummary): string {
  const parts = [`${s.finished} request${s.finished === 1 ? '' : 's'} finished`];
  if (s.aborted)
    parts.push(`${s.aborted} gateway call${s.aborted === 1 ? '' : 's'} abandoned (recorded as unknown)`);
  if (s.cut) parts.push(`${s.cut} cut off`);
  if (s.closed.length) parts.push(`closed ${s.closed.join(', ')}`);
  if (s.failed.length) parts.push(`failed to close ${s.failed.join(', ')}`);
  return `Stopped on ${signal}: ${parts.join(', ')}.`;
}
