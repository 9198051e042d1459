/**
 * The command tree: global flags and one registration function per verb (`lib/cli/commands/*.ts`).
 *
 * @module
 */

import { Command } from "@commander-js/extra-typings";
import { registerCompletion } from "./commands/completion.ts";
import { registerConfig } from "./commands/config.ts";
import { registerCreate } from "./commands/create.ts";
import { registerDelete } from "./commands/delete.ts";
import { registerDescribe } from "./commands/describe.ts";
import { registerEdit } from "./commands/edit.ts";
import { registerGet } from "./commands/get.ts";
import { preloadKindsFor, registerSynonyms } from "./commands/resource_common.ts";
import { registerDoctor } from "./commands/doctor.ts";
import { registerServe } from "./commands/serve.ts";
import { registerVersion } from "./commands/version.ts";
import { registerExec } from "./commands/exec.ts";
import { registerLogs } from "./commands/logs.ts";
import { registerHistory } from "./commands/history.ts";
import { registerRestore } from "./commands/restore.ts";
import { registerShare } from "./commands/share.ts";
import { registerDiff } from "./commands/diff.ts";
import { registerPlan } from "./commands/plan.ts";
import { registerApply } from "./commands/apply.ts";
import { registerExport } from "./commands/export.ts";
import type { CliRuntime } from "./runtime.ts";

/** Gives a command action the shared runtime, built from the global flags on first use. */
// deno-lint-ignore no-explicit-any
export type RuntimeOf = (command: Command<any, any, any>) => CliRuntime;

function increase(_value: string, previous: number): number {
  return previous + 1;
}

/** Builds the dtctl program with every command registered. */
export function buildProgram(runtimeOf: RuntimeOf): Command {
  const program = new Command("dtctl")
    .description("kubectl-style CLI and configuration as code for the Dynatrace platform")
    .option("--context <name>", "context to use (a config context, 'local', or env-only credentials)")
    .option("-o, --output <format>", "output format: table, json, yaml (commands list what else they accept)")
    .option(
      "-v, --verbose",
      "log HTTP requests (-vv adds headers and bodies; secrets are redacted)",
      increase,
      0,
    )
    .option("--plain", "plain output for scripts: no colour, no prompts, no progress")
    .option("--no-color", "disable colour")
    .option("-A, --agent", "print a JSON envelope {ok, result, error} on stdout")
    .showSuggestionAfterError(true)
    .configureHelp({ sortSubcommands: true });
  registerVersion(program, runtimeOf);
  registerConfig(program, runtimeOf);
  registerDoctor(program, runtimeOf);
  registerServe(program, runtimeOf);
  registerCompletion(program);
  registerGet(program, runtimeOf);
  registerDescribe(program, runtimeOf);
  registerCreate(program, runtimeOf);
  registerEdit(program, runtimeOf);
  registerDelete(program, runtimeOf);
  registerSynonyms(program);
  preloadKindsFor(program);
  registerExec(program, runtimeOf);
  registerLogs(program, runtimeOf);
  registerHistory(program, runtimeOf);
  registerRestore(program, runtimeOf);
  registerShare(program, runtimeOf);
  registerDiff(program, runtimeOf);
  registerPlan(program, runtimeOf);
  registerApply(program, runtimeOf);
  registerExport(program, runtimeOf);
  return program as unknown as Command;
}
