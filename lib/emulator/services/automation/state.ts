/**
 * Automation state in the store: workflows, their version history, executions; plus the API views that
 * combine stored data with what is derived at read time (trigger fields, `lastExecution`).
 *
 * @module
 */

import { HttpError } from "../../http/errors.ts";
import type { EmulatorStore, EmulatorUser } from "../../types.ts";
import { executionView, type StoredExecution } from "./executions.ts";
import { derivedTrigger, type StoredWorkflow, triggerTypeOf } from "./workflows.ts";

/** Store collection of workflows. */
export const WORKFLOWS = "automation.workflows";
/** Store collection of version histories, keyed by workflow id. */
export const HISTORY = "automation.history";
/** Store collection of executions. */
export const EXECUTIONS = "automation.executions";

/** One saved version of a workflow. */
export interface HistoryEntry {
  /** Sequence number of the record. */
  id: number;
  /** Workflow version it captured. */
  version: number;
  /** Who saved it. */
  user: string;
  /** When (RFC3339). */
  dateCreated: string;
  /** The workflow as saved. */
  snapshot: StoredWorkflow;
}

/** The workflows collection. */
export const workflows = (store: EmulatorStore) => store.collection<StoredWorkflow>(WORKFLOWS);
/** The histories collection. */
export const histories = (store: EmulatorStore) => store.collection<HistoryEntry[]>(HISTORY);
/** The executions collection. */
export const executions = (store: EmulatorStore) => store.collection<StoredExecution>(EXECUTIONS);

/** Whether the caller may see the workflow: public, own, or with `adminAccess`. */
export function visible(workflow: StoredWorkflow, user: EmulatorUser, adminAccess: boolean): boolean {
  return adminAccess || !workflow.isPrivate || workflow.owner === user.userId;
}

/** The workflow with this id, visible to the caller, or a 404. */
export function findWorkflow(
  store: EmulatorStore,
  id: string,
  user: EmulatorUser,
  adminAccess: boolean,
): StoredWorkflow {
  const workflow = workflows(store).get(id.toLowerCase());
  if (!workflow || !visible(workflow, user, adminAccess)) {
    throw new HttpError(404, `Workflow '${id}' not found.`, { details: { errorCode: "NOT_FOUND" } });
  }
  return workflow;
}

/** Saves a workflow and appends it to its history. */
export function saveWorkflow(
  store: EmulatorStore,
  workflow: StoredWorkflow,
  user: EmulatorUser,
  now: string,
): void {
  workflows(store).set(workflow.id, workflow);
  const history = histories(store).get(workflow.id) ?? [];
  history.push({
    id: history.length + 1,
    version: workflow.version,
    user: user.userId,
    dateCreated: now,
    snapshot: structuredClone(workflow),
  });
  histories(store).set(workflow.id, history);
  store.markDirty();
}

/** The most recent execution of a workflow, if any. */
export function latestExecution(store: EmulatorStore, workflowId: string): StoredExecution | undefined {
  let latest: StoredExecution | undefined;
  for (const execution of executions(store).values()) {
    if (execution.workflow !== workflowId) continue;
    if (!latest || execution.startedAt > latest.startedAt) latest = execution;
  }
  return latest;
}

/** The API view of a workflow at `now` (epoch ms). */
export function workflowView(
  workflow: StoredWorkflow,
  store: EmulatorStore,
  now: number,
): Record<string, unknown> {
  const last = latestExecution(store, workflow.id);
  return {
    id: workflow.id,
    title: workflow.title,
    description: workflow.description,
    isPrivate: workflow.isPrivate,
    isDeployed: workflow.isDeployed,
    type: workflow.type,
    owner: workflow.owner,
    ownerType: workflow.ownerType,
    actor: workflow.actor,
    tasks: workflow.tasks,
    taskDefaults: workflow.taskDefaults,
    trigger: derivedTrigger(workflow.trigger, now, workflow.isDeployed),
    triggerType: triggerTypeOf(workflow.trigger),
    input: workflow.input,
    guide: workflow.guide,
    result: workflow.result,
    hourlyExecutionLimit: workflow.hourlyExecutionLimit,
    schemaVersion: workflow.schemaVersion,
    version: workflow.version,
    modificationInfo: workflow.modificationInfo,
    lastExecution: last ? executionView(last, now) : null,
    workflowLimit: { isActive: false },
    throttle: { isLimitHit: false, limitEvents: [] },
    unacknowledgedSkippedScheduleAt: workflow.unacknowledgedSkippedScheduleAt,
  };
}
