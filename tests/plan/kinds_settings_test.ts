/**
 * Setting and AnomalyDetector rules: schema defaults the server fills in are ignored only where the manifest
 * omits them (a non-default value is still a change), schemaVersion only when set, references between
 * settings, both anomaly-detector forms, and the detector actor.
 */

import assert from "node:assert/strict";
import { semanticEqual } from "../../lib/diff/mod.ts";
import { loadManifests } from "../../lib/manifest/mod.ts";
import { managedKind } from "../../lib/plan/kinds/mod.ts";
import { updateSetting } from "../../lib/resources/kinds/setting.ts";
import type { SettingsObject } from "../../lib/resources/kinds/setting.ts";
import { createAndReplan, envelope, failure, manifestFrom, plan, testPlatform } from "./kinds_support.ts";

const setting = managedKind("Setting");
const detector = managedKind("AnomalyDetector");
const ANALYZER = "dt.statistics.ui.anomaly_detection.StaticThresholdAnomalyDetectionAnalyzer";

const PROFILE = {
  schemaId: "builtin:alerting.profile",
  scope: "environment",
  value: { name: "Payments", severityRules: [{ severityLevel: "ERRORS" }] },
};

Deno.test("setting: server-filled schema defaults are ignored only where the manifest omits them", async () => {
  const { context, client } = testPlatform();
  const manifest = await manifestFrom(envelope("Setting", "p", PROFILE));
  const { live, desired } = await createAndReplan(context, manifest, "s");
  const value = live.value as { severityRules: Record<string, unknown>[]; eventFilters: unknown[] };
  assert.deepEqual(value.severityRules[0], {
    severityLevel: "ERRORS",
    delayInMinutes: 0,
    tagFilterIncludeMode: "NONE",
    tagFilter: [],
  });
  assert.deepEqual(value.eventFilters, []);
  // Without the desired object nothing can be known about defaults: the value is compared as it is.
  assert.ok(!semanticEqual(setting.normalize(live), desired));
  // Spelled out, the defaults compare equal too.
  const explicit = await manifestFrom(envelope("Setting", "p", {
    ...PROFILE,
    value: {
      name: "Payments",
      severityRules: [{ severityLevel: "ERRORS", delayInMinutes: 0 }],
      eventFilters: [],
    },
  }));
  const again = await plan(context, explicit, "s");
  assert.ok(semanticEqual(setting.normalize(again.live!, again.desired), again.desired));
  // Someone sets a non-default value the manifest does not mention: that is a change.
  const changed = await updateSetting(client, live as SettingsObject, {
    value: { ...live.value as object, severityRules: [{ severityLevel: "ERRORS", delayInMinutes: 15 }] },
  });
  const drift = setting.normalize(changed, desired);
  assert.ok(!semanticEqual(drift, desired));
  assert.equal(
    (drift.value as { severityRules: { delayInMinutes: number }[] }).severityRules[0].delayInMinutes,
    15,
  );
});

Deno.test("setting: schemaVersion is compared only when the manifest sets it", async () => {
  const { context } = testPlatform();
  const manifest = await manifestFrom(envelope("Setting", "p", PROFILE));
  const { live, desired } = await createAndReplan(context, manifest, "s");
  assert.equal(live.schemaVersion, "8.5.1");
  assert.equal(setting.normalize(live, desired).schemaVersion, undefined);
  const pinned = await manifestFrom(envelope("Setting", "p", { ...PROFILE, schemaVersion: "8.5.1" }));
  const next = await plan(context, pinned, "s");
  assert.ok(semanticEqual(setting.normalize(next.live!, next.desired), next.desired));
});

Deno.test("setting: a reference to another setting resolves to its object id", async () => {
  const { manifests } = await loadManifests({
    paths: ["-"],
    cwd: Deno.cwd(),
    readStdin: () =>
      Promise.resolve([
        envelope("Setting", "profile", PROFILE),
        envelope("Setting", "mail", {
          schemaId: "builtin:problem.notifications",
          scope: "environment",
          value: {
            displayName: "Mail the team",
            type: "EMAIL",
            alertingProfile: { $ref: "Setting/profile" },
            emailNotification: { recipients: ["team@example.com"], subject: "s", body: "b" },
          },
        }),
      ].join("\n---\n")),
  });
  const { context } = testPlatform();
  const profile = await createAndReplan(context, manifests[0], "s");
  const references = new Map([["Setting/profile", setting.idOf(profile.live)]]);
  const mail = await createAndReplan(context, manifests[1], "s", references);
  assert.equal((mail.live.value as { alertingProfile: string }).alertingProfile, setting.idOf(profile.live));
});

Deno.test("setting: unknown spec fields and the anomaly-detector schema are errors", async () => {
  for (
    const [spec, text] of [
      [{ ...PROFILE, insertAfter: "" }, "insertAfter is not supported"],
      [{ ...PROFILE, vaule: {} }, 'unknown field "vaule"'],
      [{ ...PROFILE, schemaId: "builtin:davis.anomaly-detectors" }, "kind AnomalyDetector"],
    ] as const
  ) {
    const manifest = await manifestFrom(envelope("Setting", "p", spec));
    const error = await failure(() =>
      Promise.resolve(setting.desired(manifest, "s", setting.identify(manifest, "s"), new Map()))
    );
    assert.equal(error.code, "validation_error");
    assert.ok(error.message.includes(text), error.message);
  }
});

const FLAT = {
  title: "CPU high",
  analyzer: { name: ANALYZER, input: { query: "timeseries avg(dt.host.cpu.usage)", threshold: 90 } },
  eventTemplate: { "event.type": "CUSTOM_ALERT" },
};

Deno.test("anomaly detector: the flattened and the raw settings form are the same desired object", async () => {
  const { context } = testPlatform();
  const flat = await manifestFrom(envelope("AnomalyDetector", "cpu", FLAT));
  await createAndReplan(context, flat, "s");
  const raw = await manifestFrom(envelope("AnomalyDetector", "cpu", {
    schemaId: "builtin:davis.anomaly-detectors",
    value: {
      title: "CPU high",
      enabled: true,
      source: "dtctl",
      analyzer: {
        name: ANALYZER,
        input: [{ key: "threshold", value: "90" }, {
          key: "query",
          value: "timeseries avg(dt.host.cpu.usage)",
        }],
      },
      eventTemplate: { properties: [{ key: "event.type", value: "CUSTOM_ALERT" }] },
    },
  }));
  const planned = await plan(context, raw, "s");
  assert.ok(planned.live);
  assert.ok(semanticEqual(detector.normalize(planned.live, planned.desired), planned.desired));
});

Deno.test("anomaly detector: the actor is compared only when set; other scopes and bad values are errors", async () => {
  const { context } = testPlatform();
  const actor = "6f1c9a52-3d7e-4b8a-9c21-5e0d4f7a8b13";
  const withActor = await manifestFrom(
    envelope("AnomalyDetector", "cpu", { ...FLAT, executionSettings: { actor, queryOffset: 5 } }),
  );
  const { live } = await createAndReplan(context, withActor, "s");
  const bare = await manifestFrom(
    envelope("AnomalyDetector", "cpu", { ...FLAT, executionSettings: { queryOffset: 5 } }),
  );
  const next = await plan(context, bare, "s");
  assert.ok(semanticEqual(detector.normalize(live, next.desired), next.desired));
  assert.equal(
    (detector.toManifest(live).spec.executionSettings as Record<string, unknown>).actor,
    undefined,
  );
  const scoped = await manifestFrom(envelope("AnomalyDetector", "cpu", { ...FLAT, scope: "HOST-1" }));
  const error = await failure(() =>
    Promise.resolve(detector.desired(scoped, "s", detector.identify(scoped, "s"), new Map()))
  );
  assert.match(error.message, /scope environment only/);
  const invalid = await manifestFrom(envelope("AnomalyDetector", "cpu", { ...FLAT, title: "x" }));
  const problem = await failure(() =>
    Promise.resolve(detector.desired(invalid, "s", detector.identify(invalid, "s"), new Map()))
  );
  assert.equal(problem.code, "validation_error");
  assert.match(problem.message, /^-:1:\d+: AnomalyDetector\/cpu: .*title/);
});

Deno.test("anomaly detector: toManifest of the demo detector diffs as unchanged", async () => {
  const { context } = testPlatform();
  const [live] = await Array.fromAsync(detector.list(context));
  const { name, spec } = detector.toManifest(live);
  assert.equal(name, "high-cpu-on-build-agents");
  assert.equal(spec.externalId, "demo:anomaly-detector-cpu");
  const manifest = await manifestFrom(
    envelope("AnomalyDetector", name, spec, { "dtctl.io/id": detector.idOf(live) }),
  );
  const planned = await plan(context, manifest, "other");
  assert.ok(semanticEqual(detector.normalize(planned.live!, planned.desired), planned.desired));
});

Deno.test("setting: export lists every schema but the detectors' with what tells read-only objects", async () => {
  const { context } = testPlatform();
  const listed = await Array.fromAsync(setting.list(context));
  assert.deepEqual(listed.map((o) => o.schemaId), ["builtin:alerting.profile"]);
  assert.equal((listed[0].modificationInfo as { modifiable: boolean }).modifiable, true);
  assert.equal(setting.readOnly!(listed[0]), undefined);
  assert.equal(setting.readOnly!({ modificationInfo: { modifiable: false } }), "read-only settings object");
  assert.equal(setting.readOnly!({ resourceContext: { operations: ["read"] } }), "read-only settings object");
  const { name, spec } = setting.toManifest(listed[0]);
  assert.equal(name, "default");
  assert.deepEqual(Object.keys(spec), ["externalId", "schemaId", "scope", "value"]);
  const narrowed = await Array.fromAsync(setting.list(context, { type: "builtin:problem.notifications" }));
  assert.deepEqual(narrowed, []);
});
