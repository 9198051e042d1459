/**
 * A concurrency limit and a client-side rate limit, shared by all requests of a client (and by bulk operations
 * that want the same budget).
 *
 * The Go dtctl had neither (`dtctl-go-notes.md` §9): everything was sequential. Going parallel without a bound
 * would trade slowness for 429 storms, so every request passes through one {@link Limiter}.
 *
 * @module
 */

import { DtctlError } from "../errors/mod.ts";
import { sleep as defaultSleep } from "./abort.ts";

/** Options of {@link createLimiter}. */
export interface LimiterOptions {
  /** Maximum number of tasks running at once; default 8. `Infinity` disables the limit. */
  concurrency?: number;
  /** Maximum number of task starts per second; default unlimited. */
  ratePerSecond?: number;
  /** Waits; injectable for tests. Must reject when the signal aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Clock in epoch ms; injectable for tests. */
  now?: () => number;
}

/** Runs tasks within a concurrency limit and a start-rate limit. */
export interface Limiter {
  /**
   * Runs `fn` once a slot is free and the rate allows another start; the slot is held until `fn` settles.
   * Rejects with DtctlError `aborted` if the signal aborts while waiting (then `fn` never runs).
   */
  run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Tasks running now. */
  readonly active: number;
  /** Tasks waiting for a slot. */
  readonly pending: number;
}

function abortedError(signal: AbortSignal): DtctlError {
  return new DtctlError("aborted", "The operation was aborted.", { cause: signal.reason });
}

function positiveOr(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!(value > 0)) {
    throw new DtctlError("config_error", `${name} must be a positive number, got ${value}.`, {
      hint: `Set ${name} to 1 or more (or leave it unset).`,
    });
  }
  return value;
}

/** Creates a {@link Limiter}. */
export function createLimiter(options: LimiterOptions = {}): Limiter {
  const concurrency = positiveOr(options.concurrency, 8, "concurrency");
  const rate = positiveOr(options.ratePerSecond, Infinity, "rate limit");
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  // Spacing rather than a bucket with burst: "N per second" then holds over any window, which is what a user
  // setting a limit to protect a tenant expects.
  const intervalMs = Number.isFinite(rate) ? 1000 / rate : 0;
  let nextStart = -Infinity;
  let active = 0;
  const queue: Array<() => void> = [];

  const acquire = (signal?: AbortSignal): Promise<void> => {
    if (signal?.aborted) return Promise.reject(abortedError(signal));
    if (active < concurrency) {
      active++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener("abort", onAbort);
        active++;
        resolve();
      };
      const onAbort = () => {
        const i = queue.indexOf(grant);
        if (i >= 0) queue.splice(i, 1);
        reject(abortedError(signal!));
      };
      queue.push(grant);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  };

  const release = () => {
    active--;
    const next = queue.shift();
    if (next) next();
  };

  const waitForRate = async (signal?: AbortSignal) => {
    if (intervalMs === 0) return;
    const t = now();
    const at = Math.max(t, nextStart + intervalMs);
    // Reserve the slot before sleeping so concurrent callers queue up behind each other.
    nextStart = at;
    if (at > t) {
      try {
        await sleep(at - t, signal);
      } catch (error) {
        if (signal?.aborted) throw abortedError(signal);
        throw error;
      }
    }
  };

  return {
    async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
      await acquire(signal);
      try {
        await waitForRate(signal);
        return await fn();
      } finally {
        release();
      }
    },
    get active() {
      return active;
    },
    get pending() {
      return queue.length;
    },
  };
}
