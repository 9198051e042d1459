import assert from "node:assert/strict";
import { loadManifests, MANIFEST_KINDS } from "../../lib/manifest/mod.ts";
import { assertProblem, problemsOf, withTree } from "./helpers.ts";

const VALID: Record<string, string> = {
  Workflow: "title: Nightly\n  tasks:\n    run:\n      action: dynatrace.automations:run-javascript",
  Dashboard: "content:\n    tiles: {}",
  Notebook: "content:\n    sections: []",
  Document: "type: acme:config\n  content: {a: 1}",
  SLO:
    "criteria:\n    - timeframeFrom: now-7d\n      target: 99\n  customSli:\n    indicator: timeseries x=avg(a)",
  Setting: "schemaId: builtin:alerting.profile\n  scope: environment\n  value: {name: p}",
  AnomalyDetector:
    "title: CPU\n  analyzer:\n    name: dt.statistic.StaticThresholdAnomalyDetectionAnalyzer\n  eventTemplate: {title: high}",
  Segment: 'includes:\n    - dataObject: logs\n      filter: k8s.cluster.name = "prod"',
  Bucket: "table: logs\n  retentionDays: 35",
};

function envelope(kind: string, name: string, spec: string): string {
  return `apiVersion: dtctl/v1\nkind: ${kind}\nmetadata:\n  name: ${name}\nspec:\n  ${spec}\n`;
}

Deno.test("envelope: one valid manifest of every kind loads with defaults", async () => {
  const files: Record<string, string> = {};
  for (const kind of MANIFEST_KINDS) {
    files[`${kind.toLowerCase()}.yaml`] = envelope(kind, `my-${kind.toLowerCase()}`, VALID[kind]);
  }
  await withTree(files, async (dir) => {
    const { manifests, files: read } = await loadManifests({ paths: ["."], cwd: dir });
    assert.deepEqual(manifests.map((m) => m.kind).sort(), [...MANIFEST_KINDS].sort());
    assert.equal(read.length, MANIFEST_KINDS.length);
    const byKind = Object.fromEntries(manifests.map((m) => [m.kind, m]));
    assert.equal(byKind.Workflow.name, "my-workflow");
    assert.equal(byKind.Workflow.raw, false);
    assert.equal(byKind.Workflow.apiVersion, "dtctl/v1");
    assert.deepEqual(byKind.Workflow.source, { file: "workflow.yaml", line: 1, column: 1 });
    // Documented defaults: display names, bucket name and isPublic come from metadata.name / false.
    assert.equal(byKind.Dashboard.spec.name, "my-dashboard");
    assert.equal(byKind.SLO.spec.name, "my-slo");
    assert.equal(byKind.Segment.spec.name, "my-segment");
    assert.equal(byKind.Segment.spec.isPublic, false);
    assert.equal(byKind.Bucket.spec.bucketName, "my-bucket");
    assert.equal(byKind.Workflow.spec.name, undefined);
    // A defaulted field is located at metadata.name.
    assert.deepEqual(byKind.SLO.locate(["spec", "name"]), { file: "slo.yaml", line: 4, column: 9 });
  });
});

Deno.test("envelope: labels, annotations and locate", async () => {
  const text = `apiVersion: dtctl/v1
kind: Workflow
metadata:
  name: wf.one_2
  labels: {team: sre, tier: "1"}
  annotations:
    owner: me
spec:
  title: T
  tasks:
    first:
      action: a
      input: {script: "x"}
`;
  await withTree({ "wf.yaml": text }, async (dir) => {
    const [m] = (await loadManifests({ paths: ["wf.yaml"], cwd: dir })).manifests;
    assert.deepEqual(m.labels, { team: "sre", tier: "1" });
    assert.deepEqual(m.annotations, { owner: "me" });
    assert.deepEqual(m.locate(["spec", "tasks"]), { file: "wf.yaml", line: 10, column: 3 });
    assert.deepEqual(m.locate(["spec", "tasks", "first", "input", "script"]), {
      file: "wf.yaml",
      line: 13,
      column: 23,
    });
    // A missing step falls back to the deepest existing node.
    assert.deepEqual(m.locate(["spec", "tasks", "first", "nope", "x"]), {
      file: "wf.yaml",
      line: 11,
      column: 5,
    });
  });
});

Deno.test("envelope: every envelope mistake is a problem at its position", async () => {
  const text = `apiVersion: dtctl/v2
kind: workflow
metadata:
  name: Nightly Report
  labels:
    team: 5
  namespace: x
spec:
  title: T
  tasks: {}
extra: 1
---
apiVersion: dtctl/v1
kind: Workflow
metadata: {}
spec: []
---
apiVersion: dtctl/v1
kind: SLO
metadata:
  name: s
spec:
  id: abc
  version: "2"
  criteria: [{timeframeFrom: now-7d}]
  customSli: {indicator: x}
---
kind: Bucket
metadata: {name: b}
spec: {table: logs, retentionDays: 3}
`;
  await withTree({ "bad.yaml": text }, async (dir) => {
    const problems = await problemsOf(() => loadManifests({ paths: ["bad.yaml"], cwd: dir }));
    assertProblem(problems, "bad.yaml:1:13", 'unsupported apiVersion "dtctl/v2"');
    assertProblem(problems, "bad.yaml:2:7", 'unknown kind "workflow"');
    assertProblem(problems, "bad.yaml:2:7", 'Did you mean "Workflow"?');
    assertProblem(problems, "bad.yaml:4:9", '"nightly-report"');
    assertProblem(problems, "bad.yaml:6:11", "metadata.labels.team must be a string");
    assertProblem(problems, "bad.yaml:7:3", 'unknown field "namespace" in metadata');
    assertProblem(problems, "bad.yaml:11:1", 'unknown field "extra" at the top level');
    assertProblem(problems, "bad.yaml:15:11", "metadata.name is required");
    assertProblem(problems, "bad.yaml:16:7", "spec must be a mapping, not a list");
    assertProblem(problems, "bad.yaml:23:7", "spec.id is managed by the server");
    assertProblem(problems, "bad.yaml:24:12", "spec.version is managed by the server");
    assertProblem(problems, "bad.yaml:28:1", 'apiVersion is missing: add "apiVersion: dtctl/v1"');
    assert.equal(problems.length, 11, problems.join("\n"));
  });
});

Deno.test("envelope: names follow the documented rule", async () => {
  const ok = ["a", "0", "a.b_c-d", "x".repeat(128), "9lives"];
  const bad = ["A", "-a", "a-", "a b", "x".repeat(129), "ä", "a/b", ""];
  for (const name of ok) {
    await withTree({
      "b.yaml": envelope(
        "Bucket",
        JSON.stringify(name),
        "bucketName: bucket_x\n  table: logs\n  retentionDays: 3",
      ),
    }, async (dir) => {
      const { manifests } = await loadManifests({ paths: ["b.yaml"], cwd: dir });
      assert.equal(manifests[0].name, name);
    });
  }
  for (const name of bad) {
    await withTree({
      "b.yaml": envelope(
        "Bucket",
        JSON.stringify(name),
        "bucketName: bucket_x\n  table: logs\n  retentionDays: 3",
      ),
    }, async (dir) => {
      const problems = await problemsOf(() => loadManifests({ paths: ["b.yaml"], cwd: dir }));
      assert.equal(problems.length, 1, problems.join("\n"));
      assert.match(problems[0], /^b\.yaml:4:9: metadata\.name .* is invalid/);
    });
  }
});

Deno.test("envelope: the error message lists every problem as file:line:column", async () => {
  await withTree(
    { "x.yaml": "apiVersion: dtctl/v1\nkind: Nope\nmetadata: {name: a}\nspec: {}\n" },
    async (dir) => {
      const error = await loadManifests({ paths: ["x.yaml"], cwd: dir }).catch((e) => e);
      assert.equal(error.name, "ManifestError");
      assert.match(error.message, /^x\.yaml:2:7: unknown kind "Nope"/);
      assert.deepEqual(error.details.problems[0].line, 2);
    },
  );
});
