/**
 * The CLI entry: builds the commander program, runs it, and turns every outcome into output and an exit
 * code per the documented mapping.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import process from "node:process";
import { type Command, CommanderError } from "@commander-js/extra-typings";
import { DtctlError, ExitCode, exitCodeOf, type ExitCodeValue } from "../errors/mod.ts";
import { createPalette, shouldUseColor } from "../output/color.ts";
import { errorEnvelope } from "../output/envelope.ts";
import { renderError } from "../output/errors.ts";
import { buildProgram } from "./program.ts";
import { type CliIO, CliRuntime, type GlobalOptions, toJson } from "./runtime.ts";

/** The real process: stdout, stderr, stdin and environment. */
function processIO(): CliIO {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    readStdin: async () => {
      const chunks: Uint8Array[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Uint8Array);
      return Buffer.concat(chunks).toString("utf8");
    },
    env: { ...process.env },
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stdinIsTTY: Boolean(process.stdin.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
  };
}

/** Runs the CLI with the given arguments (without the program name) and returns the exit code. */
export async function runCli(argv: string[], io: CliIO = processIO()): Promise<number> {
  let runtime: CliRuntime | undefined;
  const commanderErrors: string[] = [];
  // The command whose parsing failed, so that the hint names its help (`dtctl describe --help`).
  let failed: Command | undefined;
  const program = buildProgram((command) => {
    runtime ??= new CliRuntime(io, globalOptions(command));
    return runtime;
  });
  // Subcommands only inherit these settings when set before they are added, so apply them to the tree.
  forEachCommand(program, (command) =>
    command.exitOverride((error) => {
      failed = command;
      throw error;
    }).configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => commanderErrors.push(text),
      outputError: (text) => commanderErrors.push(text),
    }));
  program.hook("preAction", async (_program, action) => {
    runtime ??= new CliRuntime(io, globalOptions(action));
    await runtime.prepare();
  });
  try {
    await program.parseAsync(argv, { from: "user" });
    return runtime?.exitCode ?? ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError && error.code === "commander.help") {
      // A command group run without a subcommand: show its help, like kubectl.
      io.stdout(commanderErrors.join(""));
      return ExitCode.ok;
    }
    let failure = error instanceof CommanderError
      ? fromCommander(error, commanderErrors, failed ?? program)
      : error;
    // The IO's signal stands for Ctrl+C (tests); the real one is seen by the commands that handle SIGINT.
    const interrupted = runtime?.interrupted || (io as { signal?: AbortSignal }).signal?.aborted === true;
    if (interrupted && failure instanceof DtctlError && failure.code === "aborted") {
      failure = new InterruptedError(failure);
    }
    if (failure === undefined) return ExitCode.ok;
    report(failure, io, runtime, argv);
    return exitCodeOf(failure);
  }
}

/** Exit code of a command stopped by Ctrl+C (128 + SIGINT), as kubectl and shells report it. */
export const INTERRUPTED_EXIT_CODE = 130;

/** A failure caused by Ctrl+C (or the IO's signal): exit 130 for every command, `diff` included. */
class InterruptedError extends DtctlError {
  constructor(original: DtctlError) {
    super(original.code, original.message, {
      hint: original.hint,
      details: original.details,
      cause: original,
      userError: original.userError,
    });
  }

  /** 130, whatever the command's own mapping. */
  override get exitCode(): ExitCodeValue {
    return INTERRUPTED_EXIT_CODE as ExitCodeValue;
  }
}

/**
 * Commander signals help and version output with errors too; only real failures become DtctlErrors, with a hint
 * to the help of the command that failed.
 */
function fromCommander(error: CommanderError, written: string[], command: Command): DtctlError | undefined {
  if (
    error.exitCode === 0 || error.code === "commander.helpDisplayed" || error.code === "commander.version"
  ) {
    return undefined;
  }
  const text = (written.join("") || error.message).trim().replace(/^error:\s*/i, "");
  const code = error.code === "commander.unknownCommand" ? "unknown_command" : "usage_error";
  const [message, ...rest] = text.split("\n");
  const suggestion = rest.join(" ").trim();
  return new DtctlError(code, message, {
    hint: [suggestion, `run '${commandPath(command)} --help' for usage`].filter(Boolean).join("; "),
    details: { commanderCode: error.code },
  });
}

/** `dtctl config set-context`: the names from the program down to `command`. */
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let at: Command | null = command; at; at = at.parent as Command | null) names.unshift(at.name());
  return names.join(" ");
}

function forEachCommand(command: Command, visit: (command: Command) => void): void {
  visit(command);
  for (const sub of command.commands) forEachCommand(sub as unknown as Command, visit);
}

function report(failure: unknown, io: CliIO, runtime: CliRuntime | undefined, argv: string[]): void {
  const agent = runtime?.globals.agent ?? (argv.includes("-A") || argv.includes("--agent"));
  if (agent) {
    io.stdout(toJson(errorEnvelope(failure)));
    return;
  }
  const verbose = (runtime?.globals.verbose ?? countVerbose(argv)) > 0;
  const palette = runtime?.palette ??
    createPalette(shouldUseColor({ env: io.env, plain: argv.includes("--plain"), isTTY: io.stdoutIsTTY }));
  io.stderr(renderError(failure, { verbose, palette }));
}

function countVerbose(argv: string[]): number {
  return argv.filter((arg) => /^-v+$/.test(arg)).reduce((sum, arg) => sum + arg.length - 1, 0) +
    argv.filter((arg) => arg === "--verbose").length;
}

function globalOptions(command: Command<unknown[], Record<string, unknown>>): GlobalOptions {
  const options = command.optsWithGlobals() as Record<string, unknown>;
  return {
    context: options.context as string | undefined,
    output: options.output as string | undefined,
    verbose: (options.verbose as number | undefined) ?? 0,
    plain: Boolean(options.plain),
    color: options.color !== false,
    agent: Boolean(options.agent),
  };
}
