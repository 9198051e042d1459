/**
 * Apply: executes a plan, exactly as planned.
 *
 * - Order and concurrency: see `schedule.ts` (dependencies first, deletes last, at most `concurrency` changes in
 *   flight; every request also passes the client's limiter and rate limiter).
 * - Optimistic locking on every update and delete: a plan made in this process updates the very objects it read
 *   (the kind's locking makes a change by someone else since then a `conflict`); a saved plan reads each object
 *   again first and refuses one whose version moved since the plan. `force` overwrites instead.
 * - References: `(known after apply: Kind/name)` placeholders are replaced with the ids of objects created earlier
 *   in the same run.
 * - Writes are safe to repeat (see `writes.ts`): a create is never replayed blindly.
 * - A failure stops scheduling new changes unless `continueOnError`; the signal (Ctrl+C) stops scheduling too.
 *   Changes in flight always finish, and every resource gets a result: ok, failed or skipped.
 * - The stack's inventory is updated at the end with what is now managed, also after failures and
 *   interruptions (what exists is recorded; an entry is dropped only for an object that is gone).
 *
 * Running apply again after any failure converges: the next plan finds every object by its identity.
 *
 * @module
 */

import { checkPlanSafety } from "./safety.ts";
import { DtctlError, isDtctlError, usageError } from "../errors/mod.ts";
import {
  type Inventory,
  inventoryLabel,
  type InventoryObject,
  readInventory,
  sameInventoryObjects,
  writeInventory,
} from "../inventory/mod.ts";
import type { ManagedKind } from "../plan/adapter.ts";
import {
  defaultKinds,
  kindIndex,
  placeholderTargets,
  type PlanBasis,
  planBasis,
  resolvePlaceholders,
  resourceError,
  resourceKey,
  retryRead,
} from "../plan/plan.ts";
import type { Plan, PlanEntry } from "../plan/types.ts";
import type { KindContext, RemoteObject } from "../resources/types.ts";
import { runSchedule, type ScheduleItem, type SkipReason } from "./schedule.ts";
import {
  type ApplyOptions,
  type ApplyResult,
  type ApplySummary,
  DEFAULT_APPLY_CONCURRENCY,
  type InventoryOutcome,
  type ResourceResult,
  type ResultError,
} from "./types.ts";
import { createSafely, deleteSafely, matches, updateSafely, type WriteContext } from "./writes.ts";

/** A failure as result data. */
export function resultError(error: unknown): ResultError {
  if (error instanceof DtctlError) {
    return {
      code: error.code,
      message: error.message,
      ...(error.hint ? { hint: error.hint } : {}),
      exitCode: error.exitCode,
    };
  }
  return { code: "error", message: error instanceof Error ? error.message : String(error), exitCode: 1 };
}

interface Item extends ScheduleItem {
  entry: PlanEntry;
  index: number;
}

function changedSinceError(
  label: string,
  planned: string | undefined,
  now: string,
  what: string,
): DtctlError {
  return new DtctlError(
    "conflict",
    `${label} was changed by someone else since the plan (version ${planned} → ${now}); not ${what}`,
    {
      hint: "Run dtctl diff to see the change and apply again, or use --force to overwrite it.",
      details: { resource: label, plannedVersion: planned, currentVersion: now },
    },
  );
}

function checkPlan(plan: Plan, basis: PlanBasis, index: Map<string, ManagedKind>): void {
  const problems: string[] = [];
  for (const entry of plan.entries) {
    if (entry.action === "unchanged") continue;
    const label = resourceKey(entry.kind, entry.name);
    if (!index.has(entry.kind)) problems.push(`${label}: kind ${entry.kind} cannot be applied by this dtctl`);
    else if (!basis.identities.has(label)) problems.push(`${label}: the plan has no identity for it`);
    else if ((entry.action === "create" || entry.action === "update") && !entry.desired) {
      problems.push(`${label}: the plan has no desired object for it`);
    }
  }
  if (problems.length > 0) {
    throw new DtctlError("validation_error", `the plan cannot be applied:\n  ${problems.join("\n  ")}`, {
      hint: "Make a new plan with this dtctl; nothing was changed.",
      details: { problems },
    });
  }
}

/** The objects the inventory records after the apply (see the module documentation). */
async function nextInventory(
  plan: Plan,
  basis: PlanBasis,
  base: Inventory,
  results: readonly ResourceResult[],
  index: Map<string, ManagedKind>,
  context: KindContext,
): Promise<InventoryObject[]> {
  const objects = new Map(base.objects.map((object) => [inventoryLabel(object), object]));
  for (const gone of basis.gone) {
    if (objects.get(inventoryLabel(gone))?.id === gone.id) objects.delete(inventoryLabel(gone));
  }
  const probes: Promise<void>[] = [];
  plan.entries.forEach((entry, i) => {
    const result = results[i];
    const label = resourceKey(entry.kind, entry.name);
    const identity = basis.identities.get(label);
    const record = (id: string) =>
      objects.set(label, {
        kind: entry.kind,
        name: entry.name,
        id,
        key: identity?.key ?? `id=${id}`,
        ...(identity?.externalId === undefined ? {} : { externalId: identity.externalId }),
      });
    switch (entry.action) {
      case "create":
        if (result.status === "ok" && result.id !== undefined) record(result.id);
        else if (result.status === "failed" && identity && index.has(entry.kind)) {
          // A failed create may still have created the object: record it if it exists.
          const kind = index.get(entry.kind)!;
          probes.push(
            retryRead(() => kind.find(context, identity)).then((live) => {
              if (live) record(kind.idOf(live));
            }, () => {}),
          );
        }
        break;
      case "update":
      case "unchanged": {
        const id = result.id ?? entry.id;
        if (id !== undefined) record(id);
        break;
      }
      case "delete":
        if (result.status === "ok") objects.delete(label);
        break;
    }
  });
  await Promise.all(probes);
  return [...objects.values()];
}

function summarizeResults(results: readonly ResourceResult[]): ApplySummary {
  const summary: ApplySummary = { created: 0, updated: 0, deleted: 0, unchanged: 0, failed: 0, skipped: 0 };
  for (const result of results) {
    if (result.status === "failed") summary.failed++;
    else if (result.status === "skipped") summary.skipped++;
    else if (result.action === "create") summary.created++;
    else if (result.action === "update") summary.updated++;
    else if (result.action === "delete") summary.deleted++;
    else summary.unchanged++;
  }
  return summary;
}

/**
 * Applies a plan made by `createPlan` or loaded by `parseSavedPlan` (see the module documentation). Never
 * throws for a failed change (each gets a `failed` result and the overall `exitCode` says how it ended); throws
 * only for a plan that cannot be applied at all, before anything is written: an unknown kind, a missing identity,
 * or (saved plans) an inventory changed since the plan.
 */
export async function applyPlan(plan: Plan, options: ApplyOptions): Promise<ApplyResult> {
  const concurrency = options.concurrency ?? DEFAULT_APPLY_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw usageError(`concurrency must be a whole number ≥ 1, got ${concurrency}`, {
      details: { flag: "--concurrency", value: concurrency },
    });
  }
  const basis = planBasis(plan);
  if (!basis) {
    throw new DtctlError("error", "applyPlan needs a plan made by createPlan or parseSavedPlan", {
      userError: false,
    });
  }
  const kinds = options.kinds ?? await defaultKinds();
  const index = kindIndex(kinds);
  checkPlan(plan, basis, index);
  await checkPlanSafety(plan, options.context, kinds);
  // Writes get no abort signal: Ctrl+C stops scheduling, never a request that may already have been processed.
  const context: KindContext = { client: options.context.client };
  const force = options.force === true;
  const signal = options.signal;

  let base = basis.inventory;
  if (!basis.live) {
    // A saved plan: the stack's inventory must be as it was planned against, or prune decisions may be stale.
    const fresh = await retryRead(() => readInventory(context.client, plan.stack));
    if ((fresh.exists !== base.exists || fresh.version !== base.version) && !force) {
      throw new DtctlError(
        "conflict",
        `the inventory of stack "${plan.stack}" changed since the plan was made (another apply?); nothing was ` +
          "applied",
        {
          hint: "Make a new plan and apply that (or use --force to apply this one anyway).",
          details: {
            stack: plan.stack,
            plannedVersion: base.version ?? null,
            currentVersion: fresh.version ?? null,
          },
        },
      );
    }
    base = fresh;
  }

  const results: ResourceResult[] = plan.entries.map((entry) => ({
    kind: entry.kind,
    name: entry.name,
    action: entry.action,
    status: entry.action === "unchanged" ? "ok" : "skipped",
    ...(entry.id === undefined ? {} : { id: entry.id }),
  }));
  const items: Item[] = [];
  plan.entries.forEach((entry, i) => {
    if (entry.action === "unchanged") return;
    items.push({
      entry,
      index: i,
      label: resourceKey(entry.kind, entry.name),
      kind: entry.kind,
      isDelete: entry.action === "delete",
      needs: entry.desired ? placeholderTargets(entry.desired) : [],
    });
  });
  const total = items.length;
  let done = 0;
  let failed = false;
  const createdIds = new Map<string, string>();
  const aborted = () => signal?.aborted === true;
  const stopped = () => aborted() || (failed && !options.continueOnError);

  const execute = async (item: Item): Promise<{ id?: string; note?: string }> => {
    const { entry, label } = item;
    const kind = index.get(entry.kind)!;
    const identity = basis.identities.get(label)!;
    const w: WriteContext = { context, kind, identity, label, stopped: aborted };
    const find = () => retryRead(() => kind.find(context, identity));
    const desiredObject = (): RemoteObject => {
      const desired = resolvePlaceholders(entry.desired!, createdIds);
      const unresolved = placeholderTargets(desired);
      if (unresolved.length > 0) {
        throw new DtctlError(
          "validation_error",
          `${label} references ${unresolved.join(", ")}, whose id is not known (not created by this apply)`,
          { hint: "Apply the referenced manifests too, or make a new plan.", details: { unresolved } },
        );
      }
      return desired;
    };
    const created = (live: RemoteObject, note?: string) => {
      const id = kind.idOf(live);
      createdIds.set(label, id);
      return { id, ...(note ? { note } : {}) };
    };

    switch (entry.action) {
      case "create": {
        const desired = desiredObject();
        if (!basis.live) {
          const existing = await find();
          if (existing) {
            if (matches(kind, existing, desired)) return created(existing, "already existed as desired");
            if (!force) {
              throw new DtctlError(
                "conflict",
                `${label} was created by someone else since the plan (${identity.key}); not overwritten`,
                {
                  hint: "Run dtctl diff to see it and apply again, or use --force to overwrite it.",
                  details: { resource: label },
                },
              );
            }
            return created(await updateSafely(w, existing, desired), "existed; overwritten (--force)");
          }
        }
        const { live, note } = await createSafely(w, desired, force);
        return created(live, note);
      }
      case "update": {
        const desired = desiredObject();
        let live = basis.live?.get(label);
        let note: string | undefined;
        if (!live) {
          live = await find();
          if (!live) {
            if (!force) {
              throw new DtctlError(
                "conflict",
                `${label} was deleted by someone else since the plan; not re-created`,
                {
                  hint: "Run dtctl diff and apply again, or use --force to create it again.",
                  details: { resource: label },
                },
              );
            }
            return created((await createSafely(w, desired, force)).live, "was deleted; re-created (--force)");
          }
          const version = kind.version(live);
          if (version !== entry.liveVersion) {
            if (!force) throw changedSinceError(label, entry.liveVersion, version, "overwritten");
            note = "changed since the plan; overwritten (--force)";
          }
        }
        try {
          return { id: kind.idOf(await updateSafely(w, live, desired)), ...(note ? { note } : {}) };
        } catch (error) {
          if (!force || !isDtctlError(error, "conflict")) throw error;
          const fresh = await find();
          if (!fresh) {
            return created((await createSafely(w, desired, force)).live, "was deleted; re-created (--force)");
          }
          return {
            id: kind.idOf(await updateSafely(w, fresh, desired)),
            note: "changed since the plan; overwritten (--force)",
          };
        }
      }
      case "delete": {
        let live = basis.live?.get(label);
        let note: string | undefined;
        if (!live) {
          live = await find();
          if (!live) return { note: "already deleted" };
          const version = kind.version(live);
          if (version !== entry.liveVersion) {
            if (!force) throw changedSinceError(label, entry.liveVersion, version, "deleted");
            note = "changed since the plan; deleted anyway (--force)";
          }
        }
        try {
          const outcome = await deleteSafely(w, live);
          return { note: outcome.note ?? note };
        } catch (error) {
          if (!force || !isDtctlError(error, "conflict")) throw error;
          const fresh = await find();
          if (!fresh) return { note: "already deleted" };
          const outcome = await deleteSafely(w, fresh);
          return { note: outcome.note ?? "changed since the plan; deleted anyway (--force)" };
        }
      }
      default:
        return {};
    }
  };

  const progress = (type: "start" | "done", item: Item) => {
    try {
      options.onProgress?.({
        type,
        kind: item.entry.kind,
        name: item.entry.name,
        action: item.entry.action,
        ...(type === "done" ? { result: results[item.index] } : {}),
        done,
        total,
      });
    } catch {
      // A failing progress printer must not break the apply.
    }
  };

  await runSchedule<Item>({
    items,
    concurrency,
    dependsOn: (kind) => index.get(kind)?.dependsOn ?? [],
    shouldStop: stopped,
    async run(item) {
      progress("start", item);
      const result = results[item.index];
      try {
        const outcome = await execute(item);
        result.status = "ok";
        if (outcome.id !== undefined) result.id = outcome.id;
        if (outcome.note) result.note = outcome.note;
      } catch (error) {
        result.status = "failed";
        result.error = resultError(resourceError(item.label, error));
        failed = true;
      }
      done++;
      progress("done", item);
      return result.status === "ok";
    },
    skip(item: Item, reason: SkipReason) {
      const result = results[item.index];
      result.status = "skipped";
      if (reason.type === "dependency") {
        result.error = {
          code: "error",
          message: `not started: it references ${reason.label}, which was not created`,
          exitCode: 1,
        };
      } else if (aborted()) {
        result.error = { code: "aborted", message: "not started: the apply was interrupted", exitCode: 1 };
      } else {
        result.error = {
          code: "error",
          message: "not started: an earlier change failed",
          hint: "Use --continue-on-error to apply the other changes anyway.",
          exitCode: 1,
        };
      }
      done++;
      progress("done", item);
    },
  });

  let inventory: InventoryOutcome;
  try {
    const objects = await nextInventory(plan, basis, base, results, index, context);
    if (
      (base.exists && sameInventoryObjects(base.objects, objects)) || (!base.exists && objects.length === 0)
    ) {
      inventory = { status: "unchanged", objects: objects.length };
    } else {
      const written = await writeInventory(context.client, base, objects);
      inventory = { status: "written", objects: written.objects.length };
    }
  } catch (error) {
    inventory = { status: "failed", objects: base.objects.length, error: resultError(error) };
  }

  const summary = summarizeResults(results);
  const firstFailure = results.find((result) => result.status === "failed");
  const exitCode = firstFailure?.error?.exitCode ??
    inventory.error?.exitCode ??
    (summary.skipped > 0 ? 1 : 0);
  return {
    ok: exitCode === 0,
    aborted: aborted(),
    results,
    summary,
    inventory,
    exitCode,
  };
}
