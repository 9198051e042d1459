/**
 * `dtctl logs workflow-execution <id> [--task NAME | --tasks] [--follow]`: the execution log, one task's log,
 * or every task's log; `--follow` keeps printing new lines until the execution ends.
 *
 * @module
 */

import type { Command } from "@commander-js/extra-typings";
import { DtctlError, usageError } from "../../errors/mod.ts";
// Only the abortable sleep: the client itself is loaded on first use (start-up stays small).
import { sleep } from "../../client/abort.ts";
import type { PlatformClient } from "../../client/mod.ts";
import type { RuntimeOf } from "../program.ts";
import { BASE_FORMATS } from "../runtime.ts";
import { kindContext, parseDuration, rejectOtherKinds, resourceIO } from "./resource_common.ts";

function loadExecutions(): Promise<typeof import("../../resources/kinds/workflow_execution.ts")> {
  return import("../../resources/kinds/workflow_execution.ts");
}

function withNewline(text: string): string {
  return text === "" || text.endsWith("\n") ? text : text + "\n";
}

/**
 * Follows an execution log: calls `write` with each new part of the log until the execution has ended, polling
 * at `intervalMs`. Returns the final state.
 */
export async function followExecutionLog(
  client: PlatformClient,
  id: string,
  write: (text: string) => void,
  options: { intervalMs?: number; signal?: AbortSignal } = {},
): Promise<string> {
  const { getExecution, getExecutionLog, TERMINAL_EXECUTION_STATES } = await loadExecutions();
  let printed = "";
  for (;;) {
    // State first: a log read after the state says "ended" is complete.
    const { state } = await getExecution(client, id, options.signal);
    const log = await getExecutionLog(client, id, options.signal);
    if (log.startsWith(printed)) {
      const fresh = log.slice(printed.length);
      if (fresh !== "") write(fresh);
    } else {
      // The server rewrote earlier lines: print only lines not printed before.
      const seen = new Set(printed.split("\n"));
      const fresh = log.split("\n").filter((line) => !seen.has(line)).join("\n");
      if (fresh !== "") write(printed.endsWith("\n") ? fresh : `\n${fresh}`);
    }
    printed = log;
    if (TERMINAL_EXECUTION_STATES.includes(state)) {
      if (printed !== "" && !printed.endsWith("\n")) write("\n");
      return state;
    }
    try {
      await sleep(options.intervalMs ?? 1000, options.signal);
    } catch (error) {
      throw new DtctlError("aborted", `Following the log of execution ${id} was aborted.`, { cause: error });
    }
  }
}

/** Registers `logs`. */
export function registerLogs(program: Command, runtimeOf: RuntimeOf): void {
  const logs = rejectOtherKinds(
    program.command("logs").description("print logs of workflow executions")
      .usage("workflow-execution <id> [options]"),
    ["workflow-execution"],
    "dtctl logs workflow-execution <id>' (list executions with 'dtctl get workflow-executions')",
    {
      workflow:
        "logs belong to executions: list them with 'dtctl get workflow-executions --workflow NAME', " +
        "then run 'dtctl logs workflow-execution <id>'",
    },
  );
  logs.command("workflow-execution")
    .aliases(["workflow-executions", "wfe"])
    .description("print the log of a workflow execution (or of its tasks)")
    .argument("<id>", "execution id")
    .option("--task <name>", "print this task's log")
    .option("--tasks", "print every task's log, one section per task")
    .option("-f, --follow", "keep printing new lines until the execution ends")
    .option("--interval <duration>", "with --follow: time between polls", "1s")
    .action(async (id, options, command) => {
      const runtime = runtimeOf(command);
      const format = runtime.outputFormat(BASE_FORMATS);
      if (options.task !== undefined && options.tasks) {
        throw usageError("give either --task NAME or --tasks, not both", { details: { flag: "--task" } });
      }
      if (options.follow && (options.task !== undefined || options.tasks)) {
        throw usageError("--follow follows the execution log; it cannot be combined with --task or --tasks", {
          details: { flag: "--follow" },
        });
      }
      if (options.follow && (format !== "table" || runtime.globals.agent)) {
        throw usageError("--follow prints plain text; it cannot be combined with -o json|yaml or -A", {
          details: { flag: "--follow" },
        });
      }
      const signal = resourceIO(runtime).signal;
      const { client } = await kindContext(runtime, signal);
      const { getExecutionLog, getExecutionTasks, getTaskLog } = await loadExecutions();
      if (options.follow) {
        const intervalMs = parseDuration(options.interval, "--interval");
        await followExecutionLog(client, id, (text) => runtime.io.stdout(text), { intervalMs, signal });
        return;
      }
      if (options.task !== undefined) {
        const log = await getTaskLog(client, id, options.task, signal);
        runtime.print({ execution: id, task: options.task, log }, () => withNewline(log));
        return;
      }
      if (options.tasks) {
        const tasks = await getExecutionTasks(client, id, signal);
        const logs: Record<string, string> = {};
        for (const task of tasks) logs[task.name] = await getTaskLog(client, id, task.name, signal);
        runtime.print(
          { execution: id, tasks: logs },
          () =>
            Object.entries(logs).map(([name, log]) =>
              `==> ${name} <==\n${withNewline(log) || "(no output)\n"}`
            )
              .join("\n"),
        );
        return;
      }
      const log = await getExecutionLog(client, id, signal);
      runtime.print({ execution: id, log }, () => withNewline(log));
    });
}
