import assert from "node:assert/strict";
import { parse, stringify } from "yaml";
import { DEMO } from "./get_support.ts";
import { localPlatform, ok } from "./support.ts";

const WORKFLOW_YAML = `# a comment
title: Created from YAML
description: by the create test
tasks:
  greet:
    action: dynatrace.automations:run-javascript
    input:
      script: export default () => "hi"
`;

Deno.test("cli create: a workflow from a YAML file, JSON file and stdin, in every output", async () => {
  const local = await localPlatform();
  try {
    await Deno.writeTextFile(`${local.dir}/wf.yaml`, WORKFLOW_YAML);
    const created = ok(await local.run(["create", "workflow", "-f", `${local.dir}/wf.yaml`]));
    assert.match(created, /^workflow\/[0-9a-f-]{36} created\n$/);
    const id = created.split(" ")[0].split("/")[1];
    assert.equal(JSON.parse(ok(await local.run(["get", "wf", id, "-o", "json"]))).title, "Created from YAML");

    const json = JSON.stringify({ ...parse(WORKFLOW_YAML), title: "Created from JSON" });
    await Deno.writeTextFile(`${local.dir}/wf.json`, json);
    const object = JSON.parse(
      ok(await local.run(["create", "wf", "--filename", `${local.dir}/wf.json`, "-o", "json"])),
    );
    assert.equal(object.title, "Created from JSON");
    assert.equal(object.version, 1);

    const fromStdin = ok(
      await local.run(["create", "workflow", "-f", "-", "-o", "name"], {
        stdin: WORKFLOW_YAML.replace("Created from YAML", "Created from stdin"),
      }),
    );
    assert.match(fromStdin, /^workflow\/[0-9a-f-]{36}\n$/);
    const agent = JSON.parse(
      ok(await local.run(["-A", "create", "workflow", "-f", "-"], { stdin: WORKFLOW_YAML })),
    );
    assert.equal(agent.ok, true);
    assert.equal(agent.result.title, "Created from YAML");
    assert.equal(agent.context.verb, "create");
    assert.equal(
      parse(ok(await local.run(["create", "workflow", "-f", "-", "-o", "yaml"], { stdin: WORKFLOW_YAML })))
        .version,
      1,
    );
  } finally {
    await local.cleanup();
  }
});

Deno.test("cli create: get -o yaml of a dashboard, without its id, creates a copy", async () => {
  const local = await localPlatform();
  try {
    const exported = parse(ok(await local.run(["get", "dashboard", DEMO.hosts, "-o", "yaml"])));
    delete exported.id;
    exported.name = "Host health (copy)";
    const copy = JSON.parse(
      ok(await local.run(["create", "dashboard", "-f", "-", "-o", "json"], { stdin: stringify(exported) })),
    );
    assert.notEqual(copy.id, DEMO.hosts);
    assert.equal(copy.version, 2, "labels are applied by a follow-up patch");
    const read = JSON.parse(ok(await local.run(["get", "dashboard", "Host health (copy)", "-o", "json"])));
    assert.deepEqual(read.content, exported.content);
    assert.deepEqual(read.labels, ["demo"]);
  } finally {
    await local.cleanup();
  }
});

Deno.test("cli create: notebooks, documents of a type, and a chosen document id", async () => {
  const local = await localPlatform();
  try {
    assert.equal(
      ok(await local.run(["create", "notebook", "-f", "-"], { stdin: "name: Fresh\n" })).endsWith(
        " created\n",
      ),
      true,
    );
    const doc = ok(
      await local.run(["create", "document", "-f", "-"], {
        stdin: "id: team-launchpad\nname: Team\ntype: launchpad\ncontent: {schemaVersion: 2}\n",
      }),
    );
    assert.equal(doc, "document/team-launchpad created\n");
    assert.equal(
      ok(await local.run(["get", "documents", "--type", "launchpad", "-o", "name"])).split("\n").length - 1,
      2,
    );
    const again = await local.run(["create", "document", "-f", "-"], {
      stdin: "id: team-launchpad\nname: Team\ntype: launchpad\ncontent: {}\n",
    });
    assert.equal(again.code, 6, "the id exists: conflict");
    const untyped = await local.run(["create", "document", "-f", "-"], { stdin: "name: x\ncontent: {}\n" });
    assert.equal(untyped.code, 1);
    assert.match(untyped.stderr, /document: a "type" is required/);
  } finally {
    await local.cleanup();
  }
});

Deno.test("cli create: invalid files name file, line and column; other bad input is a usage error", async () => {
  const local = await localPlatform();
  try {
    const file = `${local.dir}/broken.yaml`;
    await Deno.writeTextFile(file, "title: ok\ntasks:\n  a: [1, 2\n  b: 3\n");
    const broken = await local.run(["create", "workflow", "-f", file]);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, new RegExp(`Error: ${file}:\\d+:\\d+: invalid YAML: `));
    const json = `${local.dir}/broken.json`;
    await Deno.writeTextFile(json, '{"title": "x",, "tasks": {}}');
    const badJson = await local.run(["create", "workflow", "-f", json]);
    assert.equal(badJson.code, 2);
    assert.match(badJson.stderr, new RegExp(`${json}:1:15: invalid YAML`));
    const agent = JSON.parse((await local.run(["-A", "create", "workflow", "-f", json])).stdout);
    assert.deepEqual([agent.error.code, agent.error.details.line, agent.error.details.column], [
      "usage_error",
      1,
      15,
    ]);

    const cases: [string, RegExp][] = [
      ["a: 1\n---\nb: 2\n", /holds 2 YAML documents/],
      ["- a\n- b\n", /expected an object/],
      ["", /is empty/],
      ["# only a comment\n", /is empty/],
    ];
    for (const [stdin, message] of cases) {
      const result = await local.run(["create", "workflow", "-f", "-"], { stdin });
      assert.equal(result.code, 2, stdin);
      assert.match(result.stderr, message);
    }
    const missingFile = await local.run(["create", "workflow", "-f", `${local.dir}/nope.yaml`]);
    assert.equal(missingFile.code, 2);
    assert.match(missingFile.stderr, /cannot read .*nope\.yaml: no such file/);
    const noFile = await local.run(["create", "workflow"]);
    assert.equal(noFile.code, 2);
    assert.match(noFile.stderr, /create needs a file: -f FILE/);
    const trash = await local.run(["create", "trash", "-f", "-"], { stdin: "name: x\n" });
    assert.equal(trash.code, 2);
    assert.match(trash.stderr, /trash do not support create/);
    const invalid = await local.run(["create", "workflow", "-f", "-"], { stdin: "description: no title\n" });
    assert.equal(invalid.code, 1);
    assert.match(invalid.stderr, /title/);
  } finally {
    await local.cleanup();
  }
});

Deno.test("cli create: the safety level applies (readonly → exit 5)", async () => {
  const local = await localPlatform();
  try {
    const blocked = await local.run(["create", "workflow", "-f", "-"], {
      stdin: WORKFLOW_YAML,
      env: { DTCTL_SAFETY_LEVEL: "readonly" },
    });
    assert.equal(blocked.code, 5);
    assert.match(blocked.stderr, /does not allow create of workflow "Created from YAML"/);
    assert.equal(ok(await local.run(["get", "workflows", "-o", "name"])).split("\n").length - 1, 3);
  } finally {
    await local.cleanup();
  }
});

Deno.test("cli create: re-creating an exported object says how to make a copy (exit 6)", async () => {
  const local = await localPlatform();
  try {
    const exported = ok(await local.run(["get", "dashboard", "Host health", "-o", "yaml"]));
    const again = await local.run(["create", "dashboard", "-f", "-"], { stdin: exported });
    assert.equal(again.code, 6, again.stderr);
    assert.match(again.stderr, /drop `id:` from the file to create a copy/);
  } finally {
    await local.cleanup();
  }
});
