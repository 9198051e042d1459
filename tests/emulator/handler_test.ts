import assert from "node:assert/strict";
import { createEmulator } from "../../lib/emulator/handler.ts";
import type { EmulatorService } from "../../lib/emulator/service.ts";
import { ALL_SERVICES } from "../../lib/emulator/services/mod.ts";
import { HttpError } from "../../lib/emulator/http/errors.ts";
import { json } from "../../lib/emulator/envelope.ts";
import { DEFAULT_USER } from "../../lib/emulator/users.ts";
import {
  assertPlatformError,
  assertStorageError,
  BUCKETS,
  call,
  callJson,
  createDocument,
  DOCS,
  SEGMENTS,
} from "./helpers.ts";

Deno.test("handler: missing or malformed Authorization is the gateway's 401", async () => {
  const em = createEmulator();
  for (const authorization of [null, "", "Bearer", "Bearer ", "Basic abc", "bearer", "Token abc"]) {
    const { status, body } = await callJson(em, "GET", `${DOCS}/documents`, { headers: { authorization } });
    assert.equal(status, 401, String(authorization));
    assert.deepEqual(body, { error: { code: 401, message: "Unauthorized" } });
  }
  assert.equal(
    (await call(em, "GET", `${DOCS}/documents`, { headers: { authorization: "Api-Token dt0c01.a.b" } }))
      .status,
    200,
  );
  assert.equal(
    (await call(em, "GET", `${DOCS}/documents`, { headers: { authorization: "bearer x" } })).status,
    200,
  );
  assert.equal(
    (await call(em, "GET", "/platform/unknown", { headers: { authorization: null } })).status,
    401,
    "auth comes first",
  );
});

Deno.test("handler: configured tokens map to users and enforce scopes with the gateway 403", async () => {
  const other = { userId: "11111111-2222-4333-8444-555555555555", userName: "Other", emailAddress: "o@x" };
  const em = createEmulator({
    users: [DEFAULT_USER, other],
    tokens: [
      { token: "all", userId: DEFAULT_USER.userId },
      { token: "reader", userId: other.userId, scopes: ["document:documents:read", "app-engine:apps:run"] },
    ],
  });
  assert.equal(
    (await call(em, "GET", `${DOCS}/documents`, { headers: { authorization: "Bearer unknown" } })).status,
    401,
  );
  const me = await callJson(em, "GET", "/platform/metadata/v1/user", {
    headers: { authorization: "Bearer reader" },
  });
  assert.deepEqual(me.body, { userName: "Other", userId: other.userId, emailAddress: "o@x" });
  assert.equal(
    (await call(em, "GET", `${DOCS}/documents`, { headers: { authorization: "Bearer reader" } })).status,
    200,
  );
  const denied = await callJson(em, "GET", SEGMENTS, { headers: { authorization: "Bearer reader" } });
  assert.equal(denied.status, 403);
  assert.equal(denied.headers.get("dynatrace-response-source"), "API Gateway");
  const details = (denied.body.error as { details: Record<string, unknown> }).details;
  assert.deepEqual(details.missingScopes, ["storage:filter-segments:read"]);
  assert.equal((await call(em, "GET", SEGMENTS, { headers: { authorization: "Bearer all" } })).status, 200);
});

Deno.test("handler: unknown routes are 404 in the family of their prefix; wrong methods are 405", async () => {
  const em = createEmulator();
  const platform = await callJson(em, "GET", "/platform/document/v1/nothing");
  assert.equal(platform.status, 404);
  assertPlatformError(platform.body, 404);
  const storage = await callJson(em, "GET", "/platform/storage/management/v1/nothing");
  assertStorageError(storage.body, 404);
  const query = await callJson(em, "GET", "/platform/storage/query/v1/nothing");
  assert.equal(
    (query.body.error as { details: Record<string, unknown> }).details.errorType,
    `No endpoint GET /platform/storage/query/v1/nothing.`,
  );
  const classic = await callJson(em, "GET", "/api/v2/nothing");
  assert.deepEqual((classic.body.error as Record<string, unknown>).constraintViolations, []);

  const wrong = await callJson(em, "PUT", `${DOCS}/documents`);
  assert.equal(wrong.status, 405);
  assert.deepEqual(wrong.body, {
    error: { code: 405, message: "Http method not supported", errorDetails: [] },
  });
  assert.match(wrong.headers.get("allow") ?? "", /GET/);
});

Deno.test("handler: content-type application/json is accepted on GET and DELETE", async () => {
  const em = createEmulator();
  await createDocument(em, { id: "ct-1" });
  const headers = { "content-type": "application/json" };
  assert.equal((await call(em, "GET", `${DOCS}/documents`, { headers })).status, 200);
  assert.equal(
    (await call(em, "DELETE", `${DOCS}/documents/ct-1?optimistic-locking-version=1`, { headers })).status,
    204,
  );
});

Deno.test("handler: exceptions in routes become a 500 envelope of the route's family", async () => {
  const boom: EmulatorService = {
    name: "boom",
    routes: [
      {
        method: "GET",
        path: "/platform/boom/v1/crash",
        family: "platform",
        handle: () => {
          throw new Error("kaput");
        },
      },
      {
        method: "GET",
        path: "/platform/storage/management/v1/crash",
        family: "storage",
        handle: () => Promise.reject(new RangeError("bad")),
      },
      {
        method: "GET",
        path: "/platform/boom/v1/teapot",
        family: "classic",
        handle: () => {
          throw new HttpError(418, "short and stout");
        },
      },
      {
        method: "GET",
        path: "/platform/boom/v1/not-a-response",
        family: "platform",
        handle: () => ({}) as Response,
      },
      {
        method: "GET",
        path: "/platform/boom/v1/ok",
        family: "platform",
        handle: (ctx) => json(200, { user: ctx.user.userId, options: ctx.options }),
      },
    ],
  };
  const em = createEmulator({
    services: [...ALL_SERVICES, boom],
    serviceOptions: { boom: { flavour: "x" } },
  });
  const crash = await callJson(em, "GET", "/platform/boom/v1/crash");
  assert.equal(crash.status, 500);
  assertPlatformError(crash.body, 500);
  assert.equal((crash.body.error as { details: Record<string, unknown> }).details.reason, "kaput");
  assertStorageError((await callJson(em, "GET", "/platform/storage/management/v1/crash")).body, 500);
  const teapot = await callJson(em, "GET", "/platform/boom/v1/teapot");
  assert.equal(teapot.status, 418);
  assert.deepEqual((teapot.body.error as Record<string, unknown>).constraintViolations, []);
  assert.equal((await call(em, "GET", "/platform/boom/v1/not-a-response")).status, 500);
  const ok = await callJson(em, "GET", "/platform/boom/v1/ok");
  assert.deepEqual(ok.body, { user: DEFAULT_USER.userId, options: { flavour: "x" } });
});

Deno.test("handler: HEAD answers like GET without a body", async () => {
  const em = createEmulator();
  const response = await call(em, "HEAD", `${DOCS}/documents`);
  assert.equal(response.status, 200);
  assert.equal(await response.text(), "");
});

Deno.test("handler: request log records method, path, query, status and headers without credentials", async () => {
  const em = createEmulator();
  await call(em, "GET", `${DOCS}/documents?page-size=5&add-fields=a&add-fields=b`, {
    headers: { cookie: "secret=1", "x-trace": "t1" },
  });
  await call(em, "POST", `${DOCS}/documents:delete`, { body: { ids: ["x"] } });
  const log = await callJson(em, "GET", "/__emulator/requests", { headers: { authorization: null } });
  const entries = log.body.requests as Record<string, unknown>[];
  assert.equal(entries.length, 2);
  assert.equal(entries[0].method, "GET");
  assert.equal(entries[0].path, `${DOCS}/documents`);
  assert.deepEqual(entries[0].query, { "page-size": "5", "add-fields": ["a", "b"] });
  assert.equal(entries[0].status, 400, "unknown add-fields");
  const headers = entries[0].headers as Record<string, string>;
  assert.equal(headers["x-trace"], "t1");
  assert.equal(headers.authorization, undefined);
  assert.equal(headers.cookie, undefined);
  assert.deepEqual(entries[1].body, { ids: ["x"] });
  assert.equal(
    (await call(em, "DELETE", "/__emulator/requests", { headers: { authorization: null } })).status,
    204,
  );
  assert.deepEqual((await callJson(em, "GET", "/__emulator/requests")).body.requests, []);
});

Deno.test("handler: reset empties state (optionally reseeding demo data) and seed adds demo data", async () => {
  const em = createEmulator({ data: "empty" });
  await createDocument(em, { id: "mine" });
  assert.equal((await callJson(em, "GET", `${DOCS}/documents`)).body.totalCount, 1);
  const reset = await callJson(em, "POST", "/__emulator/reset", { headers: { authorization: null } });
  assert.deepEqual(reset.body, { reset: true, seed: "empty" });
  assert.equal((await callJson(em, "GET", `${DOCS}/documents`)).body.totalCount, 0);
  const buckets = (await callJson(em, "GET", BUCKETS)).body.buckets as { bucketName: string }[];
  assert.ok(buckets.some((b) => b.bucketName === "default_logs"), "built-in buckets survive an empty reset");

  await call(em, "POST", "/__emulator/seed");
  const demo = (await callJson(em, "GET", `${DOCS}/documents`)).body.totalCount as number;
  assert.ok(demo >= 5);
  await call(em, "POST", "/__emulator/seed");
  assert.equal(
    (await callJson(em, "GET", `${DOCS}/documents`)).body.totalCount,
    demo,
    "seeding twice adds nothing",
  );

  await call(em, "POST", "/__emulator/reset?seed=demo");
  assert.equal((await callJson(em, "GET", `${DOCS}/documents`)).body.totalCount, demo);
  assert.equal((await call(em, "POST", "/__emulator/reset?seed=lots")).status, 400);
  assert.equal((await call(em, "GET", "/__emulator/reset")).status, 405);
  assert.equal((await call(em, "GET", "/__emulator/constructor")).status, 404);
  assert.equal((await call(em, "POST", "/__emu/reset")).status, 200, "the /__emu alias works too");
});

Deno.test("handler: metadata service answers the caller and the environment", async () => {
  const em = createEmulator({ serviceOptions: { metadata: { environmentId: "abc12345" } } });
  const user = await callJson(em, "GET", "/platform/metadata/v1/user");
  assert.deepEqual(user.body, {
    userName: DEFAULT_USER.userName,
    userId: DEFAULT_USER.userId,
    emailAddress: DEFAULT_USER.emailAddress,
  });
  const env = await callJson(em, "GET", "/platform/management/v1/environment");
  assert.equal(env.body.environmentId, "abc12345");
  assert.equal(env.body.type, "CUSTOMER");
  assert.equal(env.body.state, "ACTIVE");
  const again = await callJson(em, "GET", "/platform/management/v1/environment");
  assert.equal(again.body.createTime, env.body.createTime, "creation time is stable");
});
