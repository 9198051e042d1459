import assert from "node:assert/strict";
import { createClient, type PlatformClient } from "../../lib/client/mod.ts";
import { createSafetyGuard, type SafetyLevel } from "../../lib/config/mod.ts";
import { createEmulator, DEFAULT_USER, type Emulator } from "../../lib/emulator/mod.ts";
import { DtctlError } from "../../lib/errors/mod.ts";
import {
  createWorkflow,
  deleteWorkflow,
  editableOf,
  getWorkflow,
  type KindContext,
  listWorkflows,
  readWorkflow,
  updateWorkflow,
  type Workflow,
  workflowKind,
} from "../../lib/resources/mod.ts";

const NIGHTLY = "5c1a9e0e-2f64-4d59-9b8e-3a7c1d2e4f01";
const MANUAL = "5c1a9e0e-2f64-4d59-9b8e-3a7c1d2e4f03";

function setup(
  options: { level?: SafetyLevel; user?: string } = {},
): { emulator: Emulator; context: KindContext } {
  const emulator = createEmulator({ data: "demo", seed: 7 });
  const client: PlatformClient = createClient({
    environment: "http://emulator.invalid",
    token: "dt0s16.TEST",
    fetch: emulator.handle,
    sleep: () => Promise.resolve(),
    ...(options.level
      ? {
        safety: createSafetyGuard({
          level: options.level,
          currentUser: () => Promise.resolve(options.user ?? DEFAULT_USER.userId),
          contextName: "test",
        }),
      }
      : {}),
  });
  return { emulator, context: { client } };
}

function code(error: unknown): string {
  assert.ok(error instanceof DtctlError, String(error));
  return error.code;
}

const newWorkflow = {
  title: "Library-made workflow",
  description: "made by a test",
  tasks: {
    hello: { action: "dynatrace.automations:run-javascript", input: { script: "export default () => 1" } },
  },
};

Deno.test("workflows: list with owner, type and filter; chunk size pages through the list", async () => {
  const { emulator, context } = setup();
  assert.deepEqual((await listWorkflows(context)).map((w) => w.id), [
    NIGHTLY,
    `${NIGHTLY.slice(0, -2)}02`,
    MANUAL,
  ]);
  assert.equal((await listWorkflows(context, { owner: DEFAULT_USER.userId })).length, 3);
  assert.equal((await listWorkflows(context, { owner: "someone-else" })).length, 0);
  assert.equal((await listWorkflows(context, { type: "simple" })).length, 0);
  assert.deepEqual((await listWorkflows(context, { filter: "triggerType=Schedule" })).map((w) => w.id), [
    NIGHTLY,
  ]);
  assert.deepEqual((await listWorkflows(context, { filter: "cleanup" })).map((w) => w.id), [MANUAL]);
  assert.equal(code(await listWorkflows(context, { filter: "colour=red" }).catch((e) => e)), "usage_error");
  assert.equal(code(await listWorkflows(context, { labels: ["a"] }).catch((e) => e)), "usage_error");
  emulator.requests.clear();
  assert.equal((await listWorkflows(context, { chunkSize: 1 })).length, 3);
  const pages = emulator.requests.list().filter((r) => r.method === "GET" && r.path.endsWith("/workflows"));
  assert.deepEqual(pages.map((r) => [r.query.limit, r.query.offset]), [["1", "0"], ["1", "1"], ["1", "2"]]);
});

Deno.test("workflows: get by id or exact title; a missing one is not_found naming it", async () => {
  const { emulator, context } = setup();
  assert.equal((await getWorkflow(context, MANUAL)).title, "Manual cleanup");
  emulator.requests.clear();
  assert.equal((await getWorkflow(context, "Manual cleanup")).id, MANUAL);
  const list = emulator.requests.list().find((r) => r.path.endsWith("/workflows"));
  assert.equal(list?.query.search, "Manual cleanup", "the name lookup narrows with search");
  const missing = await getWorkflow(context, "Manual").catch((e) => e);
  assert.equal(code(missing), "not_found");
  assert.equal(missing.message, 'workflow "Manual" not found');
  const missingId = await getWorkflow(context, "00000000-0000-4000-8000-000000000000").catch((e) => e);
  assert.equal(missingId.message, 'workflow "00000000-0000-4000-8000-000000000000" not found');
});

Deno.test("workflows: create chooses the id client-side and ignores server fields", async () => {
  const { emulator, context } = setup();
  const created = await createWorkflow(context, { ...newWorkflow, version: 99, triggerType: "Event" });
  assert.match(created.id, /^[0-9a-f-]{36}$/);
  assert.equal(created.version, 1);
  assert.equal(created.triggerType, "Manual");
  const post = emulator.requests.list().find((r) => r.method === "POST");
  const body = post?.body as Record<string, unknown>;
  assert.equal(body.id, created.id);
  assert.equal(body.version, undefined);
  const chosen = "11111111-2222-4333-8444-555555555555";
  assert.equal((await createWorkflow(context, { ...newWorkflow, id: chosen })).id, chosen);
  const duplicate = await createWorkflow(context, { ...newWorkflow, id: chosen }).catch((e) => e);
  assert.equal(code(duplicate), "conflict");
  assert.equal(
    code(await createWorkflow(context, { ...newWorkflow, id: "not-a-uuid" }).catch((e) => e)),
    "validation_error",
  );
  const invalid = await createWorkflow(context, { tasks: {} }).catch((e) => e);
  assert.equal(code(invalid), "validation_error");
  assert.match(invalid.message, /title/);
});

Deno.test("workflows: a create that failed ambiguously is replayed only after checking it did not land", async () => {
  const { emulator, context } = setup();
  emulator.faults.addRules([{
    method: "POST",
    pathRegex: "/automation/v1/workflows$",
    status: 502,
    times: 1,
  }]);
  const created = await createWorkflow(context, newWorkflow);
  const seen = emulator.requests.list().map((r) => `${r.method} ${r.status}`);
  assert.deepEqual(seen, ["POST 502", "GET 404", "POST 201"]);
  assert.equal((await listWorkflows(context, { filter: "Library-made" })).length, 1);
  assert.equal(created.title, newWorkflow.title);
});

Deno.test("workflows: update replaces at the version read; a newer version is a conflict (exit 6)", async () => {
  const { emulator, context } = setup();
  const current = await getWorkflow(context, MANUAL);
  const editable = editableOf(workflowKind, current);
  const updated = await updateWorkflow(context, current, { ...editable, title: "Manual cleanup (renamed)" });
  assert.equal(updated.version, 2);
  assert.equal(updated.title, "Manual cleanup (renamed)");
  assert.equal(updated.owner, DEFAULT_USER.userId, "ownership is kept");

  emulator.requests.clear();
  const stale = await updateWorkflow(context, current, { ...editable, title: "lost update" }).catch((e) => e);
  assert.equal(code(stale), "conflict");
  assert.equal(stale.exitCode, 6);
  assert.match(stale.message, /changed since it was read \(version 1 → 2\); not updated/);
  assert.ok(emulator.requests.list().every((r) => r.method === "GET"), "nothing was written");
  assert.equal((await readWorkflow(context.client, MANUAL)).title, "Manual cleanup (renamed)");
});

Deno.test("workflows: delete refuses a stale object, then deletes", async () => {
  const { context } = setup();
  const current = await getWorkflow(context, MANUAL);
  await updateWorkflow(context, current, { ...editableOf(workflowKind, current), description: "changed" });
  assert.equal(code(await deleteWorkflow(context, current).catch((e) => e)), "conflict");
  await deleteWorkflow(context, await getWorkflow(context, MANUAL));
  assert.equal(code(await getWorkflow(context, MANUAL).catch((e) => e)), "not_found");
});

Deno.test("workflows: the editable form drops server-managed and derived fields and round-trips", async () => {
  const { context } = setup();
  const nightly = await getWorkflow(context, NIGHTLY);
  assert.ok((nightly.trigger as { schedule: Record<string, unknown> }).schedule.nextExecution);
  const editable = editableOf(workflowKind, nightly);
  for (
    const field of [
      "version",
      "modificationInfo",
      "lastExecution",
      "triggerType",
      "workflowLimit",
      "throttle",
    ]
  ) {
    assert.equal(field in editable, false, field);
  }
  const schedule = (editable.trigger as { schedule: Record<string, unknown> }).schedule;
  assert.equal("nextExecution" in schedule, false);
  assert.equal("isFaulty" in schedule, false);
  assert.equal(schedule.timezone, "Europe/Vienna");
  const copy = await createWorkflow(context, { ...editable, id: undefined, title: "Copy of nightly" });
  assert.equal(copy.triggerType, "Schedule");
  assert.deepEqual(copy.tasks, nightly.tasks);
});

Deno.test("workflows: every write passes owner and name to the safety guard", async () => {
  const readonly = setup({ level: "readonly" });
  const blocked = await createWorkflow(readonly.context, newWorkflow).catch((e) => e);
  assert.equal(code(blocked), "safety_blocked");
  assert.match(blocked.message, /create of workflow "Library-made workflow"/);

  const mine = setup({ level: "readwrite-mine", user: "somebody-else" });
  const current = await getWorkflow(mine.context, MANUAL) as Workflow;
  const update = await updateWorkflow(mine.context, current, editableOf(workflowKind, current)).catch((e) =>
    e
  );
  assert.equal(code(update), "safety_blocked");
  assert.match(update.message, /owned by "6f1c9a52/);
  assert.equal(code(await deleteWorkflow(mine.context, current).catch((e) => e)), "safety_blocked");
  assert.ok(await getWorkflow(mine.context, MANUAL), "still there");
});

Deno.test("workflows: describe shows the trigger, the tasks and recent executions", async () => {
  const { context } = setup();
  await context.client.request({
    method: "POST",
    path: `/platform/automation/v1/workflows/${MANUAL}/run`,
    json: {},
  });
  const sections = await workflowKind.describe!(context, await getWorkflow(context, MANUAL));
  assert.deepEqual(sections.map((s) => s.title), ["Trigger (Manual)", "Tasks (2)", "Recent executions"]);
  assert.deepEqual(sections[1].table?.rows, [
    ["prepare", "dynatrace.automations:run-javascript", ""],
    ["cleanup", "dynatrace.automations:run-javascript", "prepare"],
  ]);
  assert.equal(sections[2].table?.rows.length, 1);
  const nightly = await workflowKind.describe!(context, await getWorkflow(context, NIGHTLY));
  assert.deepEqual(nightly[0].fields?.slice(0, 2), [["Schedule", "cron 0 2 * * *"], [
    "Timezone",
    "Europe/Vienna",
  ]]);
});
