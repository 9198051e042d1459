/**
 * `dtctl serve` as a real process on a free loopback port, shared by the tests and the benchmarks.
 *
 * @module
 */

const root = new URL("../../", import.meta.url);

/** What a stopped `dtctl serve` returned and printed. */
export interface ServeExit {
  /** Exit status. */
  status: Deno.CommandStatus;
  /** All of stdout (the URL and ready lines included). */
  stdout: string;
  /** All of stderr (empty when it was passed through). */
  stderr: string;
}

/** A running `dtctl serve`. */
export interface ServeProcess {
  /** Base URL, from its "listening on" line. */
  url: string;
  /** Sends `signal` (default SIGTERM) and waits until it has exited. */
  stop(signal?: Deno.Signal): Promise<ServeExit>;
}

/** Options of {@link startServe}. */
export interface StartServeOptions {
  /** `piped` (default) captures stderr for {@link ServeExit}; `inherit` passes it through. */
  stderr?: "piped" | "inherit";
}

/**
 * Starts `dtctl serve --port 0 ARGS` and waits for its ready line. Both streams are read in the background
 * from then on, so a full pipe never blocks the server.
 */
export async function startServe(
  args: string[] = [],
  options: StartServeOptions = {},
): Promise<ServeProcess> {
  const piped = (options.stderr ?? "piped") === "piped";
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "cli.ts", "serve", "--port", "0", ...args],
    cwd: root,
    stdout: "piped",
    stderr: piped ? "piped" : "inherit",
    env: { NO_COLOR: "1" },
  }).spawn();
  const stderr = piped ? new Response(child.stderr).text() : Promise.resolve("");
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("ready")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`dtctl serve exited before it was ready: ${text}${await stderr}`);
    text += value;
  }
  const url = /listening on (\S+)/.exec(text)?.[1];
  if (!url) throw new Error(`no URL in: ${text}`);
  const stdout = (async () => {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += chunk.value;
    return text;
  })();
  return {
    url,
    async stop(signal: Deno.Signal = "SIGTERM") {
      child.kill(signal);
      const [status, out, err] = await Promise.all([child.status, stdout, stderr]);
      return { status, stdout: out, stderr: err };
    },
  };
}
