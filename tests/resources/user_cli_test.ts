import assert from "node:assert/strict";
import { assertKindGoldens, payloadFile, seededLocalCli } from "./setting_support.ts";

Deno.test("cli users: get in every format and describe match the golden files", async () => {
  const cli = await seededLocalCli();
  try {
    await assertKindGoldens(cli, "user", ["users"], ["user", "me"]);
  } finally {
    await cli.cleanup();
  }
});

Deno.test("cli users: read-only; other users are not found", async () => {
  const cli = await seededLocalCli();
  try {
    const other = await cli.run(["get", "user", "someone@example.com"]);
    assert.equal(other.code, 4);
    assert.match(other.stderr, /only the current user can be read/);
    const file = await payloadFile(cli, "user.yaml", "userName: x\n");
    const create = await cli.run(["create", "user", "-f", file]);
    assert.equal(create.code, 2);
    const remove = await cli.run(["delete", "user", "me", "--yes"]);
    assert.equal(remove.code, 2);
  } finally {
    await cli.cleanup();
  }
});
