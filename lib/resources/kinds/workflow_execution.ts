/**
 * Workflow executions (`/platform/automation/v1/executions`): list (optionally of one workflow), get, describe
 * with task executions, logs, and the library functions behind `dtctl exec workflow`: run, wait, cancel.
 *
 * @module
 */

import { type PlatformClient, sleep as defaultSleep } from "../../client/mod.ts";
import { DtctlError } from "../../errors/mod.ts";
import type { DescribeSection, KindContext, ListOptions, RemoteObject, ResourceKind } from "../types.ts";
import { str } from "./text.ts";

/** Base path of the Automation API. */
export const AUTOMATION_API = "/platform/automation/v1";

/** Execution states that do not change any more. */
export const TERMINAL_EXECUTION_STATES: readonly string[] = ["SUCCESS", "ERROR", "CANCELLED"];

/** A workflow execution as the API returns it. */
export interface WorkflowExecution {
  /** Execution id (UUID). */
  id: string;
  /** Workflow id. */
  workflow: string;
  /** Workflow title at run time. */
  title: string;
  /** `RUNNING`, `SUCCESS`, `ERROR`, `CANCELLED`, `PAUSED`, `UNKNOWN`. */
  state: string;
  /** Why it is in that state (e.g. the failed task). */
  stateInfo?: string | null;
  /** RFC 3339. */
  startedAt?: string;
  /** RFC 3339, null while running. */
  endedAt?: string | null;
  /** Seconds. */
  runtime?: number;
  /** `Manual`, `Schedule`, `Event`, `Workflow`. */
  triggerType?: string;
  /** Who ran it. */
  user?: string;
  /** Params given to the run. */
  params?: Record<string, unknown>;
  /** Input given to the run. */
  input?: Record<string, unknown>;
  /** Result of the run. */
  result?: unknown;
  /** Fields the API may add later. */
  [field: string]: unknown;
}

/** One task execution. */
export interface TaskExecution {
  /** Task execution id. */
  id?: string;
  /** Task name. */
  name: string;
  /** `IDLE`, `RUNNING`, `SUCCESS`, `ERROR`, `SKIPPED`, `CANCELLED`, ... */
  state: string;
  /** Why it was skipped. */
  stateInfo?: string | null;
  /** Why it failed. */
  errorReason?: string | null;
  /** Action identifier. */
  action?: string;
  /** RFC 3339. */
  startedAt?: string | null;
  /** RFC 3339. */
  endedAt?: string | null;
  /** Seconds. */
  runtime?: number;
  /** The task's result. */
  result?: unknown;
  /** Fields the API may add later. */
  [field: string]: unknown;
}

/** Options of {@link listExecutions}. */
export interface ListExecutionsOptions {
  /** Only executions of this workflow id. */
  workflow?: string;
  /** Only executions in these states. */
  states?: string[];
  /** Page size. */
  pageSize?: number;
  /** Cancels the listing. */
  signal?: AbortSignal;
}

/** Options of {@link runWorkflow}. */
export interface RunWorkflowOptions {
  /** Execution parameters (`--params k=v`). */
  params?: Record<string, unknown>;
  /** Execution input. */
  input?: Record<string, unknown>;
  /** Name shown in messages and to the safety guard. */
  name?: string;
  /** Owner, for the safety guard. */
  owner?: string;
  /** Cancels the request. */
  signal?: AbortSignal;
}

/** Options of {@link waitForExecution}. */
export interface WaitOptions {
  /** Give up after this many ms (default 30 minutes): DtctlError `timeout`. */
  timeoutMs?: number;
  /** First poll interval in ms (default 250); it grows by half up to `maxIntervalMs`. */
  intervalMs?: number;
  /** Longest poll interval in ms (default 2000). */
  maxIntervalMs?: number;
  /** Called with every state read. */
  onPoll?: (execution: WorkflowExecution) => void;
  /** Cancels the wait. */
  signal?: AbortSignal;
  /** Sleep; injectable for tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const enc = encodeURIComponent;

/** A UUID: the id form of workflows and executions (and of generated document ids). */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for UUIDs, the id form of workflows and executions. */
export function isUuid(text: string): boolean {
  return UUID_PATTERN.test(text);
}

function ref(name?: string) {
  return { kind: "workflow-execution", ...(name ? { name } : {}) };
}

/** Lists executions, newest first. */
export function listExecutions(
  client: PlatformClient,
  options: ListExecutionsOptions = {},
): AsyncIterable<WorkflowExecution> {
  return client.paginate<WorkflowExecution>({
    style: "offset",
    path: `${AUTOMATION_API}/executions`,
    query: { workflow: options.workflow, state: options.states },
    arrayFormat: "comma",
    itemsField: "results",
    pageSize: options.pageSize,
    signal: options.signal,
    resource: ref(),
  });
}

/** Reads one execution. */
export function getExecution(
  client: PlatformClient,
  id: string,
  signal?: AbortSignal,
): Promise<WorkflowExecution> {
  return client.request<WorkflowExecution>({
    path: `${AUTOMATION_API}/executions/${enc(id)}`,
    signal,
    resource: ref(id),
  });
}

/** The task executions of an execution, in the order the API gives them (execution order). */
export async function getExecutionTasks(
  client: PlatformClient,
  id: string,
  signal?: AbortSignal,
): Promise<TaskExecution[]> {
  const body = await client.request<Record<string, TaskExecution> | TaskExecution[]>({
    path: `${AUTOMATION_API}/executions/${enc(id)}/tasks`,
    signal,
    resource: ref(id),
  });
  if (Array.isArray(body)) return body;
  return Object.entries(body ?? {}).map(([name, task]) => ({ ...task, name: task?.name ?? name }));
}

/** The result of one task. */
export function getTaskResult(
  client: PlatformClient,
  id: string,
  task: string,
  signal?: AbortSignal,
): Promise<unknown> {
  return client.request({
    path: `${AUTOMATION_API}/executions/${enc(id)}/tasks/${enc(task)}/result`,
    signal,
    resource: { kind: "task", name: `${task} of execution ${id}` },
  });
}

/** Reads a log endpoint, which answers a JSON string or plain text. */
async function readLog(client: PlatformClient, path: string, name: string, signal?: AbortSignal) {
  const text = await client.request<string>({ path, expect: "text", signal, resource: ref(name) });
  const trimmed = text.trim();
  if (trimmed.startsWith('"')) {
    try {
      const parsed = JSON.parse(trimmed);
      if (typeof parsed === "string") return parsed;
    } catch {
      // Not a JSON string after all: plain text.
    }
  }
  return text;
}

/** The execution log (one line per event). */
export function getExecutionLog(client: PlatformClient, id: string, signal?: AbortSignal): Promise<string> {
  return readLog(client, `${AUTOMATION_API}/executions/${enc(id)}/log`, id, signal);
}

/** The log of one task execution. */
export function getTaskLog(
  client: PlatformClient,
  id: string,
  task: string,
  signal?: AbortSignal,
): Promise<string> {
  return readLog(
    client,
    `${AUTOMATION_API}/executions/${enc(id)}/tasks/${enc(task)}/log`,
    `${id}/${task}`,
    signal,
  );
}

/** Starts a run of a workflow (an execution is created: refused by a read-only context). */
export function runWorkflow(
  client: PlatformClient,
  workflowId: string,
  options: RunWorkflowOptions = {},
): Promise<WorkflowExecution> {
  return client.request<WorkflowExecution>({
    method: "POST",
    path: `${AUTOMATION_API}/workflows/${enc(workflowId)}/run`,
    json: {
      ...(options.params ? { params: options.params } : {}),
      ...(options.input ? { input: options.input } : {}),
    },
    signal: options.signal,
    resource: {
      kind: "workflow",
      name: options.name ?? workflowId,
      ...(options.owner ? { owner: options.owner } : {}),
    },
  });
}

/** Cancels a running execution. */
export async function cancelExecution(
  client: PlatformClient,
  id: string,
  signal?: AbortSignal,
): Promise<void> {
  await client.request({
    method: "POST",
    path: `${AUTOMATION_API}/executions/${enc(id)}/cancel`,
    operation: "update",
    signal,
    resource: ref(id),
  });
}

/** Polls an execution until it is SUCCESS, ERROR or CANCELLED; returns its final state. */
export async function waitForExecution(
  client: PlatformClient,
  id: string,
  options: WaitOptions = {},
): Promise<WorkflowExecution> {
  const timeoutMs = options.timeoutMs ?? 30 * 60_000;
  const deadline = Date.now() + timeoutMs;
  const sleep = options.sleep ?? defaultSleep;
  const maxInterval = options.maxIntervalMs ?? 2000;
  let interval = Math.min(options.intervalMs ?? 250, maxInterval);
  for (;;) {
    const execution = await getExecution(client, id, options.signal);
    options.onPoll?.(execution);
    if (TERMINAL_EXECUTION_STATES.includes(execution.state)) return execution;
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new DtctlError(
        "timeout",
        `execution ${id} is still ${execution.state} after ${Math.round(timeoutMs / 1000)} s`,
        {
          hint:
            `It keeps running on the server: \`dtctl get workflow-execution ${id}\` shows its state later.`,
          details: { execution: id, state: execution.state, timeoutMs },
        },
      );
    }
    try {
      await sleep(Math.min(interval, left), options.signal);
    } catch (error) {
      throw new DtctlError("aborted", `Waiting for execution ${id} was aborted.`, { cause: error });
    }
    interval = Math.min(Math.round(interval * 1.5), maxInterval);
  }
}

/**
 * The id of a workflow given by id or title: a UUID is taken as is; a title must match exactly one workflow
 * (exactly, as name resolution does everywhere). No match is `not_found`, several a `usage_error` listing ids.
 */
export async function resolveWorkflowId(
  client: PlatformClient,
  nameOrId: string,
  signal?: AbortSignal,
): Promise<string> {
  if (isUuid(nameOrId)) return nameOrId;
  const matches: Array<{ id: string; title: string }> = [];
  const near: Array<{ id: string; title: string }> = [];
  // `search` narrows the list server-side (title contains, case-insensitive); the match itself is exact.
  const pages = client.paginate<{ id: string; title: string }>({
    style: "offset",
    path: `${AUTOMATION_API}/workflows`,
    query: { search: nameOrId },
    itemsField: "results",
    signal,
    resource: { kind: "workflow", name: nameOrId },
  });
  for await (const workflow of pages) {
    if (workflow.title === nameOrId) matches.push(workflow);
    else if (String(workflow.title).toLowerCase() === nameOrId.toLowerCase()) near.push(workflow);
  }
  if (matches.length === 1) return matches[0].id;
  if (matches.length === 0) {
    throw new DtctlError("not_found", `workflow "${nameOrId}" not found`, {
      hint: near.length
        ? `names are case-sensitive; did you mean ${
          near.slice(0, 3).map((w) => `"${w.title}" (${w.id})`).join(", ")
        }?`
        : "list them with: dtctl get workflows",
      details: { kind: "workflow", name: nameOrId },
    });
  }
  throw new DtctlError(
    "usage_error",
    `workflow name "${nameOrId}" is ambiguous: ${matches.length} workflows have it:\n` +
      matches.map((w) => `  ${w.id}`).join("\n"),
    {
      hint: `use the id instead, e.g. --workflow ${matches[0].id}`,
      details: { kind: "workflow", name: nameOrId, candidates: matches },
    },
  );
}

/** Seconds for people: `42s`, `3m05s`, `1h02m`. */
export function formatDuration(seconds: unknown): string {
  if (typeof seconds !== "number" || !Number.isFinite(seconds)) return "";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** The table of task executions, as `describe` and `exec workflow --wait` show it. */
export function taskTable(tasks: TaskExecution[]): { columns: string[]; rows: string[][] } {
  return {
    columns: ["TASK", "STATE", "ACTION", "STARTED", "DURATION", "INFO"],
    rows: tasks.map((task) => [
      task.name,
      str(task.state),
      str(task.action),
      str(task.startedAt),
      task.startedAt ? formatDuration(task.runtime) : "",
      str(task.errorReason ?? task.stateInfo),
    ]),
  };
}

async function describeExecution(context: KindContext, object: RemoteObject): Promise<DescribeSection[]> {
  const tasks = await getExecutionTasks(context.client, String(object.id), context.signal);
  const sections: DescribeSection[] = [{ title: "Tasks", table: taskTable(tasks) }];
  const params = object.params;
  if (typeof params === "object" && params !== null && Object.keys(params).length > 0) {
    sections.push({
      title: "Params",
      fields: Object.entries(params).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    });
  }
  return sections;
}

/** The `workflow-execution` kind (read-only; `--workflow <name|id>` lists one workflow's executions). */
export const workflowExecutionKind: ResourceKind = {
  name: "workflow-execution",
  plural: "workflow-executions",
  aliases: ["wfe"],
  description: "Workflow executions (filter with --workflow <name|id>)",
  idField: "id",
  nameField: "id",
  looksLikeId: isUuid,
  serverFields: [],
  locking: "read-only",
  owner: (object) => (typeof object.user === "string" ? object.user : undefined),
  columns: [
    { header: "id", value: (o) => str(o.id) },
    { header: "workflow", value: (o) => str(o.title) },
    { header: "state", value: (o) => str(o.state) },
    { header: "started", value: (o) => str(o.startedAt) },
    { header: "duration", value: (o) => formatDuration(o.runtime) },
    { header: "trigger", value: (o) => str(o.triggerType), wide: true },
    { header: "workflow-id", value: (o) => str(o.workflow), wide: true },
    { header: "info", value: (o) => str(o.stateInfo), wide: true },
  ],
  // --owner is the user who ran it.
  listFlags: ["owner", "workflow", "state"],
  list: (context: KindContext, options: ListOptions) =>
    (async function* () {
      const workflow = options.extra?.workflow;
      const state = options.extra?.state;
      const items = listExecutions(context.client, {
        workflow: workflow ? await resolveWorkflowId(context.client, workflow, context.signal) : undefined,
        states: state ? state.split(",").map((s) => s.trim().toUpperCase()).filter(Boolean) : undefined,
        pageSize: options.chunkSize,
        signal: context.signal,
      });
      for await (const item of items) {
        if (options.owner && item.user !== options.owner) continue;
        yield item;
      }
    })(),
  get: (context, id) => getExecution(context.client, id, context.signal),
  describe: describeExecution,
};
