/**
 * Workflow executions: planning a run and reading its state at any point in time.
 *
 * A run is planned completely when it starts: tasks in topological order of their predecessors, each with a
 * start and end time on the injected clock and a predetermined outcome. Reading an execution later only asks
 * "where is the clock in that plan", so RUNNING → SUCCESS/ERROR happens over (virtual) time, deterministically,
 * and survives being stored as JSON between processes.
 *
 * @module
 */

import { isoTime } from "../../time.ts";
import type { StoredWorkflow } from "./workflows.ts";

/** How a task ends. */
export type TaskOutcome = "SUCCESS" | "ERROR" | "SKIPPED";

/** What running one task produced. */
export interface TaskRun {
  /** Outcome. */
  outcome: "SUCCESS" | "ERROR";
  /** The task result (actions' return value). */
  result: unknown;
  /** Why it failed. */
  errorReason?: string;
}

/** The plan of one task execution. */
export interface TaskPlan {
  /** Task execution id. */
  id: string;
  /** Task name. */
  name: string;
  /** Action identifier. */
  action: string;
  /** Task description. */
  description: string;
  /** Task input as configured. */
  input: unknown;
  /** Canvas position. */
  position: unknown;
  /** Predecessor names. */
  predecessors: string[];
  /** Conditions as configured. */
  conditions: Record<string, unknown>;
  /** Whether the task is active. */
  active: boolean;
  /** Epoch ms the task starts (equal to `end` for skipped tasks). */
  start: number;
  /** Epoch ms the task ends. */
  end: number;
  /** Final outcome. */
  outcome: TaskOutcome;
  /** True when skipped because a condition failed with `else: STOP`, which also stops its successors. */
  stopped: boolean;
  /** Result of a successful task. */
  result: unknown;
  /** Why the task failed or was skipped. */
  reason?: string;
}

/** An execution as stored. */
export interface StoredExecution {
  /** UUID. */
  id: string;
  /** Workflow id. */
  workflow: string;
  /** Workflow title at run time. */
  title: string;
  /** Epoch ms of the start. */
  startedAt: number;
  /** Epoch ms when the last task ends. */
  endsAt: number;
  /** Final state unless cancelled. */
  outcome: "SUCCESS" | "ERROR";
  /** Epoch ms of a cancel. */
  cancelledAt?: number;
  /** How it was triggered. */
  triggerType: "Manual" | "Schedule" | "Event" | "Workflow";
  /** Who ran it. */
  user: string;
  /** Identity it ran as. */
  actor: string;
  /** Input given to the run. */
  input: Record<string, unknown>;
  /** Params given to the run. */
  params: Record<string, unknown>;
  /** Workflow version that ran. */
  workflowVersion: number;
  /** Workflow type. */
  workflowType: "STANDARD" | "SIMPLE";
  /** Task plans in execution (topological) order. */
  tasks: TaskPlan[];
}

/** Task names in topological order of predecessors, ties broken by declaration order. */
export function topologicalOrder(tasks: Record<string, { predecessors?: unknown }>): string[] {
  const names = Object.keys(tasks);
  const remaining = new Map(
    names.map((name) => [name, new Set((tasks[name].predecessors as string[]) ?? [])]),
  );
  const order: string[] = [];
  while (remaining.size > 0) {
    const ready = names.find((name) =>
      remaining.has(name) && [...remaining.get(name)!].every((p) => !remaining.has(p))
    );
    // Validation rejects cycles on write; a stored cycle would otherwise loop forever.
    if (ready === undefined) throw new Error("Task predecessors form a cycle.");
    order.push(ready);
    remaining.delete(ready);
  }
  return order;
}

function conditionHolds(required: string, predecessor: TaskPlan): boolean {
  if (required === "ANY") return true;
  if (predecessor.stopped) return false;
  switch (required) {
    case "SUCCESS":
      return predecessor.outcome === "SUCCESS";
    case "ERROR":
    case "NOK":
      return predecessor.outcome === "ERROR";
    default: // OK: the predecessor did not fail.
      return predecessor.outcome !== "ERROR";
  }
}

/** Inputs of {@link planExecution}. */
export interface PlanOptions {
  /** Epoch ms of the start. */
  now: number;
  /** Simulated duration of each executed task. */
  taskDurationMs: number;
  /** New ids. */
  newId: () => string;
  /** Runs one task's action and reports its outcome. */
  runTask: (task: Record<string, unknown>) => Promise<TaskRun>;
}

/** Plans every task of a run of `workflow`. */
export async function planExecution(workflow: StoredWorkflow, options: PlanOptions): Promise<TaskPlan[]> {
  const plans = new Map<string, TaskPlan>();
  for (const name of topologicalOrder(workflow.tasks)) {
    const task = workflow.tasks[name];
    const predecessors = (task.predecessors as string[]) ?? [];
    const conditions = (task.conditions as Record<string, unknown> | undefined) ?? {};
    const states = (conditions.states as Record<string, string> | undefined) ?? {};
    const start = Math.max(options.now, ...predecessors.map((p) => plans.get(p)!.end));
    const plan: TaskPlan = {
      id: options.newId(),
      name,
      action: String(task.action),
      description: String(task.description ?? ""),
      input: task.input ?? {},
      position: task.position ?? { x: 0, y: 0 },
      predecessors,
      conditions: { states, custom: conditions.custom ?? "", else: conditions.else ?? "STOP" },
      active: task.active !== false && task.active !== "false",
      start,
      end: start,
      outcome: "SKIPPED",
      stopped: false,
      result: null,
    };
    const failed = predecessors.find((p) => !conditionHolds(states[p] ?? "OK", plans.get(p)!));
    if (!plan.active) {
      plan.reason = "Task is inactive.";
    } else if (failed !== undefined) {
      plan.stopped = conditions.else !== "SKIP";
      plan.reason = `Condition on '${failed}' not met.`;
    } else {
      const run = await options.runTask(task);
      plan.end = start + options.taskDurationMs;
      plan.outcome = run.outcome;
      plan.result = run.outcome === "SUCCESS" ? run.result : null;
      plan.reason = run.errorReason;
    }
    plans.set(name, plan);
  }
  return [...plans.values()];
}

/** The execution's state and times at epoch ms `at`. */
export function executionState(execution: StoredExecution, at: number): {
  state: "RUNNING" | "SUCCESS" | "ERROR" | "CANCELLED";
  endedAt: number | null;
} {
  if (execution.cancelledAt !== undefined && execution.cancelledAt <= at) {
    return { state: "CANCELLED", endedAt: execution.cancelledAt };
  }
  if (at < execution.endsAt) return { state: "RUNNING", endedAt: null };
  return { state: execution.outcome, endedAt: execution.endsAt };
}

/** The API view of an execution at `at`. */
export function executionView(execution: StoredExecution, at: number): Record<string, unknown> {
  const { state, endedAt } = executionState(execution, at);
  const failed = execution.tasks.find((task) => task.outcome === "ERROR");
  return {
    id: execution.id,
    workflow: execution.workflow,
    title: execution.title,
    state,
    stateInfo: state === "ERROR" && failed
      ? `Task '${failed.name}' failed: ${failed.reason ?? "error"}`
      : null,
    input: execution.input,
    params: execution.params,
    startedAt: isoTime(execution.startedAt),
    endedAt: endedAt === null ? null : isoTime(endedAt),
    runtime: Math.round(((endedAt ?? at) - execution.startedAt) / 1000),
    trigger: null,
    schedule: null,
    eventTrigger: null,
    user: execution.user,
    actor: execution.actor,
    result: null,
    triggerType: execution.triggerType,
    workflowVersion: execution.workflowVersion,
    workflowType: execution.workflowType,
    parentExecution: null,
    parentTaskName: null,
    rootExecution: null,
    rootWorkflow: execution.workflow,
    isDraft: false,
  };
}

/** A task's state at `at`. */
export function taskState(execution: StoredExecution, task: TaskPlan, at: number): string {
  const cancelled = execution.cancelledAt !== undefined && execution.cancelledAt <= at;
  const when = cancelled ? execution.cancelledAt! : at;
  if (when < task.start) return cancelled ? "CANCELLED" : "IDLE";
  if (task.outcome === "SKIPPED") return "SKIPPED";
  if (when < task.end) return cancelled ? "CANCELLED" : "RUNNING";
  return task.outcome;
}

/** The API view of a task execution at `at`. */
export function taskView(execution: StoredExecution, task: TaskPlan, at: number): Record<string, unknown> {
  const state = taskState(execution, task, at);
  const started = state !== "IDLE" && !(state === "CANCELLED" && execution.cancelledAt! < task.start);
  const finished = state === "SUCCESS" || state === "ERROR" || state === "SKIPPED" || state === "CANCELLED";
  const endedAt = !finished ? null : state === "CANCELLED" ? execution.cancelledAt! : task.end;
  return {
    id: task.id,
    execution: execution.id,
    name: task.name,
    state,
    stateInfo: state === "SKIPPED" ? task.reason ?? null : null,
    errorReason: state === "ERROR" ? task.reason ?? "error" : null,
    input: task.input,
    startedAt: started && task.outcome !== "SKIPPED" ? isoTime(task.start) : null,
    endedAt: endedAt === null ? null : isoTime(endedAt),
    runtime: started && task.outcome !== "SKIPPED" ? Math.round(((endedAt ?? at) - task.start) / 1000) : 0,
    position: task.position,
    conditions: task.conditions,
    predecessors: task.predecessors,
    active: task.active,
    result: state === "SUCCESS" ? task.result : null,
    description: task.description,
    action: task.action,
    isApproval: false,
  };
}

/** The execution log up to `at`, one line per task transition. */
export function executionLog(execution: StoredExecution, at: number): string {
  return formatEvents(executionEvents(execution, at));
}

/** The log of one task of an execution as of `at`: its own lines of the execution log. */
export function taskLog(execution: StoredExecution, taskName: string, at: number): string {
  return formatEvents(executionEvents(execution, at).filter((event) => event.task === taskName));
}

interface LogEvent {
  time: number;
  text: string;
  task?: string;
}

function executionEvents(execution: StoredExecution, at: number): LogEvent[] {
  const events: LogEvent[] = [{
    time: execution.startedAt,
    text: `Execution of workflow '${execution.title}' started.`,
  }];
  for (const task of execution.tasks) {
    const state = taskState(execution, task, at);
    const add = (time: number, text: string) => events.push({ time, text, task: task.name });
    if (task.outcome === "SKIPPED") {
      if (at >= task.start && state === "SKIPPED") {
        add(task.start, `Task '${task.name}' skipped: ${task.reason}`);
      }
      continue;
    }
    if (state === "IDLE") continue;
    if (!(state === "CANCELLED" && execution.cancelledAt! < task.start)) {
      add(task.start, `Task '${task.name}' (${task.action}) started.`);
    }
    if (state === "SUCCESS") add(task.end, `Task '${task.name}' succeeded.`);
    if (state === "ERROR") add(task.end, `Task '${task.name}' failed: ${task.reason ?? "error"}`);
  }
  const { state, endedAt } = executionState(execution, at);
  if (endedAt !== null) events.push({ time: endedAt, text: `Execution ended: ${state}.` });
  return events;
}

function formatEvents(events: LogEvent[]): string {
  return events
    .sort((a, b) => a.time - b.time)
    .map((event) => `${isoTime(event.time)} ${event.text}`)
    .join("\n");
}
