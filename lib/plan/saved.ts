/**
 * Saved plans (`dtctl plan --out plan.json`, then `dtctl apply plan.json`): the plan exactly as
 * `renderPlanJson` writes it, plus a `saved` section with what apply needs to execute exactly that plan later
 * (identities, the prune flag, the inventory version it was planned against) and a content hash.
 *
 * Applying a saved plan refuses another environment or stack, a file changed after it was written, and (in
 * apply) any resource whose live version moved since: what was reviewed is what is applied, or nothing.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { normalizeEnvironmentUrl } from "../client/mod.ts";
import { canonicalize } from "../diff/canonical.ts";
import { DtctlError } from "../errors/mod.ts";
import { parseInventoryContent } from "../inventory/mod.ts";
import type { Identity } from "./adapter.ts";
import { attachPlanBasis, type PlanBasis, planBasis, resourceKey } from "./plan.ts";
import { summarize } from "./summary.ts";
import type { Plan, PlanEntry } from "./types.ts";

/** The marker of a saved plan file. */
export const SAVED_PLAN_FORMAT = "dtctl-saved-plan";

/** The `saved` section of a saved plan file. */
export interface SavedPlanSection {
  /** {@link SAVED_PLAN_FORMAT}. */
  format: string;
  /** `sha256:<hex>` of the canonical JSON of the file without this field. */
  hash: string;
  /** Whether deletions of objects that left the repository were planned. */
  prune: boolean;
  /** Identity per `Kind/name` of every entry. */
  identities: Record<string, Identity>;
  /** The inventory the plan was made against: apply refuses to run if it changed since. */
  inventory: { exists: boolean; version?: number };
  /** Inventory objects found gone while pruning; apply drops them from the inventory. */
  gone: { kind: string; name: string; id: string; key: string; externalId?: string }[];
}

/** A saved plan file's content. */
export interface SavedPlanFile extends Plan {
  /** What apply needs beyond the plan. */
  saved: SavedPlanSection;
}

function hashOf(value: unknown): string {
  return `sha256:${createHash("sha256").update(JSON.stringify(canonicalize(value))).digest("hex")}`;
}

/**
 * The saved plan file for a plan made by `createPlan` (canonical JSON, keys sorted, final newline). Deterministic:
 * the same plan gives the same bytes.
 *
 * @throws DtctlError `error` for a plan without a basis (not made by `createPlan` or loaded from a file).
 */
export function renderSavedPlan(plan: Plan): string {
  const basis = planBasis(plan);
  if (!basis) {
    throw new DtctlError("error", "only a plan made by createPlan can be saved", { userError: false });
  }
  const identities: Record<string, Identity> = {};
  for (const entry of plan.entries) {
    const label = resourceKey(entry.kind, entry.name);
    const identity = basis.identities.get(label);
    if (identity) identities[label] = identity;
  }
  const section: Omit<SavedPlanSection, "hash"> = {
    format: SAVED_PLAN_FORMAT,
    prune: basis.prune,
    identities,
    inventory: {
      exists: basis.inventory.exists,
      ...(basis.inventory.version === undefined ? {} : { version: basis.inventory.version }),
    },
    gone: basis.gone,
  };
  const unsigned = { ...plan, saved: section };
  const file: SavedPlanFile = { ...plan, saved: { ...section, hash: hashOf(unsigned) } };
  return `${JSON.stringify(canonicalize(file), null, 2)}\n`;
}

function invalid(file: string, problem: string, hint?: string): DtctlError {
  return new DtctlError("validation_error", `${file}: ${problem}`, {
    hint: hint ?? "Make a new plan with `dtctl plan -f PATH --out FILE` and apply that file unchanged.",
    details: { file },
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

const ACTIONS = new Set(["create", "update", "delete", "unchanged"]);

function checkEntry(file: string, entry: unknown, i: number, identities: Record<string, unknown>): PlanEntry {
  const where = `entries[${i}]`;
  if (!isRecord(entry)) throw invalid(file, `${where} is not an object`);
  const { kind, name, action, id, liveVersion, desired } = entry;
  if (typeof kind !== "string" || typeof name !== "string" || kind === "" || name === "") {
    throw invalid(file, `${where} has no kind and name`);
  }
  if (typeof action !== "string" || !ACTIONS.has(action)) {
    throw invalid(file, `${where} (${kind}/${name}) has an unknown action ${JSON.stringify(action)}`);
  }
  const label = resourceKey(kind, name);
  if ((action === "create" || action === "update") && !isRecord(desired)) {
    throw invalid(file, `${where} (${label}) has no desired object`);
  }
  if (
    (action === "update" || action === "delete") &&
    (typeof id !== "string" || typeof liveVersion !== "string")
  ) {
    throw invalid(file, `${where} (${label}) has no id and liveVersion`);
  }
  const identity = identities[label];
  if (action !== "unchanged" && (!isRecord(identity) || typeof identity.key !== "string")) {
    throw invalid(file, `${where} (${label}) has no identity in saved.identities`);
  }
  return entry as unknown as PlanEntry;
}

/**
 * Parses and verifies a saved plan file (`file` names it in messages): the format marker, the plan format
 * version, the content hash (a file edited after `dtctl plan --out` is refused) and the shape of every entry.
 * Returns the plan with its basis attached (without live objects: apply reads them again).
 *
 * @throws DtctlError `validation_error` naming the file and what is wrong.
 */
export function parseSavedPlan(text: string, file: string): Plan {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw invalid(file, `is not a saved plan: not valid JSON (${(error as Error).message})`);
  }
  if (!isRecord(value) || !isRecord(value.saved) || value.saved.format !== SAVED_PLAN_FORMAT) {
    throw invalid(
      file,
      "is not a saved plan (no saved section); `dtctl apply` takes manifests with -f, or a file written by " +
        "`dtctl plan --out`",
    );
  }
  if (value.formatVersion !== 1) {
    throw invalid(
      file,
      `has plan formatVersion ${JSON.stringify(value.formatVersion)}; this dtctl applies formatVersion 1`,
    );
  }
  const saved = value.saved;
  const { hash, ...unsignedSection } = saved;
  if (typeof hash !== "string" || hashOf({ ...value, saved: unsignedSection }) !== hash) {
    throw invalid(
      file,
      "was changed after it was saved (its content hash does not match); refusing to apply it",
      "Apply only unmodified plan files; make a new one with `dtctl plan -f PATH --out FILE`.",
    );
  }
  if (
    typeof value.stack !== "string" || typeof value.environment !== "string" || !Array.isArray(value.entries)
  ) {
    throw invalid(file, "has no stack, environment or entries");
  }
  const identities = isRecord(saved.identities) ? saved.identities : {};
  const entries = value.entries.map((entry, i) => checkEntry(file, entry, i, identities));
  const inventory = isRecord(saved.inventory) ? saved.inventory : {};
  const gone = parseInventoryContent(value.stack, {
    stack: value.stack,
    formatVersion: 1,
    objects: Array.isArray(saved.gone) ? saved.gone : [],
  });
  const plan: Plan = {
    formatVersion: 1,
    stack: value.stack,
    environment: value.environment,
    entries,
    summary: summarize(entries),
  };
  const basis: PlanBasis = {
    prune: saved.prune === true,
    identities: new Map(Object.entries(identities) as [string, Identity][]),
    inventory: {
      stack: value.stack,
      exists: inventory.exists === true,
      ...(typeof inventory.version === "number" ? { version: inventory.version } : {}),
      objects: [],
    },
    gone,
    orphans: [],
  };
  attachPlanBasis(plan, basis);
  return plan;
}

/** What a saved plan must match to be applied. */
export interface SavedPlanTarget {
  /** The target environment URL (compared after normalisation). */
  environment: string;
  /** The stack, when the caller knows it (project file or `--stack`). */
  stack?: string;
}

function sameEnvironment(a: string, b: string): boolean {
  try {
    return normalizeEnvironmentUrl(a) === normalizeEnvironmentUrl(b);
  } catch {
    return a === b;
  }
}

/**
 * Refuses a saved plan made for another environment or stack (`validation_error` naming both), so a plan
 * reviewed for staging can never be applied to production.
 */
export function checkSavedPlanTarget(plan: Plan, target: SavedPlanTarget, file = "the plan"): void {
  if (!sameEnvironment(plan.environment, target.environment)) {
    throw invalid(
      file,
      `was made for environment ${plan.environment}, but the target is ${target.environment}; refusing to apply it`,
      "Select the environment the plan was made for (--env or --context), or make a new plan for this one.",
    );
  }
  if (target.stack !== undefined && plan.stack !== target.stack) {
    throw invalid(
      file,
      `was made for stack "${plan.stack}", but the stack here is "${target.stack}"; refusing to apply it`,
      "Apply it from the repository (project file) it was made for, or make a new plan.",
    );
  }
}
