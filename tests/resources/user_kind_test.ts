import assert from "node:assert/strict";
import { DEFAULT_USER } from "../../lib/emulator/mod.ts";
import { getCurrentUser, getUser, userKind } from "../../lib/resources/kinds/user.ts";
import { collect, failure, testPlatform } from "./setting_support.ts";

Deno.test("user kind is read-only and lists the current user", async () => {
  assert.equal(userKind.locking, "read-only");
  assert.equal(userKind.create, undefined);
  assert.equal(userKind.update, undefined);
  assert.equal(userKind.delete, undefined);
  const { context } = testPlatform();
  const users = await collect(userKind.list!(context, {}));
  assert.deepEqual(users, [{ ...DEFAULT_USER }]);
});

Deno.test("user get answers me, the own id, name and e-mail; others are not_found", async () => {
  const { client, context } = testPlatform();
  const me = await getCurrentUser(client);
  for (const id of ["me", "ME", DEFAULT_USER.userId, DEFAULT_USER.emailAddress, DEFAULT_USER.userName]) {
    assert.deepEqual(await userKind.get!(context, id), me, id);
  }
  const other = await failure(() => getUser(client, "somebody-else"));
  assert.equal(other.code, "not_found");
  assert.equal(other.exitCode, 4);
  assert.match(other.message, /only the current user/);
});
