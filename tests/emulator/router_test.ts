import assert from "node:assert/strict";
import { Router } from "../../lib/emulator/core/router.ts";
import type { Route } from "../../lib/emulator/types.ts";

function route(method: string, path: string): Route {
  return { method, path, family: "platform", handle: () => new Response(null, { status: 204 }) };
}

const routes = [
  route("GET", "/platform/document/v1/documents"),
  route("POST", "/platform/document/v1/documents:delete"),
  route("GET", "/platform/document/v1/documents/:id"),
  route("DELETE", "/platform/document/v1/documents/:id"),
  route("POST", "/platform/document/v1/documents/:id:transfer-owner"),
  route("POST", "/platform/document/v1/documents/:id/snapshots/:version:restore"),
  route("POST", "/platform/storage/management/v1/bucket-definitions/:name:truncate"),
  route("GET", "/api/v2/settings/schemas/:schemaId"),
];
const router = new Router(routes);

Deno.test("router: literal colon actions beat parameters", () => {
  const bulk = router.match("POST", "/platform/document/v1/documents:delete");
  assert.equal(bulk.kind, "found");
  assert.equal(bulk.kind === "found" && bulk.route.path, "/platform/document/v1/documents:delete");

  const transfer = router.match("POST", "/platform/document/v1/documents/abc-1:transfer-owner");
  assert.equal(transfer.kind, "found");
  assert.deepEqual(transfer.kind === "found" && transfer.params, { id: "abc-1" });
});

Deno.test("router: a parameter stops at a literal colon suffix", () => {
  const restore = router.match("POST", "/platform/document/v1/documents/d1/snapshots/3:restore");
  assert.deepEqual(restore.kind === "found" && restore.params, { id: "d1", version: "3" });
  const truncate = router.match(
    "POST",
    "/platform/storage/management/v1/bucket-definitions/my_logs:truncate",
  );
  assert.deepEqual(truncate.kind === "found" && truncate.params, { name: "my_logs" });
  // The suffix must be present: a bare name is another (unknown) endpoint.
  assert.equal(
    router.match("POST", "/platform/storage/management/v1/bucket-definitions/my_logs").kind,
    "not-found",
  );
});

Deno.test("router: parameters are URL-decoded and may hold colons", () => {
  const schema = router.match("GET", "/api/v2/settings/schemas/builtin%3Aalerting.profile");
  assert.deepEqual(schema.kind === "found" && schema.params, { schemaId: "builtin:alerting.profile" });
  const plain = router.match("GET", "/api/v2/settings/schemas/builtin:alerting.profile");
  assert.deepEqual(plain.kind === "found" && plain.params, { schemaId: "builtin:alerting.profile" });
});

Deno.test("router: known path with another method is 405 with the allowed methods", () => {
  const result = router.match("PUT", "/platform/document/v1/documents/x");
  assert.equal(result.kind, "method-not-allowed");
  assert.deepEqual(result.kind === "method-not-allowed" && result.allowed.sort(), ["DELETE", "GET"]);
});

Deno.test("router: unknown paths, empty parameters and bad escapes do not match", () => {
  assert.equal(router.match("GET", "/platform/document/v1/nothing").kind, "not-found");
  assert.equal(router.match("GET", "/platform/document/v1/documents/").kind, "not-found");
  assert.equal(router.match("GET", "/platform/document/v1/documents/%E0%A4%A").kind, "not-found");
});

Deno.test("router: HEAD falls back to GET", () => {
  const result = router.match("HEAD", "/platform/document/v1/documents");
  assert.equal(result.kind, "found");
  assert.equal(result.kind === "found" && result.route.method, "GET");
});
