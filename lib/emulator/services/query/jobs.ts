/**
 * Query jobs: what `query:execute` started and `query:poll`/`query:cancel` look up by request token.
 *
 * A job's outcome is computed when it starts; what changes over time is only which state the clock reveals
 * (RUNNING until `doneAt`, then the outcome, gone after the TTL). Keeping state a pure function of the clock
 * makes the 202 → poll → 200 → 410 sequence deterministic under an injected clock, and lets jobs live in the
 * store (so a CLI process can poll what another one started).
 *
 * @module
 */

import type { ErrorExtras } from "../../envelope.ts";
import type { EmulatorStore } from "../../types.ts";

/** Store collection of query jobs, keyed by request token. */
export const JOBS_COLLECTION = "query.jobs";

/** How long a job's tombstone outlives its TTL, so late polls get 410 rather than 404. */
export const TOMBSTONE_MS = 3_600_000;

/** What a finished job answers. */
export type JobOutcome =
  | { kind: "result"; result: Record<string, unknown> }
  | { kind: "error"; status: number; message: string; extras: ErrorExtras }
  | { kind: "gone" };

/** A started query. */
export interface QueryJob {
  /** The token clients poll with. */
  requestToken: string;
  /** The query id reported in metadata and errors. */
  queryId: string;
  /** The query text. */
  query: string;
  /** Epoch ms when execute was called. */
  startedAt: number;
  /** Epoch ms when the outcome becomes visible. */
  doneAt: number;
  /** Seconds the outcome stays available after `doneAt`. */
  ttlSeconds: number;
  /** Epoch ms of a successful cancel. */
  cancelledAt?: number;
  /** The outcome. */
  outcome: JobOutcome;
}

/** The state of a job at a point in time; `GONE` covers expired and cancelled jobs. */
export type JobState = "RUNNING" | "SUCCEEDED" | "FAILED" | "GONE";

/** When the job stops being available. */
export function expiresAt(job: QueryJob): number {
  return job.cancelledAt ?? job.doneAt + job.ttlSeconds * 1000;
}

/** The state of `job` at epoch ms `at`. */
export function jobState(job: QueryJob, at: number): JobState {
  if (at >= expiresAt(job) || job.outcome.kind === "gone") return "GONE";
  if (at < job.doneAt) return "RUNNING";
  return job.outcome.kind === "error" ? "FAILED" : "SUCCEEDED";
}

/** Progress in percent: proportional to elapsed time, 100 only when done. */
export function jobProgress(job: QueryJob, at: number): number {
  if (at >= job.doneAt) return 100;
  const total = job.doneAt - job.startedAt;
  return Math.min(99, Math.max(0, Math.floor(((at - job.startedAt) / total) * 100)));
}

/** Seconds the job's outcome remains available at `at` (the full TTL while running). */
export function remainingTtl(job: QueryJob, at: number): number {
  if (at < job.doneAt) return job.ttlSeconds;
  return Math.max(0, Math.ceil((expiresAt(job) - at) / 1000));
}

/** The jobs collection. */
export function jobs(store: EmulatorStore): Map<string, QueryJob> {
  return store.collection<QueryJob>(JOBS_COLLECTION);
}

/** Frees outcomes of expired jobs and forgets tombstones past their grace period. */
export function sweepJobs(store: EmulatorStore, now: number): void {
  const all = jobs(store);
  let changed = false;
  for (const [token, job] of all) {
    const expiry = expiresAt(job);
    if (now >= expiry + TOMBSTONE_MS) {
      all.delete(token);
      changed = true;
    } else if (now >= expiry && job.outcome.kind !== "gone") {
      all.set(token, { ...job, outcome: { kind: "gone" } });
      changed = true;
    }
  }
  if (changed) store.markDirty();
}

/** Number of jobs still running at `now`. */
export function runningJobs(store: EmulatorStore, now: number): number {
  let count = 0;
  for (const job of jobs(store).values()) if (jobState(job, now) === "RUNNING") count++;
  return count;
}
