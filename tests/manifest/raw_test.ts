import assert from "node:assert/strict";
import { detectKind, loadManifests, type Manifest } from "../../lib/manifest/mod.ts";
import { assertProblem, problemsOf, withTree } from "./helpers.ts";

async function loadOne(file: string, text: string): Promise<Manifest> {
  return await withTree({ [file]: text }, async (dir) => {
    const { manifests } = await loadManifests({ paths: [file], cwd: dir });
    assert.equal(manifests.length, 1);
    assert.equal(manifests[0].raw, true);
    return manifests[0];
  });
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

Deno.test("raw: a workflow exported by the Go dtctl loses its server fields", async () => {
  const m = await loadOne(
    "wf.json",
    json({
      id: "0c2b1a9e-7d1f-4c55-9b8a-2f7f3f0b1c11",
      title: "Nightly Report (prod)",
      owner: "u-1",
      ownerType: "USER",
      actor: "u-1",
      version: 3,
      modificationInfo: { createdBy: "u" },
      lastExecution: null,
      triggerType: "Schedule",
      workflowLimit: { isActive: false },
      isPrivate: false,
      tasks: { run: { name: "run", action: "dynatrace.automations:run-javascript", input: { script: "1" } } },
      trigger: { schedule: { isActive: true, trigger: { type: "cron", cron: "0 * * * *" } } },
    }),
  );
  assert.equal(m.kind, "Workflow");
  assert.equal(m.name, "nightly-report-prod");
  assert.deepEqual(Object.keys(m.spec).sort(), ["isPrivate", "tasks", "title", "trigger"]);
  assert.deepEqual(m.locate(["metadata", "name"]), { file: "wf.json", line: 3, column: 12 });
  assert.deepEqual(m.locate(["spec", "tasks", "run", "action"]), { file: "wf.json", line: 20, column: 17 });
});

Deno.test("raw: dashboards in export, direct and metadata forms", async () => {
  const exported = await loadOne(
    "d.yaml",
    `id: 5f0f3a36-1c8a-4c7e-9a0e-8a5b4d7d4b2e
name: Übersicht Prod
type: dashboard
version: 4
owner: u
isPrivate: true
description: main
labels: [team-a]
modificationInfo: {createdBy: u}
shareInfo: {isShared: false}
userContext: {lastAccessedTime: x}
originAppId: null
content:
  version: 15
  tiles: {"0": {type: markdown, content: hi}}
`,
  );
  assert.equal(exported.kind, "Dashboard");
  assert.equal(exported.name, "ubersicht-prod");
  assert.deepEqual(exported.spec, {
    name: "Übersicht Prod",
    isPrivate: true,
    description: "main",
    labels: ["team-a"],
    content: { version: 15, tiles: { "0": { type: "markdown", content: "hi" } } },
  });

  // Custom (non-UUID) document ids are portable and kept, as the Go dtctl does.
  const custom = await loadOne(
    "c.json",
    json({ id: "my-dash-1", name: "X", type: "dashboard", content: { tiles: {} } }),
  );
  assert.equal(custom.spec.id, "my-dash-1");

  const direct = await loadOne("ops-board.json", json({ version: 15, tiles: { "0": {} }, layouts: {} }));
  assert.equal(direct.kind, "Dashboard");
  assert.equal(direct.name, "ops-board"); // no name in the payload: the file name
  assert.deepEqual(direct.spec, {
    content: { version: 15, tiles: { "0": {} }, layouts: {} },
    name: "ops-board",
  });
  assert.deepEqual(direct.locate(["spec", "content", "layouts"]), {
    file: "ops-board.json",
    line: 6,
    column: 14,
  });

  const metadata = await loadOne(
    "m.json",
    json({
      metadata: { id: "nb-1", name: "Runbook", type: "notebook", version: 2, owner: "u" },
      content: { version: "7", sections: [] },
    }),
  );
  assert.equal(metadata.kind, "Notebook");
  assert.equal(metadata.name, "runbook");
  assert.deepEqual(metadata.spec, { id: "nb-1", name: "Runbook", content: { version: "7", sections: [] } });
});

Deno.test("raw: notebooks by type and by sections; generic documents by type", async () => {
  const byType = await loadOne("n.json", json({ name: "NB", type: "notebook", content: { sections: [] } }));
  assert.equal(byType.kind, "Notebook");
  const bySections = await loadOne("n2.json", json({ name: "NB2", content: { sections: [] } }));
  assert.equal(bySections.kind, "Notebook");
  const direct = await loadOne("n3.json", json({ name: "NB3", sections: [] }));
  assert.equal(direct.kind, "Notebook");
  const generic = await loadOne(
    "g.json",
    json({ name: "Launch", type: "launchpad", content: { blocks: [] } }),
  );
  assert.equal(generic.kind, "Document");
  assert.equal(generic.spec.type, "launchpad");
});

Deno.test("raw: SLO, bucket, settings, anomaly detectors and segments", async () => {
  const slo = await loadOne(
    "slo.json",
    json({
      id: "vu9U3hXa3",
      version: "abc",
      name: "Checkout availability",
      criteria: [{ timeframeFrom: "now-7d", timeframeTo: "now", target: 99.8 }],
      sliReference: { templateId: "t", variables: [] },
    }),
  );
  assert.equal(slo.kind, "SLO");
  assert.equal(slo.name, "checkout-availability");
  assert.equal(slo.spec.id, undefined);
  assert.equal(slo.spec.version, undefined);

  const bucket = await loadOne(
    "b.json",
    json({
      bucketName: "custom_logs",
      table: "logs",
      retentionDays: 35,
      status: "active",
      version: 2,
      updatable: true,
      records: 10,
    }),
  );
  assert.equal(bucket.kind, "Bucket");
  assert.equal(bucket.name, "custom_logs");
  assert.deepEqual(bucket.spec, { bucketName: "custom_logs", table: "logs", retentionDays: 35 });

  const setting = await loadOne(
    "s.yaml",
    `objectId: vu9U3hXa3q0AAAAB
schemaid: builtin:alerting.profile
schemaVersion: "8.5.1"
scope: environment
externalId: monaco:Alerting Profile 1
updateToken: tok
summary: x
owner: {type: user, id: u}
value: {name: Default}
`,
  );
  assert.equal(setting.kind, "Setting");
  assert.equal(setting.name, "monaco-alerting-profile-1");
  assert.deepEqual(setting.spec, {
    schemaVersion: "8.5.1",
    scope: "environment",
    externalId: "monaco:Alerting Profile 1",
    value: { name: "Default" },
    schemaId: "builtin:alerting.profile",
  });
  assert.deepEqual(setting.locate(["spec", "schemaId"]), { file: "s.yaml", line: 2, column: 11 });

  const cloud = await loadOne(
    "az.json",
    json({
      schemaId: "builtin:hyperscaler-authentication.connections.azure",
      scope: "environment",
      value: { name: "Azure prod" },
    }),
  );
  assert.equal(cloud.kind, "Setting");
  assert.equal(cloud.name, "azure-prod");

  const flattened = await loadOne(
    "ad.yaml",
    `objectId: o1
title: High CPU
enabled: true
analyzer:
  name: dt.statistic.StaticThresholdAnomalyDetectionAnalyzer
  input: {query: "timeseries avg(dt.host.cpu.usage)", threshold: "90"}
eventTemplate: {title: CPU high}
`,
  );
  assert.equal(flattened.kind, "AnomalyDetector");
  assert.equal(flattened.name, "high-cpu");
  assert.equal(flattened.spec.objectId, undefined);

  const rawDetector = await loadOne(
    "ad2.json",
    json({
      objectId: "o2",
      schemaId: "builtin:davis.anomaly-detectors",
      scope: "environment",
      value: { title: "Disk full", analyzer: { name: "x" } },
    }),
  );
  assert.equal(rawDetector.kind, "AnomalyDetector");
  assert.equal(rawDetector.name, "disk-full");

  const segment = await loadOne(
    "seg.json",
    json({
      uid: "D82a1jdA23a",
      name: "Prod hosts",
      isPublic: true,
      owner: "u",
      version: 3,
      allowedOperations: ["READ"],
      includes: [{ dataObject: "logs", filter: 'k8s.cluster.name = "prod"' }],
    }),
  );
  assert.equal(segment.kind, "Segment");
  assert.equal(segment.name, "prod-hosts");
  assert.deepEqual(Object.keys(segment.spec).sort(), ["includes", "isPublic", "name"]);
});

Deno.test("raw: detection follows the Go dtctl's order", () => {
  // tasks beats metadata and criteria (steps 4 vs 5 and 7).
  assert.deepEqual(detectKind({ tasks: {}, metadata: {}, criteria: [], name: "x" }), { kind: "Workflow" });
  // type dashboard beats tasks (step 3 before 4).
  assert.deepEqual(detectKind({ type: "dashboard", tasks: {} }), { kind: "Dashboard" });
  // The anomaly-detector schema beats everything.
  assert.deepEqual(detectKind({ schemaId: "builtin:davis.anomaly-detectors", type: "dashboard" }), {
    kind: "AnomalyDetector",
  });
  // A metadata document defaults to a dashboard.
  assert.deepEqual(detectKind({ metadata: { name: "x" } }), { kind: "Dashboard" });
  // criteria + name: SLO, before bucketName + table.
  assert.deepEqual(detectKind({ criteria: [], name: "x", bucketName: "b", table: "logs" }), { kind: "SLO" });
  // includes + name without tasks/bucketName/criteria: segment.
  assert.deepEqual(detectKind({ includes: [], name: "x" }), { kind: "Segment" });
  assert.deepEqual(detectKind({ includes: [], name: "x", bucketName: "b" }), { unknown: true });
  assert.deepEqual(detectKind({ includes: [], isPublic: false }), { kind: "Segment" });
  // Unsupported Go dtctl types are recognised, so the problem can say what they are.
  assert.ok("unsupported" in detectKind({ scope: "integration-aws", value: {} }));
  assert.ok("unsupported" in detectKind({ type: "extension_monitoring_config", extensionName: "x" }));
  assert.deepEqual(detectKind({ type: "" }), { unknown: true });
  assert.deepEqual(detectKind({ hello: "world" }), { unknown: true });
});

Deno.test("raw: arrays of payloads; undetectable elements take the first element's kind", async () => {
  await withTree({
    "wfs.json": json([
      { title: "A", tasks: { t: { action: "x" } } },
      { title: "B", tasks: { t: { action: "x" } } },
      { title: "C", description: "no tasks: dtctl applied it as a workflow too" },
    ]),
  }, async (dir) => {
    const problems = await problemsOf(() => loadManifests({ paths: ["wfs.json"], cwd: dir }));
    // The third element is a Workflow by the array rule, and so it misses its tasks.
    assert.deepEqual(problems, ["wfs.json:18:3: spec.tasks is required (a mapping)"]);
  });
});

Deno.test("raw: undetectable, unsupported and nameless payloads are problems", async () => {
  await withTree({
    "a.json": json({ hello: "world" }),
    "b.json": json({ scope: "integration-aws", value: {} }),
    "c.yaml": "- title: ''\n  tasks: {t: {action: x}}\n- title: B\n  tasks: {t: {action: x}}\n",
    "d.yaml": "just a string\n",
  }, async (dir) => {
    const problems = await problemsOf(() => loadManifests({ paths: ["."], cwd: dir }));
    assertProblem(problems, "a.json:1:1", "could not detect the resource type; add apiVersion/kind");
    assertProblem(problems, "b.json:1:1", "cloud monitoring configuration of the Go dtctl");
    assertProblem(problems, "c.yaml:1:3", "could not derive a name for this Workflow payload");
    assertProblem(problems, "d.yaml:1:1", "expected a manifest or an API payload (a mapping), not a string");
    assert.equal(problems.length, 4, problems.join("\n"));
  });
});
