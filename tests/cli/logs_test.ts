import assert from "node:assert/strict";
import { followExecutionLog } from "../../lib/cli/commands/logs.ts";
import { createClient } from "../../lib/client/mod.ts";
import { getTaskLog, runWorkflow } from "../../lib/resources/kinds/workflow_execution.ts";
import { DEMO_WORKFLOWS, seededLocalCli, testPlatform } from "../resources/setting_support.ts";

async function failedExecution(cli: Awaited<ReturnType<typeof seededLocalCli>>): Promise<string> {
  const result = await cli.run(["get", "wfe", "--state", "ERROR", "-o", "name"]);
  return result.stdout.trim().split("/")[1];
}

Deno.test("logs workflow-execution prints the execution log (text, json, aliases)", async () => {
  const cli = await seededLocalCli();
  try {
    const id = await failedExecution(cli);
    const text = await cli.run(["logs", "workflow-execution", id]);
    assert.equal(text.code, 0, text.stderr);
    assert.equal(
      text.stdout,
      [
        "2026-03-01T12:00:00.000Z Execution of workflow 'Manual cleanup' started.",
        "2026-03-01T12:00:00.000Z Task 'prepare' (dynatrace.automations:run-javascript) started.",
        "2026-03-01T12:00:01.000Z Task 'prepare' succeeded.",
        "2026-03-01T12:00:01.000Z Task 'cleanup' (dynatrace.automations:run-javascript) started.",
        "2026-03-01T12:00:02.000Z Task 'cleanup' failed: Error: cleanup target missing",
        "2026-03-01T12:00:02.000Z Execution ended: ERROR.",
        "",
      ].join("\n"),
    );
    const json = JSON.parse((await cli.run(["logs", "wfe", id, "-o", "json"])).stdout);
    assert.equal(json.execution, id);
    assert.match(json.log, /Execution ended: ERROR\./);
  } finally {
    await cli.cleanup();
  }
});

Deno.test("logs workflow-execution: unknown ids exit 4; flag conflicts exit 2", async () => {
  const cli = await seededLocalCli();
  try {
    const missing = await cli.run(["logs", "wfe", "00000000-0000-4000-8000-000000000000"]);
    assert.equal(missing.code, 4);
    assert.match(missing.stderr, /workflow-execution "00000000-0000-4000-8000-000000000000" not found/);
    const both = await cli.run(["logs", "wfe", "x", "--task", "a", "--tasks"]);
    assert.equal(both.code, 2);
    const followJson = await cli.run(["logs", "wfe", "x", "--follow", "-o", "json"]);
    assert.equal(followJson.code, 2);
    const followTask = await cli.run(["logs", "wfe", "x", "--follow", "--task", "a"]);
    assert.equal(followTask.code, 2);
  } finally {
    await cli.cleanup();
  }
});

Deno.test("logs --follow prints new lines until the execution ends", async () => {
  const cli = await seededLocalCli();
  try {
    const started = await cli.run(["exec", "workflow", DEMO_WORKFLOWS.cleanup, "-o", "json"]);
    const id = JSON.parse(started.stdout).execution.id;
    const followed = await cli.run(["logs", "wfe", id, "--follow", "--interval", "200ms"]);
    assert.equal(followed.code, 0, followed.stderr);
    const lines = followed.stdout.trimEnd().split("\n");
    assert.match(lines[0], /Execution of workflow 'Manual cleanup' started\./);
    assert.match(lines.at(-1)!, /Execution ended: ERROR\./);
    assert.equal(new Set(lines).size, lines.length, "no line is printed twice");
  } finally {
    await cli.cleanup();
  }
});

Deno.test("followExecutionLog writes only the new part of the log on every poll", async () => {
  const { client, emulator } = testPlatform({
    emulator: { data: "demo", serviceOptions: { automation: { taskDurationMs: 150 } } },
  });
  const execution = await runWorkflow(client, DEMO_WORKFLOWS.nightly);
  const writes: string[] = [];
  const state = await followExecutionLog(client, execution.id, (text) => writes.push(text), {
    intervalMs: 50,
  });
  assert.equal(state, "SUCCESS");
  assert.ok(writes.length >= 2, `several writes, got ${writes.length}`);
  const all = writes.join("");
  assert.match(all, /Execution ended: SUCCESS\.\n$/);
  assert.equal(all.split("\n").filter((l) => l.includes("started.")).length, 3);
  assert.ok(emulator.requests.list().length > 2);
});

Deno.test("task logs are read from /executions/{id}/tasks/{name}/log (a JSON string or text)", async () => {
  // The local platform has no task-log endpoint yet; a stand-in answers the documented route.
  const seen: string[] = [];
  const fetch = (request: Request) => {
    const path = new URL(request.url).pathname;
    seen.push(path);
    if (path.endsWith("/tasks/prepare/log")) return Promise.resolve(Response.json("line 1\nline 2"));
    return Promise.resolve(new Response("plain text log", { headers: { "content-type": "text/plain" } }));
  };
  const client = createClient({ environment: "http://local.dtctl.invalid", token: "dt0s16.TEST", fetch });
  assert.equal(await getTaskLog(client, "e1", "prepare"), "line 1\nline 2");
  assert.equal(await getTaskLog(client, "e1", "other task"), "plain text log");
  assert.deepEqual(seen, [
    "/platform/automation/v1/executions/e1/tasks/prepare/log",
    "/platform/automation/v1/executions/e1/tasks/other%20task/log",
  ]);
});
