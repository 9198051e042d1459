/**
 * `dtctl diff [-f PATH...]`: what apply would change, as a plan with unified diffs. Usable as a gate: exit 0
 * when nothing would change, 1 when something would, 2 on any error (auth, not found, invalid manifests, ...),
 * so an error never looks like "changes" (the Go dtctl exits 1 for both).
 *
 * @module
 */

import type { Command } from "@commander-js/extra-typings";
import { DtctlError, type ExitCodeValue } from "../../errors/mod.ts";
import { successEnvelope } from "../../output/envelope.ts";
import type { RuntimeOf } from "../program.ts";
import { type CliRuntime, toJson } from "../runtime.ts";
import { addStackFlags, planData, planFromFlags, printPlan, type StackFlags } from "./plan.ts";

/** Exit codes of `diff`. */
const DIFF_EXIT = { noChanges: 0, changes: 1, error: 2 } as const;

/** An error of `diff`: the original code, message and hint, but exit code 2 whatever the code. */
class DiffError extends DtctlError {
  /** Wraps any failure of `diff`. */
  constructor(error: unknown) {
    const original = error instanceof DtctlError ? error : undefined;
    super(
      original?.code ?? "error",
      original?.message ?? (error instanceof Error ? error.message : String(error)),
      {
        hint: original?.hint,
        details: original?.details ?? {},
        cause: error,
        userError: original?.userError ?? false,
      },
    );
    this.name = original?.name ?? "DiffError";
  }

  /** Always 2: diff's exit code 1 means "changes". */
  override get exitCode(): ExitCodeValue {
    return DIFF_EXIT.error;
  }
}

/** Registers `diff`. */
export function registerDiff(program: Command, runtimeOf: RuntimeOf): void {
  const command = program.command("diff")
    .description("show what apply would change (exit 0: no changes, 1: changes, 2: error)")
    .option("--no-diff", "list field changes only, without unified diffs");
  addStackFlags(command)
    .addHelpText(
      "after",
      "\nOutput (-o): text (default), json (the whole plan as data), markdown (a pull-request comment)\n" +
        "\nExit codes: 0 no changes, 1 changes, 2 error (any error, whatever its kind)\n" +
        "\nExamples:\n  dtctl diff -f manifests/\n  dtctl diff --env prod --prune -o json > plan.json\n",
    )
    .action(async (flags, cmd) => {
      const runtime = runtimeOf(cmd);
      try {
        await runDiff(runtime, flags as StackFlags & { diff?: boolean });
      } catch (error) {
        throw new DiffError(error);
      }
    });
}

async function runDiff(runtime: CliRuntime, flags: StackFlags & { diff?: boolean }): Promise<void> {
  const { format, target, plan } = await planFromFlags(runtime, flags);
  const { hasChanges } = await import("../../plan/summary.ts");
  const changed = hasChanges(plan);
  if (runtime.globals.agent) {
    runtime.io.stdout(toJson(successEnvelope(await planData(plan), { verb: "diff", changes: changed })));
  } else {
    await printPlan(runtime, plan, format, {
      showUnchanged: flags.showUnchanged,
      showDiff: flags.diff !== false,
      secrets: target.secrets,
    });
  }
  runtime.exitCode = changed ? DIFF_EXIT.changes : DIFF_EXIT.noChanges;
}
