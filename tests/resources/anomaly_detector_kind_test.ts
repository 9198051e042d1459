import assert from "node:assert/strict";
import { resolveObject } from "../../lib/resources/registry.ts";
import {
  ANOMALY_DETECTOR_SCHEMA,
  type AnomalyDetector,
  anomalyDetectorKind,
  anomalyDetectorValue,
  createAnomalyDetector,
  deleteAnomalyDetector,
  getAnomalyDetector,
  listAnomalyDetectors,
  toAnomalyDetector,
  updateAnomalyDetector,
} from "../../lib/resources/kinds/anomaly_detector.ts";
import { createSetting, getSetting, listSettings } from "../../lib/resources/kinds/setting.ts";
import { collect, failure, testPlatform } from "./setting_support.ts";

const ANALYZER = "dt.statistics.ui.anomaly_detection.StaticThresholdAnomalyDetectionAnalyzer";
const OBJECTS = "/platform/classic/environment-api/v2/settings/objects";

const FLAT = {
  title: "Queue backlog",
  description: "Backlog above 1000",
  analyzer: {
    name: ANALYZER,
    input: { query: "timeseries max(queue.backlog)", threshold: 1000, alertCondition: "ABOVE" },
  },
  eventTemplate: { "event.type": "CUSTOM_ALERT", title: "Backlog" },
};

Deno.test("anomaly-detector kind: names, aliases and locking follow the contract", () => {
  assert.equal(anomalyDetectorKind.name, "anomaly-detector");
  assert.equal(anomalyDetectorKind.plural, "anomaly-detectors");
  assert.deepEqual(anomalyDetectorKind.aliases, ["ad"]);
  assert.equal(anomalyDetectorKind.nameField, "title");
  assert.equal(anomalyDetectorKind.locking, "update-token");
});

Deno.test("anomaly detectors are listed and read in the flattened form", async () => {
  const { client, context, requests } = testPlatform();
  const [detector] = await collect(anomalyDetectorKind.list!(context, {}));
  assert.equal(detector.title, "High CPU on build agents");
  assert.equal(detector.enabled, true);
  assert.deepEqual(detector.analyzer, {
    name: ANALYZER,
    input: {
      alertCondition: "ABOVE",
      query: "timeseries avg(dt.host.cpu.usage), by:{dt.entity.host}",
      threshold: "90",
    },
  });
  assert.deepEqual(detector.eventTemplate, { "event.type": "CUSTOM_ALERT", title: "CPU above 90 %" });
  assert.equal(detector.externalId, "demo:anomaly-detector-cpu");
  assert.ok(detector.updateToken);
  assert.equal(requests()[0].query.schemaIds, ANOMALY_DETECTOR_SCHEMA);
  const read = await getAnomalyDetector(client, String(detector.objectId));
  assert.deepEqual(read.analyzer, detector.analyzer);
  const columns = anomalyDetectorKind.columns.filter((c) => !c.wide).map((c) => c.value(detector));
  assert.deepEqual(columns.slice(1), [
    "High CPU on build agents",
    "true",
    "StaticThresholdAnomalyDetectionAnalyzer",
  ]);
});

Deno.test("anomaly detectors resolve by title", async () => {
  const { context } = testPlatform();
  const found = await resolveObject(context, anomalyDetectorKind, "High CPU on build agents");
  assert.equal(found.title, "High CPU on build agents");
  assert.equal(
    (await failure(() => resolveObject(context, anomalyDetectorKind, "No such detector"))).code,
    "not_found",
  );
});

Deno.test("anomaly detector create from the flattened form converts to the settings value", async () => {
  const { client, context, requests } = testPlatform();
  const created = await anomalyDetectorKind.create!(context, {
    ...FLAT,
    externalId: "test:backlog",
  }) as AnomalyDetector;
  assert.equal(created.title, "Queue backlog");
  assert.equal(created.source, "dtctl");
  assert.equal(created.externalId, "test:backlog");
  assert.deepEqual(created.analyzer!.input, {
    alertCondition: "ABOVE",
    query: "timeseries max(queue.backlog)",
    threshold: "1000",
  });
  const post = requests().find((r) => r.method === "POST" && r.path === OBJECTS)!;
  const [item] = post.body as Array<{ schemaId: string; value: { analyzer: { input: unknown[] } } }>;
  assert.equal(item.schemaId, ANOMALY_DETECTOR_SCHEMA);
  assert.deepEqual(item.value.analyzer.input[0], { key: "alertCondition", value: "ABOVE" });
  const raw = await getSetting(client, String(created.objectId));
  assert.deepEqual(raw.value.eventTemplate, {
    properties: [{ key: "event.type", value: "CUSTOM_ALERT" }, { key: "title", value: "Backlog" }],
  });
});

Deno.test("anomaly detector create accepts the raw settings form", async () => {
  const { client } = testPlatform();
  const value = anomalyDetectorValue(FLAT);
  const created = await createAnomalyDetector(client, { schemaId: ANOMALY_DETECTOR_SCHEMA, value });
  assert.equal(created.title, "Queue backlog");
  const wrongSchema = await failure(() =>
    createAnomalyDetector(client, { schemaId: "builtin:alerting.profile", value })
  );
  assert.equal(wrongSchema.code, "usage_error");
});

Deno.test("anomaly detector create reports local validation problems by field path, nothing is sent", async () => {
  const { client, requests } = testPlatform();
  const error = await failure(() => createAnomalyDetector(client, { title: "x", analyzer: {} }));
  assert.equal(error.code, "validation_error");
  assert.match(error.message, /analyzer\.name: required/);
  const neither = await failure(() => createAnomalyDetector(client, { description: "no title" }));
  assert.equal(neither.code, "usage_error");
  assert.equal(requests().filter((r) => r.method === "POST").length, 0);
});

Deno.test("anomaly detector update in the flattened form locks on updateToken; stale is a conflict", async () => {
  const { client, context } = testPlatform();
  const [current] = await collect(listAnomalyDetectors(client));
  const editable = { ...current, enabled: false, eventTemplate: { "event.type": "CUSTOM_ALERT" } };
  const updated = await anomalyDetectorKind.update!(context, current, editable) as AnomalyDetector;
  assert.equal(updated.enabled, false);
  assert.deepEqual(updated.eventTemplate, { "event.type": "CUSTOM_ALERT" });
  assert.notEqual(updated.updateToken, current.updateToken);
  const stale = await failure(() => updateAnomalyDetector(client, current, editable));
  assert.equal(stale.code, "conflict");
  const raw = await updateAnomalyDetector(client, updated, {
    value: anomalyDetectorValue({ ...FLAT, title: "Raw" }),
  });
  assert.equal(raw.title, "Raw");
});

Deno.test("anomaly detector delete locks on updateToken; other schemas are not anomaly detectors", async () => {
  const { client, context } = testPlatform();
  const created = await createAnomalyDetector(client, FLAT);
  await anomalyDetectorKind.delete!(context, created);
  assert.equal((await failure(() => getAnomalyDetector(client, String(created.objectId)))).code, "not_found");
  const [profile] = await collect(listSettings(client, { schemaIds: ["builtin:alerting.profile"] }));
  const other = await failure(() => getAnomalyDetector(client, profile.objectId));
  assert.equal(other.code, "not_found");
  assert.match(other.message, /schema builtin:alerting.profile/);
  const stale = await createAnomalyDetector(client, { ...FLAT, title: "Stale" });
  await updateAnomalyDetector(client, stale, { ...FLAT, title: "Fresh" });
  assert.equal((await failure(() => deleteAnomalyDetector(client, stale))).code, "conflict");
});

Deno.test("anomaly detector safety: readonly refuses writes; readwrite-mine refuses detectors without owner", async () => {
  const readonly = testPlatform({ safety: "readonly" });
  assert.equal((await failure(() => createAnomalyDetector(readonly.client, FLAT))).code, "safety_blocked");
  const mine = testPlatform({ safety: "readwrite-mine" });
  const created = await createAnomalyDetector(mine.client, FLAT);
  const blocked = await failure(() => updateAnomalyDetector(mine.client, created, FLAT));
  assert.equal(blocked.code, "safety_blocked");
});

Deno.test("a detector the flattened form cannot hold is shown in the raw settings form", () => {
  const odd = toAnomalyDetector({
    objectId: "abc",
    schemaId: ANOMALY_DETECTOR_SCHEMA,
    scope: "environment",
    value: { title: "Odd", analyzer: { name: ANALYZER, input: [] }, futureField: 1 },
  });
  assert.deepEqual(odd.value, { title: "Odd", analyzer: { name: ANALYZER, input: [] }, futureField: 1 });
  assert.equal(odd.title, undefined);
  assert.equal(anomalyDetectorKind.columns[1].value(odd), "Odd");
});

Deno.test("anomaly detector describe shows analyzer input and event template", async () => {
  const { client, context } = testPlatform();
  const [detector] = await collect(listAnomalyDetectors(client));
  const sections = await anomalyDetectorKind.describe!(context, detector);
  assert.deepEqual(sections.map((s) => s.title), ["Analyzer", "Event template"]);
  assert.deepEqual(sections[0].table!.rows[2], ["threshold", "90"]);
  await createSetting(client, { schemaId: ANOMALY_DETECTOR_SCHEMA, value: anomalyDetectorValue(FLAT) });
  assert.equal((await collect(listAnomalyDetectors(client))).length, 2);
});
