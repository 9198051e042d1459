import assert from "node:assert/strict";
import {
  formatDuration,
  getExecution,
  getExecutionLog,
  getExecutionTasks,
  getTaskResult,
  isUuid,
  listExecutions,
  resolveWorkflowId,
  runWorkflow,
  waitForExecution,
  workflowExecutionKind,
} from "../../lib/resources/kinds/workflow_execution.ts";
import { collect, failure, testPlatform } from "./setting_support.ts";

const NIGHTLY = "5c1a9e0e-2f64-4d59-9b8e-3a7c1d2e4f01";
const CLEANUP = "5c1a9e0e-2f64-4d59-9b8e-3a7c1d2e4f03";
const WORKFLOWS = "/platform/automation/v1/workflows";

Deno.test("workflow-execution kind: read-only, aliases, uuid ids", () => {
  assert.equal(workflowExecutionKind.name, "workflow-execution");
  assert.deepEqual(workflowExecutionKind.aliases, ["wfe"]);
  assert.equal(workflowExecutionKind.locking, "read-only");
  assert.equal(workflowExecutionKind.create, undefined);
  assert.equal(isUuid(NIGHTLY), true);
  assert.equal(isUuid("Nightly error-log report"), false);
});

Deno.test("run a workflow with params, wait for it, read tasks, result and log", async () => {
  const { client, requests } = testPlatform();
  const started = await runWorkflow(client, NIGHTLY, { params: { env: "prod" } });
  assert.equal(started.workflow, NIGHTLY);
  const run = requests().find((r) => r.method === "POST" && r.path === `${WORKFLOWS}/${NIGHTLY}/run`)!;
  assert.deepEqual(run.body, { params: { env: "prod" } });
  const polled: string[] = [];
  const done = await waitForExecution(client, started.id, { onPoll: (e) => polled.push(e.state) });
  assert.equal(done.state, "SUCCESS");
  assert.deepEqual(done.params, { env: "prod" });
  assert.equal(polled.at(-1), "SUCCESS");
  const tasks = await getExecutionTasks(client, started.id);
  assert.deepEqual(tasks.map((t) => [t.name, t.state]), [["count_errors", "SUCCESS"], ["report", "SUCCESS"]]);
  const result = await getTaskResult(client, started.id, "count_errors") as { records: unknown[] };
  assert.ok(Array.isArray(result.records));
  // Scripts never run in the local platform: their result is null.
  assert.equal(await getTaskResult(client, started.id, "report"), null);
  const log = await getExecutionLog(client, started.id);
  assert.match(log, /Execution of workflow 'Nightly error-log report' started\./);
  assert.match(log, /Execution ended: SUCCESS\./);
  assert.ok(!log.startsWith('"'));
});

Deno.test("a failing workflow ends in ERROR with the failed task's reason", async () => {
  const { client, context } = testPlatform();
  const started = await runWorkflow(client, CLEANUP);
  const done = await waitForExecution(client, started.id);
  assert.equal(done.state, "ERROR");
  assert.match(String(done.stateInfo), /cleanup/);
  const [section] = await workflowExecutionKind.describe!(context, done);
  assert.equal(section.title, "Tasks");
  assert.deepEqual(section.table!.columns, ["TASK", "STATE", "ACTION", "STARTED", "DURATION", "INFO"]);
  const cleanup = section.table!.rows.find((row) => row[0] === "cleanup")!;
  assert.equal(cleanup[1], "ERROR");
  assert.match(cleanup[5], /cleanup target missing/);
});

Deno.test("waiting times out with a hint while the execution keeps running", async () => {
  const { client } = testPlatform({
    emulator: { data: "demo", serviceOptions: { automation: { taskDurationMs: 60_000 } } },
  });
  const started = await runWorkflow(client, NIGHTLY);
  const sleeps: number[] = [];
  const error = await failure(() =>
    waitForExecution(client, started.id, {
      timeoutMs: 50,
      sleep: (ms) => {
        sleeps.push(ms);
        return new Promise((resolve) => setTimeout(resolve, ms));
      },
    })
  );
  assert.equal(error.code, "timeout");
  assert.match(error.message, /still RUNNING/);
  assert.ok(sleeps.length >= 1);
  assert.ok(sleeps.every((ms) => ms <= 250));
});

Deno.test("waiting backs off from the first interval up to the maximum", async () => {
  const { client } = testPlatform({
    emulator: { data: "demo", serviceOptions: { automation: { taskDurationMs: 60_000 } } },
  });
  const started = await runWorkflow(client, NIGHTLY);
  const sleeps: number[] = [];
  const controller = new AbortController();
  const error = await failure(() =>
    waitForExecution(client, started.id, {
      intervalMs: 100,
      maxIntervalMs: 300,
      signal: controller.signal,
      sleep: (ms) => {
        sleeps.push(ms);
        if (sleeps.length === 5) controller.abort();
        return Promise.resolve();
      },
    })
  );
  assert.equal(error.code, "aborted");
  assert.deepEqual(sleeps.slice(0, 4), [100, 150, 225, 300]);
});

Deno.test("list executions, filtered by workflow id or exact title, and by state", async () => {
  const { client, context } = testPlatform();
  await waitForExecution(client, (await runWorkflow(client, NIGHTLY)).id);
  await waitForExecution(client, (await runWorkflow(client, CLEANUP)).id);
  const all = await collect(workflowExecutionKind.list!(context, {}));
  assert.equal(all.length, 2);
  const byId = await collect(workflowExecutionKind.list!(context, { extra: { workflow: CLEANUP } }));
  assert.deepEqual(byId.map((e) => e.workflow), [CLEANUP]);
  const byTitle = await collect(
    workflowExecutionKind.list!(context, { extra: { workflow: "Manual cleanup" } }),
  );
  assert.deepEqual(byTitle.map((e) => e.workflow), [CLEANUP]);
  const failed = await collect(workflowExecutionKind.list!(context, { extra: { state: "error" } }));
  assert.deepEqual(failed.map((e) => e.state), ["ERROR"]);
  const paged = await collect(listExecutions(client, { pageSize: 1 }));
  assert.equal(paged.length, 2);
});

Deno.test("workflow names resolve exactly; near misses and ambiguity are explained", async () => {
  const { client } = testPlatform();
  assert.equal(await resolveWorkflowId(client, "Manual cleanup"), CLEANUP);
  const near = await failure(() => resolveWorkflowId(client, "manual cleanup"));
  assert.equal(near.code, "not_found");
  assert.match((near as unknown as { hint: string }).hint, /case-sensitive.*Manual cleanup/);
  const partial = await failure(() => resolveWorkflowId(client, "Manual"));
  assert.equal(partial.code, "not_found");
  await client.request({ method: "POST", path: WORKFLOWS, json: { title: "Manual cleanup", tasks: {} } });
  const ambiguous = await failure(() => resolveWorkflowId(client, "Manual cleanup"));
  assert.equal(ambiguous.code, "usage_error");
  assert.match(ambiguous.message, /ambiguous: 2 workflows/);
});

Deno.test("get of an unknown execution is not_found; running is refused in a readonly context", async () => {
  const { client } = testPlatform();
  const missing = await failure(() => getExecution(client, "00000000-0000-4000-8000-000000000000"));
  assert.equal(missing.code, "not_found");
  assert.match(missing.message, /workflow-execution "00000000/);
  const readonly = testPlatform({ safety: "readonly" });
  const refused = await failure(() => runWorkflow(readonly.client, NIGHTLY, { name: "Nightly" }));
  assert.equal(refused.code, "safety_blocked");
  assert.match(refused.message, /workflow "Nightly"/);
});

Deno.test("durations are short and readable", () => {
  assert.equal(formatDuration(0), "0s");
  assert.equal(formatDuration(59), "59s");
  assert.equal(formatDuration(185), "3m05s");
  assert.equal(formatDuration(3720), "1h02m");
  assert.equal(formatDuration(undefined), "");
});
