import assert from "node:assert/strict";
import { createEmulator } from "../../lib/emulator/handler.ts";
import {
  bulkStatus,
  createSettingsService,
  SETTINGS_PREFIXES,
} from "../../lib/emulator/services/settings/mod.ts";

const START = Date.parse("2025-03-15T10:30:00.000Z");

function setup(options: { demo?: boolean } = {}) {
  const clock = {
    ms: START,
    now() {
      return this.ms;
    },
  };
  const emulator = createEmulator({
    services: [createSettingsService()],
    data: options.demo ? "demo" : "empty",
    clock,
    seed: 4,
  });
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    prefix: string = SETTINGS_PREFIXES[1],
  ) => {
    const response = await emulator.handle(
      new Request(`http://emulator.test${prefix}${path}`, {
        method,
        headers: {
          authorization: prefix.startsWith("/api") ? "Api-Token dt0c01.ABC.DEF" : "Bearer dt0s16.TEST",
          "content-type": "application/json; charset=utf-8",
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
    const text = await response.text();
    return { status: response.status, body: text === "" ? undefined : JSON.parse(text) };
  };
  return { clock, call };
}

const profile = (name: string, extra: Record<string, unknown> = {}) => ({
  schemaId: "builtin:alerting.profile",
  scope: "environment",
  value: { name, severityRules: [{ severityLevel: "AVAILABILITY" }] },
  ...extra,
});

const detector = (title: string) => ({
  schemaId: "builtin:davis.anomaly-detectors",
  scope: "environment",
  value: {
    title,
    source: "test",
    analyzer: {
      name: "dt.statistics.ui.anomaly_detection.StaticThresholdAnomalyDetectionAnalyzer",
      input: [{ key: "query", value: "timeseries x" }],
    },
    eventTemplate: { properties: [{ key: "title", value: "x" }] },
  },
});

Deno.test("schemas: list stubs and get one, 404 for unknown ids and versions", async () => {
  const { call } = setup();
  const list = await call("GET", "/schemas");
  assert.equal(list.body.totalCount, list.body.items.length);
  const ids = list.body.items.map((s: { schemaId: string }) => s.schemaId);
  for (
    const id of [
      "builtin:davis.anomaly-detectors",
      "builtin:alerting.profile",
      "builtin:problem.notifications",
      "builtin:loadtest.5k.owner-based",
    ]
  ) {
    assert.ok(ids.includes(id), id);
  }
  assert.ok(list.body.items.some((s: { multiObject: boolean }) => !s.multiObject), "a single-object schema");
  assert.ok(list.body.items.some((s: { ordered: boolean }) => s.ordered), "an ordered schema");
  const picked = await call("GET", "/schemas?fields=schemaId,ordered");
  assert.deepEqual(Object.keys(picked.body.items[0]), ["schemaId", "ordered"]);
  const detectorSchema = await call("GET", "/schemas/builtin:davis.anomaly-detectors");
  assert.equal(detectorSchema.body.properties.analyzer.type.$ref, "#/types/analyzerInput");
  assert.deepEqual(Object.keys(detectorSchema.body.types.analyzerInput.properties), ["name", "input"]);
  assert.equal((await call("GET", "/schemas/builtin:nope")).status, 404);
  assert.equal((await call("GET", "/schemas/builtin:alerting.profile?schemaVersion=0.1")).status, 404);
  const error = await call("GET", "/schemas/builtin:nope");
  assert.deepEqual(Object.keys(error.body.error).sort(), ["code", "constraintViolations", "message"]);
});

Deno.test("POST returns per-item results in request order: 200 all ok, 207 mixed, all failed → most common error", async () => {
  const { call } = setup();
  const ok = await call("POST", "/objects", [profile("a"), detector("d1")]);
  assert.equal(ok.status, 200);
  assert.equal(ok.body.length, 2);
  for (const result of ok.body) {
    assert.equal(result.code, 200);
    assert.match(result.objectId, /^[A-Za-z0-9_-]+$/);
  }
  const mixed = await call("POST", "/objects", [
    profile("b"),
    { schemaId: "builtin:nope", scope: "environment", value: {} },
    profile("c", { value: { severityRules: [] } }),
  ]);
  assert.equal(mixed.status, 207);
  assert.deepEqual(mixed.body.map((r: { code: number }) => r.code), [200, 404, 400]);
  assert.equal(mixed.body[2].error.constraintViolations[0].path, "name");
  assert.equal(mixed.body[2].error.constraintViolations[0].parameterLocation, "PAYLOAD_BODY");
  assert.deepEqual(mixed.body[2].invalidValue, { severityRules: [] });
  const failed = await call("POST", "/objects", [
    profile("x", { value: { name: "x", severityRules: [], bogus: 1 } }),
    { schemaId: "builtin:nope", scope: "environment", value: {} },
    profile("y", { scope: "HOST-ABC" }),
  ]);
  assert.equal(failed.status, 400, "two 400s beat one 404");
  assert.equal(failed.body.length, 3);
  assert.match(failed.body[0].error.constraintViolations[0].message, /Unknown property 'bogus'/);
  assert.equal(bulkStatus([404, 409, 409]), 409);
  assert.equal(bulkStatus([404, 409]), 404, "ties go to the first status");
  assert.equal((await call("POST", "/objects", [])).status, 400);
  assert.equal((await call("POST", "/objects", { schemaId: "x" })).status, 400);
});

Deno.test("schema validation: nested types, enums, lists, defaults", async () => {
  const { call } = setup();
  const bad = await call("POST", "/objects", [{
    ...detector("t"),
    value: {
      title: "",
      source: "s",
      analyzer: { name: "n", input: [{ key: "query" }] },
      eventTemplate: { properties: "nope" },
    },
  }]);
  assert.equal(bad.status, 400);
  const paths = [...new Set(bad.body[0].error.constraintViolations.map((v: { path: string }) => v.path))]
    .sort();
  assert.deepEqual(paths, ["analyzer.input[0].value", "eventTemplate.properties", "title"]);
  const enumBad = await call("POST", "/objects", [
    profile("e", { value: { name: "e", severityRules: [{ severityLevel: "LOUD" }] } }),
  ]);
  assert.match(enumBad.body[0].error.constraintViolations[0].message, /must be one of AVAILABILITY/);
  const created = await call("POST", "/objects", [detector("defaults")]);
  const object = await call("GET", `/objects/${created.body[0].objectId}`);
  assert.equal(object.body.value.enabled, true, "defaults are filled in");
  assert.equal(object.body.summary, "defaults");
});

Deno.test("validateOnly=true validates everything and persists nothing", async () => {
  const { call } = setup();
  const result = await call("POST", "/objects?validateOnly=true", [
    profile("dry"),
    profile("bad", { value: {} }),
  ]);
  assert.equal(result.status, 207);
  assert.deepEqual(result.body[0], { code: 200 });
  assert.equal(result.body[1].code, 400);
  const list = await call("GET", "/objects?schemaIds=builtin:alerting.profile");
  assert.equal(list.body.totalCount, 0);
});

Deno.test("externalId upserts; objectId needs externalId; unique constraints conflict with 409", async () => {
  const { call } = setup();
  const first = await call("POST", "/objects", [profile("one", { externalId: "ext-1" })]);
  const id = first.body[0].objectId;
  const again = await call("POST", "/objects", [profile("one renamed", { externalId: "ext-1" })]);
  assert.equal(again.body[0].objectId, id, "same externalId updates the object");
  const list = await call(
    "GET",
    "/objects?schemaIds=builtin:alerting.profile&fields=objectId,externalId,value",
  );
  assert.equal(list.body.totalCount, 1);
  assert.equal(list.body.items[0].value.name, "one renamed");
  assert.equal(list.body.items[0].externalId, "ext-1");
  const orphan = await call("POST", "/objects", [profile("z", { objectId: "abc" })]);
  assert.equal(orphan.body[0].code, 400);
  const chosen = await call("POST", "/objects", [
    profile("two", { externalId: "ext-2", objectId: "myChosenId_1" }),
  ]);
  assert.equal(chosen.body[0].objectId, "myChosenId_1");
  const duplicate = await call("POST", "/objects", [profile("two")]);
  assert.equal(duplicate.status, 409);
  assert.equal(duplicate.body[0].code, 409);
  const sameBatch = await call("POST", "/objects", [profile("three"), profile("three")]);
  assert.deepEqual(
    sameBatch.body.map((r: { code: number }) => r.code),
    [200, 409],
    "later items see earlier ones",
  );
});

Deno.test("single-object schemas replace their one object per scope, keeping its id", async () => {
  const { call } = setup();
  const item = (enabled: boolean, scope = "environment") => ({
    schemaId: "builtin:appsec.runtime-vulnerability-detection",
    scope,
    value: { enableRuntimeVulnerabilityDetection: enabled },
  });
  const first = await call("POST", "/objects", [item(false)]);
  const second = await call("POST", "/objects", [item(true)]);
  assert.equal(second.body[0].objectId, first.body[0].objectId);
  const host = await call("POST", "/objects", [item(true, "HOST-0123456789ABCDEF")]);
  assert.notEqual(host.body[0].objectId, first.body[0].objectId, "another scope has its own object");
  const all = await call(
    "GET",
    "/objects?schemaIds=builtin:appsec.runtime-vulnerability-detection&fields=objectId,scope,value",
  );
  assert.equal(all.body.totalCount, 2);
  const env = all.body.items.find((o: { scope: string }) => o.scope === "environment");
  assert.equal(env.value.enableRuntimeVulnerabilityDetection, true);
  assert.equal(env.value.globalMonitoringModeJava, "MONITORING_ON");
});

Deno.test("insertAfter orders objects of ordered schemas and is rejected elsewhere", async () => {
  const { call } = setup();
  const rule = (title: string, insertAfter?: string) => ({
    schemaId: "builtin:logmonitoring.log-storage-settings",
    scope: "environment",
    value: {
      "config-item-title": title,
      "send-to-storage": true,
      matchers: [{ attribute: "LOG_LEVEL", values: ["ERROR"] }],
    },
    ...(insertAfter === undefined ? {} : { insertAfter }),
  });
  const [a] = (await call("POST", "/objects", [rule("a")])).body;
  const [b] = (await call("POST", "/objects", [rule("b")])).body;
  await call("POST", "/objects", [rule("first", "")]);
  await call("POST", "/objects", [rule("after-a", a.objectId)]);
  const titles = async () =>
    (await call(
      "GET",
      "/objects?schemaIds=builtin:logmonitoring.log-storage-settings&fields=summary,modificationInfo",
    )).body.items;
  const items = await titles();
  assert.deepEqual(items.map((o: { summary: string }) => o.summary), ["first", "a", "after-a", "b"]);
  assert.equal(items[0].modificationInfo.first, true);
  assert.equal(items[0].modificationInfo.movable, true);
  const moved = await call("PUT", `/objects/${b.objectId}`, {
    value: rule("b").value,
    insertBefore: a.objectId,
  });
  assert.equal(moved.status, 200);
  assert.deepEqual((await titles()).map((o: { summary: string }) => o.summary), [
    "first",
    "b",
    "a",
    "after-a",
  ]);
  const unordered = await call("POST", "/objects", [profile("p", { insertAfter: "" })]);
  assert.equal(unordered.body[0].code, 400);
  assert.equal((await call("POST", "/objects", [rule("x", "no-such-id")])).body[0].code, 400);
});

Deno.test("GET by id, PUT with updateToken (stale → 409), DELETE with updateToken → 204", async () => {
  const { call, clock } = setup();
  const [{ objectId }] = (await call("POST", "/objects", [detector("first")])).body;
  const object = await call("GET", `/objects/${objectId}`);
  assert.equal(object.status, 200);
  assert.equal(object.body.objectId, objectId);
  assert.equal(object.body.schemaId, "builtin:davis.anomaly-detectors");
  assert.equal(object.body.schemaVersion, "1.0.23");
  assert.equal(object.body.created, START);
  assert.equal(typeof object.body.updateToken, "string");
  assert.deepEqual(object.body.resourceContext.operations, ["read", "write", "delete"]);
  const token = object.body.updateToken;
  clock.ms += 1000;
  const updated = await call("PUT", `/objects/${objectId}`, {
    value: detector("second").value,
    updateToken: token,
  });
  assert.deepEqual(updated.body, { code: 200, objectId });
  const after = await call("GET", `/objects/${objectId}`);
  assert.notEqual(after.body.updateToken, token, "the token rotates on every write");
  assert.equal(after.body.modified, START + 1000);
  assert.equal(after.body.value.title, "second");
  const stale = await call("PUT", `/objects/${objectId}`, {
    value: detector("third").value,
    updateToken: token,
  });
  assert.equal(stale.status, 409);
  const invalid = await call("PUT", `/objects/${objectId}`, { value: { title: "x" } });
  assert.equal(invalid.status, 400);
  assert.ok(invalid.body.error.constraintViolations.length >= 3);
  const dry = await call("PUT", `/objects/${objectId}?validateOnly=true`, { value: detector("dry").value });
  assert.equal(dry.status, 200);
  assert.equal((await call("GET", `/objects/${objectId}`)).body.value.title, "second");
  assert.equal(
    (await call("DELETE", `/objects/${objectId}?updateToken=${encodeURIComponent(token)}`)).status,
    409,
  );
  assert.equal(
    (await call("DELETE", `/objects/${objectId}?updateToken=${encodeURIComponent(after.body.updateToken)}`))
      .status,
    204,
  );
  assert.equal((await call("GET", `/objects/${objectId}`)).status, 404);
  assert.equal((await call("PUT", `/objects/${objectId}`, { value: {} })).status, 404);
  assert.equal((await call("DELETE", `/objects/${objectId}`)).status, 404);
});

Deno.test("list rules: schemaIds or scopes first, nextPageKey alone, fields replace the defaults, pageSize ≤ 500", async () => {
  const { call } = setup();
  await call(
    "POST",
    "/objects",
    Array.from({ length: 5 }, (_, i) => profile(`p${i}`, { externalId: `ext-${i}` })),
  );
  assert.equal((await call("GET", "/objects")).status, 400);
  const missing = await call("GET", "/objects?pageSize=2");
  assert.equal(missing.body.error.constraintViolations[0].parameterLocation, "QUERY");
  const first = await call("GET", "/objects?schemaIds=builtin:alerting.profile&pageSize=2");
  assert.equal(first.body.totalCount, 5);
  assert.equal(first.body.pageSize, 2);
  assert.deepEqual(Object.keys(first.body.items[0]), ["objectId", "value"], "default fields");
  const key = encodeURIComponent(first.body.nextPageKey);
  assert.equal((await call("GET", `/objects?nextPageKey=${key}&pageSize=2`)).status, 400);
  assert.equal(
    (await call("GET", `/objects?nextPageKey=${key}&schemaIds=builtin:alerting.profile`)).status,
    400,
  );
  const second = await call("GET", `/objects?nextPageKey=${key}`);
  assert.equal(second.body.items.length, 2);
  const third = await call("GET", `/objects?nextPageKey=${encodeURIComponent(second.body.nextPageKey)}`);
  assert.equal(third.body.items.length, 1);
  assert.equal(third.body.nextPageKey, undefined);
  const seen = [...first.body.items, ...second.body.items, ...third.body.items].map((
    o: { objectId: string },
  ) => o.objectId);
  assert.equal(new Set(seen).size, 5);
  const fields = await call("GET", "/objects?schemaIds=builtin:alerting.profile&fields=externalId,summary");
  assert.deepEqual(Object.keys(fields.body.items[0]).sort(), ["externalId", "summary"]);
  assert.equal((await call("GET", "/objects?schemaIds=builtin:alerting.profile&fields=bogus")).status, 400);
  const byExternal = await call(
    "GET",
    "/objects?schemaIds=builtin:alerting.profile&externalIds=ext-1,ext-3&fields=externalId",
  );
  assert.deepEqual(byExternal.body.items.map((o: { externalId: string }) => o.externalId).sort(), [
    "ext-1",
    "ext-3",
  ]);
  assert.equal((await call("GET", "/objects?scopes=environment")).body.totalCount, 5);
  assert.equal((await call("GET", "/objects?schemaIds=builtin:alerting.profile&pageSize=501")).status, 400);
  assert.equal((await call("GET", "/objects?schemaIds=builtin:nope")).status, 404);
  assert.equal((await call("GET", "/objects?nextPageKey=garbage")).status, 400);
});

Deno.test("object ids are opaque URL-safe base64 and stable; both mount points share one state", async () => {
  const { call } = setup();
  const [{ objectId }] = (await call("POST", "/objects", [profile("shared")], SETTINGS_PREFIXES[0])).body;
  assert.match(objectId, /^[A-Za-z0-9_-]{40,}$/);
  const decoded = atob(
    objectId.replaceAll("-", "+").replaceAll("_", "/") + "=".repeat((4 - objectId.length % 4) % 4),
  );
  assert.ok(decoded.includes("builtin:alerting.profile"), "the id embeds the schema like the platform's");
  const viaPlatform = await call("GET", `/objects/${objectId}`, undefined, SETTINGS_PREFIXES[1]);
  assert.equal(viaPlatform.body.objectId, objectId);
  await call(
    "PUT",
    `/objects/${objectId}`,
    { value: { name: "renamed", severityRules: [] } },
    SETTINGS_PREFIXES[0],
  );
  assert.equal((await call("GET", `/objects/${objectId}`)).body.objectId, objectId, "writes keep the id");
});

Deno.test("owner-based schemas record the owner; demo data seeds objects", async () => {
  const { call } = setup({ demo: true });
  const [{ objectId }] = (await call("POST", "/objects", [{
    schemaId: "builtin:loadtest.5k.owner-based",
    scope: "environment",
    value: { name: "mine" },
  }])).body;
  const object = await call("GET", `/objects/${objectId}`);
  assert.equal(object.body.owner.type, "user");
  const demo = await call(
    "GET",
    "/objects?schemaIds=builtin:davis.anomaly-detectors,builtin:alerting.profile&fields=externalId",
  );
  assert.equal(demo.body.totalCount, 2);
});
