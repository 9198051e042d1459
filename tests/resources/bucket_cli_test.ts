import assert from "node:assert/strict";
import { assertKindGoldens, payloadFile, sedEditor, seededLocalCli } from "./setting_support.ts";

Deno.test("cli buckets: get in every format and describe match the golden files", async () => {
  const cli = await seededLocalCli();
  try {
    await assertKindGoldens(cli, "bucket", ["buckets"], ["bucket", "team_logs"]);
  } finally {
    await cli.cleanup();
  }
});

Deno.test("cli buckets: aliases, --type by table, unknown names exit 4", async () => {
  const cli = await seededLocalCli();
  try {
    const byAlias = await cli.run(["get", "bkt", "audit_events", "-o", "name"]);
    assert.equal(byAlias.code, 0, byAlias.stderr);
    assert.equal(byAlias.stdout, "bucket/audit_events\n");
    const logs = await cli.run(["get", "buckets", "--type", "logs", "-o", "name"]);
    assert.equal(logs.stdout, "bucket/default_logs\nbucket/team_logs\n");
    const missing = await cli.run(["get", "bucket", "nope_bucket"]);
    assert.equal(missing.code, 4);
    assert.match(missing.stderr, /bucket "nope_bucket" not found/);
  } finally {
    await cli.cleanup();
  }
});

Deno.test("cli buckets: create, edit and delete; delete needs dangerously-unrestricted", async () => {
  const cli = await seededLocalCli();
  try {
    const file = await payloadFile(
      cli,
      "bucket.yaml",
      "bucketName: ci_logs\ntable: logs\nretentionDays: 30\ndisplayName: CI logs\n",
    );
    const readonly = await cli.run(["create", "bucket", "-f", file], { DTCTL_SAFETY_LEVEL: "readonly" });
    assert.equal(readonly.code, 5);
    assert.match(readonly.stderr, /safety level "readonly"/);
    const created = await cli.run(["create", "bucket", "-f", file]);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /bucket\/ci_logs created/);

    const edited = await cli.run(
      ["edit", "bucket", "ci_logs"],
      sedEditor("retentionDays: 30", "retentionDays: 45"),
    );
    assert.equal(edited.code, 0, edited.stderr);
    const after = JSON.parse((await cli.run(["get", "bucket", "ci_logs", "-o", "json"])).stdout);
    assert.equal(after.retentionDays, 45);
    assert.equal(after.displayName, "CI logs");
    assert.equal(after.version, 2);

    for (const level of ["readonly", "readwrite-mine", "readwrite-all"]) {
      const refused = await cli.run(["delete", "bucket", "ci_logs", "--yes"], { DTCTL_SAFETY_LEVEL: level });
      assert.equal(refused.code, 5, level);
      assert.match(refused.stderr, /bucket "ci_logs"/);
    }
    const deleted = await cli.run(["delete", "bucket", "ci_logs", "--yes"], {
      DTCTL_SAFETY_LEVEL: "dangerously-unrestricted",
    });
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal((await cli.run(["get", "bucket", "ci_logs"])).code, 4);
  } finally {
    await cli.cleanup();
  }
});
