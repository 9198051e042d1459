/**
 * The `ManagedKind` contract, for every kind against the local platform: create then re-plan finds the object
 * and sees no change (no write on a second apply); an update round-trips; a stale `live` is a conflict
 * (exit 6); only a 404 means absent (500 and 403 throw); delete removes; identity fields are in `desired`.
 */

import assert from "node:assert/strict";
import { semanticEqual } from "../../lib/diff/mod.ts";
import { isDtctlError } from "../../lib/errors/mod.ts";
import { MANAGED_KINDS } from "../../lib/plan/kinds/mod.ts";
import {
  assertConverged,
  createAndReplan,
  envelope,
  failure,
  manifestFrom,
  plan,
  testPlatform,
} from "./kinds_support.ts";

interface Case {
  kind: string;
  name: string;
  spec: Record<string, unknown>;
  /** The spec after an edit. */
  changed: Record<string, unknown>;
  /** Path of the lookup requests (for fault rules). */
  lookup: string;
}

const ANALYZER = "dt.statistics.ui.anomaly_detection.StaticThresholdAnomalyDetectionAnalyzer";

const CASES: Case[] = [
  {
    kind: "Workflow",
    name: "nightly",
    spec: {
      title: "Nightly",
      tasks: {
        fetch: {
          action: "dynatrace.automations:execute-dql-query",
          input: { query: "fetch logs | limit 1" },
        },
        report: {
          action: "dynatrace.automations:run-javascript",
          input: { script: "export default async () => 1;" },
          predecessors: ["fetch"],
          conditions: { states: { fetch: "OK" } },
        },
      },
      trigger: { schedule: { trigger: { type: "cron", cron: "0 2 * * *" } } },
    },
    changed: {
      title: "Nightly v2",
      description: "now described",
      isPrivate: false,
      tasks: { fetch: { action: "dynatrace.automations:execute-dql-query", input: { query: "fetch logs" } } },
    },
    lookup: "/platform/automation/v1/workflows",
  },
  {
    kind: "Dashboard",
    name: "overview",
    spec: { content: { version: 15, tiles: { "0": { type: "markdown", content: "# Hi" } }, layouts: {} } },
    changed: {
      name: "Overview",
      description: "Tiles",
      labels: ["team:sre"],
      content: { version: 15, tiles: { "0": { type: "markdown", content: "# Hello" } }, layouts: {} },
    },
    lookup: "/platform/document/v1/documents",
  },
  {
    kind: "Notebook",
    name: "triage",
    spec: { name: "Triage", content: { version: "7", sections: [{ type: "markdown", markdown: "x" }] } },
    changed: { name: "Triage", isPrivate: false, content: { version: "7", sections: [] } },
    lookup: "/platform/document/v1/documents",
  },
  {
    kind: "Document",
    name: "home",
    spec: { type: "launchpad", content: { blocks: [] } },
    changed: { type: "launchpad", description: "Team home", content: { blocks: [{ type: "markdown" }] } },
    lookup: "/platform/document/v1/documents",
  },
  {
    kind: "SLO",
    name: "availability",
    spec: {
      criteria: [{ timeframeFrom: "now-7d", target: 99 }],
      customSli: { indicator: "timeseries x = avg(a)" },
    },
    changed: {
      description: "Checkout",
      tags: ["team:shop"],
      criteria: [{ timeframeFrom: "now-30d", target: 99.5, warning: 99.8 }],
      customSli: { indicator: "timeseries x = avg(b)" },
    },
    lookup: "/platform/slo/v1/slos",
  },
  {
    kind: "Setting",
    name: "alerting",
    spec: {
      schemaId: "builtin:alerting.profile",
      scope: "environment",
      value: { name: "Payments", severityRules: [{ severityLevel: "ERRORS" }] },
    },
    changed: {
      schemaId: "builtin:alerting.profile",
      scope: "environment",
      value: { name: "Payments", severityRules: [{ severityLevel: "ERRORS", delayInMinutes: 10 }] },
    },
    lookup: "/settings/objects",
  },
  {
    kind: "AnomalyDetector",
    name: "cpu",
    spec: {
      title: "CPU high",
      analyzer: { name: ANALYZER, input: { query: "timeseries avg(dt.host.cpu.usage)", threshold: 90 } },
      eventTemplate: { "event.type": "CUSTOM_ALERT" },
    },
    changed: {
      title: "CPU very high",
      enabled: false,
      analyzer: { name: ANALYZER, input: { query: "timeseries avg(dt.host.cpu.usage)", threshold: 95 } },
      eventTemplate: { "event.type": "CUSTOM_ALERT", "event.name": "CPU" },
    },
    lookup: "/settings/objects",
  },
  {
    kind: "Segment",
    name: "prod",
    spec: { includes: [{ dataObject: "logs", filter: 'k8s.namespace.name = "prod"' }] },
    changed: {
      name: "Production",
      isPublic: true,
      includes: [
        { dataObject: "logs", filter: 'k8s.namespace.name = "prod" AND loglevel = "ERROR"' },
        { dataObject: "spans", filter: 'k8s.namespace.name = "prod"' },
      ],
    },
    lookup: "/platform/storage/filter-segments/v1/filter-segments",
  },
  {
    kind: "Bucket",
    name: "payments-logs",
    spec: { table: "logs", retentionDays: 35 },
    changed: { table: "logs", retentionDays: 90, displayName: "Payments", includedQueryLimitDays: 7 },
    lookup: "/platform/storage/management/v1/bucket-definitions",
  },
];

Deno.test("MANAGED_KINDS: one per manifest kind, each depending only on kinds before it", () => {
  assert.deepEqual(
    MANAGED_KINDS.map((k) => k.manifestKind).sort(),
    [
      "AnomalyDetector",
      "Bucket",
      "Dashboard",
      "Document",
      "Notebook",
      "SLO",
      "Segment",
      "Setting",
      "Workflow",
    ],
  );
  MANAGED_KINDS.forEach((kind, i) => {
    const before = MANAGED_KINDS.slice(0, i).map((k) => k.manifestKind);
    assert.ok(
      kind.dependsOn.every((d) => before.includes(d)),
      `${kind.manifestKind} depends on a later kind`,
    );
    assert.equal(kind.resource.manifestKind, kind.manifestKind);
  });
});

for (const c of CASES) {
  Deno.test(`${c.kind}: create, then the next plan finds it unchanged (no second write)`, async () => {
    const { context, requests } = testPlatform();
    const manifest = await manifestFrom(envelope(c.kind, c.name, c.spec));
    const planned = await createAndReplan(context, manifest, "payments");
    // The desired object carries the identity, so create() can stamp it.
    const identity = planned.identity;
    if (identity.externalId) assert.equal(planned.desired.externalId, identity.externalId);
    else assert.equal(planned.kind.idOf(planned.live), identity.id);
    // Normalising twice changes nothing; normalising without desired stays a fixed point for this spec.
    const once = planned.kind.normalize(planned.live, planned.desired);
    assert.ok(semanticEqual(planned.kind.normalize(planned.live, planned.desired), once));
    const writes = requests().filter((r) => r.method !== "GET").length;
    await plan(context, manifest, "payments");
    assert.equal(requests().filter((r) => r.method !== "GET").length, writes, "planning wrote");
  });

  Deno.test(`${c.kind}: an update round-trips and a stale live object is a conflict (exit 6)`, async () => {
    const { context } = testPlatform();
    const manifest = await manifestFrom(envelope(c.kind, c.name, c.spec));
    const { kind, live: stale } = await createAndReplan(context, manifest, "payments");
    const edited = await manifestFrom(envelope(c.kind, c.name, c.changed));
    const before = await plan(context, edited, "payments");
    assert.ok(!semanticEqual(kind.normalize(before.live!, before.desired), before.desired), "no change seen");
    await kind.update(context, before.live!, before.desired);
    const after = await plan(context, edited, "payments");
    assertConverged(kind, after.live, after.desired);
    assert.notEqual(kind.version(after.live!), kind.version(stale));
    // `stale` was read before the update: writing at its version must not overwrite the newer state.
    const error = await failure(() => kind.update(context, stale, before.desired));
    assert.equal(error.code, "conflict", String(error));
    assert.equal(error.exitCode, 6);
  });

  Deno.test(`${c.kind}: find resolves undefined only on 404; 500 and 403 throw`, async () => {
    const { context, emulator } = testPlatform();
    const manifest = await manifestFrom(envelope(c.kind, c.name, c.spec));
    const { kind, identity } = await plan(context, manifest, "other-stack");
    assert.equal(await kind.find(context, identity), undefined);
    for (const [status, code] of [[500, "server_error"], [403, "permission_denied"]] as const) {
      emulator.faults.addRules([{ method: "GET", pathRegex: c.lookup, status, times: 1 }]);
      const error = await failure(() => kind.find(context, identity));
      assert.ok(isDtctlError(error), String(error));
      assert.equal(error.code, code, String(error));
    }
    // A pinned id that does not exist is absent too (a GET answered 404).
    const pinnedId = c.kind === "Workflow"
      ? "00000000-0000-4000-8000-000000000000"
      : c.kind === "Bucket"
      ? "payments-logs"
      : "doesnotexist1";
    const pinned = await manifestFrom(envelope(c.kind, c.name, c.spec, { "dtctl.io/id": pinnedId }));
    assert.equal(await kind.find(context, kind.identify(pinned, "payments")), undefined);
  });

  Deno.test(`${c.kind}: delete removes the object`, async () => {
    const { context } = testPlatform();
    const manifest = await manifestFrom(envelope(c.kind, c.name, c.spec));
    const { kind, live, identity } = await createAndReplan(context, manifest, "payments");
    await kind.delete(context, live);
    assert.equal(await kind.find(context, identity), undefined);
  });
}

Deno.test("every kind: a manifest applied in two stacks gives two objects", async () => {
  const { context } = testPlatform();
  // Buckets are a natural key (not namespaced); the alerting profile schema wants unique names.
  for (const c of CASES.filter((c) => c.kind !== "Bucket" && c.kind !== "Setting")) {
    const manifest = await manifestFrom(envelope(c.kind, c.name, c.spec));
    const a = await createAndReplan(context, manifest, "stack-a");
    const b = await createAndReplan(context, manifest, "stack-b");
    assert.notEqual(a.kind.idOf(a.live), b.kind.idOf(b.live), c.kind);
    assert.notEqual(a.identity.key, b.identity.key, c.kind);
  }
});

Deno.test("kinds with server ids: a pin to a vanished object never creates an object nothing can find again", async () => {
  const { context } = testPlatform();
  for (const c of CASES.filter((c) => ["SLO", "Setting", "AnomalyDetector", "Segment"].includes(c.kind))) {
    const gone = "vanished00000000";
    const pinned = await manifestFrom(envelope(c.kind, c.name, c.spec, { "dtctl.io/id": gone }));
    const first = await plan(context, pinned, "payments");
    assert.equal(first.live, undefined, c.kind);
    const error = await failure(() => first.kind.create(context, first.desired));
    assert.equal(error.code, "not_found", c.kind);
    assert.match(error.message, /pinned \(dtctl\.io\/id\)/);
    // With an explicit external id, the re-created object is found by it although the pin still misses.
    const withExternal = await manifestFrom(
      envelope(c.kind, c.name, { ...c.spec, externalId: `adopted:${c.kind}` }, { "dtctl.io/id": gone }),
    );
    const second = await plan(context, withExternal, "payments");
    const created = await second.kind.create(context, second.desired);
    const again = await plan(context, withExternal, "payments");
    assert.equal(again.kind.idOf(again.live!), second.kind.idOf(created), c.kind);
    assertConverged(again.kind, again.live, again.desired);
  }
});
