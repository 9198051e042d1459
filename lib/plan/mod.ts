/**
 * Configuration as code, the plan: what apply would do per resource (create, update, delete, unchanged) with
 * field changes, an RFC 6902 patch and a unified diff; how it is computed (`createPlan`), rendered (text,
 * Markdown, JSON) and saved for a later `dtctl apply plan.json`.
 *
 * @module
 */

export * from "./types.ts";
export type { Identity, ManagedKind } from "./adapter.ts";
export { PINNED_ID_ANNOTATION } from "./adapter.ts";
export { formatSummaryCounts, hasChanges, sortEntries, summarize } from "./summary.ts";
export * from "./render.ts";
export {
  attachPlanBasis,
  createPlan,
  DEFAULT_PLAN_CONCURRENCY,
  defaultKinds,
  type IdentifiedManifest,
  identifyManifests,
  identityNamespace,
  kindIndex,
  placeholderTargets,
  type PlanBasis,
  planBasis,
  type PlanOptions,
  referencePlaceholder,
  resolvePlaceholders,
  resourceError,
  resourceKey,
  retryRead,
} from "./plan.ts";
export {
  checkSavedPlanTarget,
  parseSavedPlan,
  renderSavedPlan,
  SAVED_PLAN_FORMAT,
  type SavedPlanFile,
  type SavedPlanSection,
  type SavedPlanTarget,
} from "./saved.ts";
