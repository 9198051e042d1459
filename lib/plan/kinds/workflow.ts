/**
 * `Workflow` manifests ⇄ Automation workflows.
 *
 * **Identity**: `id` = UUIDv5 of `<stack>/<metadata.name>` in the dtctl workflow namespace (a client-chosen id,
 * so the create is replay-safe and the next run finds the workflow by GET); `dtctl.io/id` pins another UUID.
 *
 * **Canonical form** (both sides):
 * - kept: `id`, `title`, `tasks`, `trigger`, `isPrivate`, `isDeployed`, `type`, `description`, `input`,
 *   `taskDefaults`, `hourlyExecutionLimit`, `guide`, `result`, and any other writable field the spec gives;
 * - materialised defaults: `isPrivate: true`, `isDeployed: true`, `type: STANDARD`; per task `active: true` and
 *   `position: {x: 0, y: <1-based index in the manifest>}` (the server's rule); schedule `isActive: true`,
 *   `timezone: UTC`; event trigger `isActive: true`;
 * - empty means absent: `description`, `input`, `taskDefaults`, `guide`, `result`, `hourlyExecutionLimit`,
 *   `trigger` (`{}` = manual); per task `description`, `input`, `predecessors`, `conditions`, `retry`,
 *   `timeout`, `waitBefore`, `withItems`, `concurrency`; schedule `rule`, `filterParameters`, `inputs`;
 * - dropped: the server fields (`version`, `modificationInfo`, `lastExecution`, `triggerType`, `workflowLimit`,
 *   `throttle`, `schemaVersion`, `unacknowledgedSkippedScheduleAt`), each task's `name` (it is the key), the
 *   derived trigger fields (`isFaulty`, `nextExecution`, `filterQuery`, `uniqueExpression`);
 * - unmanaged unless set: `owner`, `ownerType`, `actor` (the server defaults them to the caller).
 *
 * @module
 */

import { KIND_RULES } from "../../manifest/kinds.ts";
import type { Manifest } from "../../manifest/types.ts";
import { readWorkflow, WORKFLOW_SERVER_FIELDS, workflowKind } from "../../resources/kinds/workflow.ts";
import { isUuid } from "../../resources/kinds/workflow_execution.ts";
import type { KindContext, ListOptions, RemoteObject } from "../../resources/types.ts";
import type { Identity, ManagedKind } from "../adapter.ts";
import {
  dropUnmanaged,
  idIdentity,
  isEmpty,
  isObject,
  type Json,
  kindsBefore,
  manifestError,
  omit,
  pinnedIdOfForm,
  putIfPresent,
  readEachListed,
  readOrUndefined,
  resolveReferences,
  text,
  workflowId,
} from "./common.ts";
import { slugName } from "./names.ts";

/** Server fields, and the fields handled on their own (`tasks`, `trigger`). */
const SKIPPED = [...KIND_RULES.Workflow.serverFields, "tasks", "trigger"];

/** The server fields inside one part of the trigger (`trigger.schedule.isFaulty` → `isFaulty`). */
function triggerServerFields(part: string): string[] {
  const prefix = `trigger.${part}.`;
  return WORKFLOW_SERVER_FIELDS.filter((path) => path.startsWith(prefix)).map((path) =>
    path.slice(prefix.length)
  );
}

const SCHEDULE_SERVER_FIELDS = triggerServerFields("schedule");
const EVENT_TRIGGER_SERVER_FIELDS = triggerServerFields("eventTrigger");

/** Top-level fields where null, "", [] and {} mean "absent". */
const OPTIONAL_FIELDS = ["description", "input", "taskDefaults", "hourlyExecutionLimit", "guide", "result"];
const TASK_OPTIONAL = [
  "description",
  "input",
  "predecessors",
  "conditions",
  "retry",
  "timeout",
  "waitBefore",
  "withItems",
  "concurrency",
];
const UNMANAGED = ["owner", "ownerType", "actor"];

function canonicalTask(task: Json, index: number): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(task)) {
    if (key === "name") continue;
    if (TASK_OPTIONAL.includes(key)) putIfPresent(out, key, value);
    else if (value !== undefined && value !== null) out[key] = value;
  }
  out.active ??= true;
  out.position ??= { x: 0, y: index + 1 };
  if (isObject(out.conditions)) {
    const conditions = { ...out.conditions };
    for (const key of ["custom", "else", "states"]) if (isEmpty(conditions[key])) delete conditions[key];
    if (Object.keys(conditions).length === 0) delete out.conditions;
    else out.conditions = conditions;
  }
  return out;
}

function canonicalTrigger(trigger: unknown): Json | undefined {
  if (!isObject(trigger)) return undefined;
  const out: Json = {};
  if (isObject(trigger.schedule)) {
    const schedule = trigger.schedule;
    const canonical: Json = {};
    for (const [key, value] of Object.entries(schedule)) {
      if (SCHEDULE_SERVER_FIELDS.includes(key)) continue;
      if (["rule", "filterParameters", "inputs"].includes(key)) putIfPresent(canonical, key, value);
      else if (value !== undefined && value !== null) canonical[key] = value;
    }
    canonical.isActive ??= true;
    canonical.timezone ??= "UTC";
    out.schedule = canonical;
  }
  if (isObject(trigger.eventTrigger)) {
    const event = omit(trigger.eventTrigger, EVENT_TRIGGER_SERVER_FIELDS);
    event.isActive ??= true;
    out.eventTrigger = event;
  }
  for (const [key, value] of Object.entries(trigger)) {
    if (key !== "schedule" && key !== "eventTrigger") putIfPresent(out, key, value);
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

/** The canonical form of a workflow body (spec or live); `id` is set by the caller. */
function canonicalWorkflow(source: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(source)) {
    if (SKIPPED.includes(key)) continue;
    if (OPTIONAL_FIELDS.includes(key)) putIfPresent(out, key, value);
    else if (value !== undefined && value !== null) out[key] = value;
  }
  out.isPrivate ??= true;
  out.isDeployed ??= true;
  out.type ??= "STANDARD";
  const tasks: Json = {};
  if (isObject(source.tasks)) {
    Object.entries(source.tasks).forEach(([name, task], index) => {
      tasks[name] = canonicalTask(isObject(task) ? task : {}, index);
    });
  }
  out.tasks = tasks;
  const trigger = canonicalTrigger(source.trigger);
  if (trigger) out.trigger = trigger;
  return out;
}

function checkTasks(manifest: Manifest): void {
  const tasks = manifest.spec.tasks;
  if (!isObject(tasks)) return;
  for (const [name, task] of Object.entries(tasks)) {
    if (isObject(task) && task.name !== undefined && task.name !== name) {
      throw manifestError(
        manifest,
        ["spec", "tasks", name, "name"],
        `task "${name}" has name "${text(task.name)}"; a task's name is its key: remove name`,
      );
    }
  }
}

/** The `Workflow` managed kind. */
export const workflowManagedKind: ManagedKind = {
  manifestKind: "Workflow",
  resource: workflowKind,
  dependsOn: kindsBefore("Workflow"),

  identify(manifest: Manifest, stack: string): Identity {
    const pinned = pinnedIdOfForm(
      manifest,
      isUuid,
      (id) => `the dtctl.io/id annotation must be a workflow id (a UUID), not "${id}"`,
    );
    return idIdentity(pinned?.toLowerCase() ?? workflowId(stack, manifest.name));
  },

  find(context: KindContext, identity: Identity): Promise<RemoteObject | undefined> {
    return readOrUndefined(() => readWorkflow(context.client, identity.id!, context.signal));
  },

  desired(manifest, _stack, identity, references): RemoteObject {
    checkTasks(manifest);
    const spec = resolveReferences(manifest.spec, references);
    return { id: identity.id, ...canonicalWorkflow(spec) };
  },

  normalize(live, desired) {
    return dropUnmanaged({ id: live.id, ...canonicalWorkflow(live) }, UNMANAGED, desired);
  },

  version: (live) => text(live.version),
  idOf: (live) => text(live.id),

  create: (context, desired) => workflowKind.create!(context, desired),

  update: (context, live, desired) => workflowKind.update!(context, live, desired),

  delete: (context, live) => workflowKind.delete!(context, live),

  list(context: KindContext, options: ListOptions = {}): AsyncIterable<RemoteObject> {
    // List items may be trimmed by `fields`; the full workflow is one GET away.
    return readEachListed(
      workflowKind.list!(context, { type: options.type, owner: options.owner }),
      (item) => readWorkflow(context.client, text(item.id), context.signal),
    );
  },

  toManifest(live) {
    const spec = omit(canonicalWorkflow(live), UNMANAGED);
    // Constant defaults are implied; positions stay (their default depends on the task order).
    if (spec.isPrivate === true) delete spec.isPrivate;
    if (spec.isDeployed === true) delete spec.isDeployed;
    if (spec.type === "STANDARD") delete spec.type;
    for (const task of Object.values(spec.tasks as Json)) {
      if (isObject(task) && task.active === true) delete task.active;
    }
    const trigger = spec.trigger as Json | undefined;
    for (const part of [trigger?.schedule, trigger?.eventTrigger]) {
      if (isObject(part) && part.isActive === true) delete part.isActive;
    }
    if (isObject(trigger?.schedule) && trigger.schedule.timezone === "UTC") delete trigger.schedule.timezone;
    return { name: slugName(live.title, "workflow", live.id), spec };
  },
};
