import assert from "node:assert/strict";
import { assertKindGoldens, payloadFile, sedEditor, seededLocalCli } from "./setting_support.ts";

const NEW_SLO = `name: API latency
description: p90 under 300 ms
tags: [team:api]
criteria:
  - timeframeFrom: now-7d
    timeframeTo: now
    target: 95
customSli:
  indicator: timeseries sli = avg(dt.service.request.response_time)
`;

Deno.test("cli slos: get in every format and describe match the golden files", async () => {
  const cli = await seededLocalCli();
  try {
    await assertKindGoldens(cli, "slo", ["slos"], ["slo", "Checkout availability"]);
  } finally {
    await cli.cleanup();
  }
});

Deno.test("cli slos: by name or id, --label filters tags, unknown names exit 4", async () => {
  const cli = await seededLocalCli();
  try {
    const byName = await cli.run(["get", "slo", "Build agents CPU headroom", "-o", "name"]);
    assert.equal(byName.code, 0, byName.stderr);
    assert.equal(byName.stdout, "slo/demoHostCpuIdle01\n");
    const byId = await cli.run(["get", "slos", "demoCheckoutAvail", "-o", "json"]);
    assert.equal(JSON.parse(byId.stdout).sliReference.templateId, "tpl-service-availability");
    const labelled = await cli.run(["get", "slos", "-l", "team=shop", "-o", "name"]);
    assert.equal(labelled.stdout, "slo/demoCheckoutAvail\n");
    const missing = await cli.run(["get", "slo", "No such SLO"]);
    assert.equal(missing.code, 4);
    assert.match(missing.stderr, /slo "No such SLO" not found/);
  } finally {
    await cli.cleanup();
  }
});

Deno.test("cli slos: create, edit (version lock) and delete; readonly refuses with exit 5", async () => {
  const cli = await seededLocalCli();
  try {
    const file = await payloadFile(cli, "slo.yaml", NEW_SLO);
    const refused = await cli.run(["create", "slo", "-f", file], { DTCTL_SAFETY_LEVEL: "readonly" });
    assert.equal(refused.code, 5);
    const created = await cli.run(["create", "slo", "-f", file, "-o", "json"]);
    assert.equal(created.code, 0, created.stderr);
    const id = JSON.parse(created.stdout).id;

    const edited = await cli.run(["edit", "slo", "API latency"], sedEditor("target: 95", "target: 96"));
    assert.equal(edited.code, 0, edited.stderr);
    const after = JSON.parse((await cli.run(["get", "slo", id, "-o", "json"])).stdout);
    assert.equal(after.criteria[0].target, 96);

    const editRefused = await cli.run(["edit", "slo", id], {
      ...sedEditor("target: 96", "target: 97"),
      DTCTL_SAFETY_LEVEL: "readonly",
    });
    assert.equal(editRefused.code, 5);
    const deleteRefused = await cli.run(["delete", "slo", id, "--yes"], { DTCTL_SAFETY_LEVEL: "readonly" });
    assert.equal(deleteRefused.code, 5);
    const deleted = await cli.run(["delete", "slo", "API latency", "--yes"]);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal((await cli.run(["get", "slo", id])).code, 4);
  } finally {
    await cli.cleanup();
  }
});

Deno.test("cli slos: duplicate names are ambiguous (exit 2) and list the ids", async () => {
  const cli = await seededLocalCli();
  try {
    const file = await payloadFile(cli, "slo.yaml", NEW_SLO);
    assert.equal((await cli.run(["create", "slo", "-f", file])).code, 0);
    assert.equal((await cli.run(["create", "slo", "-f", file])).code, 0);
    const ambiguous = await cli.run(["describe", "slo", "API latency"]);
    assert.equal(ambiguous.code, 2);
    assert.match(ambiguous.stderr, /ambiguous: 2 slos have it/);
  } finally {
    await cli.cleanup();
  }
});
