/**
 * Counting and ordering plan entries: the summary line every renderer prints and the apply order.
 *
 * @module
 */

import { canonicalize } from "../diff/mod.ts";
import { compareCodePoints } from "../diff/canonical.ts";
import type { Plan, PlanEntry, PlanSummary } from "./types.ts";

/** Counts entries per action. */
export function summarize(entries: readonly PlanEntry[]): PlanSummary {
  const summary: PlanSummary = { create: 0, update: 0, delete: 0, unchanged: 0 };
  for (const entry of entries) summary[entry.action]++;
  return summary;
}

/** The counts as `N to create, N to update, N to delete, N unchanged`, shared by the text and PR renderings. */
export function formatSummaryCounts(summary: PlanSummary): string {
  return `${summary.create} to create, ${summary.update} to update, ${summary.delete} to delete, ` +
    `${summary.unchanged} unchanged`;
}

// Fixed order of otherwise identical keys, so sorting never depends on the input order.
const ACTION_RANK: Record<PlanEntry["action"], number> = { create: 0, update: 1, unchanged: 2, delete: 3 };

/**
 * Sorts entries into apply order.
 *
 * Creates, updates and unchanged entries come first in dependency order: by the position of their kind in
 * `kindOrder` (kinds that others depend on first, e.g. `["Bucket", "Segment", "Workflow", "Dashboard"]`; kinds
 * not listed after all listed ones), then kind, then name. Deletes come last in *reverse* dependency order
 * (dependents are removed before what they depend on; unlisted kinds first), then kind, then name. Names and
 * kinds compare by code point. Ties (which a valid plan does not have) fall back to action and id, so the result
 * is the same for any input order. Returns a new array.
 */
export function sortEntries(entries: readonly PlanEntry[], kindOrder: readonly string[]): PlanEntry[] {
  const rank = new Map<string, number>();
  kindOrder.forEach((kind, i) => {
    if (!rank.has(kind)) rank.set(kind, i);
  });
  const rankOf = (kind: string) => rank.get(kind) ?? kindOrder.length;
  return [...entries].sort((a, b) => {
    const aDelete = a.action === "delete";
    const bDelete = b.action === "delete";
    if (aDelete !== bDelete) return aDelete ? 1 : -1;
    const byRank = aDelete ? rankOf(b.kind) - rankOf(a.kind) : rankOf(a.kind) - rankOf(b.kind);
    return byRank ||
      compareCodePoints(a.kind, b.kind) ||
      compareCodePoints(a.name, b.name) ||
      ACTION_RANK[a.action] - ACTION_RANK[b.action] ||
      compareCodePoints(a.id ?? "", b.id ?? "") ||
      // Entries equal in every key above (possible only in malformed input) still get one order: a total
      // comparator keeps the output independent of the input order.
      compareCodePoints(JSON.stringify(canonicalize(a)), JSON.stringify(canonicalize(b)));
  });
}

/** True when applying the plan would change anything (any entry other than `unchanged`). */
export function hasChanges(plan: Pick<Plan, "entries">): boolean {
  return plan.entries.some((entry) => entry.action !== "unchanged");
}
