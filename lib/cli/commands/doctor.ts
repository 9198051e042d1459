/**
 * `dtctl doctor`: checks, in order, that the config loads, a context resolves, the environment answers, the
 * credentials are accepted and the current user can be read, and says what to fix for the first failure.
 *
 * @module
 */

import type { Command } from "@commander-js/extra-typings";
import { DtctlError } from "../../errors/mod.ts";
import type { Palette } from "../../output/color.ts";
import { renderTable } from "../../output/table.ts";
import type { RuntimeOf } from "../program.ts";
import type { CliRuntime } from "../runtime.ts";

/** The outcome of one check. */
export interface DoctorCheck {
  /** What was checked. */
  check: string;
  /** ok, fail, or skip (an earlier check failed). */
  status: "ok" | "fail" | "skip";
  /** What was found, or what went wrong. */
  detail: string;
  /** What to do about a failure. */
  hint?: string;
}

/** Runs the checks; never throws for a failed check, it reports it. */
async function runDoctor(
  runtime: CliRuntime,
): Promise<{ checks: DoctorCheck[]; failure?: DtctlError }> {
  const checks: DoctorCheck[] = [];
  let failure: DtctlError | undefined;
  const step = async (check: string, run: () => Promise<string>) => {
    if (failure) return checks.push({ check, status: "skip", detail: "skipped after an earlier failure" });
    try {
      checks.push({ check, status: "ok", detail: await run() });
    } catch (error) {
      if (!(error instanceof DtctlError)) throw error;
      failure = error;
      checks.push({
        check,
        status: "fail",
        detail: error.message,
        ...(error.hint ? { hint: error.hint } : {}),
      });
    }
  };
  await step("config", async () => {
    const config = await runtime.config();
    return config.exists
      ? `loaded ${config.path}`
      : `no file at ${config.path} (env-only or local contexts work)`;
  });
  await step("context", async () => {
    const context = await runtime.context();
    return `${context.name} (${context.source}), safety level ${context.safetyLevel}`;
  });
  await step("environment", async () => (await runtime.client()).environment);
  const user = Promise.all([runtime.client(), import("../../connect/mod.ts")]).then((
    [client, { getCurrentUser }],
  ) => getCurrentUser(client));
  await step("reachable", async () => {
    try {
      await user;
    } catch (error) {
      // Any HTTP answer, even 401 or 403, proves the environment is reachable. (The client is loaded by now.)
      const { ApiError } = await import("../../client/mod.ts");
      if (!(error instanceof ApiError)) throw error;
    }
    return "the environment answered";
  });
  await step("credentials", async () => {
    await user;
    return "accepted";
  });
  await step("current user", async () => {
    const { userName, userId, emailAddress } = await user;
    return `${userName} <${emailAddress}> (${userId})`;
  });
  user.catch(() => {});
  return { checks, failure };
}

/** Registers `doctor`. */
export function registerDoctor(program: Command, runtimeOf: RuntimeOf): void {
  program.command("doctor")
    .description("check config, context, connectivity, credentials and the current user")
    .action(async (_options, command) => {
      const runtime = runtimeOf(command);
      const { checks, failure } = await runDoctor(runtime);
      if (failure) {
        if (!runtime.globals.agent) runtime.io.stdout(renderChecks(checks, runtime.palette));
        throw new DtctlError(failure.code, `doctor: ${failure.message}`, {
          hint: failure.hint,
          details: { ...failure.details, checks },
        });
      }
      runtime.print({ checks }, () => renderChecks(checks, runtime.palette));
    });
}

function renderChecks(checks: DoctorCheck[], palette: Palette): string {
  const mark = (status: DoctorCheck["status"]) =>
    status === "ok" ? palette.green("OK") : status === "fail" ? palette.red("FAIL") : palette.dim("SKIP");
  return renderTable(
    [
      { header: "check", value: (row: DoctorCheck) => row.check },
      { header: "status", value: (row) => mark(row.status) },
      { header: "detail", value: (row) => row.detail },
    ],
    checks,
    { styleHeader: palette.bold },
  );
}
