import assert from "node:assert/strict";
import { assertKindGoldens, payloadFile, sedEditor, seededLocalCli } from "./setting_support.ts";

const SEGMENT = `name: Checkout errors
isPublic: false
includes:
  - dataObject: logs
    filter: service.name = "checkout" AND loglevel = "ERROR"
`;

Deno.test("cli segments: get in every format and describe match the golden files", async () => {
  const cli = await seededLocalCli();
  try {
    await assertKindGoldens(cli, "segment", ["segments"], ["segment", "Production"]);
  } finally {
    await cli.cleanup();
  }
});

Deno.test("cli segments: get -o yaml shows filter text and round-trips through create -f", async () => {
  const cli = await seededLocalCli();
  try {
    const yaml = await cli.run(["get", "segment", "Production", "-o", "yaml"]);
    assert.equal(yaml.code, 0, yaml.stderr);
    assert.match(yaml.stdout, /\n {4}filter: k8s\.namespace\.name = "prod"\n/);
    const copy = yaml.stdout.replace("name: Production", "name: Production copy")
      .replace("externalId: demo:production", "externalId: demo:production-copy");
    const file = await payloadFile(cli, "copy.yaml", copy);
    const created = await cli.run(["create", "segment", "-f", file, "-o", "yaml"]);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /name: Production copy/);
    assert.match(created.stdout, /\n {4}filter: k8s\.namespace\.name = "prod"\n/);
  } finally {
    await cli.cleanup();
  }
});

Deno.test("cli segments: aliases; create with filter text, edit the filter, delete", async () => {
  const cli = await seededLocalCli();
  try {
    for (const alias of ["seg", "filter-segment", "filter-segments"]) {
      const result = await cli.run(["get", alias, "Production", "-o", "name"]);
      assert.equal(result.stdout, "segment/DemoProdEnv\n", alias);
    }
    const file = await payloadFile(cli, "segment.yaml", SEGMENT);
    const created = await cli.run(["create", "segment", "-f", file, "-o", "json"]);
    assert.equal(created.code, 0, created.stderr);
    const uid = JSON.parse(created.stdout).uid;

    const edited = await cli.run(["edit", "seg", "Checkout errors"], sedEditor('"ERROR"', '"WARN"'));
    assert.equal(edited.code, 0, edited.stderr);
    const described = await cli.run(["describe", "segment", uid]);
    assert.match(described.stdout, /logs\s+service\.name = "checkout" AND loglevel = "WARN"/);

    const deleted = await cli.run(["delete", "segment", "Checkout errors", "--yes"]);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal((await cli.run(["get", "segment", uid])).code, 4);
  } finally {
    await cli.cleanup();
  }
});

Deno.test("cli segments: bad filter text exits 1 with the position; readonly exits 5; ambiguity exits 2", async () => {
  const cli = await seededLocalCli();
  try {
    const bad = await payloadFile(cli, "bad.yaml", SEGMENT.replace('service.name = "checkout"', 'a == "b"'));
    const invalid = await cli.run(["create", "segment", "-f", bad]);
    assert.equal(invalid.code, 1);
    assert.match(invalid.stderr, /includes\[0\]\.filter: "==" is not a valid operator at 1:3/);

    const file = await payloadFile(cli, "segment.yaml", SEGMENT.replace("Checkout errors", "Production"));
    const readonly = await cli.run(["create", "segment", "-f", file], { DTCTL_SAFETY_LEVEL: "readonly" });
    assert.equal(readonly.code, 5);
    assert.equal((await cli.run(["create", "segment", "-f", file])).code, 0);
    const ambiguous = await cli.run(["get", "segment", "Production"]);
    assert.equal(ambiguous.code, 2);
    assert.match(ambiguous.stderr, /segment name "Production" is ambiguous/);
    assert.match(ambiguous.stderr, /DemoProdEnv/);

    const readyMade = await cli.run(["delete", "segment", "Kubernetes cluster", "--yes"], {
      DTCTL_SAFETY_LEVEL: "readwrite-mine",
    });
    assert.equal(readyMade.code, 5);
    assert.match(readyMade.stderr, /owned by "dynatrace"/);
  } finally {
    await cli.cleanup();
  }
});
