/**
 * Workflows (`/platform/automation/v1/workflows`). The Automation API replaces a workflow with PUT and has no
 * server-side optimistic locking, so updates and deletes use `compare-version`: re-read the workflow right
 * before writing and refuse (`conflict`, exit 6) when its version changed since it was read.
 *
 * Creates always carry a client-chosen UUID, so a create that failed ambiguously (timeout, 502) is replayed only
 * after a read proves it did not land: never a duplicate workflow.
 *
 * @module
 */

import type { PlatformClient } from "../../client/mod.ts";
import { DtctlError, usageError } from "../../errors/mod.ts";
import { checkPlainSearch, kindApi, stripFields } from "../registry.ts";
import type { DescribeSection, KindContext, ListOptions, RemoteObject, ResourceKind } from "../types.ts";
import { str } from "./text.ts";
import { isUuid } from "./workflow_execution.ts";

/** Base path of the workflow endpoints. */
const WORKFLOWS_API = "/platform/automation/v1/workflows";

/** A workflow as the Automation API returns it. */
export interface Workflow {
  /** UUID. */
  id: string;
  /** Title (the name used for name → id resolution). */
  title: string;
  /** Free text. */
  description?: string;
  /** Tasks by name. */
  tasks?: Record<string, Record<string, unknown>>;
  /** Schedule or event trigger. */
  trigger?: Record<string, unknown>;
  /** `Manual`, `Schedule` or `Event` (derived by the server). */
  triggerType?: string;
  /** Owner's user (or group) id. */
  owner?: string;
  /** Whether its triggers are active. */
  isDeployed?: boolean;
  /** Private to its owner. */
  isPrivate?: boolean;
  /** +1 per save (no server-side locking). */
  version?: number;
  /** The latest execution, or null. */
  lastExecution?: Record<string, unknown> | null;
  /** Fields the API may add later. */
  [field: string]: unknown;
}

/** Fields the server manages (dropped from the editable form and from writes). */
export const WORKFLOW_SERVER_FIELDS = [
  "version",
  "modificationInfo",
  "lastExecution",
  "triggerType",
  "workflowLimit",
  "throttle",
  "schemaVersion",
  "unacknowledgedSkippedScheduleAt",
  "trigger.schedule.isFaulty",
  "trigger.schedule.nextExecution",
  "trigger.eventTrigger.filterQuery",
  "trigger.eventTrigger.uniqueExpression",
];

/** Automation list parameters `--filter` accepts (`key=value&key=value`; a bare word searches titles). */
const WORKFLOW_FILTER_PARAMS = [
  "search",
  "id",
  "isDeployed",
  "owner",
  "ownerType",
  "type",
  "triggerType",
  "lastExecution__state__in",
  "modificationInfo__lastModifiedBy",
  "throttle__isLimitHit",
  "trigger__schedule__isFaulty",
  "ordering",
];

const enc = encodeURIComponent;

/** Parses `--filter` for workflows: `key=value&key=value`, or a bare word to search titles. */
function workflowFilterQuery(filter: string | undefined): Record<string, string> {
  if (filter === undefined || filter.trim() === "") return {};
  if (!filter.includes("=")) return { search: filter.trim() };
  const query: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(filter.trim())) {
    if (!WORKFLOW_FILTER_PARAMS.includes(key)) {
      throw usageError(`unknown workflow filter "${key}"`, {
        hint: `--filter takes key=value pairs joined by '&' with the keys ${
          WORKFLOW_FILTER_PARAMS.join(", ")
        }`,
        details: { flag: "--filter", value: filter },
      });
    }
    query[key] = value;
  }
  return query;
}

/** Reads a workflow by id. */
export function readWorkflow(client: PlatformClient, id: string, signal?: AbortSignal): Promise<Workflow> {
  return client.request<Workflow>({
    path: `${WORKFLOWS_API}/${enc(id)}`,
    signal,
    resource: { kind: "workflow", name: id },
  });
}

async function workflowExists(client: PlatformClient, id: string, signal?: AbortSignal): Promise<boolean> {
  try {
    await readWorkflow(client, id, signal);
    return true;
  } catch (error) {
    if (error instanceof DtctlError && error.code === "not_found") return false;
    throw error;
  }
}

/** The writable body of a workflow: server fields and the id dropped. */
function body(payload: RemoteObject): RemoteObject {
  const out = stripFields(payload, WORKFLOW_SERVER_FIELDS);
  delete out.id;
  return out;
}

/**
 * Re-reads a workflow and refuses with `conflict` when its version is no longer the one `current` was read at:
 * the Automation API would silently overwrite someone else's save.
 */
async function freshAtVersion(context: KindContext, current: RemoteObject, verb: string): Promise<Workflow> {
  const id = str(current.id);
  const fresh = await readWorkflow(context.client, id, context.signal);
  if (current.version !== undefined && fresh.version !== current.version) {
    throw new DtctlError(
      "conflict",
      `workflow "${fresh.title}" (${id}) changed since it was read (version ${current.version} → ${fresh.version}); not ${verb}`,
      {
        hint:
          `someone else saved it: re-read it (dtctl get workflow ${id} -o yaml) and apply your change again`,
        details: {
          kind: "workflow",
          name: fresh.title,
          id,
          readVersion: current.version,
          currentVersion: fresh.version,
        },
      },
    );
  }
  return fresh;
}

function scheduleText(trigger: Record<string, unknown> | undefined): [string, string][] {
  const schedule = trigger?.schedule as Record<string, unknown> | undefined;
  if (schedule) {
    const rule = (schedule.trigger ?? {}) as Record<string, unknown>;
    const what = rule.type === "cron"
      ? `cron ${str(rule.cron)}`
      : rule.type === "time"
      ? `daily at ${str(rule.time)}`
      : rule.type === "interval"
      ? `every ${str(rule.intervalMinutes)} min${
        rule.betweenStart ? ` between ${str(rule.betweenStart)} and ${str(rule.betweenEnd)}` : ""
      }`
      : rule.type === "once"
      ? `once at ${str(rule.at)}`
      : JSON.stringify(rule);
    return [
      ["Schedule", what],
      ["Timezone", str(schedule.timezone)],
      ["Active", str(schedule.isActive)],
      ...(schedule.nextExecution
        ? [["Next execution", str(schedule.nextExecution)] as [string, string]]
        : []),
    ];
  }
  const event = trigger?.eventTrigger as Record<string, unknown> | undefined;
  if (event) {
    const config = (event.triggerConfiguration ?? {}) as Record<string, unknown>;
    const value = (config.value ?? {}) as Record<string, unknown>;
    return [
      ["Event type", str(config.type)],
      ...(value.eventType ? [["Events", str(value.eventType)] as [string, string]] : []),
      ...(value.query ? [["Query", str(value.query)] as [string, string]] : []),
      ["Active", str(event.isActive)],
    ];
  }
  return [["Schedule", "none (run on demand)"]];
}

async function describeWorkflow(context: KindContext, object: RemoteObject): Promise<DescribeSection[]> {
  const workflow = object as Workflow;
  const tasks = Object.entries(workflow.tasks ?? {});
  const sections: DescribeSection[] = [
    { title: `Trigger (${str(workflow.triggerType) || "Manual"})`, fields: scheduleText(workflow.trigger) },
    {
      title: `Tasks (${tasks.length})`,
      table: {
        columns: ["name", "action", "predecessors"],
        rows: tasks.map(([name, task]) => [
          name,
          str(task.action),
          Array.isArray(task.predecessors) ? task.predecessors.join(",") : "",
        ]),
      },
    },
  ];
  const executions = await context.client.request<{ results?: Record<string, unknown>[] }>({
    path: "/platform/automation/v1/executions",
    query: { workflow: workflow.id, limit: 5, ordering: "-startedAt" },
    signal: context.signal,
    resource: { kind: "workflow-execution" },
  });
  sections.push({
    title: "Recent executions",
    table: {
      columns: ["id", "state", "started", "trigger"],
      rows: (executions.results ?? []).map((
        e,
      ) => [str(e.id), str(e.state), str(e.startedAt), str(e.triggerType)]),
    },
  });
  return sections;
}

/** The `workflow` kind. */
export const workflowKind: ResourceKind = {
  name: "workflow",
  plural: "workflows",
  aliases: ["wf", "wfs"],
  description: "Automation workflows",
  manifestKind: "Workflow",
  idField: "id",
  nameField: "title",
  looksLikeId: isUuid,
  serverFields: WORKFLOW_SERVER_FIELDS,
  locking: "compare-version",
  owner: (object) => (typeof object.owner === "string" ? object.owner : undefined),
  filter: {
    style: "search",
    help: "a title search (plain text), or Automation list parameters key=value&key=value, e.g. " +
      "'triggerType=Schedule&isDeployed=true'",
    // key=value pairs are checked against the known parameters when listing; anything else is a plain search.
    check: (filter) => {
      if (!/^[^=]+=[^=]/.test(filter.trim()) || /==|!=|<=|>=/.test(filter)) {
        checkPlainSearch(workflowKind, filter);
      }
    },
  },
  columns: [
    { header: "id", value: (o) => str(o.id) },
    { header: "title", value: (o) => str(o.title) },
    { header: "trigger", value: (o) => str(o.triggerType) },
    { header: "deployed", value: (o) => str(o.isDeployed) },
    { header: "last-run", value: (o) => str((o.lastExecution as Record<string, unknown> | null)?.state) },
    { header: "owner", value: (o) => str(o.owner), wide: true },
    { header: "private", value: (o) => str(o.isPrivate), wide: true },
    {
      header: "tasks",
      value: (o) => String(Object.keys((o.tasks as object | undefined) ?? {}).length),
      wide: true,
    },
    { header: "version", value: (o) => str(o.version), wide: true },
  ],

  listFlags: ["owner", "type"],
  list(context: KindContext, options: ListOptions): AsyncIterable<RemoteObject> {
    const query: Record<string, string> = {
      ...workflowFilterQuery(options.filter),
      ...(options.extra?.search ? { search: options.extra.search } : {}),
      ...(options.owner ? { owner: options.owner } : {}),
      ...(options.type ? { type: options.type.toUpperCase() } : {}),
    };
    return context.client.paginate<RemoteObject>({
      style: "offset",
      path: WORKFLOWS_API,
      query,
      pageSize: options.chunkSize,
      itemsField: "results",
      signal: context.signal,
      resource: { kind: "workflow" },
    });
  },

  get: (context, id) => readWorkflow(context.client, id, context.signal),

  async create(context, payload) {
    if (payload.id !== undefined && (typeof payload.id !== "string" || !isUuid(payload.id))) {
      throw new DtctlError(
        "validation_error",
        `workflow: "id" must be a UUID (got ${JSON.stringify(payload.id)})`,
        {
          hint: "remove the id to let dtctl choose one",
          details: { kind: "workflow", field: "id" },
        },
      );
    }
    // A client-chosen id makes the create safe to replay: the existence check finds a create that landed.
    const id = (payload.id as string | undefined) ?? crypto.randomUUID();
    return await context.client.request<Workflow>({
      method: "POST",
      path: WORKFLOWS_API,
      json: { ...body(payload), id },
      signal: context.signal,
      resource: { kind: "workflow", name: str(payload.title) || id },
      existenceCheck: () => workflowExists(context.client, id, context.signal),
    });
  },

  async update(context, current, payload) {
    const fresh = await freshAtVersion(context, current, "updated");
    return await context.client.request<Workflow>({
      method: "PUT",
      path: `${WORKFLOWS_API}/${enc(fresh.id)}`,
      json: body(payload),
      signal: context.signal,
      resource: { kind: "workflow", name: fresh.title, ...(fresh.owner ? { owner: fresh.owner } : {}) },
    });
  },

  async delete(context, current) {
    const fresh = await freshAtVersion(context, current, "deleted");
    await context.client.request({
      method: "DELETE",
      path: `${WORKFLOWS_API}/${enc(fresh.id)}`,
      signal: context.signal,
      resource: { kind: "workflow", name: fresh.title, ...(fresh.owner ? { owner: fresh.owner } : {}) },
    });
  },

  describe: describeWorkflow,

  nameQuery: (name, options) => ({ ...options, extra: { ...options.extra, search: name } }),
};

const api = kindApi<Workflow>(workflowKind);

/** Lists workflows (`owner`, `type`, `filter` narrow the list). */
export const listWorkflows = api.list;
/** Reads a workflow by title or id. */
export const getWorkflow = api.get;
/** Creates a workflow from its editable form (an id is chosen when absent). */
export const createWorkflow = api.create;
/**
 * Replaces a workflow with `payload` (its full editable form), refusing with `conflict` when it changed since
 * `current` was read.
 */
export const updateWorkflow = api.update;
/** Deletes a workflow, refusing with `conflict` when it changed since `current` was read. */
export const deleteWorkflow = api.delete;
