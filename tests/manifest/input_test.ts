import assert from "node:assert/strict";
import { join } from "node:path";
import { loadManifests } from "../../lib/manifest/mod.ts";
import { assertProblem, problemsOf, withTree } from "./helpers.ts";

function notebook(name: string): string {
  return `apiVersion: dtctl/v1\nkind: Notebook\nmetadata:\n  name: ${name}\nspec:\n  content:\n    sections: []\n`;
}

Deno.test("input: multi-document YAML keeps every document and skips empty ones", async () => {
  const text = `---\n# only a comment\n---\n${notebook("b-one")}---\n---\n${notebook("b-two")}...\n---\n${
    notebook("b-three")
  }`;
  await withTree({ "all.yaml": text }, async (dir) => {
    const { manifests, files } = await loadManifests({ paths: ["all.yaml"], cwd: dir });
    assert.deepEqual(manifests.map((m) => m.name), ["b-one", "b-two", "b-three"]);
    assert.deepEqual(manifests.map((m) => m.source.line), [4, 13, 22]);
    assert.deepEqual(files, ["all.yaml"]);
  });
});

Deno.test("input: a JSON file holds one object or a list of objects (envelopes or raw)", async () => {
  const list = JSON.stringify([
    {
      apiVersion: "dtctl/v1",
      kind: "Bucket",
      metadata: { name: "b-1" },
      spec: { table: "logs", retentionDays: 1 },
    },
    { bucketName: "b_two", table: "spans", retentionDays: 2 },
  ]);
  await withTree({ "list.json": list }, async (dir) => {
    const { manifests } = await loadManifests({ paths: ["list.json"], cwd: dir });
    assert.deepEqual(manifests.map((m) => [m.name, m.raw, m.source.column]), [
      ["b-1", false, 2],
      ["b_two", true, list.indexOf('{"bucketName"') + 1],
    ]);
  });
});

Deno.test("input: - reads stdin, relative to the working directory", async () => {
  await withTree({ "c.json": '{"tiles": {}}' }, async (dir) => {
    const stdin = `${notebook("from-stdin")}---
apiVersion: dtctl/v1
kind: Dashboard
metadata: {name: d}
spec:
  content: {$file: c.json}
`;
    let reads = 0;
    const readStdin = () => {
      reads++;
      return Promise.resolve(stdin);
    };
    const { manifests, files } = await loadManifests({ paths: ["-", "-"], cwd: dir, readStdin });
    assert.equal(reads, 1);
    assert.deepEqual(manifests.map((m) => m.name), ["from-stdin", "d"]);
    assert.deepEqual(manifests[1].spec.content, { tiles: {} });
    assert.deepEqual(manifests[0].source, { file: "-", line: 1, column: 1 });
    assert.deepEqual(files, ["-", "c.json"]);
    const problems = await problemsOf(() => loadManifests({ paths: ["-"], cwd: dir }));
    assert.deepEqual(problems, ["-:1:1: cannot read it: standard input is not available here"]);
  });
});

Deno.test("input: directories are walked recursively in code-point order with .dtctlignore", async () => {
  await withTree({
    "m/b.yaml": notebook("b"),
    "m/a.yml": notebook("a"),
    "m/Z.json": JSON.stringify({ bucketName: "zed", table: "logs", retentionDays: 1 }),
    "m/sub/c.yaml": notebook("c"),
    "m/sub/skip.yaml": "broken: [",
    "m/sub/.dtctlignore": "skip.yaml\n",
    "m/a-dir/d.yaml": notebook("d"),
    "m/drafts/e.yaml": "broken: [",
    "m/drafts/keep.yaml": notebook("keep"),
    // Gitignore semantics: a re-include, and a directory pattern (the directory is not even entered).
    "m/.dtctlignore": "drafts/*\n!drafts/keep.yaml\nignored-dir/\n",
    "m/.hidden/f.yaml": "broken: [",
    "m/.g.yaml": "broken: [",
    "m/README.md": "not yaml",
    "m/notes.txt": "not yaml",
    "m/dtctl.yaml": "stack: x\n",
    "m/ignored-dir/h.yaml": "broken: [",
  }, async (dir) => {
    const { manifests, files } = await loadManifests({ paths: ["m"], cwd: dir });
    assert.deepEqual(files, [
      "m/Z.json",
      "m/a-dir/d.yaml",
      "m/a.yml",
      "m/b.yaml",
      "m/drafts/keep.yaml",
      "m/sub/c.yaml",
    ]);
    assert.deepEqual(manifests.map((m) => m.name), ["zed", "d", "a", "b", "keep", "c"]);
    // Same order from another working directory, with paths shown relative to it.
    const again = await loadManifests({ paths: ["."], cwd: join(dir, "m") });
    assert.deepEqual(again.files, [
      "Z.json",
      "a-dir/d.yaml",
      "a.yml",
      "b.yaml",
      "drafts/keep.yaml",
      "sub/c.yaml",
    ]);
  });
});

Deno.test("input: a file named explicitly is read whatever its extension; each file once", async () => {
  await withTree({ "x/a.txt": notebook("a"), "x/b.yaml": notebook("b") }, async (dir) => {
    const { files } = await loadManifests({ paths: ["x/a.txt", "x", "x/b.yaml"], cwd: dir });
    assert.deepEqual(files, ["x/a.txt", "x/b.yaml"]);
  });
});

Deno.test("input: missing paths, syntax errors and duplicate keys are problems with positions", async () => {
  await withTree({
    "bad.yaml": `${notebook("ok")}---\nkind: [\n`,
    "bad.json": '{\n  "a": 1,\n  "a": 2\n}',
    "keys.yaml":
      `apiVersion: dtctl/v1\nkind: Bucket\nmetadata: {name: k}\nspec:\n  table: logs\n  retentionDays: 1\n  table: spans\n`,
    "tag.yaml": "x: !custom 1\n",
    "keys2.yaml": "a:\n  1: x\n  b: 1\n  '1': y\n",
  }, async (dir) => {
    const problems = await problemsOf(() =>
      loadManifests({
        paths: ["nope", "bad.yaml", "bad.json", "keys.yaml", "tag.yaml", "keys2.yaml"],
        cwd: dir,
      })
    );
    assertProblem(problems, "nope:1:1", "no such file or directory");
    assertProblem(problems, "bad.yaml:10:1", "invalid syntax");
    assertProblem(problems, "bad.json:3:3", "invalid syntax: Map keys must be unique");
    assertProblem(problems, "keys.yaml:7:3", "invalid syntax: Map keys must be unique");
    assertProblem(problems, "tag.yaml:1:4", "invalid syntax: Unresolved tag: !custom");
    assertProblem(
      problems,
      "keys2.yaml:4:3",
      'invalid syntax: duplicate key "1" (keys are compared as JSON strings)',
    );
    assert.equal(problems.length, 6, problems.join("\n"));
  });
});

Deno.test("input: no paths is a usage error", async () => {
  await assert.rejects(() => loadManifests({ paths: [], cwd: "." }), { code: "usage_error" });
});
