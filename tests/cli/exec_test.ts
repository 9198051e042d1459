import assert from "node:assert/strict";
import { parseParams } from "../../lib/cli/commands/exec.ts";
import { DEMO_WORKFLOWS, payloadFile, seededLocalCli } from "../resources/setting_support.ts";

// Demo workflows on the local platform: one task takes about a second of real time.
const EVENTS = "Notify on deployment events";
const CLEANUP = "Manual cleanup";

Deno.test("exec workflow starts a run with params and prints the execution", async () => {
  const cli = await seededLocalCli();
  try {
    const text = await cli.run(["exec", "workflow", EVENTS, "--params", "env=prod", "-p", "url=a=b"]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^Execution \S+ of workflow "Notify on deployment events" started: RUNNING\n/);
    assert.match(text.stdout, /dtctl logs workflow-execution \S+ --follow/);
    const json = await cli.run(["exec", "wf", DEMO_WORKFLOWS.events, "-p", "env=prod", "-o", "json"]);
    const report = JSON.parse(json.stdout);
    assert.equal(report.workflow.id, DEMO_WORKFLOWS.events);
    assert.deepEqual(report.execution.params, { env: "prod" });
    assert.equal(report.tasks, undefined);
  } finally {
    await cli.cleanup();
  }
});

Deno.test("exec workflow --wait prints the final state and the task states; SUCCESS exits 0", async () => {
  const cli = await seededLocalCli();
  try {
    const result = await cli.run(["exec", "workflow", EVENTS, "--wait", "--show-results"]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /waiting for it to end/);
    assert.match(result.stdout, /finished: SUCCESS \(1s\)/);
    assert.match(result.stdout, /TASK\s+STATE\s+ACTION/);
    assert.match(result.stdout, /notify\s+SUCCESS\s+dynatrace\.automations:run-javascript/);
    assert.match(result.stdout, /Result of notify:\nnull\n/);
  } finally {
    await cli.cleanup();
  }
});

Deno.test("exec workflow --wait exits 1 on ERROR after printing the result (text, json, agent)", async () => {
  const cli = await seededLocalCli();
  try {
    const text = await cli.run(["exec", "workflow", CLEANUP, "--wait"]);
    assert.equal(text.code, 1);
    assert.match(text.stdout, /finished: ERROR/);
    assert.match(text.stdout, /cleanup\s+ERROR\s+.*Error: cleanup target missing/);
    assert.match(text.stderr, /Error: execution \S+ of workflow "Manual cleanup" ended in ERROR/);
    assert.match(text.stderr, /Hint: see its log with: dtctl logs workflow-execution/);

    const agent = await cli.run(["-A", "exec", "workflow", CLEANUP, "--wait"]);
    assert.equal(agent.code, 1);
    const envelope = JSON.parse(agent.stdout);
    assert.equal(envelope.ok, false);
    assert.equal(envelope.error.code, "error");
    assert.equal(envelope.error.details.execution.state, "ERROR");
    assert.deepEqual(envelope.error.details.tasks.map((t: { state: string }) => t.state), [
      "SUCCESS",
      "ERROR",
    ]);
  } finally {
    await cli.cleanup();
  }
});

Deno.test("exec workflow: readonly exits 5 without running; bad params exit 2; timeouts exit 1", async () => {
  const cli = await seededLocalCli();
  try {
    const before = JSON.parse((await cli.run(["get", "wfe", "-o", "json"])).stdout).length;
    const refused = await cli.run(["exec", "workflow", EVENTS], { DTCTL_SAFETY_LEVEL: "readonly" });
    assert.equal(refused.code, 5);
    assert.match(refused.stderr, /does not allow create of workflow "Notify on deployment events"/);
    assert.equal(JSON.parse((await cli.run(["get", "wfe", "-o", "json"])).stdout).length, before);

    const badParams = await cli.run(["exec", "workflow", EVENTS, "--params", "novalue"]);
    assert.equal(badParams.code, 2);
    assert.match(badParams.stderr, /expected key=value/);
    const badTimeout = await cli.run(["exec", "workflow", EVENTS, "--wait", "--timeout", "soon"]);
    assert.equal(badTimeout.code, 2);

    const timedOut = await cli.run(["exec", "workflow", EVENTS, "--wait", "--timeout", "1ms"]);
    assert.equal(timedOut.code, 1);
    assert.match(timedOut.stderr, /is still RUNNING after/);
  } finally {
    await cli.cleanup();
  }
});

Deno.test("exec workflow: unknown names exit 4, ambiguous names exit 2", async () => {
  const cli = await seededLocalCli();
  try {
    const missing = await cli.run(["exec", "workflow", "No such workflow"]);
    assert.equal(missing.code, 4);
    assert.match(missing.stderr, /workflow "No such workflow" not found/);
    const file = await payloadFile(cli, "wf.yaml", `title: ${EVENTS}\ntasks: {}\n`);
    assert.equal((await cli.run(["create", "workflow", "-f", file])).code, 0);
    const ambiguous = await cli.run(["exec", "workflow", EVENTS]);
    assert.equal(ambiguous.code, 2);
    assert.match(ambiguous.stderr, /ambiguous/);
  } finally {
    await cli.cleanup();
  }
});

Deno.test("exec slo prints status, value and error budget; --fail-on gates; reads are allowed readonly", async () => {
  const cli = await seededLocalCli();
  try {
    const text = await cli.run(["exec", "slo", "Checkout availability"], { DTCTL_SAFETY_LEVEL: "readonly" });
    assert.equal(text.code, 0, text.stderr);
    assert.match(
      text.stdout,
      /^SLO "Checkout availability" \(demoCheckoutAvail\): (SUCCESS|WARNING|FAILURE|ERROR)\n/,
    );
    assert.match(text.stdout, /CRITERIA\s+STATUS\s+VALUE\s+TARGET\s+WARNING\s+ERROR BUDGET/);
    assert.match(text.stdout, /now-7d - now/);

    const json = JSON.parse((await cli.run(["exec", "slos", "demoHostCpuIdle01", "-o", "json"])).stdout);
    assert.equal(json.id, "demoHostCpuIdle01");
    assert.equal(json.name, "Build agents CPU headroom");
    assert.equal(json.evaluation.evaluationResults.length, 1);
    assert.ok(json.evaluation.metadata.evaluatedSliQuery.startsWith("timeseries"));

    // The local platform's interim DQL engine cannot run `timeseries`, so the status is ERROR: fail the gate.
    if (json.status === "ERROR") {
      const gate = await cli.run(["exec", "slo", "demoHostCpuIdle01", "--fail-on", "failure"]);
      assert.equal(gate.code, 1);
      assert.match(gate.stderr, /SLO "Build agents CPU headroom" is ERROR \(--fail-on failure\)/);
    }
    const badGate = await cli.run(["exec", "slo", "demoHostCpuIdle01", "--fail-on", "never"]);
    assert.equal(badGate.code, 2);
    const missing = await cli.run(["exec", "slo", "No such SLO"]);
    assert.equal(missing.code, 4);
  } finally {
    await cli.cleanup();
  }
});

function dataSlo(name: string, sli: number): string {
  return `name: ${name}\ncriteria:\n  - timeframeFrom: now-1d\n    target: 99\n    warning: 99.5\n` +
    `customSli:\n  indicator: data record(sli = ${sli})\n`;
}

Deno.test("exec slo grades the value: SUCCESS, WARNING and FAILURE with --fail-on", async () => {
  const cli = await seededLocalCli();
  try {
    for (const [name, sli] of [["Good", 99.9], ["Close", 99.2], ["Bad", 98]] as const) {
      const file = await payloadFile(cli, `${name}.yaml`, dataSlo(name, sli));
      assert.equal((await cli.run(["create", "slo", "-f", file])).code, 0);
    }
    const good = await cli.run(["exec", "slo", "Good", "--fail-on", "warning"]);
    assert.equal(good.code, 0, good.stderr);
    assert.match(good.stdout, /: SUCCESS\n/);
    assert.match(good.stdout, /now-1d - now\s+SUCCESS\s+99\.9%\s+99%\s+99\.5%\s+0\.9\n/);

    const close = await cli.run(["exec", "slo", "Close", "--fail-on", "failure"]);
    assert.equal(close.code, 0, close.stderr);
    assert.match(close.stdout, /: WARNING\n/);
    const closeGate = await cli.run(["exec", "slo", "Close", "--fail-on", "warning", "-o", "json"]);
    assert.equal(closeGate.code, 1);
    assert.equal(JSON.parse(closeGate.stdout).status, "WARNING");
    assert.match(closeGate.stderr, /SLO "Close" is WARNING \(--fail-on warning\)/);

    const bad = await cli.run(["exec", "slo", "Bad"]);
    assert.equal(bad.code, 0);
    assert.match(bad.stdout, /FAILURE\s+98%\s+99%\s+99\.5%\s+-1\n/);
    assert.equal((await cli.run(["exec", "slo", "Bad", "--fail-on", "failure"])).code, 1);
  } finally {
    await cli.cleanup();
  }
});

Deno.test("--params parsing keeps '=' in values and rejects pairs without a key", () => {
  assert.deepEqual(parseParams(["a=1", "b=x=y", "a=2", "empty="]), { a: "2", b: "x=y", empty: "" });
  assert.throws(() => parseParams(["=1"]), /expected key=value/);
  assert.deepEqual(parseParams(undefined), {});
});
