/**
 * `dtctl exec workflow <name|id> [--params k=v ...] [--wait] [--timeout D] [--show-results]`: runs a workflow
 * and, with `--wait`, polls it to the end, printing the result and the task states (exit 1 unless it ends in
 * SUCCESS). `dtctl exec slo <name|id>`: evaluates an SLO and prints status, value and error budget
 * (`--fail-on failure|warning` turns it into a gate).
 *
 * @module
 */

import type { Command } from "@commander-js/extra-typings";
import { DtctlError, usageError } from "../../errors/mod.ts";
import type { SloEvaluation } from "../../resources/kinds/slo.ts";
import type { TaskExecution, WorkflowExecution } from "../../resources/kinds/workflow_execution.ts";
import type { RuntimeOf } from "../program.ts";
import { BASE_FORMATS, type CliRuntime, toJson } from "../runtime.ts";
import {
  collect,
  kindContext,
  loadResources,
  parseDuration,
  rejectOtherKinds,
  resourceIO,
} from "./resource_common.ts";

// Heavy modules (kinds, tables, YAML) are loaded when a command runs, not when the program starts.
type Tools = {
  renderTable: typeof import("../../output/table.ts").renderTable;
  toYaml: typeof import("../../output/format.ts").toYaml;
  executions: typeof import("../../resources/kinds/workflow_execution.ts");
};

async function loadTools(): Promise<Tools> {
  const [table, format, executions] = await Promise.all([
    import("../../output/table.ts"),
    import("../../output/format.ts"),
    import("../../resources/kinds/workflow_execution.ts"),
  ]);
  return { renderTable: table.renderTable, toYaml: format.toYaml, executions };
}

/** What `exec workflow` reports. */
export interface WorkflowRunReport {
  /** The workflow run. */
  workflow: { id: string; title: string };
  /** The execution (its final state with `--wait`). */
  execution: WorkflowExecution;
  /** Task executions (with `--wait`). */
  tasks?: TaskExecution[];
  /** Task results by task name (with `--show-results`). */
  results?: Record<string, unknown>;
}

/** What `exec slo` reports. */
export interface SloEvaluationReport {
  /** SLO id. */
  id: string;
  /** SLO name. */
  name: string;
  /** Worst status over the criteria. */
  status: string;
  /** The evaluation as the API returned it. */
  evaluation: SloEvaluation;
}

/** Parses `k=v` pairs (`--params`); a value may contain `=`; a repeated key keeps the last value. */
export function parseParams(pairs: readonly string[] = []): Record<string, string> {
  const params: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    if (at <= 0) {
      throw usageError(`invalid --params "${pair}": expected key=value`, {
        hint: "e.g. --params env=prod --params region=eu",
        details: { flag: "--params", value: pair },
      });
    }
    params[pair.slice(0, at).trim()] = pair.slice(at + 1);
  }
  return params;
}

/** Prints a result in the selected format without the agent envelope (used before failing). */
function printPlain(runtime: CliRuntime, tools: Tools, result: unknown, human: () => string): void {
  const format = runtime.outputFormat(BASE_FORMATS);
  if (runtime.globals.agent) return;
  if (format === "json") runtime.io.stdout(toJson(result));
  else if (format === "yaml") runtime.io.stdout(tools.toYaml(result));
  else runtime.io.stdout(human());
}

function renderRun(report: WorkflowRunReport, runtime: CliRuntime, tools: Tools): string {
  const { renderTable, toYaml } = tools;
  const { formatDuration, taskTable } = tools.executions;
  const { execution, workflow, tasks, results } = report;
  const finished = execution.endedAt !== null && execution.endedAt !== undefined;
  const state = execution.state === "SUCCESS"
    ? runtime.palette.green(execution.state)
    : ["ERROR", "CANCELLED"].includes(execution.state)
    ? runtime.palette.red(execution.state)
    : execution.state;
  const lines = [
    finished
      ? `Execution ${execution.id} of workflow "${workflow.title}" finished: ${state} (${
        formatDuration(execution.runtime)
      })`
      : `Execution ${execution.id} of workflow "${workflow.title}" started: ${state}`,
  ];
  if (execution.stateInfo) lines.push(`  ${execution.stateInfo}`);
  let text = lines.join("\n") + "\n";
  if (tasks?.length) {
    const table = taskTable(tasks);
    text += "\n" + renderTable(
      table.columns.map((header, i) => ({ header, value: (row: string[]) => row[i] })),
      table.rows,
      { styleHeader: runtime.palette.bold },
    );
  }
  if (results) {
    for (const [name, result] of Object.entries(results)) {
      text += `\nResult of ${name}:\n${toYaml(result)}`;
    }
  }
  if (!finished) text += `\nFollow it with: dtctl logs workflow-execution ${execution.id} --follow\n`;
  return text;
}

const SLO_SEVERITY: Record<string, number> = { SUCCESS: 0, WARNING: 1, FAILURE: 2, ERROR: 3 };

function worstStatus(evaluation: SloEvaluation): string {
  let worst = "SUCCESS";
  for (const result of evaluation.evaluationResults) {
    if ((SLO_SEVERITY[result.status] ?? 3) > (SLO_SEVERITY[worst] ?? 3)) worst = result.status;
  }
  return evaluation.evaluationResults.length === 0 ? "ERROR" : worst;
}

function num(value: unknown, suffix = ""): string {
  return typeof value === "number" && Number.isFinite(value)
    ? `${Math.round(value * 1000) / 1000}${suffix}`
    : "";
}

function renderSlo(report: SloEvaluationReport, runtime: CliRuntime, tools: Tools): string {
  const { renderTable } = tools;
  const criteria = (report.evaluation.definition?.criteria ?? [])[0];
  const color = report.status === "SUCCESS"
    ? runtime.palette.green
    : report.status === "WARNING"
    ? runtime.palette.yellow
    : runtime.palette.red;
  let text = `SLO "${report.name}" (${report.id}): ${color(report.status)}\n\n`;
  text += renderTable(
    [
      { header: "criteria", value: (r: SloEvaluation["evaluationResults"][number]) => r.criteria },
      { header: "status", value: (r) => r.status },
      { header: "value", value: (r) => num(r.value, "%") },
      { header: "target", value: () => num(criteria?.target, "%") },
      { header: "warning", value: () => num(criteria?.warning, "%") },
      { header: "error budget", value: (r) => num(r.errorBudget) },
    ],
    report.evaluation.evaluationResults,
    { styleHeader: runtime.palette.bold },
  );
  for (const result of report.evaluation.evaluationResults) {
    if (result.message) text += `\n${result.criteria}: ${result.message}\n`;
  }
  return text;
}

/** Registers `exec workflow` and `exec slo`. */
export function registerExec(program: Command, runtimeOf: RuntimeOf): void {
  const exec = rejectOtherKinds(
    program.command("exec").description("run a workflow or evaluate an SLO")
      .usage("workflow|slo NAME|ID [options]"),
    ["workflow", "slo"],
    "dtctl exec workflow NAME|ID' or 'dtctl exec slo NAME|ID",
    { "workflow-execution": "run its workflow again: 'dtctl exec workflow NAME|ID'" },
  );

  exec.command("workflow")
    .aliases(["workflows", "wf"])
    .description("run a workflow (--wait: until it ends, exit 1 unless SUCCESS)")
    .argument("<name-or-id>", "workflow title or id")
    .option("-p, --params <key=value>", "execution parameter (repeatable)", collect)
    .option("--wait", "wait until the execution ends and print the task states")
    .option("--timeout <duration>", "with --wait: give up after this long (e.g. 90s, 30m)", "30m")
    .option("--show-results", "with --wait: also print every task's result")
    .action(async (nameOrId, options, command) => {
      const runtime = runtimeOf(command);
      runtime.outputFormat(BASE_FORMATS);
      const params = parseParams(options.params);
      const timeoutMs = parseDuration(options.timeout, "--timeout");
      const signal = resourceIO(runtime).signal;
      const [{ findKind, objectId, objectName, resolveObject, resourceRef }, tools] = await Promise.all([
        loadResources(),
        loadTools(),
      ]);
      const { getExecutionTasks, getTaskResult, runWorkflow, waitForExecution } = tools.executions;
      const context = await kindContext(runtime, signal);
      const kind = findKind("workflow");
      const workflow = await resolveObject(context, kind, nameOrId);
      const ref = resourceRef(kind, workflow);
      const id = objectId(kind, workflow);
      const title = objectName(kind, workflow);
      const started = await runWorkflow(context.client, id, {
        ...(Object.keys(params).length ? { params } : {}),
        name: ref.name,
        owner: ref.owner,
        signal,
      });
      const report: WorkflowRunReport = { workflow: { id, title }, execution: started };
      if (!options.wait) {
        runtime.print(report, () => renderRun(report, runtime, tools));
        return;
      }
      runtime.status(`Started execution ${started.id} of workflow "${title}"; waiting for it to end...`);
      report.execution = await waitForExecution(context.client, started.id, { timeoutMs, signal });
      report.tasks = await getExecutionTasks(context.client, started.id, signal);
      if (options.showResults) {
        report.results = {};
        for (const task of report.tasks) {
          if (task.state === "SUCCESS") {
            report.results[task.name] = await getTaskResult(context.client, started.id, task.name, signal);
          }
        }
      }
      if (report.execution.state === "SUCCESS") {
        runtime.print(report, () => renderRun(report, runtime, tools));
        return;
      }
      printPlain(runtime, tools, report, () => renderRun(report, runtime, tools));
      throw new DtctlError(
        "error",
        `execution ${started.id} of workflow "${title}" ended in ${report.execution.state}` +
          (report.execution.stateInfo ? `: ${report.execution.stateInfo}` : ""),
        {
          hint: `see its log with: dtctl logs workflow-execution ${started.id}`,
          details: { execution: report.execution, tasks: report.tasks },
        },
      );
    });

  exec.command("slo")
    .aliases(["slos"])
    .description("evaluate an SLO now: status, value and error budget")
    .argument("<name-or-id>", "SLO name or id")
    .option("--timeout <duration>", "give up after this long (e.g. 30s, 2m)", "2m")
    .option("--fail-on <status>", "exit 1 when the status is this bad or worse: failure or warning")
    .action(async (nameOrId, options, command) => {
      const runtime = runtimeOf(command);
      runtime.outputFormat(BASE_FORMATS);
      const failOn = options.failOn?.toLowerCase();
      if (failOn !== undefined && failOn !== "failure" && failOn !== "warning") {
        throw usageError(`invalid --fail-on "${options.failOn}": expected failure or warning`, {
          details: { flag: "--fail-on", value: options.failOn },
        });
      }
      const timeoutMs = parseDuration(options.timeout, "--timeout");
      const signal = resourceIO(runtime).signal;
      const [{ findKind, objectId, objectName, resolveObject }, tools, { evaluateSlo }] = await Promise.all([
        loadResources(),
        loadTools(),
        import("../../resources/kinds/slo.ts"),
      ]);
      const context = await kindContext(runtime, signal);
      const kind = findKind("slo");
      const slo = await resolveObject(context, kind, nameOrId);
      const id = objectId(kind, slo);
      const evaluation = await evaluateSlo(context.client, id, { timeoutMs, signal });
      const report: SloEvaluationReport = {
        id,
        name: objectName(kind, slo),
        status: worstStatus(evaluation),
        evaluation,
      };
      const threshold = failOn === "warning" ? 1 : failOn === "failure" ? 2 : Infinity;
      if ((SLO_SEVERITY[report.status] ?? 3) < threshold) {
        runtime.print(report, () => renderSlo(report, runtime, tools));
        return;
      }
      printPlain(runtime, tools, report, () => renderSlo(report, runtime, tools));
      throw new DtctlError("error", `SLO "${report.name}" is ${report.status} (--fail-on ${failOn})`, {
        details: { slo: id, status: report.status, evaluation },
      });
    });
}
