import assert from "node:assert/strict";
import { loadManifests } from "../../lib/manifest/mod.ts";
import { assertProblem, problemsOf, withTree } from "./helpers.ts";

function dashboard(name: string, file: string): string {
  return `apiVersion: dtctl/v1
kind: Dashboard
metadata:
  name: ${name}
spec:
  description: d
  content:
    $file: ${file}
`;
}

const CONTENT = `{
  "version": 15,
  "tiles": {
    "0": { "type": "markdown", "content": "\${{ values.title }}" }
  }
}
`;

Deno.test("content: $file is inlined, templated and not loaded as a manifest itself", async () => {
  await withTree({
    "dash/overview.yaml": dashboard("overview", "./json/overview.json"),
    "dash/json/overview.json": CONTENT,
    "dash/other.yaml": dashboard("other", "json/overview.json"),
  }, async (dir) => {
    const { manifests, files } = await loadManifests({
      paths: ["dash"],
      cwd: dir,
      values: { title: "Hello" },
    });
    assert.deepEqual(manifests.map((m) => m.name), ["other", "overview"]);
    assert.deepEqual(manifests[1].spec.content, {
      version: 15,
      tiles: { "0": { type: "markdown", content: "Hello" } },
    });
    // Each manifest gets its own copy: the planner may change one without touching the other.
    assert.notEqual(manifests[0].spec.content, manifests[1].spec.content);
    assert.deepEqual(files, ["dash/other.yaml", "dash/overview.yaml", "dash/json/overview.json"]);
    // Positions inside the content resolve into the content file.
    assert.deepEqual(manifests[1].locate(["spec", "content", "tiles", "0", "type"]), {
      file: "dash/json/overview.json",
      line: 4,
      column: 20,
    });
    assert.deepEqual(manifests[1].locate(["spec", "description"]), {
      file: "dash/overview.yaml",
      line: 6,
      column: 16,
    });
  });
});

Deno.test("content: missing, invalid and misplaced content files are problems at the reference", async () => {
  await withTree({
    "a.yaml": dashboard("a", "./missing.json"),
    "b.yaml": dashboard("b", "./broken.json"),
    "broken.json": '{\n  "tiles": {,\n}',
    "c.yaml": dashboard("c", "./c.yaml"),
    "d.yaml": `apiVersion: dtctl/v1
kind: Workflow
metadata: {name: d}
spec:
  title: t
  tasks:
    x:
      action: a
      input: {$file: ./script.json}
`,
    "e.yaml": dashboard("e", "./list.json"),
    "list.json": "[1, 2]",
    "f.yaml": dashboard("f", "./needs-value.json"),
    "needs-value.json": '{"tiles": {}, "x": "${{ values.nope }}"}',
  }, async (dir) => {
    const problems = await problemsOf(() => loadManifests({ paths: ["."], cwd: dir }));
    assertProblem(
      problems,
      "a.yaml:8:12",
      "content file ./missing.json does not exist (looked for missing.json)",
    );
    assertProblem(problems, "b.yaml:8:12", "content file ./broken.json is not valid JSON: broken.json:2:");
    assertProblem(problems, "c.yaml:8:12", "$file must be a path to a .json file");
    assertProblem(problems, "d.yaml:9:22", "spec.tasks.x.input: $file is only supported at spec.content");
    assertProblem(problems, "e.yaml:8:12", "spec.content must be a mapping, not a list");
    assertProblem(problems, "needs-value.json:1:20", "missing value for ${{ values.nope }}");
    assert.equal(problems.length, 6, problems.join("\n"));
  });
});

Deno.test("content: a content file referenced from outside the scanned directory is read on demand", async () => {
  await withTree({
    "manifests/nb.yaml": `apiVersion: dtctl/v1
kind: Notebook
metadata: {name: runbook}
spec:
  content: {$file: ../content/runbook.json}
`,
    "content/runbook.json": '{"version": "7", "sections": []}',
  }, async (dir) => {
    const { manifests, files } = await loadManifests({ paths: ["manifests"], cwd: dir });
    assert.deepEqual(manifests[0].spec.content, { version: "7", sections: [] });
    assert.deepEqual(files, ["manifests/nb.yaml", "content/runbook.json"]);
  });
});
