/**
 * Workflow documents: which fields the client owns, which the server derives, and the validation rules.
 *
 * Field ownership follows reference §7: the client writes title, tasks, trigger, … ; the server owns id,
 * version, modificationInfo, lastExecution, triggerType, workflowLimit, throttle and the derived trigger fields.
 * Server-owned fields in a request body are ignored rather than rejected.
 *
 * @module
 */

import { HttpError } from "../../http/errors.ts";
import { isObject } from "../../http/validate.ts";
import { isUuid } from "../../random.ts";
import type { EmulatorUser } from "../../types.ts";
import { nextExecution, scheduleProblems } from "./schedule.ts";

/** A workflow as stored (everything but the computed `lastExecution`). */
export interface StoredWorkflow {
  /** UUID. */
  id: string;
  /** Writable fields, normalised. */
  title: string;
  /** Free text. */
  description: string;
  /** Tasks by name. */
  tasks: Record<string, Record<string, unknown>>;
  /** Schedule / event trigger as written (derived fields are added on read). */
  trigger: Record<string, unknown>;
  /** Workflow input. */
  input: Record<string, unknown>;
  /** Task defaults. */
  taskDefaults: Record<string, unknown>;
  /** Owner's id. */
  owner: string;
  /** `USER` or `GROUP`. */
  ownerType: "USER" | "GROUP";
  /** Identity the workflow runs as. */
  actor: string;
  /** Private to its owner. */
  isPrivate: boolean;
  /** Whether triggers are active. */
  isDeployed: boolean;
  /** `STANDARD` or `SIMPLE`. */
  type: "STANDARD" | "SIMPLE";
  /** Hourly execution cap. */
  hourlyExecutionLimit: number | null;
  /** Markdown guide. */
  guide: string | null;
  /** Result expression. */
  result: string | null;
  /** Schema version of the workflow document. */
  schemaVersion: number;
  /** Skipped schedule acknowledgement marker. */
  unacknowledgedSkippedScheduleAt: string | null;
  /** +1 per save. */
  version: number;
  /** Creation and last change. */
  modificationInfo: {
    createdBy: string;
    createdTime: string;
    lastModifiedBy: string;
    lastModifiedTime: string;
  };
}

/** Fields a client may write (everything else in a body is ignored). */
export const WRITABLE_FIELDS = [
  "title",
  "description",
  "tasks",
  "trigger",
  "input",
  "taskDefaults",
  "owner",
  "ownerType",
  "actor",
  "isPrivate",
  "isDeployed",
  "type",
  "hourlyExecutionLimit",
  "guide",
  "result",
  "schemaVersion",
  "unacknowledgedSkippedScheduleAt",
] as const;

type Violation = { path: string; message: string };

/** A 400 carrying every violation found, in the platform envelope. */
function invalid(violations: Violation[]): HttpError {
  const summary = violations.map((v) => `${v.path}: ${v.message}`).join("; ");
  return new HttpError(400, `Workflow validation failed: ${summary}`, { constraintViolations: violations });
}

/** The writable fields of a body (server-owned ones dropped). */
export function writableFields(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of WRITABLE_FIELDS) if (key in body) out[key] = body[key];
  return out;
}

/** Checks a client-chosen id: UUIDs only. */
export function checkClientId(id: unknown): string | undefined {
  if (id === undefined || id === null) return undefined;
  if (typeof id !== "string" || !isUuid(id)) {
    throw invalid([{ path: "id", message: "must be a valid UUID" }]);
  }
  return id.toLowerCase();
}

/**
 * Builds a stored workflow from writable fields, with defaults for what is absent; throws a 400 listing every
 * violated rule (title, task actions, predecessor and condition references, cycles, trigger shape).
 */
export function normalizeWorkflow(
  fields: Record<string, unknown>,
  base: { id: string; version: number; modificationInfo: StoredWorkflow["modificationInfo"] },
  user: EmulatorUser,
): StoredWorkflow {
  const violations: Violation[] = [];
  const check = (ok: boolean, path: string, message: string) => {
    if (!ok) violations.push({ path, message });
  };
  const title = fields.title;
  check(typeof title === "string" && title.trim().length > 0, "title", "must not be blank");
  check(typeof title !== "string" || title.length <= 200, "title", "must have at most 200 characters");
  const optionalString = (key: string) => {
    const value = fields[key];
    check(value === undefined || value === null || typeof value === "string", key, "must be a string");
  };
  ["description", "guide", "result", "owner", "actor", "unacknowledgedSkippedScheduleAt"].forEach(
    optionalString,
  );
  const optionalBoolean = (key: string) => {
    const value = fields[key];
    check(value === undefined || value === null || typeof value === "boolean", key, "must be a boolean");
  };
  ["isPrivate", "isDeployed"].forEach(optionalBoolean);
  check(
    fields.type === undefined || fields.type === null || fields.type === "STANDARD" ||
      fields.type === "SIMPLE",
    "type",
    "must be STANDARD or SIMPLE",
  );
  check(
    fields.ownerType === undefined || fields.ownerType === null || fields.ownerType === "USER" ||
      fields.ownerType === "GROUP",
    "ownerType",
    "must be USER or GROUP",
  );
  const limit = fields.hourlyExecutionLimit;
  check(
    limit === undefined || limit === null ||
      (typeof limit === "number" && Number.isInteger(limit) && limit >= 0),
    "hourlyExecutionLimit",
    "must be a non-negative integer",
  );
  for (const key of ["input", "taskDefaults", "trigger"]) {
    const value = fields[key];
    check(value === undefined || value === null || isObject(value), key, "must be an object");
  }
  const tasks = fields.tasks ?? {};
  check(isObject(tasks), "tasks", "must be an object keyed by task name");
  if (isObject(tasks)) violations.push(...taskViolations(tasks));
  if (isObject(fields.trigger)) violations.push(...triggerViolations(fields.trigger));
  if (violations.length > 0) throw invalid(violations);

  const normalizedTasks: Record<string, Record<string, unknown>> = {};
  Object.entries(tasks as Record<string, Record<string, unknown>>).forEach(([name, task], index) => {
    normalizedTasks[name] = {
      name,
      action: task.action,
      description: task.description ?? "",
      active: task.active ?? true,
      input: task.input ?? {},
      position: task.position ?? { x: 0, y: index + 1 },
      predecessors: task.predecessors ?? [],
      ...(task.conditions === undefined ? {} : { conditions: task.conditions }),
      ...Object.fromEntries(
        ["retry", "timeout", "waitBefore", "withItems", "concurrency", "customSampleResult"]
          .filter((key) => task[key] !== undefined)
          .map((key) => [key, task[key]]),
      ),
    };
  });
  return {
    id: base.id,
    title: title as string,
    description: (fields.description as string | undefined) ?? "",
    tasks: normalizedTasks,
    trigger: (fields.trigger as Record<string, unknown> | undefined) ?? {},
    input: (fields.input as Record<string, unknown> | undefined) ?? {},
    taskDefaults: (fields.taskDefaults as Record<string, unknown> | undefined) ?? {},
    owner: (fields.owner as string | undefined) ?? user.userId,
    ownerType: (fields.ownerType as "USER" | "GROUP" | undefined) ?? "USER",
    actor: (fields.actor as string | undefined) ?? user.userId,
    isPrivate: (fields.isPrivate as boolean | undefined) ?? true,
    isDeployed: (fields.isDeployed as boolean | undefined) ?? true,
    type: (fields.type as "STANDARD" | "SIMPLE" | undefined) ?? "STANDARD",
    hourlyExecutionLimit: (fields.hourlyExecutionLimit as number | undefined) ?? null,
    guide: (fields.guide as string | undefined) ?? null,
    result: (fields.result as string | undefined) ?? null,
    schemaVersion: typeof fields.schemaVersion === "number" ? fields.schemaVersion : 3,
    unacknowledgedSkippedScheduleAt: (fields.unacknowledgedSkippedScheduleAt as string | undefined) ?? null,
    version: base.version,
    modificationInfo: base.modificationInfo,
  };
}

const CONDITION_STATES = new Set(["SUCCESS", "ERROR", "ANY", "OK", "NOK"]);

function taskViolations(tasks: Record<string, unknown>): Violation[] {
  const violations: Violation[] = [];
  const names = new Set(Object.keys(tasks));
  for (const [name, task] of Object.entries(tasks)) {
    const path = `tasks.${name}`;
    if (!isObject(task)) {
      violations.push({ path, message: "must be an object" });
      continue;
    }
    if (typeof task.action !== "string" || task.action.trim() === "") {
      violations.push({ path: `${path}.action`, message: "must not be blank" });
    }
    if (task.name !== undefined && task.name !== null && task.name !== name) {
      violations.push({ path: `${path}.name`, message: `must equal the task key '${name}'` });
    }
    const predecessors = task.predecessors ?? [];
    if (!Array.isArray(predecessors) || predecessors.some((p) => typeof p !== "string")) {
      violations.push({ path: `${path}.predecessors`, message: "must be a list of task names" });
    } else {
      for (const predecessor of predecessors as string[]) {
        if (!names.has(predecessor)) {
          violations.push({ path: `${path}.predecessors`, message: `unknown task '${predecessor}'` });
        } else if (predecessor === name) {
          violations.push({ path: `${path}.predecessors`, message: "a task cannot precede itself" });
        }
      }
    }
    const conditions = task.conditions;
    if (conditions !== undefined && conditions !== null) {
      if (!isObject(conditions)) {
        violations.push({ path: `${path}.conditions`, message: "must be an object" });
      } else {
        const states = conditions.states ?? {};
        if (!isObject(states)) {
          violations.push({ path: `${path}.conditions.states`, message: "must be an object" });
        } else {
          for (const [other, state] of Object.entries(states)) {
            if (!names.has(other)) {
              violations.push({
                path: `${path}.conditions.states.${other}`,
                message: `unknown task '${other}'`,
              });
            } else if (!Array.isArray(predecessors) || !predecessors.includes(other)) {
              violations.push({
                path: `${path}.conditions.states.${other}`,
                message: "must be a predecessor",
              });
            }
            if (typeof state !== "string" || !CONDITION_STATES.has(state)) {
              violations.push({
                path: `${path}.conditions.states.${other}`,
                message: "must be one of SUCCESS, ERROR, ANY, OK, NOK",
              });
            }
          }
        }
        const otherwise = conditions.else;
        if (otherwise !== undefined && otherwise !== null && otherwise !== "SKIP" && otherwise !== "STOP") {
          violations.push({ path: `${path}.conditions.else`, message: "must be SKIP or STOP" });
        }
      }
    }
  }
  if (violations.length === 0) {
    const cycle = findCycle(tasks as Record<string, { predecessors?: string[] }>);
    if (cycle) {
      violations.push({ path: "tasks", message: `predecessors form a cycle: ${cycle.join(" -> ")}` });
    }
  }
  return violations;
}

function triggerViolations(trigger: Record<string, unknown>): Violation[] {
  const violations: Violation[] = [];
  const { schedule, eventTrigger } = trigger;
  if (schedule !== undefined && schedule !== null) {
    if (!isObject(schedule)) {
      violations.push({ path: "trigger.schedule", message: "must be an object" });
    } else {
      for (const [path, message] of scheduleProblems(schedule.trigger, "trigger.schedule.trigger")) {
        violations.push({ path, message });
      }
    }
  }
  if (eventTrigger !== undefined && eventTrigger !== null) {
    const config = isObject(eventTrigger) ? eventTrigger.triggerConfiguration : undefined;
    if (!isObject(config) || typeof config.type !== "string") {
      violations.push({ path: "trigger.eventTrigger.triggerConfiguration", message: "must have a type" });
    } else if (config.type === "event") {
      const value = config.value;
      if (!isObject(value) || typeof value.query !== "string") {
        violations.push({
          path: "trigger.eventTrigger.triggerConfiguration.value.query",
          message: "must be a string",
        });
      }
    } else if (config.type !== "davis-problem" && config.type !== "davis-event") {
      violations.push({
        path: "trigger.eventTrigger.triggerConfiguration.type",
        message: "must be one of event, davis-problem, davis-event",
      });
    }
  }
  if (isObject(schedule) && isObject(eventTrigger)) {
    violations.push({
      path: "trigger",
      message: "must have either a schedule or an event trigger, not both",
    });
  }
  return violations;
}

/** A predecessor cycle as a list of task names, or undefined. */
export function findCycle(tasks: Record<string, { predecessors?: string[] }>): string[] | undefined {
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === "done") return undefined;
    if (state.get(name) === "visiting") return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, "visiting");
    stack.push(name);
    for (const predecessor of tasks[name]?.predecessors ?? []) {
      const cycle = visit(predecessor);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(name, "done");
    return undefined;
  };
  for (const name of Object.keys(tasks)) {
    const cycle = visit(name);
    if (cycle) return cycle;
  }
  return undefined;
}

/** `Schedule`, `Event` or `Manual`, from the trigger. */
export function triggerTypeOf(trigger: Record<string, unknown>): "Schedule" | "Event" | "Manual" {
  if (isObject(trigger.schedule)) return "Schedule";
  if (isObject(trigger.eventTrigger)) return "Event";
  return "Manual";
}

/** The trigger with its server-derived fields (schedule `isFaulty`/`nextExecution`, event `filterQuery`). */
export function derivedTrigger(
  trigger: Record<string, unknown>,
  now: number,
  deployed: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (isObject(trigger.schedule)) {
    const schedule = trigger.schedule;
    const active = schedule.isActive !== false && deployed;
    const next = active
      ? nextExecution(
        schedule.trigger as Record<string, unknown>,
        now,
        schedule.timezone as string | undefined,
      )
      : null;
    out.schedule = {
      isActive: schedule.isActive ?? true,
      isFaulty: false,
      trigger: schedule.trigger,
      rule: schedule.rule ?? null,
      filterParameters: schedule.filterParameters ?? null,
      timezone: schedule.timezone ?? "UTC",
      inputs: schedule.inputs ?? {},
      nextExecution: next === null ? null : new Date(next).toISOString(),
    };
  }
  if (isObject(trigger.eventTrigger)) {
    const event = trigger.eventTrigger;
    const config = event.triggerConfiguration as Record<string, unknown>;
    const value = isObject(config.value) ? config.value : {};
    out.eventTrigger = {
      isActive: event.isActive ?? true,
      triggerConfiguration: config,
      filterQuery: config.type === "event" ? String(value.query ?? "") : "",
      uniqueExpression: null,
    };
  }
  return out;
}
