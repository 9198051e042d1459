/**
 * Segment filters compared as normalised filter text; bucket fields the server chooses, compared only when
 * set and exported without loss; read-only objects.
 */

import assert from "node:assert/strict";
import { semanticEqual } from "../../lib/diff/mod.ts";
import { managedKind } from "../../lib/plan/kinds/mod.ts";
import { getSegment } from "../../lib/resources/kinds/segment.ts";
import { createAndReplan, envelope, failure, manifestFrom, plan, testPlatform } from "./kinds_support.ts";

const segment = managedKind("Segment");
const bucket = managedKind("Bucket");

Deno.test("segment: filters differing only in spelling (spaces, case, parentheses, implicit AND) are unchanged", async () => {
  const { context } = testPlatform();
  const manifest = await manifestFrom(envelope("Segment", "prod", {
    includes: [{ dataObject: "logs", filter: 'k8s.namespace.name = "prod" AND loglevel = "ERROR"' }],
  }));
  const { live } = await createAndReplan(context, manifest, "s");
  for (
    const filter of [
      'k8s.namespace.name="prod" loglevel="ERROR"',
      '(k8s.namespace.name = "prod") and (loglevel = "ERROR")',
      "  k8s.namespace.name  =  prod   AND loglevel = ERROR ",
    ]
  ) {
    const respelled = await manifestFrom(
      envelope("Segment", "prod", { includes: [{ dataObject: "logs", filter }] }),
    );
    const next = await plan(context, respelled, "s");
    assert.ok(semanticEqual(segment.normalize(next.live!, next.desired), next.desired), filter);
  }
  // The filter tree as the API stores it is accepted as well.
  const tree = (await getSegment(context.client, String(live.uid))).includes![0].filter;
  const asTree = await manifestFrom(
    envelope("Segment", "prod", { includes: [{ dataObject: "logs", filter: tree }] }),
  );
  const next = await plan(context, asTree, "s");
  assert.ok(semanticEqual(segment.normalize(next.live!, next.desired), next.desired));
  const different = await manifestFrom(
    envelope("Segment", "prod", { includes: [{ dataObject: "logs", filter: 'k8s.namespace.name = "dev"' }] }),
  );
  const changed = await plan(context, different, "s");
  assert.ok(!semanticEqual(segment.normalize(changed.live!, changed.desired), changed.desired));
});

Deno.test("segment: a bad filter is an error located at the include's filter", async () => {
  const manifest = await manifestFrom(envelope("Segment", "prod", {
    includes: [{ dataObject: "logs", filter: 'a = "b"' }, { dataObject: "logs", filter: 'a == "b"' }],
  }));
  const error = await failure(() =>
    Promise.resolve(segment.desired(manifest, "s", segment.identify(manifest, "s"), new Map()))
  );
  assert.equal(error.code, "validation_error");
  assert.match(error.message, /^-:1:\d+: Segment\/prod: /);
  assert.ok(error.message.includes("includes[1].filter"), error.message);
});

Deno.test("segment: ready-made segments are read-only; others export readable filters that diff as unchanged", async () => {
  const { context } = testPlatform();
  const all = await Array.fromAsync(segment.list(context));
  const readyMade = all.filter((s) => segment.readOnly!(s) !== undefined);
  assert.deepEqual(readyMade.map((s) => s.uid), ["dtRdyK8sCl1"]);
  const prod = all.find((s) => s.uid === "DemoProdEnv")!;
  const { name, spec } = segment.toManifest(prod);
  assert.equal(name, "production");
  assert.deepEqual((spec.includes as { filter: string }[]).map((i) => i.filter), [
    'k8s.namespace.name = "prod"',
    'k8s.namespace.name = "prod"',
  ]);
  const manifest = await manifestFrom(envelope("Segment", name, spec, { "dtctl.io/id": "DemoProdEnv" }));
  const planned = await plan(context, manifest, "other");
  assert.ok(semanticEqual(segment.normalize(planned.live!, planned.desired), planned.desired));
});

Deno.test("bucket: includedQueryLimitDays and friends are compared only when set; an update keeps them", async () => {
  const { context } = testPlatform();
  const manifest = await manifestFrom(envelope("Bucket", "pay-logs", { table: "logs", retentionDays: 35 }));
  const { live, desired } = await createAndReplan(context, manifest, "s");
  assert.equal(live.includedQueryLimitDays, 0);
  assert.equal(live.bucketClass, "live");
  assert.equal(bucket.normalize(live, desired).includedQueryLimitDays, undefined);
  const limited = await manifestFrom(
    envelope("Bucket", "pay-logs", { table: "logs", retentionDays: 35, includedQueryLimitDays: 7 }),
  );
  const next = await plan(context, limited, "s");
  assert.ok(!semanticEqual(bucket.normalize(next.live!, next.desired), next.desired));
  const updated = await bucket.update(context, next.live!, next.desired);
  assert.equal(updated.includedQueryLimitDays, 7);
  // Back to the manifest without the field: unchanged, and a retention change keeps the limit.
  const longer = await manifestFrom(envelope("Bucket", "pay-logs", { table: "logs", retentionDays: 60 }));
  const third = await plan(context, longer, "s");
  const after = await bucket.update(context, third.live!, third.desired);
  assert.equal(after.includedQueryLimitDays, 7);
  assert.equal(after.retentionDays, 60);
  // Export writes the limit, so the exported manifest reproduces it (the Go dtctl lost it).
  const { name, spec } = bucket.toManifest(after);
  assert.equal(name, "pay-logs");
  assert.equal(spec.includedQueryLimitDays, 7);
  assert.equal(spec.bucketName, undefined);
});

Deno.test("bucket: built-in buckets are read-only; a name the manifest rule cannot hold keeps bucketName", async () => {
  const { context } = testPlatform();
  const all = await Array.fromAsync(bucket.list(context));
  assert.deepEqual(
    all.filter((b) => bucket.readOnly!(b)).map((b) => b.bucketName).sort(),
    [
      "default_bizevents",
      "default_events",
      "default_logs",
      "default_metrics",
      "default_securityevents",
      "default_spans",
    ],
  );
  const odd = bucket.toManifest({
    bucketName: "logs_x_",
    table: "logs",
    retentionDays: 3,
    version: 1,
    status: "active",
  });
  assert.equal(odd.name, "logs_x");
  assert.equal(odd.spec.bucketName, "logs_x_");
  assert.equal(odd.spec.version, undefined);
});
