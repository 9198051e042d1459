/**
 * Workflow endpoints: CRUD, list, run, tasks and version history.
 *
 * @module
 */

import { empty, json } from "../../envelope.ts";
import { readJsonObject } from "../../http/body.ts";
import { badRequest, conflict, HttpError } from "../../http/errors.ts";
import { boolParam, listParam } from "../../http/params.ts";
import { isObject } from "../../http/validate.ts";
import { randomUuid } from "../../random.ts";
import { isoTime } from "../../time.ts";
import type { Route, RouteContext } from "../../types.ts";
import type { QueryEngine } from "../query/engine.ts";
import { runAction } from "./actions.ts";
import { executionState, executionView, planExecution, type StoredExecution } from "./executions.ts";
import { order, page } from "./paging.ts";
import {
  executions,
  findWorkflow,
  histories,
  latestExecution,
  saveWorkflow,
  visible,
  workflows,
  workflowView,
} from "./state.ts";
import {
  checkClientId,
  normalizeWorkflow,
  type StoredWorkflow,
  triggerTypeOf,
  writableFields,
} from "./workflows.ts";
import { routeBuilder } from "../../service.ts";

/** Base path of the Automation API. */
export const AUTOMATION_BASE = "/platform/automation/v1";

/** Runtime settings of the automation service. */
export interface AutomationSettings {
  /** Simulated duration of each executed task, in ms (default 1000). */
  taskDurationMs: number;
}

/** The settings in effect for a request: factory defaults overridden by `serviceOptions.automation`. */
export function settingsOf(defaults: AutomationSettings, context: RouteContext): AutomationSettings {
  const value = context.options?.taskDurationMs;
  return typeof value === "number" && Number.isFinite(value) && value >= 0
    ? { taskDurationMs: value }
    : defaults;
}

/** Whether the request asks for admin access (`adminAccess=true`). */
export function adminAccess(context: RouteContext): boolean {
  return boolParam(context.url, "adminAccess") ?? false;
}

function modificationNow(context: RouteContext) {
  return isoTime(context.clock.now());
}

const LIST_ORDERING: Record<
  string,
  (w: StoredWorkflow & { lastStartedAt: number | null }) => string | number | null
> = {
  id: (w) => w.id,
  title: (w) => w.title.toLowerCase(),
  owner: (w) => w.owner,
  "modificationInfo.createdTime": (w) => w.modificationInfo.createdTime,
  "modificationInfo.lastModifiedTime": (w) => w.modificationInfo.lastModifiedTime,
  "lastExecution.startedAt": (w) => w.lastStartedAt,
};

function list(context: RouteContext): Response {
  const { url, store, user } = context;
  const now = context.clock.now();
  const admin = adminAccess(context);
  const params = url.searchParams;
  const search = params.get("search")?.toLowerCase();
  const ids = listParam(url, "id").map((id) => id.toLowerCase());
  const lastStates = listParam(url, "lastExecution__state__in");
  const deployed = boolParam(url, "isDeployed");
  let items = [...workflows(store).values()].filter((w) => visible(w, user, admin)).filter((w) => {
    if (search && !w.title.toLowerCase().includes(search)) return false;
    if (ids.length > 0 && !ids.includes(w.id)) return false;
    if (params.has("owner") && w.owner !== params.get("owner")) return false;
    if (params.has("ownerType") && w.ownerType !== params.get("ownerType")) return false;
    if (params.has("type") && w.type !== params.get("type")) return false;
    if (params.has("triggerType") && triggerTypeOf(w.trigger) !== params.get("triggerType")) return false;
    if (deployed !== undefined && w.isDeployed !== deployed) return false;
    if (
      params.has("modificationInfo__lastModifiedBy") &&
      w.modificationInfo.lastModifiedBy !== params.get("modificationInfo__lastModifiedBy")
    ) return false;
    if (lastStates.length > 0) {
      const last = latestExecution(store, w.id);
      if (!last || !lastStates.includes(executionState(last, now).state)) return false;
    }
    return true;
  }).map((w) => ({ ...w, lastStartedAt: latestExecution(store, w.id)?.startedAt ?? null }));
  items = order(url, items, LIST_ORDERING, "modificationInfo.createdTime,id");
  const { count, results } = page(url, items);
  return json(200, { count, results: results.map((w) => workflowView(w, store, now)) });
}

async function create(context: RouteContext): Promise<Response> {
  const body = await readJsonObject(context.request);
  const { store, user } = context;
  const id = checkClientId(body.id) ?? randomUuid(context.random);
  if (workflows(store).has(id)) throw conflict(`A workflow with id '${id}' already exists.`);
  const now = modificationNow(context);
  const workflow = normalizeWorkflow(writableFields(body), {
    id,
    version: 1,
    modificationInfo: {
      createdBy: user.userId,
      createdTime: now,
      lastModifiedBy: user.userId,
      lastModifiedTime: now,
    },
  }, user);
  saveWorkflow(store, workflow, user, now);
  return json(201, workflowView(workflow, store, context.clock.now()));
}

function get(context: RouteContext): Response {
  const workflow = findWorkflow(context.store, context.params.id, context.user, adminAccess(context));
  return json(200, workflowView(workflow, context.store, context.clock.now()));
}

/** PUT replaces the writable fields, PATCH merges them into the current ones; both bump the version. */
function update(mode: "replace" | "merge") {
  return async (context: RouteContext): Promise<Response> => {
    const { store, user } = context;
    const current = findWorkflow(store, context.params.id, user, adminAccess(context));
    const body = await readJsonObject(context.request);
    const fields = writableFields(body);
    // A replace keeps ownership unless the body names a new owner: omitting it must not hand the workflow over.
    const ownership = { owner: current.owner, ownerType: current.ownerType, actor: current.actor };
    const merged = mode === "replace" ? { ...ownership, ...fields } : {
      ...writableFields(current as unknown as Record<string, unknown>),
      ...fields,
    };
    const now = modificationNow(context);
    const workflow = normalizeWorkflow(merged, {
      id: current.id,
      version: current.version + 1,
      modificationInfo: { ...current.modificationInfo, lastModifiedBy: user.userId, lastModifiedTime: now },
    }, user);
    saveWorkflow(store, workflow, user, now);
    return json(200, workflowView(workflow, store, context.clock.now()));
  };
}

function remove(context: RouteContext): Response {
  const workflow = findWorkflow(context.store, context.params.id, context.user, adminAccess(context));
  workflows(context.store).delete(workflow.id);
  histories(context.store).delete(workflow.id);
  context.store.markDirty();
  return empty(204);
}

function run(defaults: AutomationSettings, engine: QueryEngine) {
  return async (context: RouteContext): Promise<Response> => {
    const { store, user } = context;
    const workflow = findWorkflow(store, context.params.id, user, adminAccess(context));
    // The SDK always sends a JSON body, but curl users often post none.
    const text = await context.request.text();
    let body: unknown = {};
    if (text.trim() !== "") {
      try {
        body = JSON.parse(text);
      } catch (error) {
        throw badRequest(`Malformed JSON body: ${(error as Error).message}`, "body");
      }
    }
    if (!isObject(body)) throw badRequest("The request body must be a JSON object.", "body");
    for (const key of ["input", "params"]) {
      if (body[key] !== undefined && body[key] !== null && !isObject(body[key])) {
        throw badRequest(`'${key}' must be an object.`, key);
      }
    }
    const now = context.clock.now();
    const settings = settingsOf(defaults, context);
    const tasks = await planExecution(workflow, {
      now,
      taskDurationMs: settings.taskDurationMs,
      newId: () => randomUuid(context.random),
      runTask: (task) => runAction(task, { engine, store, now }),
    });
    const execution: StoredExecution = {
      id: randomUuid(context.random),
      workflow: workflow.id,
      title: workflow.title,
      startedAt: now,
      endsAt: Math.max(now, ...tasks.map((task) => task.end)),
      outcome: tasks.some((task) => task.outcome === "ERROR") ? "ERROR" : "SUCCESS",
      triggerType: "Manual",
      user: user.userId,
      actor: workflow.actor,
      input: (body.input as Record<string, unknown> | undefined) ?? {},
      params: (body.params as Record<string, unknown> | undefined) ?? {},
      workflowVersion: workflow.version,
      workflowType: workflow.type,
      tasks,
    };
    executions(store).set(execution.id, execution);
    store.markDirty();
    return json(201, executionView(execution, now));
  };
}

function tasks(context: RouteContext): Response {
  const workflow = findWorkflow(context.store, context.params.id, context.user, adminAccess(context));
  return json(200, workflow.tasks);
}

function task(context: RouteContext): Response {
  const workflow = findWorkflow(context.store, context.params.id, context.user, adminAccess(context));
  // Own keys only: a task named `constructor` must not resolve to Object.prototype's (an empty 200).
  const found = Object.hasOwn(workflow.tasks, context.params.name)
    ? workflow.tasks[context.params.name]
    : undefined;
  if (!found) {
    throw new HttpError(404, `Task '${context.params.name}' not found in workflow '${workflow.id}'.`);
  }
  return json(200, found);
}

function historyEntry(context: RouteContext) {
  const workflow = findWorkflow(context.store, context.params.id, context.user, adminAccess(context));
  const version = Number(context.params.version);
  const entry = (histories(context.store).get(workflow.id) ?? []).find((e) => e.version === version);
  if (!Number.isInteger(version) || !entry) {
    throw new HttpError(404, `Version '${context.params.version}' of workflow '${workflow.id}' not found.`);
  }
  return { workflow, entry };
}

function history(context: RouteContext): Response {
  const workflow = findWorkflow(context.store, context.params.id, context.user, adminAccess(context));
  const entries = [...(histories(context.store).get(workflow.id) ?? [])].reverse();
  return json(200, {
    count: entries.length,
    results: entries.map(({ id, version, user, dateCreated }) => ({ id, version, user, dateCreated })),
  });
}

function historyVersion(context: RouteContext): Response {
  const { entry } = historyEntry(context);
  return json(200, workflowView(entry.snapshot, context.store, context.clock.now()));
}

/** Restoring saves the old version's writable fields as a new version. */
function restore(context: RouteContext): Response {
  const { workflow, entry } = historyEntry(context);
  const now = modificationNow(context);
  const restored: StoredWorkflow = {
    ...structuredClone(entry.snapshot),
    version: workflow.version + 1,
    modificationInfo: {
      ...workflow.modificationInfo,
      lastModifiedBy: context.user.userId,
      lastModifiedTime: now,
    },
  };
  saveWorkflow(context.store, restored, context.user, now);
  return json(200, workflowView(restored, context.store, context.clock.now()));
}

/** The workflow routes. */
export function workflowRoutes(defaults: AutomationSettings, engine: QueryEngine): Route[] {
  const read = ["automation:workflows:read"];
  const write = ["automation:workflows:write"];
  const route = routeBuilder(AUTOMATION_BASE, "platform");
  return [
    route("GET", "/workflows", list, read),
    route("POST", "/workflows", create, write),
    route("GET", "/workflows/:id", get, read),
    route("PUT", "/workflows/:id", update("replace"), write),
    route("PATCH", "/workflows/:id", update("merge"), write),
    route("DELETE", "/workflows/:id", remove, write),
    route("POST", "/workflows/:id/run", run(defaults, engine), ["automation:workflows:run"]),
    route("GET", "/workflows/:id/tasks", tasks, read),
    route("GET", "/workflows/:id/tasks/:name", task, read),
    route("GET", "/workflows/:id/history", history, read),
    route("GET", "/workflows/:id/history/:version", historyVersion, read),
    route("POST", "/workflows/:id/history/:version/restore", restore, write),
  ];
}
