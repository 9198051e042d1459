/**
 * Shared setup of the config-as-code CLI tests (`diff`, `plan`, `apply`): platforms served on 127.0.0.1 (their
 * request log read over HTTP, as an external tool would), a repository in a temp directory, and an in-process
 * CLI runner with a working directory, a signal and a terminal flag for stderr.
 */

import { createEmulator, DEFAULT_USER, type Emulator, type EmulatorOptions } from "../../lib/emulator/mod.ts";

/** Runs `dtctl ARGS` in-process (options: env, cwd, stdin, stderrTTY, signal). */
export { runDtctl as dtctl } from "./support.ts";

/** One logged request. */
export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
}

/** A platform served on a loopback port. */
export interface Served {
  /** Base URL. */
  url: string;
  /** The emulator. */
  emulator: Emulator;
  /** The token it accepts. */
  token: string;
  /** Requests from `GET /__emulator/requests`. */
  requests(): Promise<LoggedRequest[]>;
  /** Writes (not GET/HEAD) from the request log. */
  writes(): Promise<LoggedRequest[]>;
  /** Clears the request log (`DELETE /__emulator/requests`). */
  clear(): Promise<void>;
  /** Stops the server. */
  close(): Promise<void>;
}

/** Serves an empty platform accepting only `token`. */
export function serve(token = "dt0s16.CLI", options: EmulatorOptions = {}): Served {
  const emulator = createEmulator({
    data: "empty",
    seed: 3,
    tokens: [{ token, userId: DEFAULT_USER.userId }],
    requestLogLimit: 10_000,
    ...options,
  });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, emulator.handle);
  const url = `http://127.0.0.1:${server.addr.port}`;
  const requests = async () => {
    const response = await fetch(`${url}/__emulator/requests`);
    return ((await response.json()) as { requests: LoggedRequest[] }).requests;
  };
  return {
    url,
    emulator,
    token,
    requests,
    writes: async () => (await requests()).filter((r) => r.method !== "GET" && r.method !== "HEAD"),
    clear: async () =>
      void await (await fetch(`${url}/__emulator/requests`, { method: "DELETE" })).body?.cancel(),
    close: () => server.shutdown(),
  };
}

/** A temp directory with files (paths relative to it); removed by `cleanup`. */
export async function repository(
  files: Record<string, string>,
): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await Deno.makeTempDir({ prefix: "dtctl-cac-" });
  await Deno.mkdir(`${dir}/.git`);
  for (const [path, text] of Object.entries(files)) {
    const file = `${dir}/${path}`;
    await Deno.mkdir(file.slice(0, file.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(file, text);
  }
  return { dir, cleanup: () => Deno.remove(dir, { recursive: true }) };
}

/** The environment of an env-only context for a served platform, with an isolated config. */
function envFor(served: Served, dir: string): Record<string, string> {
  return {
    DT_ENVIRONMENT_URL: served.url,
    DT_API_TOKEN: served.token,
    DTCTL_CONFIG: `${dir}/.config/dtctl`,
    HOME: dir,
    XDG_CONFIG_HOME: `${dir}/.xdg`,
    DTCTL_LOCAL_DIR: `${dir}/.local`,
  };
}

/**
 * The usual setup of a test: a served platform (see {@link serve}), a repository with `files` and the environment
 * of a context for the platform. `cleanup` stops the one and removes the other.
 */
export async function servedRepository(
  files: Record<string, string>,
  token?: string,
  options?: EmulatorOptions,
): Promise<{ served: Served; repo: { dir: string }; env: Record<string, string>; cleanup(): Promise<void> }> {
  const served = serve(token, options);
  let repo: Awaited<ReturnType<typeof repository>>;
  try {
    repo = await repository(files);
  } catch (error) {
    await served.close();
    throw error;
  }
  return {
    served,
    repo,
    env: envFor(served, repo.dir),
    cleanup: async () => {
      await served.close();
      await repo.cleanup();
    },
  };
}

/** A workflow manifest. */
export function workflow(name: string, script = "console.log(1)"): string {
  return `apiVersion: dtctl/v1
kind: Workflow
metadata:
  name: ${name}
spec:
  title: ${name}
  tasks:
    log:
      action: dynatrace.automations:run-javascript
      input:
        script: "${script}"
`;
}

/** A bucket manifest. */
export function bucket(name: string, retention: string | number = 35): string {
  return `apiVersion: dtctl/v1
kind: Bucket
metadata:
  name: ${name}
spec:
  table: logs
  retentionDays: ${retention}
`;
}
