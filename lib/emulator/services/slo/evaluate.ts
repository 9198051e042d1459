/**
 * SLO evaluation: runs the SLI through the query engine over the criterion's timeframe and grades the value.
 *
 * The value is the SLI query's first record: its `sli` field, else its first numeric field; a timeseries
 * array is averaged. When the engine cannot run the SLI (the interim engine has no `timeseries`), the result is
 * `status: ERROR` with the engine's message: the emulator never invents SLI values.
 *
 * @module
 */

import type { EmulatorStore } from "../../types.ts";
import { type QueryEngine, QueryError } from "../query/engine.ts";
import { storeTables } from "../query/tables.ts";
import { type DqlRecord, type DqlValue, Timeframe, Timestamp } from "../query/values.ts";
import type { Slo } from "./model.ts";
import { findTemplate } from "./templates.ts";
import { resolveBound } from "./timeframe.ts";

/** One evaluated criterion. */
export interface EvaluationResult {
  /** `timeframeFrom - timeframeTo`. */
  criteria: string;
  /** Grade of the value against target and warning. */
  status: "SUCCESS" | "WARNING" | "FAILURE" | "ERROR";
  /** The SLI value in percent. */
  value?: number;
  /** Value minus target, in percentage points. */
  errorBudget?: number;
  /** Why the evaluation failed. */
  message?: string;
}

/** The SLI query an SLO evaluates: the custom indicator, or the template's with variables substituted. */
export function sliQuery(slo: Slo): string {
  if (slo.customSli) return slo.customSli.indicator;
  const reference = slo.sliReference!;
  const template = findTemplate(reference.templateId);
  let query = template?.indicator ?? "";
  // Longer names first, so `$a` does not eat the start of `$ab`.
  const variables = [...reference.variables].sort((a, b) => b.name.length - a.name.length);
  for (const { name, value } of variables) query = query.replaceAll(`$${name}`, value);
  return query;
}

function numeric(value: DqlValue): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "bigint") return Number(value);
  if (Array.isArray(value)) {
    const numbers = value.map(numeric).filter((v): v is number => v !== undefined);
    return numbers.length > 0 ? numbers.reduce((a, b) => a + b, 0) / numbers.length : undefined;
  }
  return undefined;
}

/** The SLI value of a query result's first record. */
export function sliValue(records: DqlRecord[]): number | undefined {
  const [first] = records;
  if (!first) return undefined;
  if ("sli" in first) return numeric(first.sli);
  for (const value of Object.values(first)) {
    const number = numeric(value);
    if (number !== undefined) return number;
  }
  return undefined;
}

/** Grades a value: at or above warning SUCCESS, at or above target WARNING (SUCCESS without a warning), else FAILURE. */
export function grade(value: number, target: number, warning?: number): EvaluationResult["status"] {
  if (warning !== undefined) return value >= warning ? "SUCCESS" : value >= target ? "WARNING" : "FAILURE";
  return value >= target ? "SUCCESS" : "FAILURE";
}

/** Evaluates an SLO at `now` (epoch ms), optionally over a custom timeframe. */
export async function evaluateSlo(
  slo: Slo,
  engine: QueryEngine,
  store: EmulatorStore,
  now: number,
  custom?: { start: number; end: number },
): Promise<{ evaluationResults: EvaluationResult[]; evaluatedSliQuery: string }> {
  const criterion = slo.criteria[0];
  const query = sliQuery(slo);
  const label = custom
    ? `${new Date(custom.start).toISOString()} - ${new Date(custom.end).toISOString()}`
    : `${criterion.timeframeFrom} - ${criterion.timeframeTo}`;
  const start = custom?.start ?? resolveBound(criterion.timeframeFrom, now)!;
  const end = custom?.end ?? resolveBound(criterion.timeframeTo, now)!;
  const tables = storeTables(store);
  let result: EvaluationResult;
  try {
    engine.analyze(query, { tables });
    const output = await engine.execute(query, {
      timeframe: new Timeframe(Timestamp.fromMillis(start), Timestamp.fromMillis(end)),
      now: Timestamp.fromMillis(now),
      tables,
      timezone: "Z",
      locale: "und",
    });
    const value = sliValue(output.records);
    result = value === undefined
      ? { criteria: label, status: "ERROR", message: "The SLI query returned no numeric value." }
      : {
        criteria: label,
        status: grade(value, criterion.target, criterion.warning),
        value,
        errorBudget: Math.round((value - criterion.target) * 1e9) / 1e9,
      };
  } catch (error) {
    if (!(error instanceof QueryError)) throw error;
    result = { criteria: label, status: "ERROR", message: `${error.errorType}: ${error.message}` };
  }
  return { evaluationResults: [result], evaluatedSliQuery: query };
}
