/**
 * What the emulator does for each workflow action. Scripts are never executed (the emulator runs no user
 * code); a `run-javascript` task fails when its script throws, recognised syntactically, and DQL tasks run
 * through the query engine against the emulated Grail.
 *
 * @module
 */

import type { EmulatorStore } from "../../types.ts";
import type { QueryEngine } from "../query/engine.ts";
import { QueryError } from "../query/engine.ts";
import { encodeRecords } from "../query/encode.ts";
import { storeTables } from "../query/tables.ts";
import { Timeframe, Timestamp } from "../query/values.ts";
import type { TaskRun } from "./executions.ts";

/** Action identifiers with emulated behaviour. */
export const RUN_JAVASCRIPT = "dynatrace.automations:run-javascript";
/** See {@link RUN_JAVASCRIPT}. */
export const EXECUTE_DQL_QUERY = "dynatrace.automations:execute-dql-query";

/** Inputs a task runner needs besides the task. */
export interface ActionContext {
  /** The query engine for DQL tasks. */
  engine: QueryEngine;
  /** The tenant's state (Grail tables). */
  store: EmulatorStore;
  /** Epoch ms of the run. */
  now: number;
}

/** Runs one task's action. */
export async function runAction(task: Record<string, unknown>, context: ActionContext): Promise<TaskRun> {
  const input = (task.input ?? {}) as Record<string, unknown>;
  switch (task.action) {
    case RUN_JAVASCRIPT:
      return runJavascript(input);
    case EXECUTE_DQL_QUERY:
      return await runQuery(input, context);
    default:
      return { outcome: "SUCCESS", result: null };
  }
}

function runJavascript(input: Record<string, unknown>): TaskRun {
  const script = typeof input.script === "string" ? input.script : "";
  if (!/\bthrow\b/.test(script)) return { outcome: "SUCCESS", result: null };
  const message = /\bthrow\s+new\s+\w*Error\(\s*(["'`])(.*?)\1/.exec(script)?.[2];
  return {
    outcome: "ERROR",
    result: null,
    errorReason: message ? `Error: ${message}` : "Uncaught exception in script",
  };
}

async function runQuery(input: Record<string, unknown>, context: ActionContext): Promise<TaskRun> {
  const query = input.query;
  if (typeof query !== "string" || query.trim() === "") {
    return { outcome: "ERROR", result: null, errorReason: "Input 'query' is required." };
  }
  const tables = storeTables(context.store);
  const now = Timestamp.fromMillis(context.now);
  try {
    context.engine.analyze(query, { tables });
    const output = await context.engine.execute(query, {
      timeframe: new Timeframe(Timestamp.fromMillis(context.now - 2 * 3_600_000), now),
      now,
      tables,
      timezone: "Z",
      locale: "und",
    });
    const { records, types } = encodeRecords(output.records, output.columns);
    return { outcome: "SUCCESS", result: { records, types } };
  } catch (error) {
    if (error instanceof QueryError) {
      return { outcome: "ERROR", result: null, errorReason: `${error.errorType}: ${error.message}` };
    }
    throw error;
  }
}
