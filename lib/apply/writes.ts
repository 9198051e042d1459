/**
 * The writes of apply, made safe to repeat.
 *
 * A create is never replayed blindly: after an ambiguous failure (5xx, lost connection, timeout: the request may
 * have been processed) the object is looked up by its deterministic identity first. If it exists with the
 * desired content, the failed attempt created it and that is success; if it exists partly (e.g. a document whose
 * follow-up label patch failed) it is updated to the desired content; only if it does not exist is the create
 * sent again. Updates and deletes carry the kind's optimistic locking, and are repeated after an ambiguous
 * failure only when a fresh read shows the object still at the version the write was based on.
 *
 * @module
 */

import { semanticEqual } from "../diff/canonical.ts";
import { DtctlError, isDtctlError } from "../errors/mod.ts";
import type { Identity, ManagedKind } from "../plan/adapter.ts";
import { retryRead } from "../plan/plan.ts";
import type { KindContext, RemoteObject } from "../resources/types.ts";

/** Attempts per write, including the first. */
const MAX_ATTEMPTS = 3;

/** Failures after which a write may or may not have been processed. */
export function isAmbiguous(error: unknown): boolean {
  return isDtctlError(error, "server_error") || isDtctlError(error, "network_error") ||
    isDtctlError(error, "timeout");
}

/** What the write helpers need. */
export interface WriteContext {
  /** The kind context (without an abort signal: a write in flight is never cut off). */
  context: KindContext;
  /** The adapter. */
  kind: ManagedKind;
  /** The resource's identity. */
  identity: Identity;
  /** `Kind/name`, for messages. */
  label: string;
  /** True once no further attempts should start (interruption). */
  stopped(): boolean;
}

function pause(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
}

async function lookup(w: WriteContext, original: unknown): Promise<RemoteObject | undefined> {
  try {
    return await retryRead(() => w.kind.find(w.context, w.identity));
  } catch {
    // Without an answer nobody can tell whether the write landed: report the write's own failure.
    throw original;
  }
}

/** Whether a live object already has the desired content. */
export function matches(kind: ManagedKind, live: RemoteObject, desired: RemoteObject): boolean {
  return semanticEqual(kind.normalize(live, desired), desired);
}

/**
 * Creates the desired object (see the module documentation). A conflict (the identity is taken) is success when
 * the existing object already has the desired content; otherwise, with `force`, the existing object is updated,
 * and without it the conflict is thrown.
 */
export async function createSafely(
  w: WriteContext,
  desired: RemoteObject,
  force: boolean,
): Promise<{ live: RemoteObject; note?: string }> {
  // Set once an attempt failed ambiguously: a later "already exists" is then most likely that attempt's doing.
  let mayHaveLanded = false;
  for (let attempt = 1;; attempt++) {
    try {
      return { live: await w.kind.create(w.context, desired) };
    } catch (error) {
      // The client's own existence check after an ambiguous failure reports a conflict naming that failure:
      // then the object most likely exists because of this very create.
      const ours = isDtctlError(error, "conflict") && error.details.ambiguousFailure !== undefined;
      const conflict = isDtctlError(error, "conflict") && !ours;
      if (!conflict && !ours && !isAmbiguous(error)) throw error;
      const found = await lookup(w, error);
      if (found) {
        if (matches(w.kind, found, desired)) {
          return { live: found, note: conflict && !mayHaveLanded ? "already existed as desired" : undefined };
        }
        if (!conflict || mayHaveLanded) {
          // Our attempt landed only partly (e.g. created, but a follow-up write failed): finish it.
          return { live: await updateSafely(w, found, desired) };
        }
        if (force) {
          return { live: await updateSafely(w, found, desired), note: "existed; overwritten (--force)" };
        }
        throw new DtctlError(
          "conflict",
          `${w.label} was created by someone else since the plan (${w.identity.key}); not overwritten`,
          {
            hint: "Run dtctl diff to see it, then apply again (or use --force to overwrite it).",
            details: { resource: w.label, identity: w.identity.key },
            cause: error,
          },
        );
      }
      if (conflict || attempt >= MAX_ATTEMPTS || w.stopped()) throw error;
      mayHaveLanded = true;
      await pause(attempt);
    }
  }
}

/**
 * Updates `live` to `desired` with the kind's optimistic locking. After an ambiguous failure: success when the
 * object now has the desired content, another attempt when it is still at the version of `live`, else the
 * failure is thrown.
 */
export async function updateSafely(
  w: WriteContext,
  live: RemoteObject,
  desired: RemoteObject,
): Promise<RemoteObject> {
  let current = live;
  for (let attempt = 1;; attempt++) {
    try {
      return await w.kind.update(w.context, current, desired);
    } catch (error) {
      if (!isAmbiguous(error)) throw error;
      const found = await lookup(w, error);
      if (!found) throw error;
      if (matches(w.kind, found, desired)) return found;
      if (w.kind.version(found) !== w.kind.version(current) || attempt >= MAX_ATTEMPTS || w.stopped()) {
        throw error;
      }
      current = found;
      await pause(attempt);
    }
  }
}

/**
 * Deletes `live` with the kind's locking. Already gone (404, or not found after an ambiguous failure) is
 * success; after an ambiguous failure the delete is repeated only while the object is still at the same version.
 */
export async function deleteSafely(w: WriteContext, live: RemoteObject): Promise<{ note?: string }> {
  let current = live;
  for (let attempt = 1;; attempt++) {
    try {
      await w.kind.delete(w.context, current);
      return {};
    } catch (error) {
      if (isDtctlError(error, "not_found")) return { note: "already deleted" };
      if (!isAmbiguous(error)) throw error;
      const found = await lookup(w, error);
      if (!found) return {};
      if (w.kind.version(found) !== w.kind.version(current) || attempt >= MAX_ATTEMPTS || w.stopped()) {
        throw error;
      }
      current = found;
      await pause(attempt);
    }
  }
}
