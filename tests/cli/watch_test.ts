import assert from "node:assert/strict";
import { runCli } from "../../lib/cli/main.ts";
import { connect } from "../../lib/connect/mod.ts";
import { editableOf, findKind, getObject, updateObject } from "../../lib/resources/mod.ts";
import { DEMO } from "./get_support.ts";
import { capturedIO, runDtctl, tempConfig } from "./support.ts";

/** Starts `dtctl --context local ARGS` in the background; it runs until `stop()` aborts it like Ctrl+C. */
function background(env: Record<string, string>, args: string[]) {
  const controller = new AbortController();
  const { io, stdout, stderr } = capturedIO({ env, signal: controller.signal });
  const done = runCli(["--context", "local", ...args], io);
  return {
    output: stdout,
    errors: stderr,
    async waitFor(pattern: RegExp): Promise<void> {
      const deadline = Date.now() + 20_000;
      while (!pattern.test(stdout())) {
        if (Date.now() > deadline) {
          throw new Error(`timed out waiting for ${pattern}; stdout:\n${stdout()}\nstderr:\n${stderr()}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async stop(): Promise<number> {
      controller.abort();
      return await done;
    },
  };
}

Deno.test("cli get --watch: initial listing, then + added, ~ modified, - deleted; abort stops cleanly", async () => {
  const config = await tempConfig();
  try {
    const create = await runDtctl(["--context", "local", "get", "workflows"], { env: config.env });
    assert.equal(create.code, 0, "the local platform is seeded before the watch starts");
    const watch = background(config.env, ["get", "workflows", "--watch", "--interval", "1s"]);
    try {
      await watch.waitFor(/Manual cleanup .*\n/);
      assert.match(watch.output(), /^ {2}ID {3,}TITLE {3,}TRIGGER {3,}DEPLOYED {3,}LAST-RUN\n {2}5c1a9e0e/);

      const created = await runDtctl(["--context", "local", "create", "workflow", "-f", "-", "-o", "name"], {
        env: config.env,
        stdin: "title: Watched\ntasks: {}\n",
      });
      const id = created.stdout.trim().split("/")[1];
      await watch.waitFor(new RegExp(`\\n\\+ ${id} +Watched +Manual`));

      const { client } = await connect({ context: "local", env: config.env });
      const kind = findKind("workflow");
      const current = await getObject({ client }, kind, DEMO.manual);
      await updateObject({ client }, kind, current, {
        ...editableOf(kind, current),
        title: "Manual cleanup v2",
      });
      await watch.waitFor(new RegExp(`\\n~ ${DEMO.manual} +Manual cleanup v2`));

      assert.equal(
        (await runDtctl(["--context", "local", "delete", "workflow", id], { env: config.env })).code,
        0,
      );
      await watch.waitFor(new RegExp(`\\n- ${id} +Watched`));
    } finally {
      assert.equal(await watch.stop(), 0);
    }
    assert.equal(watch.errors(), "");
    const lines = watch.output().trimEnd().split("\n");
    assert.equal(lines.length, 1 + 3 + 3, "header, three rows, three changes");
  } finally {
    await config.cleanup();
  }
});

Deno.test("cli get --watch-only: the header after the first poll, then only changes", async () => {
  const config = await tempConfig();
  try {
    assert.equal((await runDtctl(["--context", "local", "get", "notebooks"], { env: config.env })).code, 0);
    const watch = background(config.env, ["get", "notebooks", "--watch-only", "--interval", "1"]);
    try {
      await watch.waitFor(/^ {2}ID /);
      assert.equal(
        (await runDtctl(["--context", "local", "delete", "nb", DEMO.logs], { env: config.env })).code,
        0,
      );
      await watch.waitFor(/\n- demo-notebook-logs +Log exploration/);
    } finally {
      assert.equal(await watch.stop(), 0);
    }
    assert.equal(watch.output().trimEnd().split("\n").length, 2, "the header and the deletion");
  } finally {
    await config.cleanup();
  }
});

Deno.test("cli get --watch -o json: one JSON event per line", async () => {
  const config = await tempConfig();
  try {
    assert.equal((await runDtctl(["--context", "local", "get", "notebooks"], { env: config.env })).code, 0);
    const watch = background(config.env, ["get", "notebooks", "--watch", "--interval", "1", "-o", "json"]);
    try {
      await watch.waitFor(/ADDED.*\n.*ADDED.*\n/);
      assert.equal(
        (await runDtctl(["--context", "local", "delete", "nb", DEMO.logs], { env: config.env })).code,
        0,
      );
      await watch.waitFor(/DELETED.*\n/);
    } finally {
      assert.equal(await watch.stop(), 0);
    }
    const events = watch.output().trim().split("\n").map((line) => JSON.parse(line));
    assert.deepEqual(events.map((e) => [e.type, e.object.id]), [
      ["ADDED", DEMO.incident],
      ["ADDED", DEMO.logs],
      ["DELETED", DEMO.logs],
    ]);
  } finally {
    await config.cleanup();
  }
});

Deno.test("cli get --watch: bad intervals and names are usage errors", async () => {
  const config = await tempConfig();
  try {
    const run = (args: string[]) => runDtctl(["--context", "local", ...args], { env: config.env });
    const fast = await run(["get", "workflows", "--watch", "--interval", "500ms"]);
    assert.equal(fast.code, 2);
    assert.match(fast.stderr, /--interval must be at least 1s, got 500ms/);
    const garbage = await run(["get", "workflows", "--watch", "--interval", "soon"]);
    assert.equal(garbage.code, 2);
    assert.match(garbage.stderr, /--interval must be a duration like 2s/);
    const named = await run(["get", "workflow", DEMO.manual, "--watch"]);
    assert.equal(named.code, 2);
    assert.match(named.stderr, /--watch lists a whole kind; it takes no names/);
  } finally {
    await config.cleanup();
  }
});

Deno.test({
  name: "cli get --watch in a real process: Ctrl+C (SIGINT) stops it cleanly with exit 0",
  ignore: Deno.build.os === "windows",
  async fn() {
    const config = await tempConfig();
    try {
      const child = new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          "cli.ts",
          "--context",
          "local",
          "get",
          "workflows",
          "--watch",
          "--interval",
          "1s",
        ],
        cwd: new URL("../../", import.meta.url),
        env: { ...config.env, NO_COLOR: "1" },
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
      let text = "";
      while (!/Manual cleanup/.test(text)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += value;
      }
      child.kill("SIGINT");
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += chunk.value;
      const [status, stderr] = await Promise.all([child.status, new Response(child.stderr).text()]);
      assert.equal(status.code, 0, stderr);
      assert.equal(stderr, "");
      assert.match(text, /^ {2}ID .*\n(.*\n){3}$/);
    } finally {
      await config.cleanup();
    }
  },
});
