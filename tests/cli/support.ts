/**
 * Runs the CLI in-process with captured streams and an isolated environment.
 */

import { runCli } from "../../lib/cli/main.ts";
import type { CliIO } from "../../lib/cli/runtime.ts";

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
}

/** Runs `dtctl ARGS` in-process. */
export async function runDtctl(args: string[], options: RunOptions = {}): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const io: CliIO = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    readStdin: () => Promise.resolve(options.stdin ?? ""),
    env: { ...options.env },
    stdoutIsTTY: options.tty ?? false,
    stdinIsTTY: false,
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
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
