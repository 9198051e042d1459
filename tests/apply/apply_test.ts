/**
 * Apply against the local platform: idempotence (no writes at all), dependency order, references, optimistic
 * locking (conflicts and --force), failure handling, interruption, and prune safety.
 */

import assert from "node:assert/strict";
import { applyPlan } from "../../lib/apply/mod.ts";
import { readInventory } from "../../lib/inventory/mod.ts";
import { managedKind } from "../../lib/plan/kinds/mod.ts";
import { createPlan, planBasis } from "../../lib/plan/mod.ts";
import type { Plan } from "../../lib/plan/types.ts";
import type { KindContext, RemoteObject } from "../../lib/resources/types.ts";
import {
  allKinds,
  KIND_SPECS,
  manifest,
  manifests,
  type Platform,
  platform,
  TEST_ENVIRONMENT,
} from "./support.ts";

async function planFor(p: Platform, yaml: string, stack = "shop", prune = false): Promise<Plan> {
  return await createPlan({
    manifests: await manifests(yaml),
    stack,
    context: p.context,
    environment: TEST_ENVIRONMENT,
    prune,
  });
}

/** Changes an object behind the plan's back, as a colleague would, through the kind's own update. */
async function tamper(
  context: KindContext,
  plan: Plan,
  label: string,
  mutate: (desired: RemoteObject) => void,
): Promise<void> {
  const [kindName] = label.split("/");
  const kind = managedKind(kindName);
  const identity = planBasis(plan)!.identities.get(label)!;
  const live = (await kind.find(context, identity))!;
  const desired = structuredClone(kind.normalize(live));
  mutate(desired);
  await kind.update(context, live, desired);
}

const KIND_OF_PATH: [RegExp, string][] = [
  [/\/storage\/management\/v1\/bucket-definitions/, "Bucket"],
  [/\/filter-segments\//, "Segment"],
  [/\/automation\/v1\/workflows/, "Workflow"],
  [/\/slo\/v1\//, "SLO"],
  [/\/settings\/objects/, "Setting"],
  [/\/document\/v1\/documents/, "Document"],
];

Deno.test("a second apply of every kind sends no write request at all", async () => {
  const p = platform();
  const first = await applyPlan(await planFor(p, allKinds()), { context: p.context });
  assert.equal(first.ok, true, JSON.stringify(first.results, null, 2));
  assert.equal(first.summary.created, Object.keys(KIND_SPECS).length);

  p.clear();
  const plan = await planFor(p, allKinds());
  assert.deepEqual(plan.summary, { create: 0, update: 0, delete: 0, unchanged: 9 });
  const second = await applyPlan(plan, { context: p.context });
  assert.equal(second.ok, true);
  assert.deepEqual(second.summary, {
    created: 0,
    updated: 0,
    deleted: 0,
    unchanged: 9,
    failed: 0,
    skipped: 0,
  });
  assert.deepEqual(p.writes(), []);
  // The inventory was read once, by the planner.
  assert.equal(p.requests().filter((r) => r.path.endsWith("/dtctl-inventory-shop")).length, 1);
});

Deno.test("creates run in dependency order: what is referenced first", async () => {
  const p = platform();
  const result = await applyPlan(await planFor(p, allKinds()), { context: p.context, concurrency: 4 });
  assert.equal(result.ok, true);
  const order = ["Bucket", "Segment", "Setting", "SLO", "Workflow", "Document"];
  const seen = p.writes()
    .filter((r) => r.method === "POST" && !r.path.includes("dtctl-inventory"))
    .map((r) => KIND_OF_PATH.find(([pattern]) => pattern.test(r.path))?.[1])
    .filter((kind): kind is string => kind !== undefined);
  const ranks = seen.map((kind) => order.indexOf(kind));
  assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), `writes in order ${seen.join(", ")}`);
});

Deno.test("references to objects created in the same apply are resolved with their new ids", async () => {
  const p = platform();
  const yaml = manifest("Setting", "team-profile", {
    schemaId: "builtin:alerting.profile",
    scope: "environment",
    value: { name: "Team" },
  }) + manifest("Setting", "team-mail", {
    schemaId: "builtin:problem.notifications",
    scope: "environment",
    value: {
      displayName: "Team mail",
      type: "EMAIL",
      alertingProfile: { $ref: "Setting/team-profile" },
      emailNotification: { recipients: ["team@example.com"], subject: "Problem", body: "{ProblemTitle}" },
    },
  }) + manifest("Workflow", "uses-segment", {
    title: "Uses a segment",
    tasks: {
      q: { action: "dynatrace.automations:execute-dql-query", input: { segment: { $ref: "Segment/hosts" } } },
    },
  }) + manifest("Segment", "hosts", { includes: [{ dataObject: "logs", filter: 'host.name = "a"' }] });

  const plan = await planFor(p, yaml);
  const mail = plan.entries.find((e) => e.name === "team-mail")!;
  assert.match(JSON.stringify(mail.desired), /\(known after apply: Setting\/team-profile\)/);
  const workflow = plan.entries.find((e) => e.name === "uses-segment")!;
  assert.match(JSON.stringify(workflow.desired), /\(known after apply: Segment\/hosts\)/);

  const result = await applyPlan(plan, { context: p.context });
  assert.equal(result.ok, true, JSON.stringify(result.results, null, 2));
  const idOf = (name: string) => result.results.find((r) => r.name === name)!.id!;
  const profile = await managedKind("Setting").find(
    p.context,
    planBasis(plan)!.identities.get("Setting/team-mail")!,
  );
  assert.equal((profile!.value as Record<string, unknown>).alertingProfile, idOf("team-profile"));
  const wf = await managedKind("Workflow").find(
    p.context,
    planBasis(plan)!.identities.get("Workflow/uses-segment")!,
  );
  const tasks = wf!.tasks as Record<string, { input: { segment: string } }>;
  assert.equal(tasks.q.input.segment, idOf("hosts"));

  const again = await planFor(p, yaml);
  assert.deepEqual(again.entries.map((e) => e.action), ["unchanged", "unchanged", "unchanged", "unchanged"]);
});

Deno.test("an object changed behind the plan's back is a conflict and is not overwritten; --force overwrites", async () => {
  const p = platform();
  await applyPlan(await planFor(p, allKinds()), { context: p.context });
  const plan = await planFor(p, allKinds("v2"));
  assert.equal(plan.summary.update, 9);
  await tamper(p.context, plan, "Workflow/workflow-one", (d) => (d.title = "Changed by a colleague"));
  await tamper(p.context, plan, "Document/document-one", (d) => (d.content = { replicas: 7 }));

  const result = await applyPlan(plan, { context: p.context, continueOnError: true });
  assert.equal(result.ok, false);
  assert.equal(result.exitCode, 6);
  const failed = result.results.filter((r) => r.status === "failed");
  assert.deepEqual(failed.map((r) => [r.kind, r.error?.code]), [["Workflow", "conflict"], [
    "Document",
    "conflict",
  ]]);
  assert.equal(result.summary.updated, 7);
  const basis = planBasis(plan)!;
  const wf = await managedKind("Workflow").find(p.context, basis.identities.get("Workflow/workflow-one")!);
  assert.equal(wf!.title, "Changed by a colleague");

  const forced = await applyPlan(await planFor(p, allKinds("v2")), { context: p.context });
  assert.equal(forced.ok, true);
  // The same plan, forced: re-reads and overwrites.
  const stale = await planFor(p, allKinds("v1"));
  await tamper(p.context, stale, "Workflow/workflow-one", (d) => (d.title = "Again"));
  const overwritten = await applyPlan(stale, { context: p.context, force: true });
  assert.equal(overwritten.ok, true, JSON.stringify(overwritten.results, null, 2));
  const after = await managedKind("Workflow").find(p.context, basis.identities.get("Workflow/workflow-one")!);
  assert.equal(after!.title, "Nightly");
  assert.match(overwritten.results.find((r) => r.kind === "Workflow")!.note ?? "", /--force/);
});

Deno.test("a failure stops scheduling; --continue-on-error applies the rest; the exit code is the first failure's", async () => {
  const p = platform({
    emulator: { faults: [{ method: "POST", pathRegex: "filter-segments", status: 403 }] },
  });
  const stopped = await applyPlan(await planFor(p, allKinds()), { context: p.context, concurrency: 1 });
  assert.equal(stopped.ok, false);
  assert.equal(stopped.exitCode, 5);
  const status = Object.fromEntries(stopped.results.map((r) => [r.kind, r.status]));
  assert.equal(status.Bucket, "ok");
  assert.equal(status.Segment, "failed");
  for (const kind of ["Setting", "AnomalyDetector", "SLO", "Workflow", "Document", "Notebook", "Dashboard"]) {
    assert.equal(status[kind], "skipped", kind);
  }
  const skipped = stopped.results.find((r) => r.kind === "Dashboard")!;
  assert.match(skipped.error!.message, /earlier change failed/);
  // What was created is recorded.
  assert.deepEqual((await readInventory(p.client, "shop")).objects.map((o) => o.kind), ["Bucket"]);

  const kept = await applyPlan(await planFor(p, allKinds()), { context: p.context, continueOnError: true });
  assert.equal(kept.exitCode, 5);
  assert.deepEqual(kept.results.filter((r) => r.status !== "ok").map((r) => r.kind), ["Segment"]);
  assert.equal(kept.summary.created, 7);
  assert.equal((await readInventory(p.client, "shop")).objects.length, 8);
});

Deno.test("an interruption stops scheduling, lets changes in flight finish, and records what was done", async () => {
  const p = platform();
  const controller = new AbortController();
  const plan = await planFor(p, allKinds());
  const result = await applyPlan(plan, {
    context: p.context,
    concurrency: 1,
    signal: controller.signal,
    onProgress: (event) => {
      if (event.type === "done" && event.done === 2) controller.abort();
    },
  });
  assert.equal(result.aborted, true);
  assert.equal(result.ok, false);
  assert.equal(result.exitCode, 1);
  assert.deepEqual(result.results.map((r) => r.status), [
    "ok",
    "ok",
    "skipped",
    "skipped",
    "skipped",
    "skipped",
    "skipped",
    "skipped",
    "skipped",
  ]);
  assert.equal(result.results[2].error?.code, "aborted");
  assert.equal((await readInventory(p.client, "shop")).objects.length, 2);

  const rest = await applyPlan(await planFor(p, allKinds()), { context: p.context });
  assert.equal(rest.ok, true);
  assert.deepEqual(rest.summary, { created: 7, updated: 0, deleted: 0, unchanged: 2, failed: 0, skipped: 0 });
});

Deno.test("prune deletes only what the stack recorded, and only with prune", async () => {
  const p = platform({ emulator: { data: "demo" } });
  const ours = manifest("Workflow", "a", KIND_SPECS.Workflow.v1) +
    manifest("Document", "b", KIND_SPECS.Document.v1);
  assert.equal((await applyPlan(await planFor(p, ours), { context: p.context })).ok, true);
  const theirs = manifest("Workflow", "a", KIND_SPECS.Workflow.v1);
  assert.equal((await applyPlan(await planFor(p, theirs, "other"), { context: p.context })).ok, true);
  const demoBefore = p.requests().length;
  assert.ok(demoBefore > 0);

  // Without --prune, objects that left the repository are kept, and reported.
  const kept = await planFor(p, "");
  assert.deepEqual(kept.entries, []);
  assert.deepEqual(planBasis(kept)!.orphans.map((o) => `${o.kind}/${o.name}`), ["Document/b", "Workflow/a"]);

  const pruning = await planFor(p, "", "shop", true);
  assert.deepEqual(pruning.entries.map((e) => `${e.action} ${e.kind}/${e.name}`), [
    "delete Document/b",
    "delete Workflow/a",
  ]);
  p.clear();
  const result = await applyPlan(pruning, { context: p.context });
  assert.equal(result.ok, true);
  const deletes = p.writes().filter((r) => r.method === "DELETE");
  assert.equal(deletes.length, 2);

  // The other stack's workflow of the same name and the demo data are untouched.
  assert.deepEqual((await planFor(p, theirs, "other")).entries.map((e) => e.action), ["unchanged"]);
  const demo = await managedKind("Workflow").find(p.context, {
    key: "id=...",
    id: "5c1a9e0e-2f64-4d59-9b8e-3a7c1d2e4f01",
  });
  assert.ok(demo);
  assert.deepEqual((await readInventory(p.client, "shop")).objects, []);
});

Deno.test("prune leaves an object alone that took over a recorded identity", async () => {
  const p = platform();
  const yaml = manifest("SLO", "latency", KIND_SPECS.SLO.v1);
  const first = await applyPlan(await planFor(p, yaml), { context: p.context });
  const recorded = first.results[0].id!;
  // Someone deletes the SLO and creates another with the same external id.
  const kind = managedKind("SLO");
  const plan = await planFor(p, yaml);
  const identity = planBasis(plan)!.identities.get("SLO/latency")!;
  const live = (await kind.find(p.context, identity))!;
  await kind.delete(p.context, live);
  const replacement = await kind.create(p.context, kind.normalize(live));
  assert.notEqual(kind.idOf(replacement), recorded);

  const pruning = await planFor(p, "", "shop", true);
  assert.deepEqual(pruning.entries, []);
  assert.equal(planBasis(pruning)!.gone.length, 1);
  assert.equal((await applyPlan(pruning, { context: p.context })).ok, true);
  assert.ok(await kind.find(p.context, identity), "the replacement was not deleted");
  assert.deepEqual((await readInventory(p.client, "shop")).objects, []);
});

Deno.test("two applies of the same stack at once: the second gets a conflict and no entry is lost", async () => {
  const p = platform();
  const planA = await planFor(p, manifest("Document", "a", KIND_SPECS.Document.v1));
  const planB = await planFor(p, manifest("Document", "b", KIND_SPECS.Document.v1));
  assert.equal((await applyPlan(planA, { context: p.context })).ok, true);
  const second = await applyPlan(planB, { context: p.context });
  assert.equal(second.summary.created, 1);
  assert.equal(second.inventory.status, "failed");
  assert.equal(second.inventory.error?.code, "conflict");
  assert.equal(second.exitCode, 6);
  assert.deepEqual((await readInventory(p.client, "shop")).objects.map((o) => o.name), ["a"]);

  // Running again converges: b is found by its identity and recorded, a is kept.
  const again = await applyPlan(await planFor(p, manifest("Document", "b", KIND_SPECS.Document.v1)), {
    context: p.context,
  });
  assert.equal(again.ok, true);
  assert.equal(again.summary.unchanged, 1);
  assert.deepEqual((await readInventory(p.client, "shop")).objects.map((o) => o.name), ["a", "b"]);
});

Deno.test("unchanged entries need no adapter call and the plan is applied without reading again", async () => {
  const p = platform();
  await applyPlan(await planFor(p, allKinds()), { context: p.context });
  const plan = await planFor(
    p,
    allKinds("v2", ["Bucket"]) + manifest("Bucket", "bucket-one", KIND_SPECS.Bucket.v1),
  );
  p.clear();
  const result = await applyPlan(plan, { context: p.context });
  assert.equal(result.ok, true);
  // 8 updates; documents and SLOs lock on the planned version, so no request reads them again first.
  const reads = p.requests().filter((r) => r.method === "GET" && /documents|slo/.test(r.path));
  assert.deepEqual(reads, []);
});
