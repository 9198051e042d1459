/**
 * Regressions found by reviewing the CLI: `--filter` per kind, interruptions while planning (message, exit 130),
 * `logs` with another kind, a bad DTCTL_SAFETY_LEVEL, and the IO's signal reaching every resource verb.
 */

import assert from "node:assert/strict";
import { dtctl, servedRepository, workflow } from "../cli/apply_support.ts";
import { DEMO } from "../cli/get_support.ts";
import { localPlatform, ok, runDtctl } from "../cli/support.ts";

Deno.test("regression cli --filter: text a kind cannot use is a usage error, never an empty list", async () => {
  const local = await localPlatform();
  try {
    for (
      const args of [
        ["get", "wf", "--filter", "garbage(("],
        ["get", "wf", "--filter", "name contains 'nightly'"],
        ["get", "wf", "--filter", "title == 'x'"],
        ["get", "segments", "--filter", "(("],
        ["get", "buckets", "--filter", "name == 'x'"],
        ["get", "schemas", "--filter", "x)"],
        ["get", "wfe", "--filter", "x"],
        ["get", "user", "--filter", "x"],
        ["describe", "wf", "Manual cleanup", "--filter", "garbage(("],
        ["delete", "wf", "Manual cleanup", "--filter", "a(", "--yes"],
      ]
    ) {
      const result = await local.run(args);
      assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
      assert.match(result.stderr, /--filter/, args.join(" "));
      assert.doesNotMatch(result.stderr, /No \w+ found/);
    }
    const bad = await local.run(["get", "wf", "--filter", "garbage(("]);
    assert.match(bad.stderr, /not a plain search: its '\(' is never closed/);
    assert.match(bad.stderr, /title search/);
    const agent = JSON.parse((await local.run(["-A", "get", "wfe", "--filter", "x"])).stdout);
    assert.equal(agent.error.code, "usage_error");
    assert.equal(agent.error.exit_code, 2);
    // Plain searches (balanced parentheses, apostrophes) and Automation parameters still work.
    assert.match(ok(await local.run(["get", "wf", "--filter", "nightly"])), /Nightly error-log report/);
    assert.equal((await local.run(["get", "wf", "--filter", "Bob's (prod) flow"])).code, 0);
    assert.match(ok(await local.run(["get", "wf", "--filter", "triggerType=Schedule"])), /Nightly/);
    // Kinds with a filter grammar pass it on: the server's error is the answer.
    assert.notEqual((await local.run(["get", "db", "--filter", "garbage(("])).code, 0);
    assert.equal(
      ok(await local.run(["get", "db", "--filter", "name contains 'Host'", "-o", "name"])).trim(),
      `dashboard/${DEMO.hosts}`,
    );
    // The library refuses it too.
    const { listObjects, findKind } = await import("../../lib/resources/mod.ts");
    await assert.rejects(
      () => listObjects({ client: undefined as never }, findKind("wfe"), { filter: "x" }),
      /cannot be filtered/,
    );
  } finally {
    await local.cleanup();
  }
});

Deno.test("regression cli get --help: says what --filter means for every kind", async () => {
  const help = ok(await runDtctl(["get", "--help"]));
  assert.match(help, /--filter per kind/);
  assert.match(help, /^ {2}workflow-execution +no --filter/m);
  assert.match(help, /^ {2}workflow +a title search/m);
  assert.match(help, /^ {2}dashboard +the Documents API filter/m);
});

Deno.test("regression cli interruption while planning: accurate message, exit 130 (diff, plan, apply, -A)", async () => {
  const { served, repo, env, cleanup } = await servedRepository({ "wf.yaml": workflow("nightly") });
  try {
    const aborted = () => {
      const controller = new AbortController();
      controller.abort();
      return controller.signal;
    };
    for (const verb of ["apply", "diff", "plan"]) {
      const result = await dtctl([verb, "-f", `${repo.dir}/wf.yaml`], { env, signal: aborted() });
      assert.equal(result.code, 130, `${verb}: ${result.stderr}`);
      assert.match(result.stderr, /Interrupted: planning stopped; nothing has been changed/, verb);
      assert.doesNotMatch(result.stderr, /in flight/, verb);
    }
    const agent = await dtctl(["-A", "diff", "-f", `${repo.dir}/wf.yaml`], { env, signal: aborted() });
    assert.equal(agent.code, 130);
    const envelope = JSON.parse(agent.stdout);
    assert.equal(envelope.error.code, "aborted");
    assert.equal(envelope.error.exit_code, 130);
    assert.deepEqual(await served.writes(), []);
    // Without an interruption, diff's errors stay 2.
    assert.equal((await dtctl(["diff", "-f", `${repo.dir}/missing.yaml`], { env })).code, 2);
  } finally {
    await cleanup();
  }
});

Deno.test("regression cli logs/exec: another kind is named as unsupported, with the command to use", async () => {
  const local = await localPlatform();
  try {
    const wf = await local.run(["logs", "wf", "x"]);
    assert.equal(wf.code, 2);
    assert.match(wf.stderr, /logs does not support workflow \(only workflow-execution\)/);
    assert.match(wf.stderr, /dtctl logs workflow-execution <id>/);
    assert.doesNotMatch(wf.stderr, /unknown command/);
    const unknown = await local.run(["logs", "nonsense"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /logs does not support "nonsense"/);
    const help = await local.run(["logs"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: dtctl logs workflow-execution <id>/);
    // exec likewise names the kinds it runs.
    const exec = await local.run(["exec", "dashboard", "x"]);
    assert.equal(exec.code, 2);
    assert.match(exec.stderr, /exec does not support dashboard \(only workflow and slo\)/);
    assert.match(exec.stderr, /dtctl exec workflow NAME\|ID/);
    assert.equal((await local.run(["exec"])).code, 0);
  } finally {
    await local.cleanup();
  }
});

Deno.test("regression cli DTCTL_SAFETY_LEVEL: an invalid value is a usage error naming the variable (exit 2)", async () => {
  const local = await localPlatform();
  const { repo, env, cleanup } = await servedRepository({
    "dtctl.yaml": "stack: s\npaths: [m]\nenvironments:\n  dev: { url: http://127.0.0.1:9 }\n",
    "m/wf.yaml": workflow("nightly"),
  });
  try {
    const bogus = { DTCTL_SAFETY_LEVEL: "bogus" };
    const get = await local.run(["get", "wf"], { env: bogus });
    assert.equal(get.code, 2, get.stderr);
    assert.match(get.stderr, /environment variable DTCTL_SAFETY_LEVEL: "bogus"/);
    assert.match(get.stderr, /readonly, readwrite-mine, readwrite-all, dangerously-unrestricted/);
    const envOnly = await runDtctl(["get", "wf"], { env: { ...env, ...bogus } });
    assert.equal(envOnly.code, 2, envOnly.stderr);
    const agent = JSON.parse((await local.run(["-A", "get", "wf"], { env: bogus })).stdout);
    assert.equal(agent.error.code, "usage_error");
    assert.equal(agent.error.details.variable, "DTCTL_SAFETY_LEVEL");
    // The project path (an environment of dtctl.yaml) refuses it the same way, before connecting.
    const apply = await dtctl(["apply"], { env: { ...env, ...bogus }, cwd: repo.dir });
    assert.equal(apply.code, 2, apply.stderr);
    assert.match(apply.stderr, /DTCTL_SAFETY_LEVEL/);
  } finally {
    await local.cleanup();
    await cleanup();
  }
});

Deno.test("regression cli: the IO's signal reaches get, describe, edit, delete and create", async () => {
  const local = await localPlatform();
  try {
    const controller = new AbortController();
    controller.abort();
    const run = (args: string[], stdin?: string) =>
      runDtctl(["--context", "local", ...args], { env: local.env, signal: controller.signal, stdin });
    for (
      const [args, stdin] of [
        [["get", "wf"]],
        [["get", "wf", DEMO.manual]],
        [["describe", "wf", DEMO.manual]],
        [["edit", "wf", DEMO.manual]],
        [["delete", "wf", DEMO.manual, "--yes"]],
        [["create", "wf", "-f", "-"], "title: copy\ntasks: {}\n"],
      ] as [string[], string?][]
    ) {
      const result = await run(args, stdin);
      assert.equal(result.code, 130, `${args.join(" ")}: ${result.stderr}`);
      assert.match(result.stderr, /abort/i, args.join(" "));
    }
    // Nothing was deleted or created.
    assert.equal(ok(await local.run(["get", "wf", "-o", "name"])).trim().split("\n").length, 3);
  } finally {
    await local.cleanup();
  }
});
