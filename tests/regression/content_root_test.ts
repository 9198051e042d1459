/**
 * `$file` must not read files outside the repository: manifests may come from a pull request, and a reference
 * (or a symbolic link) to a file of the machine would copy it into a dashboard.
 */

import assert from "node:assert/strict";
import { loadManifests } from "../../lib/manifest/mod.ts";
import { problemsOf, withTree } from "../manifest/helpers.ts";

const dashboard = (file: string) =>
  `apiVersion: dtctl/v1\nkind: Dashboard\nmetadata:\n  name: d\nspec:\n  content:\n    $file: ${file}\n`;

Deno.test("regression: $file outside the project root is refused, inside it is read", async () => {
  await withTree({
    "repo/m/d.yaml": dashboard("../../secret.json"),
    "secret.json": '{"token": "x"}',
  }, async (dir) => {
    const problems = await problemsOf(() => loadManifests({ paths: ["m"], cwd: `${dir}/repo` }));
    assert.equal(problems.length, 1);
    assert.match(
      problems[0],
      /m\/d\.yaml:7:\d+: content file \.\.\/\.\.\/secret\.json is outside the project/,
    );
  });
  await withTree({
    "repo/m/d.yaml": dashboard("../shared/d.json"),
    "repo/shared/d.json": '{"version": 15, "tiles": {}}',
  }, async (dir) => {
    const { manifests } = await loadManifests({
      paths: ["m"],
      cwd: `${dir}/repo`,
      contentRoot: `${dir}/repo`,
    });
    assert.deepEqual(manifests[0].spec.content, { version: 15, tiles: {} });
  });
});

Deno.test("regression: a symbolic link inside the repository pointing outside it is refused", async () => {
  await withTree({
    "repo/m/d.yaml": dashboard("./d.json"),
    "outside.json": '{"version": 15, "tiles": {}}',
  }, async (dir) => {
    await Deno.symlink(`${dir}/outside.json`, `${dir}/repo/m/d.json`);
    const problems = await problemsOf(() => loadManifests({ paths: ["m"], cwd: `${dir}/repo` }));
    assert.equal(problems.length, 1);
    assert.match(problems[0], /is outside the project/);
  });
});
