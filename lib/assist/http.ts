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

/** POSTs `fields` form-encoded in UTF-8 and reads the whole body as UTF-8 text, within `timeoutMs`. */
export async function postForm(
  url: string,
  fields: Array<[string, string]>,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<HttpResult> {
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
    const body = await res.text();
    return { ok: true, status: res.status, body };
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
