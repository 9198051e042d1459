import assert from "node:assert/strict";
import { collectReferences, loadManifests } from "../../lib/manifest/mod.ts";
import { assertProblem, problemsOf, withTree } from "./helpers.ts";

function manifest(kind: string, name: string, spec: string): string {
  return `apiVersion: dtctl/v1\nkind: ${kind}\nmetadata:\n  name: ${name}\nspec:\n${spec}`;
}

Deno.test("validation: all errors at once - 5 mistakes in 3 files, each at its position", async () => {
  await withTree({
    "stack/a-workflows.yaml": manifest(
      "Workflow",
      "nightly",
      `  title: Nightly
  tasks:
    report:
      input: {}
`,
    ) + "---\n" + manifest("Dashbaord", "ops", "  content: {}\n"),
    "stack/b-slo.yaml": manifest(
      "SLO",
      "checkout",
      `  criteria:
    - timeframeFrom: now-7d
  customSli:
    indicator: timeseries x = avg(a)
    filterSegments:
      - id: {$ref: Segment/prod-hosts}
`,
    ),
    "stack/c-more.json": JSON.stringify(
      [
        {
          apiVersion: "dtctl/v1",
          kind: "Bucket",
          metadata: { name: "logs-b" },
          spec: { table: "logs", retentionDays: 4000 },
        },
        {
          apiVersion: "dtctl/v1",
          kind: "Workflow",
          metadata: { name: "weekly" },
          spec: { title: "${{ values.title }}", tasks: {} },
        },
      ],
      null,
      2,
    ),
  }, async (dir) => {
    const problems = await problemsOf(() => loadManifests({ paths: ["stack"], cwd: dir }));
    assert.deepEqual(problems, [
      "stack/a-workflows.yaml:8:5: spec.tasks.report.action is required",
      'stack/a-workflows.yaml:12:7: unknown kind "Dashbaord"; known kinds: Workflow, Dashboard, Notebook, Document, SLO, Setting, AnomalyDetector, Segment, Bucket. Did you mean "Dashboard"?',
      "stack/b-slo.yaml:11:20: spec.customSli.filterSegments[0].id: Segment/prod-hosts is not defined in the loaded manifests.",
      "stack/c-more.json:10:24: spec.retentionDays must be an integer from 1 to 3657, not 4000",
      'stack/c-more.json:20:16: missing value for ${{ values.title }}: "title" is not defined in the template values (values: of dtctl.yaml or of the selected environment)',
    ]);
  });
});

Deno.test("validation: a duplicate kind+name is reported at every definition", async () => {
  const wf = (title: string) => manifest("Workflow", "nightly", `  title: ${title}\n  tasks: {}\n`);
  await withTree({
    "a.yaml": wf("A"),
    "b/c.yaml": `${wf("B")}---\n${manifest("Notebook", "nightly", "  content: {}\n")}`,
  }, async (dir) => {
    const problems = await problemsOf(() => loadManifests({ paths: ["."], cwd: dir }));
    assert.deepEqual(problems, [
      "a.yaml:4:9: duplicate Workflow/nightly: also defined at b/c.yaml:4:9; metadata.name must be unique per kind",
      "b/c.yaml:4:9: duplicate Workflow/nightly: also defined at a.yaml:4:9; metadata.name must be unique per kind",
    ]);
  });
  // Raw payloads are located at the field their name came from.
  await withTree({
    "x.json": JSON.stringify([{ title: "Same", tasks: {} }, { title: "same", tasks: {} }]),
  }, async (dir) => {
    const problems = await problemsOf(() => loadManifests({ paths: ["x.json"], cwd: dir }));
    assert.deepEqual(problems, [
      "x.json:1:11: duplicate Workflow/same: also defined at x.json:1:39; metadata.name must be unique per kind",
      "x.json:1:39: duplicate Workflow/same: also defined at x.json:1:11; metadata.name must be unique per kind",
    ]);
  });
});

Deno.test("validation: required fields per kind", async () => {
  await withTree({
    "wf.yaml": manifest("Workflow", "wf", "  tasks: {a: 1}\n"),
    "dash.yaml": manifest("Dashboard", "dash", "  type: notebook\n  content: []\n"),
    "doc.yaml": manifest("Document", "doc", "  name: D\n"),
    "slo.yaml": manifest(
      "SLO",
      "slo",
      "  criteria: [{target: 1}, {}]\n  customSli: {indicator: x}\n  sliReference: {templateId: t}\n",
    ),
    "slo2.yaml": manifest("SLO", "slo-two", "  criteria: []\n"),
    "set.yaml": manifest("Setting", "set", "  schemaId: builtin:x\n  value: []\n"),
    "ad.yaml": manifest("AnomalyDetector", "ad", "  title: T\n  analyzer: {}\n"),
    "ad2.yaml": manifest("AnomalyDetector", "ad-two", "  schemaId: builtin:other\n  value: {}\n"),
    "seg.yaml": manifest("Segment", "seg", '  isPublic: "yes"\n  includes: [{dataObject: logs}, 1]\n'),
    "bk.yaml": manifest("Bucket", "dt_bucket", "  table: logs\n  retentionDays: 0\n"),
  }, async (dir) => {
    const problems = await problemsOf(() => loadManifests({ paths: ["."], cwd: dir }));
    const expected: [string, string][] = [
      ["wf.yaml:5:1", "spec.title is required"],
      ["wf.yaml:6:14", "spec.tasks.a must be a mapping with an action"],
      ["dash.yaml:6:9", 'spec.type is "notebook", but a Dashboard is always of type "dashboard"'],
      ["dash.yaml:7:12", "spec.content must be a mapping, not a list"],
      ["doc.yaml:5:1", "spec.type is required"],
      ["doc.yaml:5:1", "spec.content is required"],
      ["slo.yaml:6:13", "spec.criteria must have exactly one item, not 2"],
      ["slo.yaml:6:14", "spec.criteria[0].timeframeFrom is required"],
      ["slo.yaml:8:17", "spec has both customSli and sliReference"],
      ["slo2.yaml:6:13", "spec.criteria must have exactly one item, not 0"],
      ["slo2.yaml:5:1", "spec needs exactly one of customSli or sliReference"],
      ["set.yaml:5:1", "spec.scope is required"],
      ["set.yaml:7:10", "spec.value must be a mapping, not a list"],
      ["ad.yaml:7:13", "spec.analyzer.name is required"],
      ["ad.yaml:5:1", "spec.eventTemplate is required"],
      ["ad2.yaml:6:13", "spec.schemaId must be builtin:davis.anomaly-detectors"],
      ["seg.yaml:6:13", "spec.isPublic must be true or false"],
      ["seg.yaml:7:14", "spec.includes[0].filter is required"],
      ["seg.yaml:7:34", "spec.includes[1] must be a mapping"],
      ["bk.yaml:4:9", 'bucket name "dt_bucket" is invalid'],
      ["bk.yaml:7:18", "spec.retentionDays must be an integer from 1 to 3657, not 0"],
    ];
    for (const [position, text] of expected) assertProblem(problems, position, text);
    assert.equal(problems.length, expected.length, problems.join("\n"));
  });
});

Deno.test("validation: references are checked and collected for the planner", async () => {
  const segment = manifest(
    "Segment",
    "prod-hosts",
    "  includes: [{dataObject: logs, filter: 'a = \"b\"'}]\n",
  );
  const slo = manifest(
    "SLO",
    "checkout",
    `  criteria: [{timeframeFrom: now-7d}]
  customSli:
    indicator: x
    filterSegments:
      - id: {$ref: Segment/prod-hosts}
      - id: {$ref: "$ref with siblings is data", note: kept}
`,
  );
  await withTree({ "s.yaml": `${segment}---\n${slo}` }, async (dir) => {
    const { manifests } = await loadManifests({ paths: ["s.yaml"], cwd: dir });
    assert.deepEqual(collectReferences(manifests[1]), [
      { path: ["customSli", "filterSegments", 0, "id"], kind: "Segment", name: "prod-hosts" },
    ]);
    assert.deepEqual(collectReferences(manifests[0]), []);
  });
  const a = manifest("Workflow", "a", "  title: A\n  tasks: {}\n  input: {other: {$ref: Workflow/b}}\n");
  const b = manifest(
    "Workflow",
    "b",
    "  title: B\n  tasks: {}\n  input: {other: {$ref: Workflow/a}, self: {$ref: Workflow/b}}\n",
  );
  const c = manifest(
    "Workflow",
    "c",
    "  title: C\n  tasks: {}\n  input: {x: {$ref: 5}, y: {$ref: Segmnt/x}, z: {$ref: Workflow/Bad_Name}, w: {$ref: Workflow/bb}}\n",
  );
  await withTree({ "w.yaml": `${a}---\n${b}---\n${c}` }, async (dir) => {
    const problems = await problemsOf(() => loadManifests({ paths: ["w.yaml"], cwd: dir }));
    assertProblem(problems, "w.yaml:17:51", "spec.input.self: a manifest cannot reference itself");
    assertProblem(problems, "w.yaml:17:25", "reference cycle Workflow/a → Workflow/b → Workflow/a");
    assertProblem(problems, "w.yaml:26:21", 'spec.input.x: $ref must be "Kind/name"');
    assertProblem(problems, "w.yaml:26:35", 'unknown kind "Segmnt" in $ref; known kinds: ');
    assertProblem(problems, "w.yaml:26:56", '"Bad_Name" in $ref is not a valid metadata.name');
    assertProblem(
      problems,
      "w.yaml:26:86",
      'spec.input.w: Workflow/bb is not defined in the loaded manifests. Did you mean "b"?',
    );
    assert.equal(problems.length, 6, problems.join("\n"));
  });
});
