/**
 * A plan is data (as in Terraform): per resource, what apply would do and exactly how the object changes.
 * `dtctl diff` and `dtctl apply --dry-run` print it, `dtctl plan --out` saves it, `dtctl apply plan.json`
 * executes exactly it, and the GitHub Actions render it as a PR comment.
 *
 * @module
 */

import type { SourceLocation } from "../manifest/types.ts";

/** What apply does to one resource. */
export type PlanAction = "create" | "update" | "delete" | "unchanged";

/** One changed field, addressed by an RFC 6901 JSON Pointer into the normalised object. */
export interface FieldChange {
  /** JSON Pointer, e.g. `/tasks/notify/input/channel`. */
  path: string;
  /** add: only in desired; remove: only in actual; replace: in both, different. */
  op: "add" | "remove" | "replace";
  /** Value in the live object (absent for add). */
  before?: unknown;
  /** Value in the desired object (absent for remove). */
  after?: unknown;
}

/** One RFC 6902 JSON Patch operation. */
export interface JsonPatchOperation {
  /** Operation. */
  op: "add" | "remove" | "replace" | "move" | "copy" | "test";
  /** Target JSON Pointer. */
  path: string;
  /** New value (add, replace, test). */
  value?: unknown;
  /** Source pointer (move, copy). */
  from?: string;
}

/** The plan for one resource. */
export interface PlanEntry {
  /** Manifest kind (Workflow, Dashboard, ...). */
  kind: string;
  /** `metadata.name`. */
  name: string;
  /** What apply would do. */
  action: PlanAction;
  /** Remote id of the live object (absent for create). */
  id?: string;
  /** The live object's version when planned; apply of a saved plan refuses a resource whose version moved. */
  liveVersion?: string;
  /** Where the manifest is (absent for deletions by prune). */
  source?: SourceLocation;
  /** Field-level changes between normalised live and desired objects (empty when unchanged). */
  changes: FieldChange[];
  /** RFC 6902 patch turning the normalised live object into the desired one. */
  patch: JsonPatchOperation[];
  /** Unified diff of the YAML renderings (live → desired); empty when unchanged. */
  diff: string;
  /** The normalised desired object (create and update), so a saved plan applies exactly what was shown. */
  desired?: Record<string, unknown>;
}

/** Counts per action. */
export interface PlanSummary {
  /** Resources to create. */
  create: number;
  /** Resources to update. */
  update: number;
  /** Resources to delete (prune). */
  delete: number;
  /** Resources already as desired. */
  unchanged: number;
}

/** A whole plan, deterministic for the same inputs and live state. */
export interface Plan {
  /** Plan format version. */
  formatVersion: 1;
  /** Stack name. */
  stack: string;
  /** Target environment URL. */
  environment: string;
  /** Entries in apply order (dependencies first, then kind, then name). */
  entries: PlanEntry[];
  /** Counts per action. */
  summary: PlanSummary;
}
