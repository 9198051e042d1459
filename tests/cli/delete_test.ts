import assert from "node:assert/strict";
import { DEMO } from "./get_support.ts";
import { type CliResult, localPlatform, ok, runDtctl } from "./support.ts";

/** Runs dtctl as if stdin were a terminal, answering each confirmation from `answers`. */
async function onTerminal(
  env: Record<string, string>,
  args: string[],
  answers: boolean[],
): Promise<CliResult & { questions: string[] }> {
  const questions: string[] = [];
  const result = await runDtctl(["--context", "local", ...args], {
    env,
    stdinTTY: true,
    confirm: (question) => {
      questions.push(question);
      return Promise.resolve(answers.shift() ?? false);
    },
  });
  return { ...result, questions };
}

Deno.test("cli delete: documents go to the trash, workflows are deleted, trash is purged", async () => {
  const local = await localPlatform();
  try {
    assert.equal(
      ok(await local.run(["delete", "dashboard", "Host health"])),
      `dashboard/${DEMO.hosts} deleted (moved to the trash; restore with: dtctl restore trash ${DEMO.hosts})\n`,
    );
    assert.equal(ok(await local.run(["get", "trash", "-o", "name"])), `trash/${DEMO.hosts}\n`);
    ok(await local.run(["delete", "notebook", DEMO.logs]));
    ok(await local.run(["delete", "document", DEMO.launchpad]));
    assert.equal(ok(await local.run(["get", "documents", "-o", "name"])).split("\n").length - 1, 3);
    assert.equal(
      ok(await local.run(["delete", "workflow", DEMO.manual])),
      `workflow/${DEMO.manual} deleted\n`,
    );
    assert.equal((await local.run(["get", "workflow", DEMO.manual])).code, 4);
    assert.equal(ok(await local.run(["delete", "trash", "Host health"])), `trash/${DEMO.hosts} deleted\n`);
    assert.equal(ok(await local.run(["get", "trash", "-o", "name"])).split("\n").length - 1, 2);
  } finally {
    await local.cleanup();
  }
});

Deno.test("cli delete: several names are all resolved before anything is deleted", async () => {
  const local = await localPlatform();
  try {
    const typo = await local.run(["delete", "dashboards", DEMO.hosts, "Servce overview"]);
    assert.equal(typo.code, 4);
    assert.match(typo.stderr, /dashboard "Servce overview" not found/);
    assert.equal(ok(await local.run(["get", "trash", "-o", "name"])), "", "nothing was deleted");
    const both = JSON.parse(
      ok(await local.run(["delete", "dashboards", DEMO.hosts, "Service overview", "-o", "json"])),
    );
    assert.deepEqual(both, [
      { kind: "dashboard", id: DEMO.hosts, name: "Host health", status: "trashed" },
      { kind: "dashboard", id: DEMO.services, name: "Service overview", status: "trashed" },
    ]);
    const agent = JSON.parse(ok(await local.run(["-A", "delete", "wf", DEMO.manual])));
    assert.equal(agent.ok, true);
    assert.deepEqual(agent.result, [{
      kind: "workflow",
      id: DEMO.manual,
      name: "Manual cleanup",
      status: "deleted",
    }]);
    assert.equal(
      ok(await local.run(["delete", "notebook", DEMO.logs, "-o", "name"])),
      `notebook/${DEMO.logs}\n`,
    );
  } finally {
    await local.cleanup();
  }
});

Deno.test("cli delete: on a terminal each deletion is confirmed unless --yes", async () => {
  const local = await localPlatform();
  try {
    const declined = await onTerminal(local.env, ["delete", "dashboard", DEMO.hosts], [false]);
    assert.equal(declined.code, 0);
    assert.deepEqual(declined.questions, [
      'Delete dashboard "Host health" (demo-dashboard-hosts)? It goes to the trash.',
    ]);
    assert.match(declined.stderr, /Skipped dashboard "Host health"/);
    assert.equal(declined.stdout, "");
    assert.equal(ok(await local.run(["get", "trash", "-o", "name"])), "");

    const mixed = await onTerminal(local.env, ["delete", "workflows", DEMO.manual, DEMO.nightly], [
      true,
      false,
    ]);
    assert.equal(mixed.code, 0);
    assert.equal(mixed.questions.length, 2);
    assert.match(mixed.questions[0], /^Delete workflow "Manual cleanup" \(.*\)\? This cannot be undone\.$/);
    assert.equal(mixed.stdout, `workflow/${DEMO.manual} deleted\n`);
    assert.equal(ok(await local.run(["get", "workflows", "-o", "name"])).split("\n").length - 1, 2);

    const yes = await onTerminal(local.env, ["delete", "dashboard", DEMO.hosts, "--yes"], []);
    assert.equal(yes.code, 0);
    assert.deepEqual(yes.questions, []);
    const plain = await onTerminal(local.env, ["--plain", "delete", "notebook", DEMO.logs], []);
    assert.deepEqual(plain.questions, [], "--plain never prompts");
    assert.equal(plain.code, 0);
  } finally {
    await local.cleanup();
  }
});

Deno.test("cli delete: missing objects exit 4, unknown kinds 2, and the safety level applies", async () => {
  const local = await localPlatform();
  try {
    const missing = await local.run(["delete", "notebook", "Nope"]);
    assert.equal(missing.code, 4);
    assert.match(missing.stderr, /notebook "Nope" not found/);
    const noName = await local.run(["delete", "notebook"]);
    assert.equal(noName.code, 2);
    assert.match(noName.stderr, /missing required argument 'names'/);
    assert.equal((await local.run(["delete", "notebok", "x"])).code, 2);
    const readonly = await local.run(["delete", "dashboard", DEMO.hosts], {
      env: { DTCTL_SAFETY_LEVEL: "readonly" },
    });
    assert.equal(readonly.code, 5);
    assert.match(readonly.stderr, /does not allow delete of dashboard "Host health"/);
    const mine = await local.run(["delete", "dashboard", DEMO.k8s], {
      env: { DTCTL_SAFETY_LEVEL: "readwrite-mine" },
    });
    assert.equal(mine.code, 5);
    assert.match(mine.stderr, /owned by "0a7b3c4d/);
    assert.equal(ok(await local.run(["get", "trash", "-o", "name"])), "");
  } finally {
    await local.cleanup();
  }
});
