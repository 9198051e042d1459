/**
 * Configuration as code, apply: executes a plan in dependency order with bounded concurrency and optimistic
 * locking, never replays a create blindly, reports per resource, and records what the stack manages in its
 * inventory.
 *
 * @module
 */

export { applyPlan, resultError } from "./apply.ts";
export {
  type ApplyOptions,
  type ApplyProgress,
  type ApplyResult,
  type ApplySummary,
  DEFAULT_APPLY_CONCURRENCY,
  type InventoryOutcome,
  type ResourceResult,
  type ResultError,
} from "./types.ts";
export {
  dependencyClosure,
  runSchedule,
  type ScheduleItem,
  type ScheduleOptions,
  type SkipReason,
} from "./schedule.ts";
export { createSafely, deleteSafely, isAmbiguous, updateSafely, type WriteContext } from "./writes.ts";
export { checkPlanSafety } from "./safety.ts";
