/**
 * The planner: actions, determinism, validation before any request, lookups (only a 404 means absent),
 * bounded concurrency, one inventory read, prune candidates, placeholders.
 */

import assert from "node:assert/strict";
import { applyPlan } from "../../lib/apply/mod.ts";
import { ManifestError } from "../../lib/manifest/mod.ts";
import type { Manifest } from "../../lib/manifest/types.ts";
import type { Identity, ManagedKind } from "../../lib/plan/adapter.ts";
import { MANAGED_KINDS } from "../../lib/plan/kinds/mod.ts";
import {
  createPlan,
  identifyManifests,
  placeholderTargets,
  planBasis,
  referencePlaceholder,
  renderPlanJson,
  resolvePlaceholders,
} from "../../lib/plan/mod.ts";
import type { RemoteObject } from "../../lib/resources/types.ts";
import { workflowKind } from "../../lib/resources/kinds/workflow.ts";
import {
  allKinds,
  failure,
  KIND_SPECS,
  manifest,
  manifests,
  type Platform,
  platform,
  TEST_ENVIRONMENT,
} from "../apply/support.ts";

async function plan(p: Platform, yaml: string, options: { prune?: boolean; kinds?: ManagedKind[] } = {}) {
  return await createPlan({
    manifests: await manifests(yaml),
    stack: "shop",
    context: p.context,
    environment: TEST_ENVIRONMENT,
    prune: options.prune ?? false,
    ...(options.kinds ? { kinds: options.kinds } : {}),
  });
}

Deno.test("the plan is deterministic: same bytes for the same state, whatever the manifest order", async () => {
  const p = platform();
  await applyPlan(await plan(p, allKinds()), { context: p.context });
  const yaml = allKinds("v2", ["Bucket"]) + manifest("Bucket", "new-bucket", KIND_SPECS.Bucket.v1);
  const reversed = yaml.split("---\n").filter(Boolean).reverse().map((m) => `---\n${m}`).join("");
  const a = renderPlanJson(await plan(p, yaml));
  const b = renderPlanJson(await plan(p, reversed));
  const c = renderPlanJson(await plan(p, yaml));
  assert.equal(a, c);
  // Only the source positions differ with the order; the rest is identical.
  const strip = (text: string) => {
    const value = JSON.parse(text);
    for (const entry of value.entries) delete entry.source;
    return JSON.stringify(value);
  };
  assert.equal(strip(a), strip(b));
  const parsed = JSON.parse(a);
  assert.deepEqual(parsed.entries.map((e: { kind: string; action: string }) => `${e.kind}:${e.action}`), [
    "Bucket:create",
    "Segment:update",
    "Setting:update",
    "AnomalyDetector:update",
    "SLO:update",
    "Workflow:update",
    "Document:update",
    "Notebook:update",
    "Dashboard:update",
  ]);
  assert.deepEqual(parsed.summary, { create: 1, update: 8, delete: 0, unchanged: 0 });
});

Deno.test("entries carry field changes, an RFC 6902 patch, a unified diff, the live version and the desired object", async () => {
  const p = platform();
  await applyPlan(await plan(p, manifest("Workflow", "wf", KIND_SPECS.Workflow.v1)), { context: p.context });
  const planned = await plan(p, manifest("Workflow", "wf", KIND_SPECS.Workflow.v2));
  const [entry] = planned.entries;
  assert.equal(entry.action, "update");
  assert.deepEqual(entry.changes, [{
    path: "/tasks/log/input/script",
    op: "replace",
    before: "console.log(1)",
    after: "console.log(2)",
  }]);
  assert.deepEqual(entry.patch, [{
    op: "replace",
    path: "/tasks/log/input/script",
    value: "console.log(2)",
  }]);
  assert.match(entry.diff, /^--- live\/Workflow\/wf\n\+\+\+ desired\/Workflow\/wf\n@@/);
  assert.match(entry.diff, /^- {6}script: console\.log\(1\)$/m);
  assert.match(entry.diff, /^\+ {6}script: console\.log\(2\)$/m);
  assert.equal(entry.liveVersion, "1");
  assert.equal((entry.desired!.tasks as Record<string, unknown>).log !== undefined, true);
  assert.deepEqual(entry.source, { file: "-", line: 2, column: 1 });
});

Deno.test("identity collisions are reported at every manifest before any request", async () => {
  const p = platform();
  const yaml = `---
apiVersion: dtctl/v1
kind: Document
metadata: {name: one, annotations: {dtctl.io/id: shared-id}}
spec: {type: acme:config, content: {}}
---
apiVersion: dtctl/v1
kind: Notebook
metadata: {name: two, annotations: {dtctl.io/id: shared-id}}
spec: {content: {version: "7", sections: []}}
---
apiVersion: dtctl/v1
kind: Workflow
metadata: {name: three, annotations: {dtctl.io/id: shared-id}}
spec: {title: t, tasks: {}}
`;
  const error = await failure(() => plan(p, yaml));
  assert.ok(error instanceof ManifestError, String(error));
  const messages = error.problems.map((problem) => `${problem.location.line}: ${problem.message}`);
  assert.equal(messages.filter((m) => /same identity/.test(m)).length, 2, messages.join("\n"));
  assert.match(
    messages.join("\n"),
    /^4: Document\/one has the same identity \(id=shared-id\) as Notebook\/two/m,
  );
  assert.match(
    messages.join("\n"),
    /^9: Notebook\/two has the same identity \(id=shared-id\) as Document\/one/m,
  );
  assert.deepEqual(p.requests(), []);
});

Deno.test("a manifest cannot take the inventory document's id", async () => {
  const yaml = manifest("Document", "sneaky", { type: "x", content: {} }).replace(
    '"metadata":{"name":"sneaky"}',
    '"metadata":{"name":"sneaky","annotations":{"dtctl.io/id":"dtctl-inventory-shop"}}',
  );
  const error = await failure(() => plan(platform(), yaml));
  assert.match(error.message, /is the inventory document of stack "shop"/);
});

Deno.test("kinds without an adapter are reported before any request", async () => {
  const p = platform();
  const kinds = MANAGED_KINDS.filter((k) => k.manifestKind !== "SLO");
  const error = await failure(() => plan(p, allKinds(), { kinds }));
  assert.ok(error instanceof ManifestError);
  assert.match(error.message, /kind SLO cannot be planned or applied/);
  assert.deepEqual(p.requests(), []);
});

Deno.test("a lookup failure other than 404 fails the plan; it never becomes a create", async () => {
  const p = platform({
    emulator: { faults: [{ method: "GET", pathRegex: "/automation/v1/workflows/", status: 500 }] },
  });
  const error = await failure(() => plan(p, manifest("Workflow", "wf", KIND_SPECS.Workflow.v1)));
  assert.equal(error.code, "server_error");
  assert.match(error.message, /^Workflow\/wf: /);
  // Repeated (reads are idempotent), then given up.
  assert.equal(p.requests().filter((r) => r.path.includes("/workflows/")).length, 3);

  const forbidden = platform({
    emulator: { faults: [{ method: "GET", pathRegex: "/document/v1/documents/dtctl-shop", status: 403 }] },
  });
  const denied = await failure(() => plan(forbidden, manifest("Document", "doc", KIND_SPECS.Document.v1)));
  assert.equal(denied.code, "permission_denied");
});

Deno.test("reads run concurrently within the bound, and the inventory is read once", async () => {
  const p = platform({ emulator: { latencyMs: 5 } });
  let active = 0;
  let peak = 0;
  const workflow = MANAGED_KINDS.find((k) => k.manifestKind === "Workflow")!;
  const counting: ManagedKind = {
    ...workflow,
    async find(context, identity) {
      active++;
      peak = Math.max(peak, active);
      try {
        return await workflow.find(context, identity);
      } finally {
        active--;
      }
    },
  };
  const kinds = MANAGED_KINDS.map((k) => (k === workflow ? counting : k));
  let yaml = "";
  for (let i = 0; i < 30; i++) yaml += manifest("Workflow", `wf-${i}`, KIND_SPECS.Workflow.v1);
  const planned = await createPlan({
    manifests: await manifests(yaml),
    stack: "shop",
    context: p.context,
    environment: TEST_ENVIRONMENT,
    prune: false,
    kinds,
    concurrency: 4,
  });
  assert.equal(planned.summary.create, 30);
  assert.equal(peak, 4);
  assert.equal(p.requests().filter((r) => r.path.includes("dtctl-inventory-shop")).length, 1);
});

Deno.test("an interrupted plan stops reading and says so", async () => {
  const p = platform({ emulator: { latencyMs: 20 } });
  let yaml = "";
  for (let i = 0; i < 40; i++) yaml += manifest("Workflow", `wf-${i}`, KIND_SPECS.Workflow.v1);
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 30);
  const error = await failure(async () =>
    await createPlan({
      manifests: await manifests(yaml),
      stack: "shop",
      context: p.context,
      environment: TEST_ENVIRONMENT,
      prune: false,
      concurrency: 2,
      signal: controller.signal,
    })
  );
  assert.equal(error.code, "aborted");
  assert.ok(p.requests().length < 40);
});

Deno.test("references to objects that do not exist yet show a placeholder; existing ones their id", async () => {
  const p = platform();
  const segment = manifest("Segment", "hosts", KIND_SPECS.Segment.v1);
  const slo = manifest("SLO", "latency", {
    ...KIND_SPECS.SLO.v1,
    customSli: {
      indicator: "timeseries sli = avg(dt.service.request.response_time)",
      filterSegments: [{ id: { $ref: "Segment/hosts" } }],
    },
  });
  const first = await plan(p, segment + slo);
  const desired = first.entries.find((e) => e.kind === "SLO")!.desired!;
  assert.deepEqual(placeholderTargets(desired), ["Segment/hosts"]);
  assert.match(JSON.stringify(desired), /"\(known after apply: Segment\/hosts\)"/);
  const result = await applyPlan(first, { context: p.context });
  assert.equal(result.ok, true, JSON.stringify(result.results));
  const segmentId = result.results.find((r) => r.kind === "Segment")!.id!;
  const second = await plan(p, segment + slo);
  assert.deepEqual(second.entries.map((e) => e.action), ["unchanged", "unchanged"]);
  assert.doesNotMatch(JSON.stringify(second), /known after apply/);
  assert.ok(segmentId);
});

Deno.test("placeholders: targets and resolution inside larger strings", () => {
  const value = {
    a: referencePlaceholder("Segment", "x"),
    b: [`filter ${referencePlaceholder("Setting", "y.z")} and more`],
    c: { d: 1 },
  };
  assert.deepEqual(placeholderTargets(value), ["Segment/x", "Setting/y.z"]);
  const resolved = resolvePlaceholders(value, new Map([["Segment/x", "ID1"], ["Setting/y.z", "ID2"]]));
  assert.deepEqual(resolved, { a: "ID1", b: ["filter ID2 and more"], c: { d: 1 } });
  assert.deepEqual(resolvePlaceholders(value, new Map()), value);
});

Deno.test("prune plans deletions only for inventory objects that left the repository", async () => {
  const p = platform({ emulator: { data: "demo" } });
  const yaml = manifest("Workflow", "a", KIND_SPECS.Workflow.v1) +
    manifest("Workflow", "b", KIND_SPECS.Workflow.v1);
  await applyPlan(await plan(p, yaml), { context: p.context });
  const planned = await plan(p, manifest("Workflow", "a", KIND_SPECS.Workflow.v1), { prune: true });
  assert.deepEqual(planned.entries.map((e) => `${e.action} ${e.name}`), ["unchanged a", "delete b"]);
  const deletion = planned.entries[1];
  assert.ok(deletion.liveVersion);
  assert.equal(deletion.source, undefined);
  assert.deepEqual(deletion.patch, [{ op: "remove", path: "" }]);
  assert.match(deletion.diff, /^--- live\/Workflow\/b\n\+\+\+ \/dev\/null/);
  // Demo workflows (not in the inventory) are never candidates.
  assert.equal(planned.summary.delete, 1);
});

Deno.test("identifyManifests returns adapters and identities in input order", async () => {
  const list: Manifest[] = await manifests(allKinds());
  const identified = identifyManifests(list, "shop", MANAGED_KINDS);
  assert.deepEqual(identified.map((i) => i.manifest.kind), list.map((m) => m.kind));
  const workflow = identified.find((i) => i.manifest.kind === "Workflow")!;
  assert.match(workflow.identity.id!, /^[0-9a-f-]{36}$/);
  const identities: Identity[] = identified.map((i) => i.identity);
  assert.equal(new Set(identities.map((i) => i.key)).size, identities.length);
});

Deno.test("a plan made in this process keeps the live objects it compared", async () => {
  const p = platform();
  await applyPlan(await plan(p, manifest("Workflow", "wf", KIND_SPECS.Workflow.v1)), { context: p.context });
  const planned = await plan(p, manifest("Workflow", "wf", KIND_SPECS.Workflow.v2));
  const live = planBasis(planned)!.live!.get("Workflow/wf") as RemoteObject;
  assert.equal(live.id, planned.entries[0].id);
  assert.equal(workflowKind.name, "workflow");
});
