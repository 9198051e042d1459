import assert from "node:assert/strict";
import { parse } from "yaml";
import { DEMO } from "./get_support.ts";
import { localPlatform, ok } from "./support.ts";

Deno.test("cli describe: every kind on the local platform, by id and by name", async () => {
  const local = await localPlatform();
  try {
    const workflow = ok(await local.run(["describe", "workflow", "Manual cleanup"]));
    assert.match(
      workflow,
      /^Name: +Manual cleanup\nID: +5c1a9e0e-2f64-4d59-9b8e-3a7c1d2e4f03\nKind: +workflow\n/,
    );
    assert.match(workflow, /\nTasks \(2\):\n {2}NAME +ACTION +PREDECESSORS\n {2}prepare /);
    assert.match(ok(await local.run(["describe", "dash", DEMO.services])), /\nTiles \(3\):\n/);
    assert.match(ok(await local.run(["describe", "notebook", "Log exploration"])), /\nSections \(3\):\n/);
    assert.match(ok(await local.run(["describe", "document", DEMO.launchpad])), /Type: +launchpad\n/);
    ok(await local.run(["delete", "notebook", DEMO.incident]));
    assert.match(
      ok(await local.run(["describe", "trash", "Incident review"])),
      /Restore with: +dtctl restore trash demo-notebook-incident\n/,
    );
  } finally {
    await local.cleanup();
  }
});

Deno.test("cli describe: -o json|yaml and -A give the object and its sections; other formats are refused", async () => {
  const local = await localPlatform();
  try {
    const json = JSON.parse(ok(await local.run(["describe", "workflow", DEMO.nightly, "-o", "json"])));
    assert.equal(json.kind, "workflow");
    assert.equal(json.object.id, DEMO.nightly);
    assert.deepEqual(json.sections.map((s: { title: string }) => s.title), [
      "Trigger (Schedule)",
      "Tasks (2)",
      "Recent executions",
    ]);
    const yaml = parse(ok(await local.run(["describe", "dashboard", DEMO.hosts, "-o", "yaml"])));
    assert.equal(yaml.sections[1].title, "Tiles (4)");
    const agent = JSON.parse(ok(await local.run(["-A", "describe", "notebook", DEMO.logs])));
    assert.equal(agent.ok, true);
    assert.equal(agent.result.object.name, "Log exploration");
    assert.deepEqual(agent.context, { verb: "describe", kind: "notebook" });
    const wide = await local.run(["describe", "workflow", DEMO.nightly, "-o", "wide"]);
    assert.equal(wide.code, 2);
    assert.match(wide.stderr, /use -o with one of: table, json, yaml/);
  } finally {
    await local.cleanup();
  }
});

Deno.test("cli describe: a missing object exits 4 naming kind and name; an unknown kind exits 2", async () => {
  const local = await localPlatform();
  try {
    const missing = await local.run(["describe", "notebook", "Nope"]);
    assert.equal(missing.code, 4);
    assert.match(missing.stderr, /notebook "Nope" not found/);
    const wrongType = await local.run(["describe", "dashboard", DEMO.logs]);
    assert.equal(wrongType.code, 4);
    assert.match(wrongType.stderr, /is a notebook/);
    assert.match(wrongType.stderr, /dtctl get document demo-notebook-logs/);
    const unknown = await local.run(["describe", "notbook", "x"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /did you mean "notebook"\?/);
  } finally {
    await local.cleanup();
  }
});
