/**
 * Contracts of apply: options, per-resource results, progress events and the overall result.
 *
 * @module
 */

import type { ErrorCode } from "../errors/mod.ts";
import type { ManagedKind } from "../plan/adapter.ts";
import type { PlanAction } from "../plan/types.ts";
import type { KindContext } from "../resources/types.ts";

/** Changes applied at once by default. */
export const DEFAULT_APPLY_CONCURRENCY = 8;

/** Options of `applyPlan`. */
export interface ApplyOptions {
  /** Client of the target environment. Its signal, if any, is ignored: use {@link ApplyOptions.signal}. */
  context: KindContext;
  /** Changes in flight at once (default {@link DEFAULT_APPLY_CONCURRENCY}); the client's limits apply as well. */
  concurrency?: number;
  /** Keep going after a failed change (default false: a failure stops scheduling new changes). */
  continueOnError?: boolean;
  /**
   * Overwrite resources changed since the plan (default false: such a resource is a reported `conflict` and is
   * not written).
   */
  force?: boolean;
  /**
   * Stops scheduling new changes (Ctrl+C). Changes already sent are not cancelled: apply waits for them, so no
   * write is left half-done, and reports what was done.
   */
  signal?: AbortSignal;
  /** Called as changes start and finish (the CLI prints progress from it). */
  onProgress?: (event: ApplyProgress) => void;
  /** The config-as-code kinds in dependency order (default: the built-in ones). */
  kinds?: readonly ManagedKind[];
}

/** The error of a failed or skipped change, as data (JSON output, agent envelope). */
export interface ResultError {
  /** Stable error code. */
  code: ErrorCode;
  /** What went wrong. */
  message: string;
  /** What to do. */
  hint?: string;
  /** The exit code of this error. */
  exitCode: number;
}

/** What happened to one resource. */
export interface ResourceResult {
  /** Manifest kind. */
  kind: string;
  /** `metadata.name`. */
  name: string;
  /** The planned action. */
  action: PlanAction;
  /** `ok`: done (or nothing to do); `failed`: tried and failed; `skipped`: not tried. */
  status: "ok" | "failed" | "skipped";
  /** The server id (after a create: the new id). */
  id?: string;
  /** Why it failed or was skipped. */
  error?: ResultError;
  /** A remark, e.g. "already deleted" or "overwritten (--force)". */
  note?: string;
}

/** Counts of an apply. */
export interface ApplySummary {
  /** Resources created. */
  created: number;
  /** Resources updated. */
  updated: number;
  /** Resources deleted. */
  deleted: number;
  /** Resources already as desired. */
  unchanged: number;
  /** Changes that failed. */
  failed: number;
  /** Changes not tried (an earlier failure, an interruption, a failed dependency). */
  skipped: number;
}

/** What happened to the stack's inventory. */
export interface InventoryOutcome {
  /** `written`: updated; `unchanged`: nothing to record; `failed`: could not be read or written. */
  status: "written" | "unchanged" | "failed";
  /** Objects recorded (after the apply). */
  objects: number;
  /** Why it failed. */
  error?: ResultError;
}

/** The result of an apply. */
export interface ApplyResult {
  /** True when every change succeeded, nothing was skipped and the inventory is recorded. */
  ok: boolean;
  /** True when the signal stopped the apply early. */
  aborted: boolean;
  /** One result per plan entry, in plan order. */
  results: ResourceResult[];
  /** Counts. */
  summary: ApplySummary;
  /** The inventory update. */
  inventory: InventoryOutcome;
  /** 0 on success; else the exit code of the first failure in plan order (e.g. 6 for a conflict). */
  exitCode: number;
}

/** A progress event. */
export interface ApplyProgress {
  /** `start`: a change was sent; `done`: it finished (see `result`). */
  type: "start" | "done";
  /** Manifest kind. */
  kind: string;
  /** `metadata.name`. */
  name: string;
  /** The planned action. */
  action: PlanAction;
  /** The result (for `done`). */
  result?: ResourceResult;
  /** Changes finished so far. */
  done: number;
  /** Changes in the plan (entries other than `unchanged`). */
  total: number;
}
