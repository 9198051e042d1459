import assert from "node:assert/strict";
import { assertKindGoldens, DEMO_WORKFLOWS, seededLocalCli } from "./setting_support.ts";

Deno.test("cli workflow executions: get in every format and describe match the golden files", async () => {
  const cli = await seededLocalCli();
  try {
    const failed = await cli.run(["get", "wfe", "--state", "ERROR", "-o", "name"]);
    assert.equal(failed.code, 0, failed.stderr);
    const id = failed.stdout.trim().split("/")[1];
    await assertKindGoldens(cli, "workflow-execution", ["workflow-executions"], ["wfe", id]);
  } finally {
    await cli.cleanup();
  }
});

Deno.test("cli workflow executions: --workflow by title or id, --state, read-only verbs", async () => {
  const cli = await seededLocalCli();
  try {
    const byTitle = await cli.run(["get", "wfe", "--workflow", "Manual cleanup", "-o", "json"]);
    assert.equal(byTitle.code, 0, byTitle.stderr);
    assert.deepEqual(JSON.parse(byTitle.stdout).map((e: { workflow: string }) => e.workflow), [
      DEMO_WORKFLOWS.cleanup,
    ]);
    const byId = await cli.run([
      "get",
      "workflow-executions",
      "--workflow",
      DEMO_WORKFLOWS.nightly,
      "-o",
      "json",
    ]);
    assert.deepEqual(JSON.parse(byId.stdout).map((e: { state: string }) => e.state), ["SUCCESS"]);
    const success = await cli.run(["get", "wfe", "--state", "success,error", "-o", "name"]);
    assert.equal(success.stdout.trim().split("\n").length, 2);
    const unknownWorkflow = await cli.run(["get", "wfe", "--workflow", "No such workflow"]);
    assert.equal(unknownWorkflow.code, 4);
    assert.match(unknownWorkflow.stderr, /workflow "No such workflow" not found/);
    const missing = await cli.run(["get", "wfe", "00000000-0000-4000-8000-000000000000"]);
    assert.equal(missing.code, 4);
    const remove = await cli.run(["delete", "wfe", "00000000-0000-4000-8000-000000000000", "--yes"]);
    assert.equal(remove.code, 2);
  } finally {
    await cli.cleanup();
  }
});
