import assert from "node:assert/strict";
import { DEMO } from "./get_support.ts";
import { splitCommandLine } from "../../lib/cli/commands/edit.ts";
import { type CliResult, localPlatform, ok } from "./support.ts";

const EDITOR = `${Deno.execPath()} run -A ${new URL("./edit_fake_editor.ts", import.meta.url).pathname}`;
const SEPARATOR = "\n=====ROUND=====\n";

/** The local platform and an editor in the given mode; `rounds()` returns what the editor was shown. */
async function withEditor(mode: string, extra: Record<string, string> = {}) {
  const local = await localPlatform();
  const logFile = `${local.dir}/editor.log`;
  const env = { EDITOR, FAKE_EDITOR_MODE: mode, FAKE_EDITOR_LOG: logFile, ...extra };
  return {
    run: (args: string[]): Promise<CliResult> => local.run(args, { env }),
    async rounds(): Promise<string[]> {
      try {
        return (await Deno.readTextFile(logFile)).split(SEPARATOR);
      } catch {
        return [];
      }
    },
    cleanup: local.cleanup,
  };
}

function keptFile(result: CliResult): string {
  const path = /your edits are (?:saved )?in (\S+\.yaml)/.exec(result.stderr)?.[1];
  assert.ok(path, result.stderr);
  return path;
}

Deno.test("cli edit: a workflow and each document kind, applied with locking", async () => {
  const local = await withEditor("rename");
  try {
    assert.equal(
      ok(await local.run(["edit", "workflow", "Manual cleanup"])),
      `workflow/${DEMO.manual} edited\n`,
    );
    const workflow = JSON.parse(ok(await local.run(["get", "workflow", DEMO.manual, "-o", "json"])));
    assert.equal(workflow.title, "Renamed by the editor");
    assert.equal(workflow.version, 2);
    const [shown] = await local.rounds();
    assert.match(shown, /^# Please edit the object below/);
    assert.match(shown, /# workflow "Manual cleanup" \(5c1a9e0e-2f64-4d59-9b8e-3a7c1d2e4f03\), version 1\n/);
    assert.doesNotMatch(
      shown,
      /\n(version|modificationInfo|lastExecution|triggerType):/,
      "server fields are not shown",
    );

    for (
      const [kind, id] of [["dashboard", DEMO.hosts], ["notebook", DEMO.logs], ["document", DEMO.launchpad]]
    ) {
      assert.equal(ok(await local.run(["edit", kind, id])), `${kind}/${id} edited\n`);
      const object = JSON.parse(ok(await local.run(["get", kind, id, "-o", "json"])));
      assert.equal(object.name, "Renamed by the editor");
      assert.equal(object.version, 2);
    }
    const json = JSON.parse(ok(await local.run(["edit", "dashboard", DEMO.services, "-o", "json"])));
    assert.equal(json.name, "Renamed by the editor");
    const trash = await local.run(["edit", "trash", "x"]);
    assert.equal(trash.code, 2);
    assert.match(trash.stderr, /trash do not support edit/);
  } finally {
    await local.cleanup();
  }
});

Deno.test("cli edit: saved unchanged, only comments changed, or emptied → nothing is written", async () => {
  for (
    const [mode, message] of [
      ["noop", "Edit cancelled, no changes made.\n"],
      ["comment-only", "Edit cancelled, no changes made.\n"],
      ["empty", "Edit cancelled, the file is empty.\n"],
    ]
  ) {
    const local = await withEditor(mode);
    try {
      const result = await local.run(["edit", "dashboard", DEMO.hosts]);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, "");
      assert.equal(result.stderr, message, mode);
      assert.equal(
        JSON.parse(ok(await local.run(["get", "dashboard", DEMO.hosts, "-o", "json"]))).version,
        1,
      );
    } finally {
      await local.cleanup();
    }
  }
});

Deno.test("cli edit: invalid YAML reopens the editor with the error on top, then applies the fix", async () => {
  const local = await withEditor("break-then-fix");
  try {
    const result = await local.run(["edit", "notebook", "Log exploration"]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /invalid YAML: .*\(reopening the editor\)/);
    const rounds = await local.rounds();
    assert.equal(rounds.length, 2);
    assert.match(
      rounds[1],
      /^# notebook "Log exploration" \(demo-notebook-logs\) was not saved:\n# .*:\d+:\d+: invalid YAML: /,
    );
    assert.match(rounds[1], /\nname: \[Log exploration\n/, "the user's text is kept");
    assert.doesNotMatch(rounds[1], /Please edit the object below/);
    assert.equal(
      JSON.parse(ok(await local.run(["get", "nb", DEMO.logs, "-o", "json"]))).name,
      "Fixed after an error",
    );
  } finally {
    await local.cleanup();
  }
});

Deno.test("cli edit: a reopened file saved unchanged gives up with the error and keeps the file", async () => {
  const local = await withEditor("break-then-unchanged");
  try {
    const result = await local.run(["edit", "workflow", DEMO.nightly]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /invalid YAML/);
    assert.match(result.stderr, /saved unchanged, so dtctl gave up/);
    assert.match(await Deno.readTextFile(keptFile(result)), /title: \[Nightly/);
    assert.equal((await local.rounds()).length, 2);
    await Deno.remove(keptFile(result).replace(/\/[^/]+$/, ""), { recursive: true });
  } finally {
    await local.cleanup();
  }
});

Deno.test("cli edit: at most three reopenings", async () => {
  const local = await withEditor("keep-breaking");
  try {
    const result = await local.run(["edit", "dashboard", DEMO.hosts]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /gave up after 3 attempts/);
    assert.equal((await local.rounds()).length, 4, "opened once and reopened three times");
    await Deno.remove(keptFile(result).replace(/\/[^/]+$/, ""), { recursive: true });
  } finally {
    await local.cleanup();
  }
});

Deno.test("cli edit: a payload the server rejects is reopened with the server's error", async () => {
  const local = await withEditor("blank-title-then-fix");
  try {
    ok(await local.run(["edit", "workflow", DEMO.manual]));
    const rounds = await local.rounds();
    assert.equal(rounds.length, 2);
    assert.match(rounds[1], /^# workflow "Manual cleanup" .* was not saved:\n# .*title: must not be blank/);
    assert.equal(
      JSON.parse(ok(await local.run(["get", "wf", DEMO.manual, "-o", "json"]))).title,
      "Valid again",
    );
  } finally {
    await local.cleanup();
  }
});

Deno.test("cli edit: the id cannot be changed", async () => {
  const local = await withEditor("change-id");
  try {
    const result = await local.run(["edit", "dashboard", DEMO.hosts]);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /the id of dashboard "Host health" \(demo-dashboard-hosts\) cannot be changed/,
    );
    await Deno.remove(keptFile(result).replace(/\/[^/]+$/, ""), { recursive: true });
  } finally {
    await local.cleanup();
  }
});

Deno.test("cli edit: someone else saving meanwhile is a conflict (exit 6); the edit is kept", async () => {
  for (const target of [`dashboard:${DEMO.hosts}`, `workflow:${DEMO.manual}`]) {
    const local = await withEditor("concurrent", { FAKE_EDITOR_TARGET: target });
    try {
      const [kind, id] = target.split(":");
      const result = await local.run(["edit", kind, id]);
      assert.equal(result.code, 6, result.stderr);
      assert.match(result.stderr, /Error: /);
      assert.match(
        result.stderr,
        new RegExp(`run dtctl edit ${kind} ${id} to start from the current version`),
      );
      assert.match(await Deno.readTextFile(keptFile(result)), /: My edit\n/);
      const object = JSON.parse(ok(await local.run(["get", kind, id, "-o", "json"])));
      assert.equal(object.description, "changed by someone else", "the other save is not overwritten");
      await Deno.remove(keptFile(result).replace(/\/[^/]+$/, ""), { recursive: true });
    } finally {
      await local.cleanup();
    }
  }
});

Deno.test("cli edit: a failing or missing editor changes nothing", async () => {
  const local = await withEditor("fail");
  try {
    const failed = await local.run(["edit", "dashboard", DEMO.hosts]);
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /exited with status 3; nothing was changed/);
    await Deno.remove(keptFile(failed).replace(/\/[^/]+$/, ""), { recursive: true });
  } finally {
    await local.cleanup();
  }
  const missing = await withEditor("noop", { EDITOR: "/no/such/editor --wait", VISUAL: "" });
  try {
    const result = await missing.run(["edit", "dashboard", DEMO.hosts]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /cannot start the editor "\/no\/such\/editor --wait"/);
    assert.match(result.stderr, /set VISUAL or EDITOR/);
    assert.doesNotMatch(result.stderr, /your edits are in/);
  } finally {
    await missing.cleanup();
  }
});

Deno.test("cli edit: VISUAL wins over EDITOR; editor command lines are split like a shell would", async () => {
  const local = await withEditor("rename", { VISUAL: EDITOR, EDITOR: "/no/such/editor" });
  try {
    ok(await local.run(["edit", "dashboard", DEMO.hosts]));
  } finally {
    await local.cleanup();
  }
  assert.deepEqual(splitCommandLine("code --wait"), ["code", "--wait"]);
  assert.deepEqual(splitCommandLine(`"/opt/my editor/bin" -n  'a b' c\\"d`, false), [
    "/opt/my editor/bin",
    "-n",
    "a b",
    'c"d',
  ]);
  assert.deepEqual(splitCommandLine(`vim "" x`), ["vim", "", "x"]);
  assert.deepEqual(splitCommandLine("  "), []);
  assert.deepEqual(splitCommandLine(String.raw`C:\tools\vim.exe -f`, true), [
    String.raw`C:\tools\vim.exe`,
    "-f",
  ]);
});
