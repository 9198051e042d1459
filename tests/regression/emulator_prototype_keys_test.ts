/**
 * User-chosen names that happen to be Object.prototype members (`hasOwnProperty`, `constructor`, `toString`) must
 * be treated like any other unknown name: a 400 or 404 in the service's envelope, never a 500 or an empty 200.
 */

import assert from "node:assert/strict";
import { createEmulator } from "../../lib/emulator/handler.ts";
import { callJson } from "../emulator/helpers.ts";

const AUTOMATION = "/platform/automation/v1";
const QUERY = "/platform/storage/query/v1";

Deno.test("regression: automation ordering by an Object.prototype name is a 400, not a 500", async () => {
  const em = createEmulator({ data: "demo", seed: 7 });
  for (const path of ["/workflows", "/executions"]) {
    for (const ordering of ["hasOwnProperty", "-toString", "constructor", "__proto__"]) {
      const { status, body } = await callJson(em, "GET", `${AUTOMATION}${path}?ordering=${ordering}`);
      assert.equal(status, 400, `${path}?ordering=${ordering}`);
      const error =
        (body as { error: { code: number; details: { constraintViolations: { path: string }[] } } })
          .error;
      assert.equal(error.code, 400);
      assert.equal(error.details.constraintViolations[0].path, "ordering");
    }
  }
});

Deno.test("regression: a workflow task named like an Object.prototype member is a 404 when absent", async () => {
  const em = createEmulator({ seed: 7 });
  const created = await callJson<{ id: string }>(em, "POST", `${AUTOMATION}/workflows`, {
    body: { title: "t", tasks: { a: { name: "a", action: "dynatrace.automations:run-javascript" } } },
  });
  assert.equal(created.status, 201);
  for (const name of ["constructor", "toString", "hasOwnProperty"]) {
    const { status, body } = await callJson(
      em,
      "GET",
      `${AUTOMATION}/workflows/${created.body.id}/tasks/${name}`,
    );
    assert.equal(status, 404, name);
    assert.equal((body as { error: { code: number } }).error.code, 404);
  }
  const found = await callJson(em, "GET", `${AUTOMATION}/workflows/${created.body.id}/tasks/a`);
  assert.equal(found.status, 200);
});

Deno.test("regression: DQL duration and alignment units named like Object.prototype members are syntax errors", async () => {
  const em = createEmulator({ data: "demo", seed: 7 });
  const queries = [
    "fetch logs, from:now()-1constructor | limit 1",
    "fetch logs, from:now()-1toString | limit 1",
    "fetch logs, from:now()-1h@constructor | limit 1",
    "fetch logs, from:now()-1h@toString | limit 1",
  ];
  for (const query of queries) {
    const { status, body } = await callJson(em, "POST", `${QUERY}/query:execute`, { body: { query } });
    assert.equal(status, 400, query);
    const error = (body as { error: { details: { errorType: string } } }).error;
    assert.equal(error.details.errorType, "SYNTAX_ERROR", query);
    const verified = await callJson<{ valid: boolean }>(em, "POST", `${QUERY}/query:verify`, {
      body: { query },
    });
    assert.equal(verified.status, 200, query);
    assert.equal(verified.body.valid, false, query);
  }
});
