/**
 * `dtctl apply -f PATH...` (plan, then apply) and `dtctl apply plan.json` (exactly a saved plan): prints the plan,
 * then one line per change and a summary. `--dry-run` prints the plan and writes nothing. Exit 0 when every
 * change succeeded, else the exit code of the first failure (6 for a conflict). Progress goes to stderr when it
 * is a terminal. Ctrl+C stops starting new changes, waits for those in flight and reports what was done.
 *
 * @module
 */

import { resolve } from "node:path";
import type { Command } from "@commander-js/extra-typings";
import type { ApplyProgress, ApplyResult, ResourceResult } from "../../apply/types.ts";
import { DtctlError, type ErrorCode, usageError } from "../../errors/mod.ts";
import { successEnvelope } from "../../output/envelope.ts";
import type { Plan } from "../../plan/types.ts";
import type { RuntimeOf } from "../program.ts";
import { type CliRuntime, toJson } from "../runtime.ts";
import {
  addStackFlags,
  planData,
  planFormat,
  planTarget,
  printPlan,
  renderPlanOutput,
  resolveTarget,
  type StackFlags,
  type StackTarget,
} from "./plan.ts";
import { interruption } from "./resource_common.ts";

/** Flags of `apply`. */
interface ApplyFlags extends StackFlags {
  dryRun?: boolean;
  force?: boolean;
  continueOnError?: boolean;
}

/** Registers `apply`. */
export function registerApply(program: Command, runtimeOf: RuntimeOf): void {
  const command = program.command("apply")
    .description(
      "make the environment match the manifests (-f PATH), or apply a saved plan (dtctl apply FILE)",
    )
    .argument("[plan-file]", "a plan saved by `dtctl plan --out FILE`: applied exactly, or not at all")
    .option("--dry-run", "print the plan and change nothing")
    .option(
      "--force",
      "overwrite resources changed by someone else since the plan (default: report a conflict)",
    )
    .option("--continue-on-error", "keep applying the other changes after one fails")
    .option("--show-diff", "also print each change as a unified diff");
  addStackFlags(command)
    .addHelpText(
      "after",
      "\nOutput (-o): text (default), json ({plan, apply}), markdown (the plan as a pull-request comment)\n" +
        "\nExamples:\n  dtctl apply -f manifests/\n  dtctl apply --env prod --prune\n" +
        "  dtctl plan --env prod --out plan.json && dtctl apply --env prod plan.json\n",
    )
    .action(async (planFile, flags, cmd) => {
      await runApply(runtimeOf(cmd), planFile, flags as ApplyFlags);
    });
}

const RESULT_SYMBOL: Record<ResourceResult["action"], string> = {
  create: "+",
  update: "~",
  delete: "-",
  unchanged: "=",
};

const DONE_VERB: Record<ResourceResult["action"], string> = {
  create: "created",
  update: "updated",
  delete: "deleted",
  unchanged: "unchanged",
};

async function loadSaved(target: StackTarget, file: string): Promise<Plan> {
  const { checkSavedPlanTarget, parseSavedPlan } = await import("../../plan/saved.ts");
  let text: string;
  try {
    text = await Deno.readTextFile(resolve(target.cwd, file));
  } catch (error) {
    throw usageError(
      `cannot read the plan ${file}: ${
        error instanceof Deno.errors.NotFound ? "no such file" : (error as Error).message
      }`,
      { hint: "Save a plan with: dtctl plan --out FILE", details: { file }, cause: error },
    );
  }
  const plan = parseSavedPlan(text, file);
  checkSavedPlanTarget(plan, {
    environment: target.connection.client.environment,
    ...(target.stackGiven ? { stack: target.stack } : {}),
  }, file);
  return plan;
}

async function runApply(runtime: CliRuntime, planFile: string | undefined, flags: ApplyFlags): Promise<void> {
  const format = planFormat(runtime);
  if (planFile !== undefined && flags.filename?.length) {
    throw usageError("give either a saved plan file or -f manifests, not both", {
      hint: "dtctl apply plan.json applies exactly the saved plan; dtctl apply -f PATH plans and applies.",
      details: { flag: "--filename" },
    });
  }
  if (planFile !== undefined && flags.prune) {
    throw usageError("--prune is decided when the plan is made (dtctl plan --prune --out FILE)", {
      hint: "Drop --prune: the saved plan already says what it deletes.",
      details: { flag: "--prune" },
    });
  }
  const target = await resolveTarget(runtime, flags, planFile === undefined);
  const stop = interruption(runtime, { hardExitOnSecond: true, phase: "planning" });
  try {
    let plan: Plan;
    if (planFile !== undefined) plan = await loadSaved(target, planFile);
    else plan = await planTarget(runtime, target, flags, stop.signal);
    if (stop.signal.aborted) throw new DtctlError("aborted", "interrupted before anything was applied");

    const agent = runtime.globals.agent;
    if (!agent && format !== "json") {
      await printPlan(runtime, plan, format, { ...flags, secrets: target.secrets });
    }
    if (flags.dryRun) {
      // The dry run refuses what apply would refuse (applyPlan checks before its first write).
      const { checkPlanSafety } = await import("../../apply/safety.ts");
      await checkPlanSafety(plan, { client: target.connection.client });
      if (agent) {
        runtime.io.stdout(
          toJson(successEnvelope({ plan: await planData(plan) }, { verb: "apply", dryRun: true })),
        );
      } else if (format === "json") {
        runtime.io.stdout(await renderPlanOutput(runtime, plan, "json", { secrets: target.secrets }));
      } else {
        runtime.status("Dry run: nothing was changed.");
      }
      return;
    }

    const { applyPlan } = await import("../../apply/apply.ts");
    const progress = progressPrinter(runtime);
    stop.setPhase("applying");
    const result = await applyPlan(plan, {
      context: { client: target.connection.client },
      ...(flags.concurrency !== undefined ? { concurrency: flags.concurrency } : {}),
      continueOnError: flags.continueOnError === true,
      force: flags.force === true,
      signal: stop.signal,
      ...(progress ? { onProgress: progress } : {}),
    });

    const data = { plan: await planData(plan), apply: result };
    if (agent) {
      if (result.ok) runtime.io.stdout(toJson(successEnvelope(data, { verb: "apply" })));
    } else if (format === "json") {
      const { canonicalize } = await import("../../diff/canonical.ts");
      runtime.io.stdout(`${JSON.stringify(canonicalize(data), null, 2)}\n`);
    } else {
      runtime.io.stdout(await renderResults(runtime, result, target.secrets));
    }
    if (!result.ok) throw applyFailure(result, agent ? data : undefined);
  } finally {
    stop.dispose();
  }
}

/** Progress lines on stderr, only when it is a terminal (and not with --plain or -A). */
function progressPrinter(runtime: CliRuntime): ((event: ApplyProgress) => void) | undefined {
  if (!runtime.io.stderrIsTTY || runtime.globals.plain || runtime.globals.agent) return undefined;
  const palette = runtime.palette;
  return (event) => {
    if (event.type !== "done" || !event.result) return;
    const status = event.result.status === "ok"
      ? palette.green(DONE_VERB[event.action])
      : event.result.status === "failed"
      ? palette.red("failed")
      : palette.dim("skipped");
    runtime.io.stderr(
      `${palette.dim(`[${event.done}/${event.total}]`)} ${
        RESULT_SYMBOL[event.action]
      } ${event.kind}/${event.name} ${status}\n`,
    );
  };
}

async function renderResults(runtime: CliRuntime, result: ApplyResult, secrets: string[]): Promise<string> {
  const { redactText } = await import("../../redact/mod.ts");
  const { escapeUnsafeChars } = await import("../../plan/render_text.ts");
  const palette = runtime.palette;
  const clean = (text: string) => escapeUnsafeChars(redactText(text, secrets));
  const lines: string[] = [];
  for (const r of result.results) {
    if (r.action === "unchanged" && r.status === "ok") continue;
    const name = `${r.kind}/${r.name}`;
    const label = `${RESULT_SYMBOL[r.action]} ${clean(name)}`;
    // Messages name the resource for use on their own; on its own line the name is already there.
    const message = (text: string) =>
      clean(text.startsWith(`${name}: `) ? text.slice(name.length + 2) : text);
    if (r.status === "ok") {
      const id = r.id !== undefined && r.action === "create" ? ` ${palette.dim(`(id ${clean(r.id)})`)}` : "";
      const note = r.note ? ` ${palette.dim(`(${clean(r.note)})`)}` : "";
      lines.push(`${label}: ${palette.green(DONE_VERB[r.action])}${id}${note}`);
    } else if (r.status === "failed") {
      lines.push(
        `${palette.red(label)}: ${palette.red("failed")}: ${message(r.error?.message ?? "unknown error")}`,
      );
      if (r.error?.hint) lines.push(`    ${palette.yellow("Hint:")} ${clean(r.error.hint)}`);
    } else {
      lines.push(
        `${palette.dim(label)}: ${palette.dim("skipped")}: ${message(r.error?.message ?? "not started")}`,
      );
    }
  }
  if (result.inventory.status === "failed") {
    lines.push(
      `${palette.red("! inventory")}: ${palette.red("not updated")}: ${
        clean(result.inventory.error?.message ?? "unknown error")
      }`,
    );
  }
  const s = result.summary;
  const counts = `${s.created} created, ${s.updated} updated, ${s.deleted} deleted, ${s.unchanged} unchanged`;
  if (lines.length > 0) lines.push("");
  if (result.ok) {
    lines.push(`${palette.green(palette.bold("Apply complete."))} ${counts}.`);
  } else {
    const what = [
      s.failed > 0 ? `${s.failed} failed` : "",
      s.skipped > 0 ? `${s.skipped} skipped` : "",
      result.inventory.status === "failed" ? "inventory not updated" : "",
    ].filter(Boolean).join(", ");
    lines.push(
      `${
        palette.red(palette.bold(result.aborted ? "Apply interrupted:" : "Apply failed:"))
      } ${what}; ${counts}.`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** The error that ends a failed apply: the first failure's code (so its exit code), and the whole result. */
function applyFailure(result: ApplyResult, data: unknown): DtctlError {
  const first = result.results.find((r) => r.status === "failed");
  const s = result.summary;
  const changes = result.results.filter((r) => r.action !== "unchanged").length;
  let code: ErrorCode;
  let message: string;
  let hint: string | undefined;
  if (first?.error) {
    code = first.error.code;
    message = `apply failed: ${s.failed} of ${changes} change(s) failed` +
      (s.skipped > 0 ? `, ${s.skipped} not started` : "") + `; first: ${first.error.message}`;
    hint = first.error.hint ?? "Fix the cause and run apply again: it continues where this one stopped.";
  } else if (result.inventory.error) {
    code = result.inventory.error.code;
    message = `apply succeeded, but the stack's inventory was not updated: ${result.inventory.error.message}`;
    hint = result.inventory.error.hint;
  } else {
    code = result.aborted ? "aborted" : "error";
    message = `apply ${result.aborted ? "interrupted" : "stopped"}: ${s.skipped} change(s) not started`;
    hint = "Run apply again to apply the rest.";
  }
  return new DtctlError(code, message, {
    ...(hint ? { hint } : {}),
    details: { summary: s, ...(data !== undefined ? { result: data } : {}) },
  });
}
