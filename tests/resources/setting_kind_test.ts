import assert from "node:assert/strict";
import { ApiError } from "../../lib/client/mod.ts";
import {
  createSetting,
  createSettings,
  deleteSetting,
  getSetting,
  listSettings,
  settingKind,
  SETTINGS_LIST_FIELDS,
  type SettingsObject,
  updateSetting,
} from "../../lib/resources/kinds/setting.ts";
import {
  getSettingsSchema,
  listSettingsSchemas,
  settingsSchemaKind,
} from "../../lib/resources/kinds/settings_schema.ts";
import { collect, failure, testPlatform } from "./setting_support.ts";

const OBJECTS = "/platform/classic/environment-api/v2/settings/objects";
const PROFILE = "builtin:alerting.profile";
const OWNED = "builtin:loadtest.5k.owner-based";

Deno.test("setting kind: names and locking follow the contract", () => {
  assert.equal(settingKind.name, "setting");
  assert.equal(settingKind.plural, "settings");
  assert.equal(settingKind.idField, "objectId");
  assert.equal(settingKind.locking, "update-token");
  assert.ok(settingKind.serverFields.includes("updateToken"));
  assert.equal(settingKind.looksLikeId!("Default"), false);
  assert.deepEqual(settingsSchemaKind.aliases, ["schema", "schemas"]);
  assert.equal(settingsSchemaKind.locking, "read-only");
});

Deno.test("settings list without --type or --scope is a usage error explaining what to pass", async () => {
  const { context } = testPlatform();
  const error = await failure(() => collect(settingKind.list!(context, {})));
  assert.equal(error.code, "usage_error");
  assert.equal(error.exitCode, 2);
  assert.match(error.message, /--type/);
  assert.match((error as unknown as { hint: string }).hint, /get settings-schemas/);
});

Deno.test("settings list by schema asks for the full field set and returns whole objects", async () => {
  const { context, requests } = testPlatform();
  const items = await collect(settingKind.list!(context, { type: PROFILE }));
  assert.equal(items.length, 1);
  assert.equal(items[0].summary, "Default");
  assert.equal(items[0].schemaId, PROFILE);
  assert.ok(items[0].updateToken);
  const list = requests().find((r) => r.path === OBJECTS)!;
  assert.equal(list.query.schemaIds, PROFILE);
  assert.equal(list.query.fields, SETTINGS_LIST_FIELDS.join(","));
});

Deno.test("settings list by scope covers every schema in it", async () => {
  const { context } = testPlatform();
  const items = await collect(settingKind.list!(context, { extra: { scope: "environment" } }));
  assert.deepEqual(items.map((i) => i.schemaId).sort(), [
    "builtin:alerting.profile",
    "builtin:davis.anomaly-detectors",
  ]);
});

Deno.test("settings list pages with nextPageKey alone", async () => {
  const { client, context, requests } = testPlatform();
  for (let i = 0; i < 5; i++) await createSetting(client, { schemaId: OWNED, value: { name: `load ${i}` } });
  const items = await collect(settingKind.list!(context, { type: OWNED, chunkSize: 2 }));
  // Objects created in the same millisecond have no defined order: compare as a set.
  assert.deepEqual(items.map((i) => i.summary).sort(), ["load 0", "load 1", "load 2", "load 3", "load 4"]);
  const lists = requests().filter((r) => r.method === "GET" && r.path === OBJECTS);
  assert.equal(lists.length, 3);
  assert.equal(lists[0].query.pageSize, "2");
  for (const later of lists.slice(1)) assert.deepEqual(Object.keys(later.query), ["nextPageKey"]);
});

Deno.test("settings list --owner keeps the objects of that owner", async () => {
  const { client, context, me } = testPlatform();
  await createSetting(client, { schemaId: OWNED, value: { name: "mine" } });
  assert.equal((await collect(settingKind.list!(context, { type: OWNED, owner: me }))).length, 1);
  assert.equal((await collect(settingKind.list!(context, { type: OWNED, owner: "someone-else" }))).length, 0);
});

Deno.test("settings create posts an array and returns the created object; scope defaults to environment", async () => {
  const { context, requests, me } = testPlatform();
  const created = await settingKind.create!(context, {
    schemaId: OWNED,
    value: { name: "created" },
    externalId: "test:created",
  }) as SettingsObject;
  assert.equal(created.summary, "created");
  assert.equal(created.scope, "environment");
  assert.equal(created.externalId, "test:created");
  assert.equal(settingKind.owner!(created), me);
  const post = requests().find((r) => r.method === "POST" && r.path === OBJECTS)!;
  assert.ok(Array.isArray(post.body));
  assert.equal((post.body as unknown[]).length, 1);
});

Deno.test("settings create surfaces the item's constraint violations", async () => {
  const { client } = testPlatform();
  const error = await failure(() => createSetting(client, { schemaId: PROFILE, value: { bogus: 1 } }));
  assert.ok(error instanceof ApiError);
  assert.equal(error.code, "validation_error");
  assert.equal(error.status, 400);
  assert.match(
    error.message,
    /setting #1 \(schema builtin:alerting.profile, scope environment\) was rejected/,
  );
  assert.ok(error.constraintViolations.some((v) => v.path === "bogus"));
  assert.ok(error.constraintViolations.some((v) => v.path === "name"));

  const unknownSchema = await failure(() => createSetting(client, { schemaId: "builtin:nope", value: {} }));
  assert.equal(unknownSchema.code, "not_found");

  const noSchema = await failure(() => createSetting(client, { value: {} }));
  assert.equal(noSchema.code, "usage_error");
  const noValue = await failure(() => createSetting(client, { schemaId: PROFILE }));
  assert.equal(noValue.code, "usage_error");
});

Deno.test("settings bulk create returns per-item results (207 mixed, 4xx all failed)", async () => {
  const { client } = testPlatform();
  const mixed = await createSettings(client, [
    { schemaId: OWNED, value: { name: "ok" } },
    { schemaId: OWNED, value: {} },
  ]);
  assert.equal(mixed[0].code, 200);
  assert.ok(mixed[0].objectId);
  assert.equal(mixed[1].code, 400);
  assert.ok(mixed[1].error?.constraintViolations?.length);
  const failed = await createSettings(client, [{ schemaId: OWNED, value: {} }]);
  assert.equal(failed[0].code, 400);
  const validated = await createSettings(client, [{ schemaId: OWNED, value: { name: "dry" } }], {
    validateOnly: true,
  });
  assert.equal(validated[0].code, 200);
  assert.equal((await collect(listSettings(client, { schemaIds: [OWNED] }))).length, 1);
});

Deno.test("settings update locks on updateToken; a stale token is a conflict", async () => {
  const { client, context, requests } = testPlatform();
  const [current] = await collect(listSettings(client, { schemaIds: [PROFILE] }));
  const value = { ...current.value, name: "Renamed" };
  const updated = await settingKind.update!(context, current, { schemaId: PROFILE, value }) as SettingsObject;
  assert.equal(updated.summary, "Renamed");
  assert.notEqual(updated.updateToken, current.updateToken);
  const put = requests().find((r) => r.method === "PUT")!;
  assert.equal((put.body as Record<string, unknown>).updateToken, current.updateToken);

  const stale = await failure(() => updateSetting(client, current, { value }));
  assert.equal(stale.code, "conflict");
  assert.equal(stale.exitCode, 6);
  const moved = await failure(() => updateSetting(client, updated, { schemaId: OWNED, value }));
  assert.equal(moved.code, "usage_error");
  const noValue = await failure(() => updateSetting(client, updated, {}));
  assert.equal(noValue.code, "usage_error");
});

Deno.test("settings delete locks on updateToken", async () => {
  const { client, context } = testPlatform();
  const created = await createSetting(client, { schemaId: OWNED, value: { name: "doomed" } });
  const updated = await updateSetting(client, created, { value: { name: "doomed 2" } });
  assert.equal((await failure(() => deleteSetting(client, created))).code, "conflict");
  await settingKind.delete!(context, updated);
  const gone = await failure(() => getSetting(client, created.objectId));
  assert.equal(gone.code, "not_found");
  assert.match(gone.message, /setting ".*" not found/);
});

Deno.test("settings safety: readonly refuses, readwrite-mine allows only owned objects", async () => {
  const readonly = testPlatform({ safety: "readonly" });
  const refused = await failure(() =>
    createSetting(readonly.client, { schemaId: OWNED, value: { name: "x" } })
  );
  assert.equal(refused.code, "safety_blocked");
  assert.equal(refused.exitCode, 5);

  const mine = testPlatform({ safety: "readwrite-mine" });
  const owned = await createSetting(mine.client, { schemaId: OWNED, value: { name: "mine" } });
  const updated = await updateSetting(mine.client, owned, { value: { name: "still mine" } });
  assert.equal(updated.summary, "still mine");
  const [profile] = await collect(listSettings(mine.client, { schemaIds: [PROFILE] }));
  const blocked = await failure(() => updateSetting(mine.client, profile, { value: profile.value }));
  assert.equal(blocked.code, "safety_blocked");
  assert.match(blocked.message, /owner is unknown/);
});

Deno.test("settings describe lists the value paths", async () => {
  const { client, context } = testPlatform();
  const [profile] = await collect(listSettings(client, { schemaIds: [PROFILE] }));
  const [section] = await settingKind.describe!(context, profile);
  assert.equal(section.title, "Value");
  assert.deepEqual(section.table!.rows[0], ["name", "Default"]);
  assert.ok(section.table!.rows.some(([path]) => path === "severityRules[1].delayInMinutes"));
});

Deno.test("settings schemas: list, match, get and describe", async () => {
  const { client, context } = testPlatform();
  const all = await collect(listSettingsSchemas(client));
  assert.ok(all.length >= 5);
  const matched = await collect(settingsSchemaKind.list!(context, { filter: "ANOMALY" }));
  assert.deepEqual(matched.map((s) => s.schemaId), ["builtin:davis.anomaly-detectors"]);
  const schema = await getSettingsSchema(client, PROFILE);
  assert.equal(schema.version, "8.5.1");
  const sections = await settingsSchemaKind.describe!(context, schema);
  assert.equal(sections[0].title, "Properties");
  assert.deepEqual(sections[0].table!.rows.find((r) => r[0] === "severityRules")!.slice(0, 2), [
    "severityRules",
    "list<severityRule>",
  ]);
  assert.equal((await failure(() => getSettingsSchema(client, "builtin:nope"))).code, "not_found");
  assert.equal(settingsSchemaKind.looksLikeId!("builtin:alerting.profile"), true);
  assert.equal(settingsSchemaKind.looksLikeId!("Problem alerting profiles"), false);
});
