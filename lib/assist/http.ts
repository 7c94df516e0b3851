import { charsetOf } from './charset';

/**
 * The only I/O of the adapter: one form-encoded UTF-8 POST with a timeout, and a retry helper.
 * Everything it returns is a value; it never throws.
 */

export type HttpResult =
  | { ok: true; status: number; body: string }
  | {
      ok: false;
      error: { kind: 'network'; sent: boolean; message: string } | { kind: 'timeout'; timeoutMs: number };
    };

// Errors that happen before a single byte of the request leaves this machine.
const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function causeCode(e: unknown): string | undefined {
  const cause = (e as { cause?: { code?: unknown } } | null)?.cause;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

export type HttpError = Extract<HttpResult, { ok: false }>['error'];

/** What a streaming reader sees of the response: its status, its charset, and the body as it arrives. */
export interface ResponseStream {
  status: number;
  /** The Content-Type's charset parameter, if the server named one. */
  charset: string | undefined;
  body: AsyncIterable<Uint8Array>;
}

/** The body's chunks; a reader that stops early cancels the rest. */
async function* chunksOf(stream: ReadableStream<Uint8Array> | null): AsyncGenerator<Uint8Array> {
  if (stream === null) return;
  const reader = stream.getReader();
  let done = false;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) break;
      yield next.value;
    }
    done = true;
  } finally {
    if (!done) await reader.cancel();
    reader.releaseLock();
  }
}

async function send<T>(
  url: string,
  fields: Array<[string, string]>,
  options: { timeoutMs: number; signal?: AbortSignal },
  read: (res: Response) => Promise<T>,
): Promise<{ ok: true; status: number; value: T } | { ok: false; error: HttpError }> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8',
        Accept: 'text/xml, text/csv, */*',
      },
      body: new URLSearchParams(fields).toString(),
      signal,
      redirect: 'error',
    });
    try {
      return { ok: true, status: res.status, value: await read(res) };
    } finally {
      // A body left unread would hold its connection until it is collected.
      if (!res.bodyUsed) await res.body?.cancel();
    }
  } catch (e) {
    if (timeout.aborted) return { ok: false, error: { kind: 'timeout', timeoutMs: options.timeoutMs } };
    const code = causeCode(e);
    return {
      ok: false,
      error: {
        kind: 'network',
        sent: code === undefined || !NOT_SENT.has(code),
        message: code ?? (e instanceof Error ? e.message : String(e)),
      },
    };
  }
}

/** POSTs `fields` form-encoded in UTF-8 and reads the whole body as UTF-8 text, within `timeoutMs`. */
export async function postForm(
  url: string,
  fields: Array<[string, string]>,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<HttpResult> {
  const r = await send(url, fields, options, (res) => res.text());
  return r.ok ? { ok: true, status: r.status, body: r.value } : r;
}

/**
 * POSTs like `postForm`, but hands the body to `read` as it arrives instead of buffering it (a day's
 * report can be tens of megabytes). The timeout covers reading the body too; a body `read` leaves
 * unfinished is cancelled.
 */
export async function postFormStreaming<T>(
  url: string,
  fields: Array<[string, string]>,
  options: { timeoutMs: number; signal?: AbortSignal },
  read: (response: ResponseStream) => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: HttpError }> {
  const r = await send(url, fields, options, (res) =>
    read({
      status: res.status,
      charset: charsetOf(res.headers.get('content-type')),
      body: chunksOf(res.body),
    }),
  );
  return r.ok ? { ok: true, value: r.value } : r;
}

export interface RetryPolicy {
  /** Total attempts including the first. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 1000, maxDelayMs: 10_000 };

/**
 * Runs `attempt` until it succeeds, is not retryable, or attempts run out. Waits grow exponentially with
 * full jitter so that several shops' cron jobs do not hit the gateway in step.
 */
export async function withRetry<T>(
  policy: RetryPolicy,
  attempt: () => Promise<T>,
  retryable: (result: T) => boolean,
  signal?: AbortSignal,
): Promise<T> {
  let result = await attempt();
  for (let n = 1; n < policy.attempts && retryable(result) && !signal?.aborted; n++) {
    const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1));
    await new Promise((resolve) => setTimeout(resolve, Math.random() * cap));
    result = await attempt();
  }
  return result;
}
