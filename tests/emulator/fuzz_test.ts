/**
 * Robustness: thousands of random and malformed requests (seeded, so failures reproduce) must each get a
 * well-formed HTTP answer — never an exception, never an internal error — and leave unrelated data intact.
 */

import assert from "node:assert/strict";
import { createEmulator } from "../../lib/emulator/handler.ts";
import { mulberry32, type Random } from "../../lib/emulator/random.ts";
import { COLLEAGUE_USER, DEFAULT_USER } from "../../lib/emulator/users.ts";
import { BUCKETS, callJson, createDocument, DOCS, documentForm, SEGMENTS } from "./helpers.ts";

const FUZZ_SEED = 20250601;
const REQUESTS = 3000;

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

const IDS = [
  "sentinel-1",
  "sentinel-2",
  "fz-1",
  "fz-2",
  "demo-dashboard-hosts",
  "x",
  "..",
  "%2F",
  "a:b",
  "DemoProdEnv",
  "custom_logs",
  "default_logs",
  "0",
  "-1",
  "ü",
];
const VALUES = [
  "",
  "1",
  "0",
  "-3",
  "2",
  "1001",
  "true",
  "false",
  "x",
  "'",
  "%",
  "%zz",
  "name = 'x'",
  "name contains 'a' and (type = 'dashboard' or not version > 2)",
  "((((a",
  "id in ('a','b')",
  "-name,type",
  "INCLUDES",
  "VARIABLES",
  "records",
  "description",
  "eyJsIjoiZG9jdW1lbnRzIiwibyI6MCwicyI6MjB9",
  "\u0000",
  "😀",
];
const KEYS = [
  "filter",
  "sort",
  "page-size",
  "page-key",
  "page",
  "add-fields",
  "optimistic-locking-version",
  "create-snapshot",
  "snapshot-version",
  "filename",
  "force",
  "send-notification",
  "unknown",
];

/** Path templates with the methods their endpoints support (the fuzz mostly, not always, uses those). */
const PATHS: [(id: string, v: string) => string, string[]][] = [
  [() => `${DOCS}/documents`, ["GET", "POST"]],
  [(id) => `${DOCS}/documents/${id}`, ["GET", "PATCH", "DELETE"]],
  [(id) => `${DOCS}/documents/${id}/metadata`, ["GET", "PATCH"]],
  [(id) => `${DOCS}/documents/${id}/content`, ["GET", "PUT"]],
  [(id) => `${DOCS}/documents/${id}/snapshots`, ["GET"]],
  [(id, v) => `${DOCS}/documents/${id}/snapshots/${v}`, ["GET", "DELETE"]],
  [(id, v) => `${DOCS}/documents/${id}/snapshots/${v}:restore`, ["POST"]],
  [(id) => `${DOCS}/documents/${id}:transfer-owner`, ["POST"]],
  [(id) => `${DOCS}/documents/${id}:acquire-lock`, ["POST"]],
  [(id) => `${DOCS}/documents/${id}:release-lock`, ["POST"]],
  [(id) => `${DOCS}/documents/${id}:inspect-lock`, ["GET"]],
  [() => `${DOCS}/documents:delete`, ["POST"]],
  [() => `${DOCS}/trash/documents`, ["GET"]],
  [(id) => `${DOCS}/trash/documents/${id}`, ["GET", "DELETE"]],
  [(id) => `${DOCS}/trash/documents/${id}/restore`, ["POST"]],
  [() => `${DOCS}/direct-shares`, ["GET", "POST"]],
  [(id) => `${DOCS}/direct-shares/${id}`, ["GET", "DELETE"]],
  [(id) => `${DOCS}/direct-shares/${id}/recipients/add`, ["POST"]],
  [() => `${DOCS}/environment-shares`, ["GET", "POST"]],
  [(id) => `${DOCS}/environment-shares/${id}/claim`, ["PUT"]],
  [() => SEGMENTS, ["GET", "POST"]],
  [() => `${SEGMENTS}:lean`, ["GET"]],
  [(id) => `${SEGMENTS}/${id}`, ["GET", "PUT", "PATCH", "DELETE"]],
  [() => BUCKETS, ["GET", "POST"]],
  [(id) => `${BUCKETS}/${id}`, ["GET", "PUT", "PATCH", "DELETE"]],
  [(id) => `${BUCKETS}/${id}:truncate`, ["POST"]],
  [() => "/platform/metadata/v1/user", ["GET"]],
  [() => "/platform/management/v1/environment", ["GET"]],
  [(id) => `/platform/${id}/v1/${id}`, ["GET"]],
  [(id) => `/${id}`, ["GET"]],
  [() => "/platform/document/v1/documents/", ["GET"]],
  [() => "//platform//document", ["GET"]],
];

const FIELDS = [
  "name",
  "type",
  "id",
  "uid",
  "owner",
  "isPublic",
  "includes",
  "variables",
  "bucketName",
  "table",
  "retentionDays",
  "version",
  "displayName",
  "ids",
  "documentId",
  "access",
  "recipients",
  "documentVersion",
  "newOwnerId",
  "description",
  "externalId",
];

function randomValue(random: Random, depth = 0): unknown {
  switch (Math.floor(random() * (depth > 2 ? 6 : 8))) {
    case 0:
      return pick(random, VALUES);
    case 1:
      return Math.floor(random() * 5000) - 100;
    case 2:
      return random() < 0.5;
    case 3:
      return null;
    case 4:
      return pick(random, ["logs", "notebook", "read", "read-write", "user", "dev_logs", "x".repeat(300)]);
    case 5:
      return 1.5;
    case 6:
      return Array.from({ length: Math.floor(random() * 3) }, () => randomValue(random, depth + 1));
    default:
      return randomObject(random, depth + 1);
  }
}

function randomObject(random: Random, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const n = Math.floor(random() * 6);
  for (let i = 0; i < n; i++) out[pick(random, FIELDS)] = randomValue(random, depth);
  return out;
}

function randomBody(random: Random, kind = Math.floor(random() * 9)): { body?: BodyInit; type?: string } {
  switch (kind) {
    case 0:
    case 1:
      return {};
    case 2:
      return { body: JSON.stringify(randomObject(random)), type: "application/json" };
    case 3:
      return {
        body: pick(random, ["{", "[1,", '{"a":', "null", "[]", "42", '"s"', "{}"]),
        type: "application/json",
      };
    case 4: {
      const fields = randomObject(random);
      return {
        body: documentForm({
          name: typeof fields.name === "string" ? fields.name : random() < 0.7 ? "fuzz" : undefined,
          type: random() < 0.8 ? pick(random, ["notebook", "dashboard", ""]) : undefined,
          content: random() < 0.8 ? randomObject(random) : undefined,
          id: random() < 0.5
            ? `fz-${Math.floor(random() * 4)}`
            : random() < 0.3
            ? pick(random, IDS)
            : undefined,
          isPrivate: random() < 0.2 ? random() < 0.5 : undefined,
        }),
      };
    }
    case 5:
      return {
        body: '--nope\r\nContent-Disposition: form-data; name="name"\r\n\r\nx',
        type: "multipart/form-data; boundary=other",
      };
    case 6:
      return {
        body: '--b\r\nContent-Disposition: form-data; name="labels"\r\n\r\nx\r\n--b--\r\n',
        type: "multipart/form-data; boundary=b",
      };
    case 7:
      return {
        body: new Uint8Array(Array.from({ length: 64 }, () => Math.floor(random() * 256))),
        type: pick(random, ["application/octet-stream", "text/plain", "application/json", "image/png"]),
      };
    default:
      return { body: JSON.stringify([randomObject(random)]), type: "application/json; charset=utf-8" };
  }
}

function randomRequest(random: Random): Request {
  const [template, methods] = pick(random, PATHS);
  const method = random() < 0.8
    ? pick(random, methods)
    : pick(random, ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "PURGE"]);
  let path = template(pick(random, IDS), pick(random, ["1", "2", "x", "-1", "99999999999"]));
  const params = new URLSearchParams();
  const count = Math.floor(random() * 4);
  for (let i = 0; i < count; i++) params.append(pick(random, KEYS), pick(random, VALUES));
  if (params.size > 0) path += `?${params}`;
  if (random() < 0.05) path += "&%zz=%";
  const headers = new Headers();
  const auth = random();
  if (auth < 0.9) headers.set("authorization", "Bearer dt0s16.FUZZ");
  else if (auth < 0.95) {
    headers.set("authorization", pick(random, ["Basic x", "Bearer", "Api-Token dt0c01.a.b"]));
  }
  let body: BodyInit | undefined;
  if (method !== "GET" && method !== "HEAD") {
    // Document writes are multipart: send a (possibly broken) form most of the time so creates succeed too.
    const multipart =
      /\/documents(\/[^/]+(\/(metadata|content))?)?$/.test(new URL(`http://x${path}`).pathname) &&
      random() < 0.6;
    const made = multipart ? randomBody(random, 4) : randomBody(random);
    body = made.body;
    if (made.type) headers.set("content-type", made.type);
  } else if (random() < 0.3) {
    headers.set("content-type", "application/json");
  }
  return new Request(`http://fuzz.test${path}`, { method, headers, body });
}

Deno.test("fuzz: thousands of random and malformed requests get well-formed answers", async () => {
  const em = createEmulator({
    data: "demo",
    seed: 77,
    users: [DEFAULT_USER, COLLEAGUE_USER],
    tokens: [
      { token: "dt0s16.FUZZ", userId: DEFAULT_USER.userId },
      { token: "dt0s16.OWNER", userId: COLLEAGUE_USER.userId },
    ],
  });
  // Sentinels belong to another user, so nothing the fuzzing user may do can change them.
  const owner = { authorization: "Bearer dt0s16.OWNER" };
  const sentinels = [
    await createDocument(em, { id: "sentinel-1", name: "keep me", content: { keep: 1 } }, owner),
    await createDocument(em, {
      id: "sentinel-2",
      name: "keep me too",
      content: { keep: 2 },
      isPrivate: false,
    }, owner),
  ];

  const random = mulberry32(FUZZ_SEED);
  const statuses = new Map<number, number>();
  const internalErrors: string[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const request = randomRequest(random);
    const label = `#${i} ${request.method} ${new URL(request.url).pathname}${new URL(request.url).search}`;
    let response: Response;
    try {
      response = await em.handle(request);
    } catch (error) {
      assert.fail(`${label} threw ${error}`);
    }
    assert.ok(response instanceof Response, label);
    assert.ok(response.status >= 200 && response.status <= 599, `${label}: status ${response.status}`);
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    if (request.method === "HEAD") {
      assert.equal(await response.text(), "", label);
      continue;
    }
    if (response.status >= 400) {
      assert.match(response.headers.get("content-type") ?? "", /application\/json/, label);
      const text = await response.text();
      let body: { error?: { code?: unknown; message?: unknown } };
      try {
        body = JSON.parse(text);
      } catch {
        assert.fail(`${label}: error body is not JSON: ${text.slice(0, 200)}`);
      }
      assert.equal(body.error?.code, response.status, `${label}: ${text.slice(0, 300)}`);
      assert.equal(typeof body.error?.message, "string", label);
      if (response.status >= 500) internalErrors.push(`${label}: ${text.slice(0, 300)}`);
    } else {
      await response.body?.cancel();
    }
  }
  assert.deepEqual(internalErrors, [], "no request may cause an internal error");
  for (const status of [200, 201, 400, 401, 403, 404, 405]) {
    assert.ok(statuses.has(status), `the fuzz reached ${status}`);
  }

  const user = await callJson(em, "GET", "/platform/metadata/v1/user", {
    headers: { authorization: "Bearer dt0s16.FUZZ" },
  });
  assert.equal(user.status, 200, "the emulator still answers");
  for (const sentinel of sentinels) {
    const meta = await callJson(em, "GET", `${DOCS}/documents/${sentinel.id}/metadata`, { headers: owner });
    assert.equal(meta.status, 200);
    assert.equal(meta.body.version, sentinel.version);
    assert.equal(meta.body.name, sentinel.name);
  }
  const content = await em.handle(
    new Request(`http://fuzz.test${DOCS}/documents/sentinel-1/content`, { headers: owner }),
  );
  assert.deepEqual(await content.json(), { keep: 1 });
  const fresh = await createDocument(em, { id: "after-fuzz" }, { authorization: "Bearer dt0s16.FUZZ" });
  assert.equal(fresh.version, 1);
});
