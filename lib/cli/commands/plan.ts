/**
 * `dtctl plan [-f PATH...] [--out FILE]`: show what apply would do and optionally save it for
 * `dtctl apply FILE`; plus what `diff`, `plan` and `apply` share: the flags, choosing the target (project file
 * environment or context) and the stack, loading and planning the manifests, and printing plans.
 *
 * The heavy modules (manifest loader, planner, diff engine, YAML) load only when one of these commands runs.
 *
 * @module
 */

import { relative, resolve } from "node:path";
import type { Command } from "@commander-js/extra-typings";
import type { Connection } from "../../connect/mod.ts";
import { DtctlError, usageError } from "../../errors/mod.ts";
import type { Manifest, Project } from "../../manifest/types.ts";
import { successEnvelope } from "../../output/envelope.ts";
import type { Plan } from "../../plan/types.ts";
import type { RuntimeOf } from "../program.ts";
import { type CliRuntime, toJson } from "../runtime.ts";
import { collect, interruption, parseIntFlag, type ResourceIO } from "./resource_common.ts";

/** Flags shared by `diff`, `plan` and `apply`. */
export interface StackFlags {
  /** `-f/--filename PATH` (repeatable). */
  filename?: string[];
  /** `--project FILE`. */
  project?: string;
  /** `--env NAME`. */
  env?: string;
  /** `--stack NAME`. */
  stack?: string;
  /** `--prune`. */
  prune?: boolean;
  /** `--allow-empty`: an empty set of manifests is intended. */
  allowEmpty?: boolean;
  /** `--show-unchanged`. */
  showUnchanged?: boolean;
  /** `--show-diff`. */
  showDiff?: boolean;
  /** `--concurrency N`. */
  concurrency?: number;
}

/** The process IO with what these commands use when present: tests inject a working directory and a signal. */
export interface StackIO extends ResourceIO {
  /** Working directory (default: the process's). */
  cwd?: string;
}

const PLAN_FORMATS = ["text", "json", "markdown"] as const;

/** Output formats of a plan. */
export type PlanFormat = typeof PLAN_FORMATS[number];

/** The stack name used without a project file and without `--stack`. */
const DEFAULT_STACK = "default";

/** Adds the shared flags (see {@link StackFlags}). */
// deno-lint-ignore no-explicit-any
export function addStackFlags<C extends Command<any, any, any>>(command: C): C {
  command
    .option(
      "-f, --filename <path>",
      "manifest file or directory, or - for stdin (repeatable; default: the paths of the project file)",
      collect,
    )
    .option("--project <file>", "project file to use (default: dtctl.yaml in this directory or a parent)")
    .option("--env <name>", "environment of the project file (default: DTCTL_ENV, or its only environment)")
    .option("--stack <name>", `stack name when there is no project file (default "${DEFAULT_STACK}")`)
    .option("--prune", "also delete objects of the stack that are no longer in the manifests")
    .option(
      "--allow-empty",
      "accept an empty set of manifests (with --prune: delete everything of the stack)",
    )
    .option("--show-unchanged", "also list the resources that stay as they are")
    .option(
      "--concurrency <n>",
      "resources read or written at once (default 8)",
      parseIntFlag("--concurrency"),
    );
  return command;
}

/** Where the manifests come from and where they go. */
export interface StackTarget {
  /** The project file, if any. */
  project?: Project;
  /** The stack name. */
  stack: string;
  /** Whether the stack name is known from the project file or `--stack` (not the default). */
  stackGiven: boolean;
  /** The project environment used, if any. */
  environmentName?: string;
  /** The connection to the target. */
  connection: Connection;
  /** Template values. */
  values: Record<string, unknown>;
  /** Manifest paths (relative to the working directory, or absolute). */
  paths: string[];
  /** Known secrets of the connection, removed from text output. */
  secrets: string[];
  /** The working directory. */
  cwd: string;
}

/** The working directory of the invocation. */
function workingDirectory(runtime: CliRuntime): string {
  return (runtime.io as StackIO).cwd ?? Deno.cwd();
}

/**
 * Chooses project file, stack, target environment and manifest paths:
 * - with a project file: its stack (`--stack` may only repeat it); the environment from `--env`, `DTCTL_ENV` or
 *   its only one, unless `--context` is given (or it defines none): then the context; manifest paths from `-f`,
 *   else its `paths`;
 * - without one: `--stack` (default "default"), the context (`--context`, `DTCTL_CONTEXT`, env-only credentials,
 *   current context), and `-f` (required unless `needPaths` is false).
 */
export async function resolveTarget(
  runtime: CliRuntime,
  flags: StackFlags,
  needPaths = true,
): Promise<StackTarget> {
  const cwd = workingDirectory(runtime);
  const env = runtime.io.env;
  // Checked here for every target (contexts and project environments alike): a bad value is a usage error.
  (await import("../../config/mod.ts")).safetyLevelFromEnv(env, "readwrite-all");
  const { environmentValues, loadProject, selectEnvironment, STACK_NAME_PATTERN } = await import(
    "../../manifest/mod.ts"
  );
  const project = await loadProject({ cwd, ...(flags.project !== undefined ? { file: flags.project } : {}) });
  if (flags.stack !== undefined && !STACK_NAME_PATTERN.test(flags.stack)) {
    throw usageError(`--stack "${flags.stack}" is invalid: 1-63 characters of a-z, 0-9 and '-'`, {
      details: { flag: "--stack", value: flags.stack },
    });
  }
  if (project && flags.stack !== undefined && flags.stack !== project.stack) {
    throw usageError(
      `--stack "${flags.stack}" differs from the stack "${project.stack}" of ${project.file}`,
      {
        hint: "The project file names the stack; drop --stack (or change the project file).",
        details: { flag: "--stack", value: flags.stack },
      },
    );
  }
  if (!project && flags.env !== undefined) {
    throw usageError("--env selects an environment of the project file, and there is none", {
      hint: `Add a dtctl.yaml (stack, paths, environments), pass --project FILE, or use --context.`,
      details: { flag: "--env", value: flags.env },
    });
  }
  const explicitContext = runtime.globals.context !== undefined;
  if (explicitContext && flags.env !== undefined) {
    throw usageError("--env and --context both choose the target; give one", { details: { flag: "--env" } });
  }
  const connectOptions = {
    env,
    verbosity: runtime.verbosity,
    log: (line: string) => runtime.io.stderr(line.endsWith("\n") ? line : `${line}\n`),
    ...(flags.concurrency !== undefined ? { concurrency: flags.concurrency } : {}),
  };
  let connection: Connection;
  let environmentName: string | undefined;
  let values: Record<string, unknown> = {};
  const useProjectEnvironment = project !== undefined && !explicitContext &&
    (flags.env !== undefined || Object.keys(project.environments).length > 0);
  if (project && useProjectEnvironment) {
    const environment = selectEnvironment(project, flags.env, env);
    environmentName = environment.name;
    values = environmentValues(project, environment);
    const { connectProjectEnvironment } = await import("../../connect/project.ts");
    connection = await connectProjectEnvironment(environment, connectOptions);
  } else {
    if (project) values = environmentValues(project);
    const { connect } = await import("../../connect/mod.ts");
    connection = await connect({
      ...connectOptions,
      context: runtime.globals.context,
      config: await runtime.config(),
    });
  }
  let paths = flags.filename ?? [];
  if (paths.length === 0 && project) {
    // Relative to the working directory, so messages name files the way the user sees them.
    paths = project.paths.map((path) => relative(cwd, resolve(project.root, path)) || ".");
  }
  if (needPaths && paths.length === 0) {
    throw usageError("no manifests given", {
      hint: "Pass files or directories with -f (or - for stdin), or run in a repository with a dtctl.yaml.",
      details: { flag: "--filename" },
    });
  }
  const credentials = connection.context.credentials;
  const secrets = credentials.type === "token"
    ? [credentials.token]
    : credentials.type === "oauth"
    ? [credentials.clientSecret]
    : [];
  return {
    ...(project ? { project } : {}),
    stack: project?.stack ?? flags.stack ?? DEFAULT_STACK,
    stackGiven: project !== undefined || flags.stack !== undefined,
    ...(environmentName !== undefined ? { environmentName } : {}),
    connection,
    values,
    paths,
    secrets,
    cwd,
  };
}

/** Loads and validates the target's manifests (every problem at once, before any request). */
async function loadTargetManifests(runtime: CliRuntime, target: StackTarget): Promise<Manifest[]> {
  const { loadManifests } = await import("../../manifest/mod.ts");
  const loaded = await loadManifests({
    paths: target.paths,
    cwd: target.cwd,
    readStdin: () => runtime.io.readStdin(),
    values: target.values,
    env: runtime.io.env,
  });
  return loaded.manifests;
}

/** Plans the target's manifests. */
export async function planTarget(
  runtime: CliRuntime,
  target: StackTarget,
  flags: StackFlags,
  signal?: AbortSignal,
): Promise<Plan> {
  const manifests = await loadTargetManifests(runtime, target);
  if (manifests.length === 0 && flags.allowEmpty !== true) {
    // An empty checkout or an empty stdin must not look like "delete everything" (with --prune) or "no changes".
    throw usageError(`no manifests found in ${target.paths.join(", ")}`, {
      hint:
        "Point -f at the manifests; to really plan the stack as empty (with --prune: delete all it manages), " +
        "add --allow-empty.",
      details: { flag: "--filename", paths: target.paths },
    });
  }
  const { createPlan } = await import("../../plan/plan.ts");
  const client = target.connection.client;
  return await createPlan({
    manifests,
    stack: target.stack,
    context: { client },
    environment: client.environment,
    prune: flags.prune === true,
    ...(flags.concurrency !== undefined ? { concurrency: flags.concurrency } : {}),
    ...(signal ? { signal } : {}),
  });
}

/**
 * What `diff` and `plan` start with: the output format, the target, and its plan. Ctrl+C (or the IO's signal)
 * stops the planning.
 */
export async function planFromFlags(
  runtime: CliRuntime,
  flags: StackFlags,
): Promise<{ format: PlanFormat; target: StackTarget; plan: Plan }> {
  const format = planFormat(runtime);
  const target = await resolveTarget(runtime, flags);
  const stop = interruption(runtime, { phase: "planning" });
  try {
    return { format, target, plan: await planTarget(runtime, target, flags, stop.signal) };
  } finally {
    stop.dispose();
  }
}

/** The plan output format from `-o` (`text` by default; `table` counts as text). */
export function planFormat(runtime: CliRuntime): PlanFormat {
  const format = runtime.globals.output ?? "text";
  if (format === "table" || format === "text") return "text";
  if (format === "json" || format === "markdown") return format;
  throw usageError(`invalid output format "${format}" for this command`, {
    hint: `use -o with one of: ${PLAN_FORMATS.join(", ")}`,
    details: { flag: "--output", value: format },
  });
}

/** Options of {@link renderPlanOutput}. */
export interface PlanOutputOptions {
  /** List unchanged resources. */
  showUnchanged?: boolean;
  /** Show unified diffs. */
  showDiff?: boolean;
  /** Secrets to remove from text and Markdown. */
  secrets: string[];
}

/** The plan in the requested format: text (redacted, runtime palette), JSON (canonical, exact) or Markdown. */
export async function renderPlanOutput(
  runtime: CliRuntime,
  plan: Plan,
  format: PlanFormat,
  options: PlanOutputOptions,
): Promise<string> {
  const { renderPlanJson, renderPlanMarkdown, renderPlanText } = await import("../../plan/render.ts");
  if (format === "json") return renderPlanJson(plan);
  if (format === "markdown") return renderPlanMarkdown(plan, { secrets: options.secrets });
  return renderPlanText(plan, {
    palette: runtime.palette,
    showUnchanged: options.showUnchanged === true,
    showDiff: options.showDiff === true,
    redact: true,
    secrets: options.secrets,
  });
}

/**
 * Prints the plan (see {@link renderPlanOutput}) on stdout, and on stderr a note about objects that left the
 * repository and were kept (no `--prune`).
 */
export async function printPlan(
  runtime: CliRuntime,
  plan: Plan,
  format: PlanFormat,
  options: PlanOutputOptions,
): Promise<void> {
  runtime.io.stdout(await renderPlanOutput(runtime, plan, format, options));
  await noteOrphans(runtime, plan);
}

async function noteOrphans(runtime: CliRuntime, plan: Plan): Promise<void> {
  const { planBasis } = await import("../../plan/plan.ts");
  const orphans = planBasis(plan)?.orphans ?? [];
  if (orphans.length === 0) return;
  const names = orphans.slice(0, 5).map((o) => `${o.kind}/${o.name}`).join(", ");
  const more = orphans.length > 5 ? ` and ${orphans.length - 5} more` : "";
  runtime.status(
    `Note: ${orphans.length} object(s) of stack "${plan.stack}" are no longer in the manifests (${names}${more}); ` +
      "they are kept. --prune deletes them.",
  );
}

/** The plan as JSON data (what `-o json` prints), for envelopes and combined outputs. */
export async function planData(plan: Plan): Promise<unknown> {
  const { canonicalize } = await import("../../diff/canonical.ts");
  return canonicalize(plan);
}

/** Flags of `plan`. */
interface PlanFlags extends StackFlags {
  out?: string;
}

/** Registers `plan`. */
export function registerPlan(program: Command, runtimeOf: RuntimeOf): void {
  const command = program.command("plan")
    .description("show what apply would change, and save the plan for `dtctl apply FILE` with --out")
    .option("--out <file>", "save the plan to this file (apply it later with: dtctl apply FILE)")
    .option("--show-diff", "also print each change as a unified diff");
  addStackFlags(command)
    .addHelpText(
      "after",
      "\nOutput (-o): text (default), json (the whole plan as data), markdown (a pull-request comment)\n" +
        "\nExamples:\n  dtctl plan -f manifests/\n  dtctl plan --env prod --out plan.json && dtctl apply plan.json\n",
    )
    .action(async (flags, cmd) => {
      await runPlan(runtimeOf(cmd), flags as PlanFlags);
    });
}

async function runPlan(runtime: CliRuntime, flags: PlanFlags): Promise<void> {
  const { format, target, plan } = await planFromFlags(runtime, flags);
  if (flags.out !== undefined) {
    const { renderSavedPlan } = await import("../../plan/saved.ts");
    const file = resolve(target.cwd, flags.out);
    try {
      // A saved plan holds the exact desired objects, templated secrets included: owner-only, like the config.
      await Deno.writeTextFile(file, renderSavedPlan(plan), { mode: 0o600 });
      await Deno.chmod(file, 0o600);
    } catch (error) {
      throw new DtctlError("error", `cannot write the plan to ${flags.out}: ${(error as Error).message}`, {
        hint: "Check the path and its directory.",
        details: { flag: "--out", file: flags.out },
        cause: error,
      });
    }
  }
  if (runtime.globals.agent) {
    runtime.io.stdout(toJson(successEnvelope(
      { plan: await planData(plan), ...(flags.out !== undefined ? { out: flags.out } : {}) },
      { verb: "plan" },
    )));
    return;
  }
  await printPlan(runtime, plan, format, { ...flags, secrets: target.secrets });
  if (flags.out !== undefined) {
    runtime.status(`Saved the plan to ${flags.out}. Apply exactly this plan with: dtctl apply ${flags.out}`);
  }
}
