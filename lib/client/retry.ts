/**
 * Retry policy: when a failed request may be sent again, and how long to wait first.
 *
 * The rules fix two weaknesses of the Go dtctl (`dtctl-go-notes.md` §12 #8, #9): it replayed POSTs after 5xx and
 * network errors (creating duplicates) and ignored `Retry-After`. Here a request is replayed only when the server
 * provably did not process it (429, 503, connection refused) or when replaying is harmless (idempotent methods,
 * or a create whose existence check proves it did not land), and the server's advice on when to come back wins
 * over our own backoff.
 *
 * @module
 */

/** Limits of the retry loop. */
export interface RetryPolicy {
  /** Attempts in total, including the first. */
  maxAttempts: number;
  /** First backoff step in ms (doubled per attempt, with full jitter). */
  baseDelayMs: number;
  /** Upper bound of one backoff step in ms (server-advised waits may be longer, within the budget). */
  maxDelayMs: number;
  /** Upper bound of all waits of one request in ms. */
  budgetMs: number;
}

/** The default policy: 4 attempts, 0.5 s doubling up to 10 s, at most 60 s of waiting in total. */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  budgetMs: 60_000,
});

/** Statuses that say "come back later"; the server rejected the request before doing anything. */
export const SAFE_RETRY_STATUSES: ReadonlySet<number> = new Set([429, 503]);

/** Statuses after which the request may or may not have been processed. */
export const AMBIGUOUS_RETRY_STATUSES: ReadonlySet<number> = new Set([502, 504]);

const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);

/** True when sending the request twice has the same effect as sending it once. */
export function isIdempotent(method: string, operation?: string): boolean {
  return operation === "read" || IDEMPOTENT_METHODS.has(method.toUpperCase());
}

/**
 * True when a fetch failure proves the request never left this machine (connection refused, DNS failure), so
 * even a non-idempotent request may be sent again.
 */
export function isNotSentError(error: unknown): boolean {
  const texts: string[] = [];
  const codes: string[] = [];
  let e: unknown = error;
  for (let depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    if (e instanceof Error) {
      texts.push(e.message);
      const code = (e as { code?: unknown }).code;
      if (typeof code === "string") codes.push(code);
      if (e.name === "ConnectionRefused") return true;
      e = e.cause;
    } else {
      texts.push(String(e));
      break;
    }
  }
  if (codes.some((c) => /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EAI_NONAME|ENETUNREACH|EHOSTUNREACH)$/.test(c))) {
    return true;
  }
  // Deno reports connect-phase failures (refused, DNS, unreachable) as "client error (Connect)"; Node/undici
  // uses error codes, handled above.
  return texts.some((t) =>
    /client error \(Connect\)|connection refused|dns error|failed to lookup address|name or service not known/i
      .test(t)
  );
}

/** Where a wait came from, for the `-v` log. */
export type WaitSource = "Retry-After header" | "retryAfterSeconds" | "X-RateLimit-Reset" | "backoff";

/** Inputs to {@link computeWait}. */
export interface WaitInput {
  /** Attempt number that just failed (1-based). */
  attempt: number;
  /** The policy. */
  policy: RetryPolicy;
  /** Response headers, when a response arrived. */
  headers?: Headers;
  /** `retryAfterSeconds` from the error body, when present. */
  bodyRetryAfterSeconds?: number;
  /** Random number in [0, 1). */
  random: () => number;
  /** Current time in epoch ms. */
  now: () => number;
}

/** Milliseconds from a `Retry-After` value: delta-seconds or an HTTP date. */
export function retryAfterMs(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Milliseconds until an `X-RateLimit-Reset` instant. The reference gives epoch seconds; values too small to be
 * an epoch are read as delta-seconds and values too large as epoch milliseconds, because servers differ.
 */
export function rateLimitResetMs(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined || !/^\d+(\.\d+)?$/.test(value.trim())) return undefined;
  const n = Number(value.trim());
  if (n < 1e9) return n * 1000;
  const epochMs = n > 1e12 ? n : n * 1000;
  return Math.max(0, epochMs - now);
}

/**
 * How long to wait before the next attempt: `Retry-After`, else the body's `retryAfterSeconds`, else
 * `X-RateLimit-Reset`, else capped exponential backoff with full jitter.
 */
export function computeWait(input: WaitInput): { ms: number; source: WaitSource } {
  const now = input.now();
  const header = retryAfterMs(input.headers?.get("retry-after"), now);
  if (header !== undefined) return { ms: header, source: "Retry-After header" };
  if (input.bodyRetryAfterSeconds !== undefined) {
    return { ms: input.bodyRetryAfterSeconds * 1000, source: "retryAfterSeconds" };
  }
  const reset = rateLimitResetMs(input.headers?.get("x-ratelimit-reset"), now);
  if (reset !== undefined) return { ms: reset, source: "X-RateLimit-Reset" };
  const { baseDelayMs, maxDelayMs } = input.policy;
  const cap = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, input.attempt - 1));
  // Full jitter spreads the retries of many clients throttled at the same moment.
  return { ms: Math.floor(input.random() * cap), source: "backoff" };
}
