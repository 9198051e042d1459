import assert from "node:assert/strict";
import hc from "@dynatrace-sdk/http-client";
import c from "@dynatrace-sdk/client-classic-environment-v2";
import { serveEmulator } from "../../lib/emulator/serve.ts";

async function withClients(
  fn: (
    objects: InstanceType<typeof c.SettingsObjectsClient>,
    schemas: InstanceType<typeof c.SettingsSchemasClient>,
  ) => Promise<void>,
) {
  const served = await serveEmulator({ port: 0, seed: "empty", randomSeed: 31 });
  try {
    const http = new hc.PlatformHttpClient({
      baseUrl: served.url,
      defaultHeaders: { Authorization: "Bearer dt0s16.TEST" },
    });
    await fn(
      new c.SettingsObjectsClient(http, { transformDates: false }),
      new c.SettingsSchemasClient(http, { transformDates: false }),
    );
  } finally {
    await served.shutdown();
  }
}

const profile = (name: string) => ({
  schemaId: "builtin:alerting.profile",
  scope: "environment",
  value: { name, severityRules: [{ severityLevel: "AVAILABILITY" }] },
});

Deno.test("SDK SettingsSchemasClient: list and get", async () => {
  await withClients(async (_objects, schemas) => {
    const list = await schemas.getAvailableSchemaDefinitions();
    assert.ok(list.items.some((s) => s.schemaId === "builtin:davis.anomaly-detectors"));
    const schema = await schemas.getSchemaDefinition({ schemaId: "builtin:alerting.profile" });
    assert.equal(schema.multiObject, true);
    await assert.rejects(
      () => schemas.getSchemaDefinition({ schemaId: "builtin:nope" }),
      (error: unknown) => c.isErrorEnvelopeError(error) && error.response.status === 404,
    );
  });
});

Deno.test("SDK SettingsObjectsClient: post (200, 207, all-failed), get, put with updateToken, delete", async () => {
  await withClients(async (objects) => {
    const created = await objects.postSettingsObjects({ body: [profile("sdk-1")] });
    assert.equal(created.length, 1);
    assert.equal(created[0].code, 200);
    const objectId = created[0].objectId!;

    const mixed = await objects.postSettingsObjects({
      body: [profile("sdk-2"), { schemaId: "builtin:nope", scope: "environment", value: {} }],
    });
    assert.deepEqual(mixed.map((r) => r.code), [200, 404], "207 resolves with the per-item array");

    await assert.rejects(
      () => objects.postSettingsObjects({ body: [profile("sdk-1")] }),
      (error: unknown) => {
        assert.ok(c.isSettingsObjectResponseArrayError(error));
        assert.equal(error.response.status, 409);
        assert.equal((error.body as Array<{ code: number }>)[0].code, 409);
        return true;
      },
    );

    const dry = await objects.postSettingsObjects({ body: [profile("dry-run")], validateOnly: true });
    assert.deepEqual(dry, [{ code: 200 }]);

    const object = await objects.getSettingsObjectByObjectId({ objectId });
    assert.equal(object.objectId, objectId);
    assert.equal((object.value as { name: string }).name, "sdk-1");

    const updated = await objects.putSettingsObjectByObjectId({
      objectId,
      body: { value: { name: "sdk-1b", severityRules: [] }, updateToken: object.updateToken },
    });
    assert.deepEqual(updated, { code: 200, objectId });
    await assert.rejects(
      () =>
        objects.putSettingsObjectByObjectId({
          objectId,
          body: { value: { name: "x" }, updateToken: object.updateToken },
        }),
      (error: unknown) => c.isClientRequestError(error) && error.response.status === 409,
    );

    const list = await objects.getSettingsObjects({
      schemaIds: "builtin:alerting.profile",
      fields: "objectId,value,updateToken",
    });
    assert.equal(list.totalCount, 2);
    const fresh = list.items.find((item) => item.objectId === objectId)!;
    assert.equal(
      await objects.deleteSettingsObjectByObjectId({ objectId, updateToken: fresh.updateToken }),
      undefined,
    );
    await assert.rejects(
      () => objects.getSettingsObjectByObjectId({ objectId }),
      (error: unknown) => c.isErrorEnvelopeError(error) && error.response.status === 404,
    );
  });
});
