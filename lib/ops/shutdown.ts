/**
 * What a stopping process must finish or give up on, shared by every bundle of the process (Next
 * bundles pages, route handlers and instrumentation apart, and the server script is another), hence
 * globalThis. The server script calls `abortOutboundCalls()` once its drain time is up and
 * `closeResources()` after the last request.
 */
const KEY = Symbol.for('assist-storefront.shutdown');

type State = { outbound: AbortController; closers: Array<{ name: string; close: () => Promise<void> }> };

function state(): State {
  const holder = globalThis as unknown as { [KEY]?: State };
  holder[KEY] ??= { outbound: new AbortController(), closers: [] };
  return holder[KEY];
}

/**
 * Aborted when the process stops before a gateway call returned. An aborted charge or refund comes back
 * `unknown` and is recorded so: the next re-check settles it from the gateway's own record, never by
 * sending it again.
 */
export function outboundSignal(): AbortSignal {
  return state().outbound.signal;
}

export function abortOutboundCalls(): void {
  state().outbound.abort(new Error('the server is stopping'));
}

/** Registers something to close once no request is left (a pool, an embedded database). */
export function onShutdown(name: string, close: () => Promise<void>): void {
  state().closers.push({ name, close });
}

/** Closes everything registered, newest first (the sandbox before the database it may write to). */
export async function closeResources(): Promise<{ closed: string[]; failed: string[] }> {
  const closers = state().closers.splice(0).reverse();
  const closed: string[] = [];
  const failed: string[] = [];
  for (const { name, close } of closers) {
    try {
      await close();
      closed.push(name);
    } catch {
      failed.push(name);
    }
  }
  return { closed, failed };
}
