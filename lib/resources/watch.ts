/**
 * `get --watch` as a library function: poll a kind's list, diff by id and content hash, and report what was
 * added, modified or deleted, until the signal aborts.
 *
 * @module
 */

import { DtctlError, isDtctlError, usageError } from "../errors/mod.ts";
import { sleep as abortableSleep } from "../client/mod.ts";
import { canonicalJson, listObjects, objectId } from "./registry.ts";
import type { KindContext, ListOptions, RemoteObject, ResourceKind } from "./types.ts";

/** One change seen by {@link watchObjects}. */
export interface WatchEvent {
  /** What happened. */
  type: "added" | "modified" | "deleted";
  /** The object (for `deleted`, as it was last seen). */
  object: RemoteObject;
  /** True for the objects of the first listing. */
  initial: boolean;
}

/** Options of {@link watchObjects}. */
export interface WatchOptions extends ListOptions {
  /** Poll interval in ms (default 2000; less than 1000 is a usage error). */
  intervalMs?: number;
  /** Longest interval while backing off after 429s, in ms (default 60 000). */
  maxIntervalMs?: number;
  /** Skip the initial listing: report only changes. */
  watchOnly?: boolean;
  /** Stops the watch (it then returns normally); defaults to the context's signal. */
  signal?: AbortSignal;
  /** Waits between polls; must reject when the signal aborts. Injectable for tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Told when the environment throttles and the interval doubles. */
  onBackoff?: (intervalMs: number, error: DtctlError) => void;
  /** Called after every completed poll with the current objects (after their events). */
  onPoll?: (objects: RemoteObject[]) => void | Promise<void>;
}

/** Shortest poll interval (ms). */
export const MIN_WATCH_INTERVAL_MS = 1000;
/** Default poll interval (ms). */
export const DEFAULT_WATCH_INTERVAL_MS = 2000;

/** A 53-bit hash of an object's canonical JSON (key order does not matter). */
export function contentHash(object: RemoteObject): string {
  const text = canonicalJson(object);
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/**
 * Polls the list of a kind and calls `onEvent` for every change, until the signal aborts (then it returns
 * normally). The first listing is reported as `added` events with `initial: true` unless `watchOnly`. A
 * `rate_limited` failure doubles the interval (up to `maxIntervalMs`) and the watch goes on; the interval goes
 * back to normal after the next successful poll. Any other failure ends the watch by throwing.
 */
export async function watchObjects(
  context: KindContext,
  kind: ResourceKind,
  options: WatchOptions,
  onEvent: (event: WatchEvent) => void | Promise<void>,
): Promise<void> {
  const baseInterval = options.intervalMs ?? DEFAULT_WATCH_INTERVAL_MS;
  if (!Number.isFinite(baseInterval) || baseInterval < MIN_WATCH_INTERVAL_MS) {
    throw usageError(`the watch interval must be at least 1s (got ${baseInterval}ms)`, {
      details: { flag: "--interval", value: baseInterval },
    });
  }
  const maxInterval = Math.max(baseInterval, options.maxIntervalMs ?? 60_000);
  const signal = options.signal ?? context.signal;
  const sleep = options.sleep ?? abortableSleep;
  const listContext: KindContext = { ...context, signal };
  let known: Map<string, { hash: string; object: RemoteObject }> | undefined;
  let interval = baseInterval;
  while (!signal?.aborted) {
    let objects: RemoteObject[] | undefined;
    try {
      objects = await listObjects(listContext, kind, options);
    } catch (error) {
      if (signal?.aborted) return;
      if (!isDtctlError(error, "rate_limited")) throw error;
      interval = Math.min(interval * 2, maxInterval);
      options.onBackoff?.(interval, error);
    }
    if (objects !== undefined) {
      interval = baseInterval;
      const current = new Map<string, { hash: string; object: RemoteObject }>();
      for (const object of objects) {
        current.set(objectId(kind, object), { hash: contentHash(object), object });
      }
      if (known === undefined) {
        if (!options.watchOnly) {
          for (const { object } of current.values()) await onEvent({ type: "added", object, initial: true });
        }
      } else {
        for (const [id, entry] of current) {
          const before = known.get(id);
          if (!before) await onEvent({ type: "added", object: entry.object, initial: false });
          else if (before.hash !== entry.hash) {
            await onEvent({ type: "modified", object: entry.object, initial: false });
          }
        }
        for (const [id, entry] of known) {
          if (!current.has(id)) await onEvent({ type: "deleted", object: entry.object, initial: false });
        }
      }
      known = current;
      await options.onPoll?.(objects);
    }
    try {
      await sleep(interval, signal);
    } catch (error) {
      if (signal?.aborted) return;
      throw error instanceof DtctlError ? error : new DtctlError("error", String(error), { cause: error });
    }
  }
}
