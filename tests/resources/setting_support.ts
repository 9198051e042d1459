/**
 * Shared setup of the kind tests (slo, setting, anomaly detector, segment, bucket, user, workflow execution):
 * an in-process local platform with demo data and a client over it, optionally behind a safety level.
 *
 * @module
 */

import { createClient, type PlatformClient } from "../../lib/client/mod.ts";
import { createSafetyGuard, type SafetyLevel } from "../../lib/config/mod.ts";
import { createEmulator, DEFAULT_USER, type Emulator, type EmulatorOptions } from "../../lib/emulator/mod.ts";
import { FileStore } from "../../lib/emulator/mod.ts";
import type { KindContext } from "../../lib/resources/types.ts";
import { assertGolden, type CliResult, runDtctl, tempConfig } from "../cli/support.ts";

/** A platform and a client talking to it. */
export interface TestPlatform {
  /** The emulator (state, request log, service options). */
  emulator: Emulator;
  /** A client of the default user. */
  client: PlatformClient;
  /** The kind context of that client. */
  context: KindContext;
  /** The default user's id. */
  me: string;
  /** Requests the emulator saw, as `METHOD /path?query`. */
  requests(): Array<
    { method: string; path: string; query: Record<string, string | string[]>; body?: unknown }
  >;
}

/** Options of {@link testPlatform}. */
export interface TestPlatformOptions {
  /** Safety level of the client (default: none, everything allowed). */
  safety?: SafetyLevel;
  /** Emulator options (demo data, instant automation tasks by default). */
  emulator?: EmulatorOptions;
}

/** A demo-seeded platform in memory with a client over it. */
export function testPlatform(options: TestPlatformOptions = {}): TestPlatform {
  const emulator = createEmulator({
    data: "demo",
    seed: 42,
    serviceOptions: { automation: { taskDurationMs: 0 } },
    ...options.emulator,
  });
  const client = createClient({
    environment: "http://local.dtctl.invalid",
    token: "dt0s16.TEST",
    fetch: emulator.handle,
    retry: { maxAttempts: 1 },
    ...(options.safety
      ? {
        safety: createSafetyGuard({
          level: options.safety,
          contextName: "test",
          currentUser: () => Promise.resolve(DEFAULT_USER.userId),
        }),
      }
      : {}),
  });
  return {
    emulator,
    client,
    context: { client },
    me: DEFAULT_USER.userId,
    requests: () => emulator.requests.list(),
  };
}

/** Collects an async iterable. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Runs `fn` and returns the error it throws (fails when it does not throw). */
export async function failure(
  fn: () => Promise<unknown>,
): Promise<Error & { code?: string; exitCode?: number }> {
  try {
    await fn();
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error("expected a failure, but it succeeded");
}

/** The clock of seeded local platforms: every seeded timestamp is this instant. */
export const SEEDED_AT = Date.parse("2026-03-01T12:00:00.000Z");

/** Ids of the demo workflows. */
export const DEMO_WORKFLOWS = {
  nightly: "5c1a9e0e-2f64-4d59-9b8e-3a7c1d2e4f01",
  events: "5c1a9e0e-2f64-4d59-9b8e-3a7c1d2e4f02",
  cleanup: "5c1a9e0e-2f64-4d59-9b8e-3a7c1d2e4f03",
};

/** A temporary config and local-platform directory for CLI runs (`--context local`). */
export interface LocalCli {
  /** Environment of the runs (config path, local data dir). */
  env: Record<string, string>;
  /** Runs `dtctl --context local ARGS` in-process; `env` adds variables (e.g. DTCTL_SAFETY_LEVEL). */
  run(args: string[], env?: Record<string, string>, stdin?: string): Promise<CliResult>;
  /** Removes the directories. */
  cleanup(): Promise<void>;
}

/**
 * A local platform directory seeded deterministically (fixed ids, tokens and timestamps) with the demo data
 * and two finished executions (Nightly error-log report: SUCCESS, Manual cleanup: ERROR), for golden tests.
 */
export async function seededLocalCli(): Promise<LocalCli> {
  const config = await tempConfig();
  const store = await FileStore.open(config.env.DTCTL_LOCAL_DIR);
  const emulator = createEmulator({
    store,
    data: "demo",
    seed: 7,
    clock: { now: () => SEEDED_AT },
    serviceOptions: { automation: { taskDurationMs: 1000 } },
  });
  for (const id of [DEMO_WORKFLOWS.nightly, DEMO_WORKFLOWS.cleanup]) {
    const response = await emulator.handle(
      new Request(`http://local.dtctl.invalid/platform/automation/v1/workflows/${id}/run`, {
        method: "POST",
        headers: { authorization: "Bearer dt0s16.SEED", "content-type": "application/json" },
        body: JSON.stringify({ params: { env: "prod" } }),
      }),
    );
    if (response.status !== 201) throw new Error(`seeding the run of ${id} failed: ${response.status}`);
    await response.body?.cancel();
  }
  return {
    env: config.env,
    run: (args, env = {}, stdin) =>
      runDtctl(["--context", "local", ...args], { env: { ...config.env, ...env }, stdin }),
    cleanup: config.cleanup,
  };
}

/** The `-o` formats of `get` with golden files. */
export const GET_FORMATS = ["table", "wide", "json", "yaml", "csv", "name"] as const;

/**
 * Compares `get LIST_ARGS -o FORMAT` for every format with `tests/golden/get-more/<name>.<format>.txt`, and
 * `describe DESCRIBE_ARGS` with `tests/golden/describe-more/<name>.txt` (`UPDATE_GOLDEN=1` rewrites them).
 */
export async function assertKindGoldens(
  cli: LocalCli,
  name: string,
  listArgs: string[],
  describeArgs: string[],
): Promise<void> {
  for (const format of GET_FORMATS) {
    const result = await cli.run(["get", ...listArgs, "-o", format]);
    if (result.code !== 0) throw new Error(`get ${listArgs.join(" ")} -o ${format}: ${result.stderr}`);
    await assertGolden(`get-more/${name}.${format}.txt`, result.stdout);
  }
  const described = await cli.run(["describe", ...describeArgs]);
  if (described.code !== 0) throw new Error(`describe ${describeArgs.join(" ")}: ${described.stderr}`);
  await assertGolden(`describe-more/${name}.txt`, described.stdout);
}

/** Writes a payload file in a temporary directory and returns its path. */
export async function payloadFile(cli: LocalCli, name: string, text: string): Promise<string> {
  const path = `${cli.env.DTCTL_LOCAL_DIR}/../${name}`;
  await Deno.writeTextFile(path, text);
  return path;
}

/** An `EDITOR` that replaces `from` with `to` in the file it is given (sed, as `edit` runs it). */
export function sedEditor(from: string, to: string): Record<string, string> {
  const escape = (text: string) => text.replace(/[\\/&|]/g, "\\$&");
  return { EDITOR: `sed -i 's|${escape(from).replaceAll("'", "")}|${escape(to).replaceAll("'", "")}|'` };
}
