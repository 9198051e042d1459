import assert from "node:assert/strict";
import { createEmulator } from "../../lib/emulator/handler.ts";
import { createAutomationService } from "../../lib/emulator/services/automation/mod.ts";
import { createQueryService } from "../../lib/emulator/services/query/mod.ts";
import { COLLEAGUE_USER, DEFAULT_USER } from "../../lib/emulator/users.ts";

const BASE = "http://emulator.test/platform/automation/v1";
const START = Date.parse("2025-03-15T10:30:00.000Z");
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function setup(options: { demo?: boolean; taskDurationMs?: number } = {}) {
  const clock = {
    ms: START,
    now() {
      return this.ms;
    },
  };
  const emulator = createEmulator({
    services: [
      createAutomationService({ taskDurationMs: options.taskDurationMs ?? 1000 }),
      createQueryService(),
    ],
    data: options.demo ? "demo" : "empty",
    clock,
    seed: 5,
    users: [DEFAULT_USER, COLLEAGUE_USER],
    tokens: [
      { token: "dt0s16.OWNER", userId: DEFAULT_USER.userId },
      { token: "dt0s16.COLLEAGUE", userId: COLLEAGUE_USER.userId },
    ],
  });
  const call = async (method: string, path: string, body?: unknown, token = "dt0s16.OWNER") => {
    const response = await emulator.handle(
      new Request(`${BASE}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
    const text = await response.text();
    return { status: response.status, body: text === "" ? undefined : JSON.parse(text) };
  };
  return { clock, emulator, call, advance: (ms: number) => (clock.ms += ms) };
}

const script = (body: string) => ({
  action: "dynatrace.automations:run-javascript",
  input: { script: body },
});

Deno.test("POST /workflows creates with server-managed defaults and ignores server fields in the body", async () => {
  const { call } = setup();
  const { status, body } = await call("POST", "/workflows", {
    title: "Deploy gate",
    tasks: { a: script("export default () => 1") },
    version: 99,
    triggerType: "Schedule",
    lastExecution: { id: "x" },
    modificationInfo: { createdBy: "someone-else" },
  });
  assert.equal(status, 201);
  assert.match(body.id, UUID);
  assert.equal(body.version, 1);
  assert.equal(body.triggerType, "Manual");
  assert.equal(body.owner, DEFAULT_USER.userId);
  assert.equal(body.actor, DEFAULT_USER.userId);
  assert.equal(body.ownerType, "USER");
  assert.equal(body.isPrivate, true);
  assert.equal(body.isDeployed, true);
  assert.equal(body.type, "STANDARD");
  assert.equal(body.schemaVersion, 3);
  assert.equal(body.lastExecution, null);
  assert.deepEqual(body.workflowLimit, { isActive: false });
  assert.deepEqual(body.throttle, { isLimitHit: false, limitEvents: [] });
  assert.deepEqual(body.modificationInfo, {
    createdBy: DEFAULT_USER.userId,
    createdTime: "2025-03-15T10:30:00.000Z",
    lastModifiedBy: DEFAULT_USER.userId,
    lastModifiedTime: "2025-03-15T10:30:00.000Z",
  });
  assert.equal(body.tasks.a.name, "a");
  assert.equal(body.tasks.a.active, true);
  assert.deepEqual(body.tasks.a.predecessors, []);
});

Deno.test("client-chosen ids must be UUIDs and unique", async () => {
  const { call } = setup();
  const id = "0b7e2f1c-9a3d-4e5f-8a6b-1c2d3e4f5a6b";
  assert.equal((await call("POST", "/workflows", { id, title: "mine" })).body.id, id);
  const duplicate = await call("POST", "/workflows", { id, title: "again" });
  assert.equal(duplicate.status, 409);
  assert.match(duplicate.body.error.details.errorRef, UUID);
  const bad = await call("POST", "/workflows", { id: "my-workflow", title: "x" });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.details.constraintViolations[0].path, "id");
});

Deno.test("validation lists every violated rule as constraintViolations", async () => {
  const { call } = setup();
  const missingTitle = await call("POST", "/workflows", { tasks: {} });
  assert.equal(missingTitle.status, 400);
  assert.deepEqual(missingTitle.body.error.details.constraintViolations, [{
    path: "title",
    message: "must not be blank",
  }]);
  const broken = await call("POST", "/workflows", {
    title: "broken",
    tasks: {
      a: { input: {} },
      b: { ...script(""), predecessors: ["ghost"] },
      c: { ...script(""), predecessors: ["b"], conditions: { states: { a: "OK", b: "MAYBE" } } },
    },
  });
  const paths = broken.body.error.details.constraintViolations.map((v: { path: string }) => v.path);
  assert.deepEqual(paths, [
    "tasks.a.action",
    "tasks.b.predecessors",
    "tasks.c.conditions.states.a",
    "tasks.c.conditions.states.b",
  ]);
  const cycle = await call("POST", "/workflows", {
    title: "cycle",
    tasks: { a: { ...script(""), predecessors: ["b"] }, b: { ...script(""), predecessors: ["a"] } },
  });
  assert.match(cycle.body.error.message, /cycle/);
  const cron = await call("POST", "/workflows", {
    title: "bad cron",
    trigger: { schedule: { trigger: { type: "cron", cron: "61 * * * *" } } },
  });
  assert.equal(cron.body.error.details.constraintViolations[0].path, "trigger.schedule.trigger.cron");
});

Deno.test("PUT replaces, PATCH merges, both bump the version; PUT of an unknown id is 404", async () => {
  const { call, advance } = setup();
  const created = (await call("POST", "/workflows", {
    title: "t",
    description: "first",
    tasks: { a: script("") },
  })).body;
  advance(60_000);
  const put = await call("PUT", `/workflows/${created.id}`, { title: "t2", version: 42, id: "ignored" });
  assert.equal(put.status, 200);
  assert.equal(put.body.id, created.id);
  assert.equal(put.body.version, 2);
  assert.equal(put.body.description, "", "PUT replaces: omitted fields fall back to defaults");
  assert.deepEqual(put.body.tasks, {});
  assert.equal(put.body.owner, DEFAULT_USER.userId, "PUT keeps the owner");
  assert.equal(put.body.modificationInfo.createdTime, "2025-03-15T10:30:00.000Z");
  assert.equal(put.body.modificationInfo.lastModifiedTime, "2025-03-15T10:31:00.000Z");
  const patch = await call("PATCH", `/workflows/${created.id}`, { description: "patched" });
  assert.equal(patch.body.version, 3);
  assert.equal(patch.body.title, "t2", "PATCH keeps fields it does not name");
  assert.equal(patch.body.description, "patched");
  const invalid = await call("PATCH", `/workflows/${created.id}`, { title: "" });
  assert.equal(invalid.status, 400);
  const unknown = await call("PUT", "/workflows/3f6c1a2b-0000-4000-8000-000000000000", { title: "x" });
  assert.equal(unknown.status, 404);
});

Deno.test("triggers derive triggerType, nextExecution and filterQuery", async () => {
  const { call } = setup();
  const cron = await call("POST", "/workflows", {
    title: "nightly",
    trigger: { schedule: { trigger: { type: "cron", cron: "0 2 * * *" }, timezone: "Europe/Vienna" } },
  });
  assert.equal(cron.body.triggerType, "Schedule");
  // Vienna is UTC+1 in mid-March, so 02:00 local is 01:00 UTC.
  assert.equal(cron.body.trigger.schedule.nextExecution, "2025-03-16T01:00:00.000Z");
  assert.equal(cron.body.trigger.schedule.isFaulty, false);
  const interval = await call("POST", "/workflows", {
    title: "every 30",
    trigger: { schedule: { trigger: { type: "interval", intervalMinutes: 30 } } },
  });
  assert.equal(interval.body.trigger.schedule.nextExecution, "2025-03-15T11:00:00.000Z");
  const event = await call("POST", "/workflows", {
    title: "on deploy",
    trigger: {
      eventTrigger: {
        isActive: true,
        triggerConfiguration: {
          type: "event",
          value: { query: 'event.type == "deployment"', eventType: "events" },
        },
      },
    },
  });
  assert.equal(event.body.triggerType, "Event");
  assert.equal(event.body.trigger.eventTrigger.filterQuery, 'event.type == "deployment"');
  assert.equal(event.body.trigger.eventTrigger.uniqueExpression, null);
});

Deno.test("GET /workflows pages with limit/offset, filters and orders", async () => {
  const { call } = setup();
  for (const title of ["Charlie", "alpha", "Bravo"]) await call("POST", "/workflows", { title });
  await call("POST", "/workflows", {
    title: "Delta",
    isDeployed: false,
    trigger: { schedule: { trigger: { type: "time", time: "08:00" } } },
  });
  const all = await call("GET", "/workflows?ordering=title");
  assert.equal(all.body.count, 4);
  assert.deepEqual(all.body.results.map((w: { title: string }) => w.title), [
    "alpha",
    "Bravo",
    "Charlie",
    "Delta",
  ]);
  const page = await call("GET", "/workflows?ordering=-title&limit=2&offset=1");
  assert.equal(page.body.count, 4);
  assert.deepEqual(page.body.results.map((w: { title: string }) => w.title), ["Charlie", "Bravo"]);
  assert.equal((await call("GET", "/workflows?search=RAV")).body.results[0].title, "Bravo");
  assert.equal((await call("GET", "/workflows?triggerType=Schedule")).body.count, 1);
  assert.equal((await call("GET", "/workflows?isDeployed=false")).body.results[0].title, "Delta");
  const id = all.body.results[0].id;
  assert.equal((await call("GET", `/workflows?id=${id}`)).body.count, 1);
  assert.equal((await call("GET", "/workflows?ordering=color")).status, 400);
  assert.equal((await call("GET", "/workflows?limit=-1")).status, 400);
});

Deno.test("private workflows are hidden from other users unless adminAccess is requested", async () => {
  const { call } = setup();
  const mine = (await call("POST", "/workflows", { title: "mine" })).body;
  await call("POST", "/workflows", { title: "shared", isPrivate: false });
  assert.equal((await call("GET", `/workflows/${mine.id}`, undefined, "dt0s16.COLLEAGUE")).status, 404);
  assert.equal(
    (await call("GET", `/workflows/${mine.id}?adminAccess=true`, undefined, "dt0s16.COLLEAGUE")).status,
    200,
  );
  const seen = await call("GET", "/workflows", undefined, "dt0s16.COLLEAGUE");
  assert.deepEqual(seen.body.results.map((w: { title: string }) => w.title), ["shared"]);
});

Deno.test("a run moves from RUNNING to SUCCESS over time, tasks in topological order", async () => {
  const { call, advance } = setup({ taskDurationMs: 1000 });
  const workflow = (await call("POST", "/workflows", {
    title: "pipeline",
    tasks: {
      report: { ...script("return 1"), predecessors: ["build", "test"] },
      test: { ...script(""), predecessors: ["build"] },
      build: script(""),
    },
  })).body;
  const run = await call("POST", `/workflows/${workflow.id}/run`, { input: { tag: "v1" } });
  assert.equal(run.status, 201);
  assert.equal(run.body.state, "RUNNING");
  assert.equal(run.body.triggerType, "Manual");
  assert.equal(run.body.workflowVersion, 1);
  assert.deepEqual(run.body.input, { tag: "v1" });
  assert.equal(run.body.endedAt, null);
  const id = run.body.id;

  advance(1500);
  const tasks = (await call("GET", `/executions/${id}/tasks`)).body;
  assert.deepEqual(Object.keys(tasks), ["build", "test", "report"]);
  assert.equal(tasks.build.state, "SUCCESS");
  assert.equal(tasks.test.state, "RUNNING");
  assert.equal(tasks.report.state, "IDLE");
  assert.equal(tasks.test.startedAt, "2025-03-15T10:30:01.000Z");

  advance(1500);
  const done = (await call("GET", `/executions/${id}`)).body;
  assert.equal(done.state, "SUCCESS");
  assert.equal(done.endedAt, "2025-03-15T10:30:03.000Z");
  assert.equal(done.runtime, 3);
  assert.equal((await call("GET", `/workflows/${workflow.id}`)).body.lastExecution.id, id);
  const log = (await call("GET", `/executions/${id}/log`)).body as string;
  assert.match(log, /Task 'build'.*started/);
  assert.match(log, /Execution ended: SUCCESS\.$/);
  const buildLog = (await call("GET", `/executions/${id}/tasks/build/log`)).body as string;
  assert.match(buildLog, /Task 'build'.*started[\s\S]*Task 'build' succeeded/);
  assert.doesNotMatch(buildLog, /Task 'test'|Execution ended/);
  assert.equal((await call("GET", `/executions/${id}/tasks/ghost/log`)).status, 404);
  assert.equal((await call("GET", `/executions/${id}/tasks/ghost/result`)).status, 404);
  assert.equal((await call("GET", `/executions?workflow=${workflow.id}&state=SUCCESS`)).body.count, 1);
  assert.equal((await call("GET", `/executions?state=RUNNING`)).body.count, 0);
});

Deno.test("a throwing script fails its task and the execution; conditions decide what runs next", async () => {
  const { call, advance } = setup();
  const workflow = (await call("POST", "/workflows", {
    title: "failing",
    tasks: {
      boom: script('export default () => { throw new Error("disk full"); }'),
      after: { ...script(""), predecessors: ["boom"] },
      onError: { ...script(""), predecessors: ["boom"], conditions: { states: { boom: "NOK" } } },
    },
  })).body;
  const id = (await call("POST", `/workflows/${workflow.id}/run`, {})).body.id;
  advance(10_000);
  const execution = (await call("GET", `/executions/${id}`)).body;
  assert.equal(execution.state, "ERROR");
  assert.match(execution.stateInfo, /disk full/);
  const tasks = (await call("GET", `/executions/${id}/tasks`)).body;
  assert.equal(tasks.boom.state, "ERROR");
  assert.equal(tasks.boom.errorReason, "Error: disk full");
  assert.equal(tasks.after.state, "SKIPPED");
  assert.equal(tasks.onError.state, "SUCCESS");
});

Deno.test("execute-dql-query tasks run through the query engine", async () => {
  const { call, advance } = setup({ demo: true });
  const workflow = (await call("POST", "/workflows", {
    title: "dql",
    tasks: {
      q: { action: "dynatrace.automations:execute-dql-query", input: { query: "data record(n = 42)" } },
      bad: { action: "dynatrace.automations:execute-dql-query", input: { query: "fetch nope" } },
    },
  })).body;
  const id = (await call("POST", `/workflows/${workflow.id}/run`, {})).body.id;
  advance(5_000);
  const result = (await call("GET", `/executions/${id}/tasks/q/result`)).body;
  assert.deepEqual(result.records, [{ n: "42" }]);
  assert.equal(result.types[0].mappings.n.type, "long");
  const bad = (await call("GET", `/executions/${id}/tasks/bad`)).body;
  assert.equal(bad.state, "ERROR");
  assert.match(bad.errorReason, /UNKNOWN_DATA_OBJECT/);
});

Deno.test("cancel stops a running execution with 204 and refuses a finished one", async () => {
  const { call, advance } = setup();
  const workflow = (await call("POST", "/workflows", {
    title: "slow",
    tasks: { a: script(""), b: { ...script(""), predecessors: ["a"] } },
  })).body;
  const id = (await call("POST", `/workflows/${workflow.id}/run`, {})).body.id;
  advance(500);
  const cancelled = await call("POST", `/executions/${id}/cancel`);
  assert.equal(cancelled.status, 204);
  advance(10_000);
  const execution = (await call("GET", `/executions/${id}`)).body;
  assert.equal(execution.state, "CANCELLED");
  assert.equal(execution.endedAt, "2025-03-15T10:30:00.500Z");
  const tasks = (await call("GET", `/executions/${id}/tasks`)).body;
  assert.equal(tasks.a.state, "CANCELLED");
  assert.equal(tasks.b.state, "CANCELLED");
  assert.equal((await call("POST", `/executions/${id}/cancel`)).status, 409);
  assert.equal((await call("POST", `/executions/00000000-0000-4000-8000-000000000000/cancel`)).status, 404);
});

Deno.test("history lists versions newest first; a version can be read and restored", async () => {
  const { call } = setup();
  const id = (await call("POST", "/workflows", { title: "v1 title" })).body.id;
  await call("PUT", `/workflows/${id}`, { title: "v2 title" });
  await call("PATCH", `/workflows/${id}`, { description: "v3" });
  const history = (await call("GET", `/workflows/${id}/history`)).body;
  assert.equal(history.count, 3);
  assert.deepEqual(history.results.map((h: { version: number }) => h.version), [3, 2, 1]);
  assert.equal(history.results[0].user, DEFAULT_USER.userId);
  assert.equal((await call("GET", `/workflows/${id}/history/1`)).body.title, "v1 title");
  assert.equal((await call("GET", `/workflows/${id}/history/9`)).status, 404);
  const restored = await call("POST", `/workflows/${id}/history/1/restore`);
  assert.equal(restored.status, 200);
  const current = (await call("GET", `/workflows/${id}`)).body;
  assert.equal(current.title, "v1 title");
  assert.equal(current.version, 4);
});

Deno.test("DELETE answers 204, then the workflow is gone (404 in the platform envelope)", async () => {
  const { call } = setup();
  const id = (await call("POST", "/workflows", { title: "bye" })).body.id;
  assert.equal((await call("DELETE", `/workflows/${id}`)).status, 204);
  const gone = await call("GET", `/workflows/${id}`);
  assert.equal(gone.status, 404);
  assert.equal(gone.body.error.code, 404);
  assert.match(gone.body.error.details.errorRef, UUID);
  assert.equal((await call("DELETE", `/workflows/${id}`)).status, 404);
});

Deno.test("GET /version and the demo workflows", async () => {
  const { call } = setup({ demo: true });
  assert.deepEqual((await call("GET", "/version")).body, { version: "1.0.0" });
  const types = (await call("GET", "/workflows?ordering=title")).body.results.map((
    w: { triggerType: string },
  ) => w.triggerType);
  assert.deepEqual(types.sort(), ["Event", "Manual", "Schedule"]);
});
