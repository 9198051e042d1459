/**
 * Runs the CLI in-process with captured streams and an isolated environment.
 */

import assert from "node:assert/strict";
import type { StackIO } from "../../lib/cli/commands/plan.ts";
import { runCli } from "../../lib/cli/main.ts";

/** What one CLI run printed and returned. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options of {@link runDtctl}. */
export interface RunOptions {
  /** Environment variables (nothing is inherited from the real process). */
  env?: Record<string, string | undefined>;
  /** Text on stdin. */
  stdin?: string;
  /** Pretend stdout is a terminal. */
  tty?: boolean;
  /** Pretend stdin is a terminal (prompts are shown; answer them with `confirm`). */
  stdinTTY?: boolean;
  /** Pretend stderr is a terminal (progress lines are written). */
  stderrTTY?: boolean;
  /** Working directory (default: the process's). */
  cwd?: string;
  /** Stops long-running commands like Ctrl+C. */
  signal?: AbortSignal;
  /** Answers yes/no questions (the delete confirmation). */
  confirm?(question: string): Promise<boolean>;
}

/** In-process streams for one CLI run: the IO to give `runCli`, and what was written to stdout and stderr. */
export function capturedIO(options: RunOptions = {}): { io: StackIO; stdout(): string; stderr(): string } {
  let stdout = "";
  let stderr = "";
  const io: StackIO = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    readStdin: () => Promise.resolve(options.stdin ?? ""),
    env: { ...options.env },
    stdoutIsTTY: options.tty ?? false,
    stdinIsTTY: options.stdinTTY ?? false,
    stderrIsTTY: options.stderrTTY ?? false,
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.confirm ? { confirm: options.confirm } : {}),
  };
  return { io, stdout: () => stdout, stderr: () => stderr };
}

/** Runs `dtctl ARGS` in-process. */
export async function runDtctl(args: string[], options: RunOptions = {}): Promise<CliResult> {
  const captured = capturedIO(options);
  const code = await runCli(args, captured.io);
  return { code, stdout: captured.stdout(), stderr: captured.stderr() };
}

/** Asserts that a run succeeded (showing its stderr if not) and returns its stdout. */
export function ok(result: CliResult): string {
  assert.equal(result.code, 0, result.stderr);
  return result.stdout;
}

/** A temporary directory with a config path inside, removed by the returned cleanup. */
export async function tempConfig(): Promise<
  { dir: string; env: Record<string, string>; cleanup(): Promise<void> }
> {
  const dir = await Deno.makeTempDir({ prefix: "dtctl-cli-" });
  return {
    dir,
    env: {
      DTCTL_CONFIG: `${dir}/config`,
      HOME: dir,
      XDG_CONFIG_HOME: `${dir}/xdg`,
      DTCTL_LOCAL_DIR: `${dir}/local`,
    },
    cleanup: () => Deno.remove(dir, { recursive: true }),
  };
}

/** The built-in local platform (`--context local`) with its config and state in a fresh temp directory. */
export interface LocalPlatform {
  /** The temp directory. */
  dir: string;
  /** Environment of the runs (config path, local data dir). */
  env: Record<string, string>;
  /** Runs `dtctl --context local ARGS` in-process; `env` adds variables (e.g. DTCTL_SAFETY_LEVEL). */
  run(args: string[], options?: { stdin?: string; env?: Record<string, string> }): Promise<CliResult>;
  /** Removes the temp directory. */
  cleanup(): Promise<void>;
}

/** Runs dtctl on the built-in local platform in a fresh state directory (one per test). */
export async function localPlatform(): Promise<LocalPlatform> {
  const config = await tempConfig();
  return {
    dir: config.dir,
    env: config.env,
    run: (args, options = {}) =>
      runDtctl(["--context", "local", ...args], {
        env: { ...config.env, ...options.env },
        stdin: options.stdin,
      }),
    cleanup: config.cleanup,
  };
}

/** Compares text with a golden file; `UPDATE_GOLDEN=1` rewrites it. */
export async function assertGolden(name: string, actual: string): Promise<void> {
  const path = new URL(`../golden/${name}`, import.meta.url);
  if (Deno.env.get("UPDATE_GOLDEN") === "1") {
    await Deno.writeTextFile(path, actual);
    return;
  }
  const expected = await Deno.readTextFile(path);
  if (expected !== actual) {
    throw new Error(
      `output differs from golden file tests/golden/${name} (UPDATE_GOLDEN=1 to accept)\n--- expected\n${expected}\n--- actual\n${actual}`,
    );
  }
}
