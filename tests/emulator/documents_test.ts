import assert from "node:assert/strict";
import { createEmulator } from "../../lib/emulator/handler.ts";
import { COLLEAGUE_USER, DEFAULT_USER } from "../../lib/emulator/users.ts";
import {
  assertPlatformError,
  call,
  callJson,
  createDocument,
  DOCS,
  documentForm,
  ManualClock,
} from "./helpers.ts";

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function fresh() {
  return createEmulator({ seed: 42, clock: new ManualClock() });
}

function patchForm(parts: Record<string, string | Blob | string[]>): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(parts)) {
    if (Array.isArray(value)) { for (const v of value) form.append(key, v); }
    else if (value instanceof Blob) form.append(key, value, "binary");
    else form.append(key, value);
  }
  return form;
}

Deno.test("documents: create returns 201 metadata with version 1, owner and RFC3339 times", async () => {
  const em = fresh();
  const meta = await createDocument(em, {
    id: "my-nb",
    name: "My notebook",
    type: "notebook",
    description: "d",
  });
  assert.equal(meta.id, "my-nb");
  assert.equal(meta.version, 1);
  assert.equal(meta.owner, DEFAULT_USER.userId);
  assert.equal(meta.description, "d");
  assert.equal(meta.isPrivate, true);
  assert.deepEqual(meta.access, ["read", "write", "delete"]);
  const info = meta.modificationInfo as Record<string, string>;
  assert.match(info.createdTime, RFC3339);
  assert.equal(info.createdBy, DEFAULT_USER.userId);
});

Deno.test("documents: id rules — pattern, bare UUID, duplicates (also trashed), generated UUID", async () => {
  const em = fresh();
  for (const id of ["bad id", "x".repeat(101), "a/b", "ümlaut", ""]) {
    const { status, body } = await callJson(em, "POST", `${DOCS}/documents`, {
      body: documentForm({ id, name: "n", type: "t", content: {} }),
    });
    assert.equal(status, 400, `id ${JSON.stringify(id)}`);
    assertPlatformError(body, 400);
  }
  const uuid = await callJson(em, "POST", `${DOCS}/documents`, {
    body: documentForm({ id: "123e4567-e89b-42d3-a456-426614174000", name: "n", type: "t", content: {} }),
  });
  assert.equal(uuid.status, 400);
  assert.match(String((uuid.body.error as Record<string, unknown>).message), /UUID/);

  await createDocument(em, { id: "dup-1" });
  const dup = await callJson(em, "POST", `${DOCS}/documents`, {
    body: documentForm({ id: "dup-1", name: "n", type: "t", content: {} }),
  });
  assert.equal(dup.status, 409);
  assertPlatformError(dup.body, 409);

  assert.equal(
    (await call(em, "DELETE", `${DOCS}/documents/dup-1?optimistic-locking-version=1`)).status,
    204,
  );
  const trashedDup = await callJson(em, "POST", `${DOCS}/documents`, {
    body: documentForm({ id: "dup-1", name: "n", type: "t", content: {} }),
  });
  assert.equal(trashedDup.status, 409, "a trashed document still holds its id");

  const generated = await createDocument(em, {});
  assert.match(String(generated.id), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

Deno.test("documents: create validation — missing parts, limits, non-multipart bodies", async () => {
  const em = fresh();
  const cases: [string, BodyInit, Record<string, string>][] = [
    ["no name", documentForm({ type: "t", content: {} }), {}],
    ["no type", documentForm({ name: "n", content: {} }), {}],
    ["no content", documentForm({ name: "n", type: "t" }), {}],
    ["long name", documentForm({ name: "n".repeat(129), type: "t", content: {} }), {}],
    [
      "bad isPrivate",
      (() => {
        const f = documentForm({ name: "n", type: "t", content: {} });
        f.append("isPrivate", "maybe");
        return f;
      })(),
      {},
    ],
    ["json body", JSON.stringify({ name: "n" }), { "content-type": "application/json" }],
    ["broken multipart", "--x\r\nnot really multipart", {
      "content-type": "multipart/form-data; boundary=x",
    }],
  ];
  for (const [label, body, headers] of cases) {
    const { status, body: answer } = await callJson(em, "POST", `${DOCS}/documents`, {
      body: body as never,
      headers,
    });
    assert.equal(status, 400, label);
    assertPlatformError(answer, 400);
  }
});

Deno.test("documents: GET returns the exact multipart shape the SDK decodes", async () => {
  const em = fresh();
  await createDocument(em, {
    id: "mp-1",
    name: "Multi",
    type: "dashboard",
    content: "raw-bytes",
    contentType: "text/plain",
  });
  const response = await call(em, "GET", `${DOCS}/documents/mp-1`, {
    headers: { "content-type": "application/json" },
  });
  assert.equal(response.status, 200);
  const contentType = response.headers.get("content-type")!;
  const boundary = /^multipart\/form-data;boundary=(.+)$/.exec(contentType)?.[1];
  assert.ok(boundary, contentType);
  const raw = await response.clone().text();
  assert.ok(
    raw.startsWith(
      `--${boundary}\r\nContent-Disposition: form-data; name="metadata"\r\nContent-Type: application/json\r\n\r\n{`,
    ),
  );
  assert.ok(
    raw.includes(
      `Content-Disposition: form-data; name="content"; filename="mp-1"\r\nContent-Type: text/plain\r\n\r\nraw-bytes\r\n--${boundary}--\r\n`,
    ),
  );
  assert.ok(!/name="metadata"; filename/.test(raw), "the metadata part has no filename");
  const form = await response.formData();
  assert.equal(typeof form.get("metadata"), "string");
  assert.equal(JSON.parse(form.get("metadata") as string).name, "Multi");
  const content = form.get("content") as File;
  assert.equal(content.name, "mp-1");
  assert.equal(await content.text(), "raw-bytes");
});

Deno.test("documents: metadata and content endpoints", async () => {
  const em = fresh();
  await createDocument(em, {
    id: "mc-1",
    name: "N",
    content: { version: "7", sections: [{ type: "markdown" }] },
  });
  const meta = await callJson(em, "GET", `${DOCS}/documents/mc-1/metadata`);
  assert.equal(meta.status, 200);
  assert.equal(meta.body.name, "N");
  assert.equal(meta.body.userContext as unknown, undefined, "userContext only with add-fields");
  const withFields = await callJson(
    em,
    "GET",
    `${DOCS}/documents/mc-1/metadata?add-fields=userContext.lastAccessedTime`,
  );
  assert.match(String((withFields.body.userContext as Record<string, string>).lastAccessedTime), RFC3339);
  const badField = await callJson(em, "GET", `${DOCS}/documents/mc-1/metadata?add-fields=nope`);
  assert.equal(badField.status, 400);

  const content = await call(em, "GET", `${DOCS}/documents/mc-1/content`);
  assert.equal(content.status, 200);
  assert.equal(content.headers.get("content-type"), "application/json");
  assert.deepEqual(await content.json(), { version: "7", sections: [{ type: "markdown" }] });

  const missing = await callJson(em, "GET", `${DOCS}/documents/none/metadata`);
  assert.equal(missing.status, 404);
  assertPlatformError(missing.body, 404);
});

Deno.test("documents: PATCH needs the current optimistic-locking-version and bumps the version", async () => {
  const em = fresh();
  await createDocument(em, { id: "up-1", name: "Before" });
  const form = () =>
    patchForm({ name: "After", content: new Blob(['{"v":2}'], { type: "application/json" }) });

  const missing = await callJson(em, "PATCH", `${DOCS}/documents/up-1`, { body: form() });
  assert.equal(missing.status, 400);
  assertPlatformError(missing.body, 400);
  const violations = (missing.body.error as { details: { constraintViolations: { path: string }[] } }).details
    .constraintViolations;
  assert.equal(violations[0].path, "optimistic-locking-version");

  const stale = await callJson(em, "PATCH", `${DOCS}/documents/up-1?optimistic-locking-version=7`, {
    body: form(),
  });
  assert.equal(stale.status, 409);
  assertPlatformError(stale.body, 409);

  const ok = await callJson(em, "PATCH", `${DOCS}/documents/up-1?optimistic-locking-version=1`, {
    body: form(),
  });
  assert.equal(ok.status, 200);
  const meta = ok.body.documentMetadata as Record<string, unknown>;
  assert.equal(meta.version, 2);
  assert.equal(meta.name, "After");
  assert.equal(ok.body.createdSnapshot, undefined);

  const empty = await callJson(em, "PATCH", `${DOCS}/documents/up-1?optimistic-locking-version=2`, {
    body: new FormData(),
  });
  assert.equal(empty.status, 400, "PATCH without parts");

  const content = await call(em, "GET", `${DOCS}/documents/up-1/content`);
  assert.deepEqual(await content.json(), { v: 2 });
});

Deno.test("documents: snapshots — create-snapshot, list, get, restore, delete", async () => {
  const em = fresh();
  await createDocument(em, { id: "snap-1", name: "v1", content: { n: 1 } });
  const first = await callJson(
    em,
    "PATCH",
    `${DOCS}/documents/snap-1?optimistic-locking-version=1&create-snapshot=true`,
    {
      body: patchForm({ name: "v2", content: new Blob(['{"n":2}'], { type: "application/json" }) }),
    },
  );
  assert.deepEqual(first.body.createdSnapshot, { snapshotVersion: 1 });
  const second = await callJson(
    em,
    "PATCH",
    `${DOCS}/documents/snap-1?optimistic-locking-version=2&create-snapshot=true`,
    {
      body: patchForm({ name: "v3", snapshotDescription: "third" }),
    },
  );
  assert.deepEqual(second.body.createdSnapshot, { snapshotVersion: 2 });

  const list = await callJson(em, "GET", `${DOCS}/documents/snap-1/snapshots`);
  assert.equal(list.body.totalCount, 2);
  const snapshots = list.body.snapshots as Record<string, unknown>[];
  assert.deepEqual(snapshots.map((s) => s.snapshotVersion), [2, 1]);
  assert.equal(snapshots[0].description, "third");
  assert.equal(snapshots[1].documentVersion, 2);

  const atOne = await callJson(em, "GET", `${DOCS}/documents/snap-1/metadata?snapshot-version=1`);
  assert.equal(atOne.body.name, "v2");
  const missing = await callJson(em, "GET", `${DOCS}/documents/snap-1/snapshots/9`);
  assert.equal(missing.status, 404);

  const restored = await callJson(em, "POST", `${DOCS}/documents/snap-1/snapshots/1:restore`);
  assert.equal(restored.status, 200);
  const meta = restored.body.documentMetadata as Record<string, unknown>;
  assert.equal(meta.name, "v2");
  assert.equal(meta.version, 4);
  assert.equal(restored.body.createdSnapshot, undefined, "version 3 was already captured by snapshot 2");
  assert.deepEqual(await (await call(em, "GET", `${DOCS}/documents/snap-1/content`)).json(), { n: 2 });

  assert.equal((await call(em, "DELETE", `${DOCS}/documents/snap-1/snapshots/1`)).status, 204);
  assert.equal((await call(em, "GET", `${DOCS}/documents/snap-1/snapshots/1`)).status, 404);
});

Deno.test("documents: metadata PATCH and content PUT", async () => {
  const em = fresh();
  await createDocument(em, { id: "mu-1", name: "A", type: "notebook" });
  const meta = await callJson(em, "PATCH", `${DOCS}/documents/mu-1/metadata?optimistic-locking-version=1`, {
    body: patchForm({ name: "B", type: "dashboard" }),
  });
  assert.equal(meta.status, 200);
  assert.equal(meta.body.version, 2);
  assert.equal(meta.body.type, "dashboard");
  const put = await callJson(em, "PUT", `${DOCS}/documents/mu-1/content?optimistic-locking-version=2`, {
    body: patchForm({ content: new Blob(["hello"], { type: "text/plain" }) }),
  });
  assert.equal(put.status, 200);
  assert.equal(put.body.version, 3);
  const stale = await callJson(em, "PUT", `${DOCS}/documents/mu-1/content?optimistic-locking-version=2`, {
    body: patchForm({ content: new Blob(["x"]) }),
  });
  assert.equal(stale.status, 409);
  const content = await call(em, "GET", `${DOCS}/documents/mu-1/content`);
  assert.equal(content.headers.get("content-type"), "text/plain");
  assert.equal(await content.text(), "hello");
});

Deno.test("documents: delete to trash, trash list/get, restore keeps id and version, purge", async () => {
  const clock = new ManualClock();
  const em = createEmulator({ seed: 1, clock });
  await createDocument(em, { id: "tr-1", name: "Trashy" });
  assert.equal((await call(em, "DELETE", `${DOCS}/documents/tr-1`)).status, 400);
  assert.equal((await call(em, "DELETE", `${DOCS}/documents/tr-1?optimistic-locking-version=3`)).status, 409);
  clock.advance(1000);
  const deleted = await call(em, "DELETE", `${DOCS}/documents/tr-1?optimistic-locking-version=1`);
  assert.equal(deleted.status, 204);
  assert.equal(await deleted.text(), "");
  assert.equal((await call(em, "GET", `${DOCS}/documents/tr-1`)).status, 404);
  const listed = await callJson(em, "GET", `${DOCS}/documents`);
  assert.equal(listed.body.totalCount, 0);

  const trash = await callJson(em, "GET", `${DOCS}/trash/documents`);
  assert.equal(trash.body.totalCount, 1);
  const entry = (trash.body.documents as Record<string, unknown>[])[0];
  assert.equal(entry.id, "tr-1");
  assert.deepEqual(entry.deletionInfo, {
    deletedBy: DEFAULT_USER.userId,
    deletedTime: new Date(clock.time).toISOString(),
  });
  const filtered = await callJson(
    em,
    "GET",
    `${DOCS}/trash/documents?filter=${encodeURIComponent("name = 'other'")}`,
  );
  assert.equal(filtered.body.totalCount, 0);
  const details = await callJson(em, "GET", `${DOCS}/trash/documents/tr-1`);
  assert.equal(details.body.version, 1);

  assert.equal((await call(em, "POST", `${DOCS}/trash/documents/tr-1/restore`)).status, 204);
  const restored = await callJson(em, "GET", `${DOCS}/documents/tr-1/metadata`);
  assert.equal(restored.status, 200);
  assert.equal(restored.body.version, 1);
  assert.equal((await call(em, "GET", `${DOCS}/trash/documents/tr-1`)).status, 404);

  assert.equal((await call(em, "DELETE", `${DOCS}/documents/tr-1?optimistic-locking-version=1`)).status, 204);
  assert.equal((await call(em, "DELETE", `${DOCS}/trash/documents/tr-1`)).status, 204);
  assert.equal((await call(em, "GET", `${DOCS}/trash/documents/tr-1`)).status, 404);
  await createDocument(em, { id: "tr-1" });
});

Deno.test("documents: bulk delete reports a code per id", async () => {
  const em = fresh();
  await createDocument(em, { id: "b-1" });
  await createDocument(em, { id: "b-2" });
  const { status, body } = await callJson(em, "POST", `${DOCS}/documents:delete`, {
    body: { ids: ["b-1", "nope", "b-2"] },
  });
  assert.equal(status, 200);
  const results = body.documents as { id: string; code: number; error?: { code: number } }[];
  assert.deepEqual(results.map((r) => [r.id, r.code]), [["b-1", 200], ["nope", 404], ["b-2", 200]]);
  assert.equal(results[1].error?.code, 404);
  assert.equal((await callJson(em, "GET", `${DOCS}/trash/documents`)).body.totalCount, 2);
  assert.equal((await call(em, "POST", `${DOCS}/documents:delete`, { body: { ids: "b-1" } })).status, 400);
  assert.equal(
    (await call(em, "POST", `${DOCS}/documents:delete`, {
      body: "{not json",
      headers: { "content-type": "application/json" },
    })).status,
    400,
  );
});

Deno.test("documents: list filter, sort, add-fields and parameter errors", async () => {
  const clock = new ManualClock();
  const em = createEmulator({ seed: 3, clock });
  for (
    const [id, name, type] of [["d-a", "Zeta", "dashboard"], ["d-b", "alpha", "notebook"], [
      "d-c",
      "Beta",
      "dashboard",
    ]]
  ) {
    await createDocument(em, { id, name, type, description: `about ${name}` });
    clock.advance(1000);
  }
  const q = (query: string) => callJson(em, "GET", `${DOCS}/documents?${query}`);
  const names = (body: Record<string, unknown>) => (body.documents as { name: string }[]).map((d) => d.name);

  assert.deepEqual(names((await q("")).body), ["Zeta", "alpha", "Beta"], "default order is by id");
  assert.deepEqual(names((await q("sort=name")).body), ["alpha", "Beta", "Zeta"], "string sort ignores case");
  assert.deepEqual(names((await q("sort=-modificationInfo.lastModifiedTime")).body), [
    "Beta",
    "alpha",
    "Zeta",
  ]);
  assert.deepEqual(names((await q("sort=type,-name")).body), ["Zeta", "Beta", "alpha"]);
  const filtered = await q(`filter=${encodeURIComponent("type == 'dashboard' and name contains 'ET'")}`);
  assert.deepEqual(names(filtered.body), ["Zeta", "Beta"]);
  assert.equal(filtered.body.totalCount, 2);

  const plain = (await q("")).body.documents as Record<string, unknown>[];
  assert.equal(plain[0].description, undefined, "description needs add-fields");
  const rich = (await q("add-fields=description,shareInfo.isShared")).body.documents as Record<
    string,
    unknown
  >[];
  assert.equal(rich[0].description, "about Zeta");
  assert.deepEqual(rich[0].shareInfo, { isShared: false });

  for (
    const query of [
      "page-size=1001",
      "page-size=0",
      "page-size=x",
      "sort=id",
      "sort=name, type",
      "sort=a,b,c,d,e,f",
      "filter=nope%20%3D%20'x'",
      "add-fields=bogus",
      "page-key=garbage",
      "page=0",
    ]
  ) {
    const { status, body } = await q(query);
    assert.equal(status, 400, query);
    assertPlatformError(body, 400);
  }
});

Deno.test("documents: paging over 45 documents with page-size 20", async () => {
  const em = fresh();
  for (let i = 0; i < 45; i++) await createDocument(em, { id: `page-${String(i).padStart(2, "0")}` });
  const seen: string[] = [];
  let key: string | undefined;
  let pages = 0;
  do {
    const query = key ? `page-key=${encodeURIComponent(key)}&page-size=20` : "page-size=20";
    const { status, body } = await callJson(em, "GET", `${DOCS}/documents?${query}`);
    assert.equal(status, 200);
    assert.equal(body.totalCount, 45);
    const docs = body.documents as { id: string }[];
    assert.ok(docs.length <= 20);
    seen.push(...docs.map((d) => d.id));
    key = body.nextPageKey as string | undefined;
    pages++;
  } while (key);
  assert.equal(pages, 3);
  assert.equal(seen.length, 45);
  assert.equal(new Set(seen).size, 45, "no duplicates across pages");

  const third = await callJson(em, "GET", `${DOCS}/documents?page=3&page-size=20`);
  assert.deepEqual((third.body.documents as { id: string }[]).map((d) => d.id), seen.slice(40));
  const keyed = await callJson(
    em,
    "GET",
    `${DOCS}/documents?page-size=5&filter=${encodeURIComponent("id starts-with 'page-1'")}`,
  );
  assert.equal(keyed.body.totalCount, 10);
  const next = await callJson(
    em,
    "GET",
    `${DOCS}/documents?page-key=${encodeURIComponent(keyed.body.nextPageKey as string)}`,
  );
  assert.deepEqual((next.body.documents as { id: string }[]).map((d) => d.id), [
    "page-15",
    "page-16",
    "page-17",
    "page-18",
    "page-19",
  ], "the key keeps filter and size");
  assert.equal(next.body.nextPageKey, undefined);
});

Deno.test("documents: ownership, visibility, shares and locks between two users", async () => {
  const em = createEmulator({
    seed: 5,
    users: [DEFAULT_USER, COLLEAGUE_USER],
    tokens: [{ token: "tok-a", userId: DEFAULT_USER.userId }, {
      token: "tok-b",
      userId: COLLEAGUE_USER.userId,
    }],
  });
  const asA = { authorization: "Bearer tok-a" };
  const asB = { authorization: "Bearer tok-b" };
  await createDocument(em, { id: "own-priv" }, asA);
  await createDocument(em, { id: "own-pub", isPrivate: false }, asA);

  assert.equal((await call(em, "GET", `${DOCS}/documents/own-priv`, { headers: asB })).status, 403);
  const pub = await callJson(em, "GET", `${DOCS}/documents/own-pub/metadata`, { headers: asB });
  assert.deepEqual(pub.body.access, ["read"]);
  const listB = await callJson(em, "GET", `${DOCS}/documents`, { headers: asB });
  assert.deepEqual((listB.body.documents as { id: string }[]).map((d) => d.id), ["own-pub"]);
  const forbiddenPatch = await callJson(
    em,
    "PATCH",
    `${DOCS}/documents/own-pub?optimistic-locking-version=1`,
    {
      headers: asB,
      body: patchForm({ name: "hijack" }),
    },
  );
  assert.equal(forbiddenPatch.status, 403);
  assertPlatformError(forbiddenPatch.body, 403);

  const share = await callJson(em, "POST", `${DOCS}/direct-shares`, {
    headers: asA,
    body: {
      documentId: "own-priv",
      access: "read-write",
      recipients: [{ id: COLLEAGUE_USER.userId, type: "user" }],
    },
  });
  assert.equal(share.status, 201);
  assert.deepEqual(share.body.access, ["read", "write"]);
  assert.equal(share.body.userCount, 1);
  const again = await callJson(em, "POST", `${DOCS}/direct-shares`, {
    headers: asA,
    body: { documentId: "own-priv", access: "read-write", recipients: [] },
  });
  assert.equal(again.status, 409);
  const shared = await callJson(em, "GET", `${DOCS}/documents/own-priv/metadata`, { headers: asB });
  assert.deepEqual(shared.body.access, ["read", "write"]);
  assert.deepEqual(shared.body.shareInfo, { isShared: true, isSharedWithCurrentUser: true });
  assert.equal(
    (await call(em, "DELETE", `${DOCS}/documents/own-priv?optimistic-locking-version=1`, { headers: asB }))
      .status,
    403,
  );

  const lock = await callJson(em, "POST", `${DOCS}/documents/own-priv:acquire-lock`, {
    headers: asA,
    body: { documentVersion: 1 },
  });
  assert.equal(lock.status, 200);
  const inspect = await callJson(em, "GET", `${DOCS}/documents/own-priv:inspect-lock`, { headers: asB });
  assert.equal(inspect.body.isLockedByAnotherUser, true);
  const blocked = await callJson(em, "PATCH", `${DOCS}/documents/own-priv?optimistic-locking-version=1`, {
    headers: asB,
    body: patchForm({ name: "edited" }),
  });
  assert.equal(blocked.status, 409);
  assert.equal(
    (await call(em, "POST", `${DOCS}/documents/own-priv:release-lock`, { headers: asA })).status,
    200,
  );
  const edited = await callJson(em, "PATCH", `${DOCS}/documents/own-priv?optimistic-locking-version=1`, {
    headers: asB,
    body: patchForm({ name: "edited" }),
  });
  assert.equal(edited.status, 200);
  assert.equal((edited.body.documentMetadata as Record<string, unknown>).lastModifiedBy, undefined);
  assert.equal(
    (edited.body.documentMetadata as Record<string, Record<string, unknown>>).modificationInfo.lastModifiedBy,
    COLLEAGUE_USER.userId,
  );

  const shares = await callJson(
    em,
    "GET",
    `${DOCS}/direct-shares?filter=${encodeURIComponent("documentId == 'own-priv'")}`,
    { headers: asA },
  );
  assert.equal(shares.body.totalCount, 1);
  const shareId = share.body.id as string;
  assert.equal(
    (await call(em, "POST", `${DOCS}/direct-shares/${shareId}/recipients/remove`, {
      headers: asA,
      body: { recipients: [{ id: COLLEAGUE_USER.userId, type: "user" }] },
    })).status,
    204,
  );
  assert.equal((await call(em, "GET", `${DOCS}/documents/own-priv`, { headers: asB })).status, 403);
  assert.equal((await call(em, "DELETE", `${DOCS}/direct-shares/${shareId}`, { headers: asA })).status, 204);
  assert.equal((await call(em, "GET", `${DOCS}/direct-shares/${shareId}`, { headers: asA })).status, 404);

  const env = await callJson(em, "POST", `${DOCS}/environment-shares`, {
    headers: asA,
    body: { documentId: "own-priv", access: "read" },
  });
  assert.equal(env.status, 201);
  assert.equal(
    (await call(em, "PUT", `${DOCS}/environment-shares/${env.body.id}/claim`, { headers: asA })).status,
    400,
    "owners cannot claim",
  );
  const claim = await callJson(em, "PUT", `${DOCS}/environment-shares/${env.body.id}/claim`, {
    headers: asB,
  });
  assert.deepEqual(claim.body, { documentId: "own-priv", documentType: "notebook", access: ["read"] });
  assert.equal((await call(em, "GET", `${DOCS}/documents/own-priv`, { headers: asB })).status, 200);
  const claimers = await callJson(em, "GET", `${DOCS}/environment-shares/${env.body.id}/claimers`, {
    headers: asA,
  });
  assert.deepEqual(claimers.body.claimers, [COLLEAGUE_USER.userId]);

  const transfer = await call(em, "POST", `${DOCS}/documents/own-pub:transfer-owner`, {
    headers: asA,
    body: { newOwnerId: COLLEAGUE_USER.userId },
  });
  assert.equal(transfer.status, 204);
  const transferred = await callJson(em, "GET", `${DOCS}/documents/own-pub/metadata`, { headers: asB });
  assert.equal(transferred.body.owner, COLLEAGUE_USER.userId);
  assert.equal(
    (await call(em, "GET", `${DOCS}/documents/own-pub?admin-access=true`, { headers: asA })).status,
    200,
  );
});

Deno.test("documents: demo seed has dashboards, notebooks and a launchpad with realistic content", async () => {
  const em = createEmulator({ data: "demo" });
  const { body } = await callJson(em, "GET", `${DOCS}/documents?page-size=100`);
  const docs = body.documents as { id: string; type: string }[];
  const types = new Set(docs.map((d) => d.type));
  for (const type of ["dashboard", "notebook", "launchpad"]) assert.ok(types.has(type), type);
  const dashboard = await (await call(em, "GET", `${DOCS}/documents/demo-dashboard-hosts/content`)).json();
  assert.ok(dashboard.tiles && dashboard.layouts && dashboard.version);
  const notebook = await (await call(em, "GET", `${DOCS}/documents/demo-notebook-logs/content`)).json();
  assert.equal(notebook.version, "7");
  assert.ok(notebook.sections.some((s: { type: string }) => s.type === "dql"));
});
