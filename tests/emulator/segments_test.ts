import assert from "node:assert/strict";
import { createEmulator } from "../../lib/emulator/handler.ts";
import { equalsFilter } from "../../lib/emulator/services/segments/mod.ts";
import { COLLEAGUE_USER, DEFAULT_USER } from "../../lib/emulator/users.ts";
import { assertStorageError, call, callJson, SEGMENTS } from "./helpers.ts";

const NEW_SEGMENT = {
  name: "dev",
  description: "only dev",
  isPublic: false,
  externalId: "cac:dev",
  variables: { type: "query", value: "fetch logs | limit 1" },
  includes: [{ dataObject: "logs", filter: equalsFilter("k8s.namespace.name", "dev") }],
};

async function created(em = createEmulator({ seed: 9 })) {
  const { status, body } = await callJson(em, "POST", SEGMENTS, { body: NEW_SEGMENT });
  assert.equal(status, 201, JSON.stringify(body));
  return { em, segment: body };
}

Deno.test("segments: create returns 201 with an 11-char base62 uid, version 1 and the owner", async () => {
  const { segment } = await created();
  assert.match(String(segment.uid), /^[0-9A-Za-z]{11}$/);
  assert.equal(segment.version, 1);
  assert.equal(segment.owner, DEFAULT_USER.userId);
  assert.deepEqual(segment.includes, NEW_SEGMENT.includes);
  assert.deepEqual(segment.variables, NEW_SEGMENT.variables);
  assert.deepEqual(segment.allowedOperations, ["READ", "WRITE", "DELETE", "SHARE"]);
});

Deno.test("segments: create validation in the storage envelope", async () => {
  const em = createEmulator();
  const bad: [string, unknown][] = [
    ["no name", { isPublic: true }],
    ["no isPublic", { name: "x" }],
    ["isPublic string", { name: "x", isPublic: "yes" }],
    ["includes object", { name: "x", isPublic: true, includes: {} }],
    ["include without dataObject", { name: "x", isPublic: true, includes: [{ filter: "" }] }],
    ["filter not JSON", {
      name: "x",
      isPublic: true,
      includes: [{ dataObject: "logs", filter: "k8s = 'a'" }],
    }],
    ["== operator", {
      name: "x",
      isPublic: true,
      includes: [{
        dataObject: "logs",
        filter: equalsFilter("a", "b").replace('"value":"="', '"value":"=="'),
      }],
    }],
    ["too many includes", {
      name: "x",
      isPublic: true,
      includes: Array(21).fill({ dataObject: "logs", filter: "" }),
    }],
    ["array body", [1]],
  ];
  for (const [label, body] of bad) {
    const answer = await callJson(em, "POST", SEGMENTS, { body });
    assert.equal(answer.status, 400, label);
    assertStorageError(answer.body, 400);
  }
  const eq = await callJson(em, "POST", SEGMENTS, {
    body: {
      name: "x",
      isPublic: true,
      includes: [{
        dataObject: "logs",
        filter: equalsFilter("a", "b").replace('"value":"="', '"value":"=="'),
      }],
    },
  });
  const detail = (eq.body.error as { errorDetails: Record<string, string>[] }).errorDetails[0];
  assert.equal(detail.message, 'Unsupported operator value: [==]. Only "=" is allowed.');
  assert.equal(detail["@type"], "request-body");

  const notJson = await callJson(em, "POST", SEGMENTS, {
    body: "{",
    headers: { "content-type": "application/json" },
  });
  assert.equal(notJson.status, 400);
  const wrongType = await callJson(em, "POST", SEGMENTS, {
    body: "name=x",
    headers: { "content-type": "text/plain" },
  });
  assert.equal(wrongType.status, 415);
  assertStorageError(wrongType.body, 415);

  await created(em);
  const dupExternal = await callJson(em, "POST", SEGMENTS, { body: NEW_SEGMENT });
  assert.equal(dupExternal.status, 409);
});

Deno.test("segments: get honours add-fields; unknown values are 400", async () => {
  const { em, segment } = await created();
  const plain = await callJson(em, "GET", `${SEGMENTS}/${segment.uid}`);
  assert.equal(plain.status, 200);
  assert.equal(plain.body.includes, undefined);
  assert.equal(plain.body.variables, undefined);
  assert.equal(plain.body.externalId, undefined);
  const full = await callJson(
    em,
    "GET",
    `${SEGMENTS}/${segment.uid}?add-fields=INCLUDES&add-fields=VARIABLES&add-fields=EXTERNALID`,
  );
  assert.deepEqual(full.body.includes, NEW_SEGMENT.includes);
  assert.equal(full.body.externalId, "cac:dev");
  for (const query of ["add-fields=includes", "add-fields=OWNER", "add-fields=FOO"]) {
    const answer = await callJson(em, "GET", `${SEGMENTS}/${segment.uid}?${query}`);
    assert.equal(answer.status, 400, query);
    const detail = (answer.body.error as { errorDetails: Record<string, string>[] }).errorDetails[0];
    assert.equal(detail.parameterDescriptor, "add-fields");
  }
  const missing = await callJson(em, "GET", `${SEGMENTS}/AAAAAAAAAAA`);
  assert.equal(missing.status, 404);
  assert.deepEqual(missing.body, {
    error: { code: 404, message: "Filter-segment not found", errorDetails: [] },
  });
});

Deno.test("segments: list omits includes; :lean is minimal unless add-fields ask", async () => {
  const { em, segment } = await created();
  const list = await callJson(em, "GET", `${SEGMENTS}?add-fields=VARIABLES&add-fields=RESOURCECONTEXT`);
  const item = (list.body.filterSegments as Record<string, unknown>[]).find((s) => s.uid === segment.uid)!;
  assert.equal(item.includes, undefined);
  assert.deepEqual(item.variables, NEW_SEGMENT.variables);
  assert.deepEqual(item.allowedOperations, ["READ", "WRITE", "DELETE", "SHARE"]);
  assert.equal(list.body.totalCount, 1);
  assert.equal(
    (await call(em, "GET", `${SEGMENTS}?add-fields=INCLUDES`)).status,
    400,
    "INCLUDES only on single GET",
  );

  const lean = await callJson(em, "GET", `${SEGMENTS}:lean`);
  assert.deepEqual(lean.body.filterSegments, [{
    uid: segment.uid,
    name: "dev",
    isPublic: false,
    isReadyMade: false,
  }]);
  const leanOwner = await callJson(em, "GET", `${SEGMENTS}:lean?add-fields=OWNER&add-fields=EXTERNALID`);
  const entry = (leanOwner.body.filterSegments as Record<string, unknown>[])[0];
  assert.equal(entry.owner, DEFAULT_USER.userId);
  assert.equal(entry.externalId, "cac:dev");
});

Deno.test("segments: PUT needs the version and the path uid; stale is 409; version increments", async () => {
  const { em, segment } = await created();
  const uid = segment.uid as string;
  const body = { uid, owner: segment.owner, name: "dev2", isPublic: true, includes: [] };
  assert.equal((await callJson(em, "PUT", `${SEGMENTS}/${uid}`, { body })).status, 400, "missing version");
  assert.equal(
    (await callJson(em, "PUT", `${SEGMENTS}/${uid}?optimistic-locking-version=one`, { body })).status,
    400,
  );
  assert.equal(
    (await callJson(em, "PUT", `${SEGMENTS}/${uid}?optimistic-locking-version=1`, {
      body: { ...body, uid: "Other000000" },
    })).status,
    400,
  );
  assert.equal(
    (await callJson(em, "PUT", `${SEGMENTS}/${uid}?optimistic-locking-version=1`, {
      body: { ...body, owner: undefined },
    })).status,
    400,
  );
  const stale = await callJson(em, "PUT", `${SEGMENTS}/${uid}?optimistic-locking-version=5`, { body });
  assert.equal(stale.status, 409);
  assertStorageError(stale.body, 409);
  const ok = await call(em, "PUT", `${SEGMENTS}/${uid}?optimistic-locking-version=1`, { body });
  assert.equal(ok.status, 200);
  const after = await callJson(
    em,
    "GET",
    `${SEGMENTS}/${uid}?add-fields=INCLUDES&add-fields=VARIABLES&add-fields=EXTERNALID`,
  );
  assert.equal(after.body.version, 2);
  assert.equal(after.body.name, "dev2");
  assert.deepEqual(after.body.includes, []);
  assert.equal(after.body.variables, undefined, "PUT removes fields it does not carry");
  assert.equal(after.body.externalId, undefined);
  assert.equal(after.body.owner, DEFAULT_USER.userId);

  const patch = await call(em, "PATCH", `${SEGMENTS}/${uid}?optimistic-locking-version=2`, {
    body: { description: "patched" },
  });
  assert.equal(patch.status, 200);
  const patched = await callJson(em, "GET", `${SEGMENTS}/${uid}`);
  assert.equal(patched.body.description, "patched");
  assert.equal(patched.body.name, "dev2");
  assert.equal(patched.body.version, 3);
  assert.equal(
    (await call(em, "PATCH", `${SEGMENTS}/${uid}?optimistic-locking-version=2`, { body: { name: "x" } }))
      .status,
    409,
  );
  assert.equal((await call(em, "PATCH", `${SEGMENTS}/${uid}`, { body: { name: "x" } })).status, 400);
});

Deno.test("segments: DELETE 204 then 404; ready-made and other users' segments are read-only", async () => {
  const em = createEmulator({
    data: "demo",
    users: [DEFAULT_USER, COLLEAGUE_USER],
    tokens: [{ token: "a", userId: DEFAULT_USER.userId }, { token: "b", userId: COLLEAGUE_USER.userId }],
  });
  const asB = { authorization: "Bearer b" };
  const list = await callJson(em, "GET", SEGMENTS, { headers: asB });
  const segments = list.body.filterSegments as Record<string, unknown>[];
  const readyMade = segments.find((s) => s.isReadyMade)!;
  assert.ok(readyMade, "demo data has a ready-made segment");
  assert.ok(!segments.some((s) => s.name === "Checkout service"), "private segments of others are hidden");
  const readyPut = await callJson(em, "PUT", `${SEGMENTS}/${readyMade.uid}?optimistic-locking-version=1`, {
    headers: asB,
    body: { uid: readyMade.uid, owner: readyMade.owner, name: "mine", isPublic: true },
  });
  assert.equal(readyPut.status, 403);
  assertStorageError(readyPut.body, 403);
  assert.equal((await call(em, "DELETE", `${SEGMENTS}/${readyMade.uid}`, { headers: asB })).status, 403);
  const publicOfA = segments.find((s) => s.name === "Production")!;
  assert.equal((await call(em, "DELETE", `${SEGMENTS}/${publicOfA.uid}`, { headers: asB })).status, 403);

  const deleted = await call(em, "DELETE", `${SEGMENTS}/${publicOfA.uid}`, {
    headers: { authorization: "Bearer a" },
  });
  assert.equal(deleted.status, 204);
  const asA = { authorization: "Bearer a" };
  assert.equal((await call(em, "GET", `${SEGMENTS}/${publicOfA.uid}`, { headers: asA })).status, 404);
  assert.equal((await call(em, "DELETE", `${SEGMENTS}/${publicOfA.uid}`, { headers: asA })).status, 404);
  const model = await callJson(
    em,
    "GET",
    "/platform/storage/filter-segments/v1/filter-segments-entity-model",
    {
      headers: asA,
    },
  );
  assert.equal(model.body.name, "dt.entity");
});
