/**
 * Execution endpoints: list, get, task executions and results, log, cancel.
 *
 * @module
 */

import { empty, json } from "../../envelope.ts";
import { conflict, HttpError } from "../../http/errors.ts";
import { listParam } from "../../http/params.ts";
import type { Route, RouteContext } from "../../types.ts";
import {
  executionLog,
  executionState,
  executionView,
  type StoredExecution,
  taskLog,
  taskView,
} from "./executions.ts";
import { order, page } from "./paging.ts";
import { executions, visible, workflows } from "./state.ts";
import { adminAccess, AUTOMATION_BASE } from "./workflow_routes.ts";
import { routeBuilder } from "../../service.ts";

function canSee(context: RouteContext, execution: StoredExecution): boolean {
  const workflow = workflows(context.store).get(execution.workflow);
  // Executions of deleted workflows stay readable by whoever ran them.
  if (!workflow) return execution.user === context.user.userId || adminAccess(context);
  return visible(workflow, context.user, adminAccess(context));
}

function findExecution(context: RouteContext): StoredExecution {
  const execution = executions(context.store).get(context.params.id.toLowerCase());
  if (!execution || !canSee(context, execution)) {
    throw new HttpError(404, `Execution '${context.params.id}' not found.`, {
      details: { errorCode: "NOT_FOUND" },
    });
  }
  return execution;
}

const ORDERING: Record<string, (e: StoredExecution) => string | number | null> = {
  startedAt: (e) => e.startedAt,
  id: (e) => e.id,
  title: (e) => e.title.toLowerCase(),
};

function list(context: RouteContext): Response {
  const now = context.clock.now();
  const { url } = context;
  const params = url.searchParams;
  const states = listParam(url, "state");
  const workflowIds = listParam(url, "workflow").map((id) => id.toLowerCase());
  const from = params.has("startedAt__gte") ? Date.parse(params.get("startedAt__gte")!) : undefined;
  const to = params.has("startedAt__lte") ? Date.parse(params.get("startedAt__lte")!) : undefined;
  const search = params.get("search")?.toLowerCase();
  let items = [...executions(context.store).values()].filter((e) => canSee(context, e)).filter((e) => {
    if (workflowIds.length > 0 && !workflowIds.includes(e.workflow)) return false;
    if (states.length > 0 && !states.includes(executionState(e, now).state)) return false;
    if (params.has("triggerType") && e.triggerType !== params.get("triggerType")) return false;
    if (params.has("user") && e.user !== params.get("user")) return false;
    if (from !== undefined && !Number.isNaN(from) && e.startedAt < from) return false;
    if (to !== undefined && !Number.isNaN(to) && e.startedAt > to) return false;
    if (search && !e.title.toLowerCase().includes(search)) return false;
    return true;
  });
  items = order(url, items, ORDERING, "-startedAt,id");
  const { count, results } = page(url, items);
  return json(200, { count, results: results.map((e) => executionView(e, now)) });
}

function get(context: RouteContext): Response {
  return json(200, executionView(findExecution(context), context.clock.now()));
}

function tasks(context: RouteContext): Response {
  const execution = findExecution(context);
  const now = context.clock.now();
  return json(
    200,
    Object.fromEntries(execution.tasks.map((task) => [task.name, taskView(execution, task, now)])),
  );
}

function findTask(context: RouteContext) {
  const execution = findExecution(context);
  const task = execution.tasks.find((t) => t.name === context.params.name);
  if (!task) {
    throw new HttpError(404, `Task '${context.params.name}' not found in execution '${execution.id}'.`);
  }
  return { execution, task };
}

function task(context: RouteContext): Response {
  const { execution, task } = findTask(context);
  return json(200, taskView(execution, task, context.clock.now()));
}

function taskResult(context: RouteContext): Response {
  const { execution, task } = findTask(context);
  return json(200, taskView(execution, task, context.clock.now()).result);
}

function taskInput(context: RouteContext): Response {
  const { task } = findTask(context);
  return json(200, task.input);
}

function log(context: RouteContext): Response {
  return json(200, executionLog(findExecution(context), context.clock.now()));
}

function logOfTask(context: RouteContext): Response {
  const { execution, task } = findTask(context);
  return json(200, taskLog(execution, task.name, context.clock.now()));
}

function cancel(context: RouteContext): Response {
  const execution = findExecution(context);
  const now = context.clock.now();
  const { state } = executionState(execution, now);
  if (state !== "RUNNING") throw conflict(`Execution '${execution.id}' is ${state} and cannot be cancelled.`);
  executions(context.store).set(execution.id, { ...execution, cancelledAt: now });
  context.store.markDirty();
  return empty(204);
}

/** The execution routes. */
export function executionRoutes(): Route[] {
  const read = ["automation:workflows:read"];
  const route = routeBuilder(AUTOMATION_BASE, "platform");
  return [
    route("GET", "/executions", list, read),
    route("GET", "/executions/:id", get, read),
    route("GET", "/executions/:id/tasks", tasks, read),
    route("GET", "/executions/:id/tasks/:name", task, read),
    route("GET", "/executions/:id/tasks/:name/result", taskResult, read),
    route("GET", "/executions/:id/tasks/:name/input", taskInput, read),
    route("GET", "/executions/:id/tasks/:name/log", logOfTask, read),
    route("GET", "/executions/:id/log", log, read),
    route("POST", "/executions/:id/cancel", cancel, ["automation:workflows:run"]),
  ];
}
