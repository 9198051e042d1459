import assert from "node:assert/strict";
import { assertKindGoldens, payloadFile, sedEditor, seededLocalCli } from "./setting_support.ts";

const PROFILE = "builtin:alerting.profile";
const OWNED = "builtin:loadtest.5k.owner-based";

Deno.test("cli settings: get in every format and describe match the golden files", async () => {
  const cli = await seededLocalCli();
  try {
    await assertKindGoldens(cli, "setting", ["settings", "--type", PROFILE], [
      "setting",
      "Default",
      "--type",
      PROFILE,
    ]);
  } finally {
    await cli.cleanup();
  }
});

Deno.test("cli settings-schemas: get in every format and describe match the golden files", async () => {
  const cli = await seededLocalCli();
  try {
    await assertKindGoldens(cli, "settings-schema", ["settings-schemas"], [
      "schema",
      "builtin:davis.anomaly-detectors",
    ]);
    const byName = await cli.run(["get", "schemas", "Problem alerting profiles", "-o", "name"]);
    assert.equal(byName.stdout, "settings-schema/builtin:alerting.profile\n");
    const edit = await cli.run(["create", "schema", "-f", "-"], {}, "schemaId: x\n");
    assert.equal(edit.code, 2);
  } finally {
    await cli.cleanup();
  }
});

Deno.test("cli settings: listing without --type or --scope exits 2 and says what to pass", async () => {
  const cli = await seededLocalCli();
  try {
    const result = await cli.run(["get", "settings"]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /needs a schema id \(--type\) or a scope \(--scope\)/);
    assert.match(result.stderr, /dtctl get settings-schemas/);
    const bySummary = await cli.run(["describe", "setting", "Default"]);
    assert.equal(bySummary.code, 2);
    assert.match(bySummary.stderr, /by its summary needs its schema: add --type/);
    const unknownId = await cli.run(["get", "setting", "--", "-unknownObjectId-0123456789abcdef"]);
    assert.equal(unknownId.code, 4);
    assert.match(unknownId.stderr, /setting "-unknownObjectId-0123456789abcdef" not found/);
    const byScope = await cli.run(["get", "settings", "--scope", "environment", "-o", "json"]);
    assert.equal(byScope.code, 0, byScope.stderr);
    assert.equal(JSON.parse(byScope.stdout).length, 2);
    const bySchemaFlag = await cli.run(["get", "settings", "--schema", PROFILE, "-o", "name"]);
    assert.equal(bySchemaFlag.code, 0, bySchemaFlag.stderr);
    assert.match(bySchemaFlag.stdout, /^setting\/\S+\n$/);
  } finally {
    await cli.cleanup();
  }
});

Deno.test("cli settings: create, edit (updateToken) and delete; per-item violations surface", async () => {
  const cli = await seededLocalCli();
  try {
    const bad = await payloadFile(cli, "bad.yaml", `schemaId: ${OWNED}\nvalue:\n  bogus: 1\n`);
    const rejected = await cli.run(["create", "setting", "-f", bad]);
    assert.equal(rejected.code, 1);
    assert.match(rejected.stderr, /rejected with 400/);
    assert.match(rejected.stderr, /bogus: Unknown property/);
    assert.match(rejected.stderr, /name: Required property is missing/);

    const file = await payloadFile(cli, "setting.yaml", `schemaId: ${OWNED}\nvalue:\n  name: cli object\n`);
    const readonly = await cli.run(["create", "setting", "-f", file], { DTCTL_SAFETY_LEVEL: "readonly" });
    assert.equal(readonly.code, 5);
    const created = await cli.run(["create", "setting", "-f", file, "-o", "json"]);
    assert.equal(created.code, 0, created.stderr);
    const object = JSON.parse(created.stdout);
    assert.equal(object.summary, "cli object");

    const edited = await cli.run(
      ["edit", "setting", "cli object", "--type", OWNED],
      sedEditor("name: cli object", "name: renamed"),
    );
    assert.equal(edited.code, 0, edited.stderr);
    // Object ids may start with "-": `--` ends the options.
    const after = JSON.parse((await cli.run(["get", "setting", "-o", "json", "--", object.objectId])).stdout);
    assert.equal(after.value.name, "renamed");
    assert.notEqual(after.updateToken, object.updateToken);

    const mine = await cli.run(["delete", "setting", "--yes", "--", object.objectId], {
      DTCTL_SAFETY_LEVEL: "readwrite-mine",
    });
    assert.equal(mine.code, 0, mine.stderr);
    assert.equal((await cli.run(["get", "setting", "--", object.objectId])).code, 4);
  } finally {
    await cli.cleanup();
  }
});

Deno.test("cli settings: readwrite-mine refuses objects without an owner", async () => {
  const cli = await seededLocalCli();
  try {
    const refused = await cli.run(["delete", "setting", "Default", "--type", PROFILE, "--yes"], {
      DTCTL_SAFETY_LEVEL: "readwrite-mine",
    });
    assert.equal(refused.code, 5);
    assert.match(refused.stderr, /owner is unknown/);
  } finally {
    await cli.cleanup();
  }
});
