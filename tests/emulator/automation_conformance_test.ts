import assert from "node:assert/strict";
import hc from "@dynatrace-sdk/http-client";
import a from "@dynatrace-sdk/client-automation";
import { serveEmulator } from "../../lib/emulator/serve.ts";

async function withClients(
  fn: (
    workflows: InstanceType<typeof a.WorkflowsClient>,
    executions: InstanceType<typeof a.ExecutionsClient>,
    version: InstanceType<typeof a.VersionClient>,
  ) => Promise<void>,
) {
  const served = await serveEmulator({
    port: 0,
    seed: "empty",
    randomSeed: 21,
    serviceOptions: { automation: { taskDurationMs: 50 } },
  });
  try {
    const http = new hc.PlatformHttpClient({
      baseUrl: served.url,
      defaultHeaders: { Authorization: "Bearer dt0s16.TEST" },
    });
    await fn(
      new a.WorkflowsClient(http, { transformDates: false }),
      new a.ExecutionsClient(http, { transformDates: false }),
      new a.VersionClient(http, { transformDates: false }),
    );
  } finally {
    await served.shutdown();
  }
}

function isStatus(status: number) {
  return (error: unknown) => {
    assert.ok(a.isErrorEnvelopeError(error), `expected an ErrorEnvelopeError, got ${error}`);
    assert.equal(error.response.status, status);
    return true;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test("SDK WorkflowsClient: create, get, update, list, history, delete", async () => {
  await withClients(async (workflows) => {
    const id = "7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6";
    const created = await workflows.createWorkflow({
      body: {
        id,
        title: "Conformance",
        tasks: {
          hello: {
            action: "dynatrace.automations:run-javascript",
            input: { script: "export default () => 1" },
          },
        },
        trigger: { schedule: { trigger: { type: "cron", cron: "*/5 * * * *" } } },
      },
    });
    assert.equal(created.id, id);
    assert.equal(created.version, 1);
    assert.equal(created.triggerType, "Schedule");
    await assert.rejects(() => workflows.createWorkflow({ body: { id, title: "dup" } }), isStatus(409));

    const fetched = await workflows.getWorkflow({ id });
    assert.equal(fetched.title, "Conformance");
    const updated = await workflows.updateWorkflow({
      id,
      body: { title: "Conformance v2", tasks: fetched.tasks },
    });
    assert.equal(updated.version, 2);
    const patched = await workflows.patchWorkflow({ id, body: { description: "patched" } });
    assert.equal(patched.version, 3);
    const list = await workflows.getWorkflows({ limit: 10, offset: 0, search: "conformance" });
    assert.equal(list.count, 1);
    const history = await workflows.getWorkflowHistoryRecords({ id });
    assert.equal(history.count, 3);
    await workflows.restoreWorkflowHistoryRecord({ id, version: "1" });
    assert.equal((await workflows.getWorkflow({ id })).title, "Conformance");

    assert.equal(await workflows.deleteWorkflow({ id }), undefined);
    await assert.rejects(() => workflows.getWorkflow({ id }), isStatus(404));
    await assert.rejects(() => workflows.updateWorkflow({ id, body: { title: "x" } }), isStatus(404));
    await assert.rejects(() => workflows.createWorkflow({ body: { title: "" } }), isStatus(400));
  });
});

Deno.test("SDK WorkflowsClient.runWorkflow + ExecutionsClient: execution, tasks, result, log, cancel", async () => {
  await withClients(async (workflows, executions, versionClient) => {
    const workflow = await workflows.createWorkflow({
      body: {
        title: "Runner",
        tasks: {
          first: {
            action: "dynatrace.automations:execute-dql-query",
            input: { query: "data record(x = 1)" },
          },
          second: {
            action: "dynatrace.automations:run-javascript",
            input: { script: "export default () => 2" },
            predecessors: ["first"],
          },
        },
      },
    });
    const execution = await workflows.runWorkflow({ id: workflow.id, body: { params: { reason: "test" } } });
    assert.equal(execution.state, "RUNNING");
    assert.equal(execution.workflow, workflow.id);
    await sleep(200);
    const finished = await executions.getExecution({ id: execution.id });
    assert.equal(finished.state, "SUCCESS");
    const tasks = await executions.getTaskExecutions({ executionId: execution.id });
    assert.deepEqual(Object.keys(tasks), ["first", "second"]);
    const result = await executions.getTaskExecutionResult({ executionId: execution.id, id: "first" });
    assert.deepEqual(result.records, [{ x: "1" }]);
    const log = await executions.getExecutionLog({ id: execution.id });
    assert.match(log, /Execution ended: SUCCESS/);
    const listed = await executions.getExecutions({ workflow: [workflow.id] });
    assert.equal(listed.count, 1);
    await assert.rejects(() => executions.cancelExecution({ id: execution.id }), isStatus(409));

    const slow = await workflows.runWorkflow({ id: workflow.id, body: {} });
    assert.equal(await executions.cancelExecution({ id: slow.id }), undefined);
    assert.equal((await executions.getExecution({ id: slow.id })).state, "CANCELLED");
    await assert.rejects(
      () => executions.getExecution({ id: "00000000-0000-4000-8000-000000000000" }),
      isStatus(404),
    );
    const version = await versionClient.getVersion();
    assert.equal(typeof version.version, "string");
  });
});
