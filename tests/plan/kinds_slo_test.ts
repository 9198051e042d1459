/**
 * SLO rules: template SLOs (`sliReference`) round-trip whole, server defaults, lookup by external id with the
 * list fallback, segment references.
 */

import assert from "node:assert/strict";
import { semanticEqual } from "../../lib/diff/mod.ts";
import { loadManifests } from "../../lib/manifest/mod.ts";
import { managedKind } from "../../lib/plan/kinds/mod.ts";
import { createAndReplan, envelope, manifestFrom, plan, testPlatform } from "./kinds_support.ts";

const kind = managedKind("SLO");

const TEMPLATE_SLO = {
  criteria: [{ timeframeFrom: "now-7d", target: 99.5, warning: 99.8 }],
  sliReference: { templateId: "tpl-host-cpu", variables: [{ name: "hosts", value: '"HOST-1"' }] },
  tags: ["team:shop"],
};

Deno.test("slo: a template SLO keeps its sliReference through create, update and export", async () => {
  const { context } = testPlatform();
  const manifest = await manifestFrom(envelope("SLO", "cpu", TEMPLATE_SLO));
  const { live } = await createAndReplan(context, manifest, "s");
  assert.deepEqual(live.sliReference, TEMPLATE_SLO.sliReference);
  const changed = await manifestFrom(envelope("SLO", "cpu", {
    ...TEMPLATE_SLO,
    sliReference: { templateId: "tpl-host-cpu", variables: [{ name: "hosts", value: '"HOST-2"' }] },
  }));
  const next = await plan(context, changed, "s");
  const updated = await kind.update(context, next.live!, next.desired);
  assert.deepEqual((updated.sliReference as { variables: unknown[] }).variables, [{
    name: "hosts",
    value: '"HOST-2"',
  }]);
  const { spec } = kind.toManifest(updated);
  assert.deepEqual(spec.sliReference, {
    templateId: "tpl-host-cpu",
    variables: [{ name: "hosts", value: '"HOST-2"' }],
  });
  assert.equal(spec.externalId, "dtctl:s:SLO:cpu");
  assert.equal(spec.id, undefined);
  assert.equal(spec.version, undefined);
});

Deno.test("slo: timeframeTo defaults to now and empty tags mean none", async () => {
  const bare = await manifestFrom(envelope("SLO", "x", {
    criteria: [{ timeframeFrom: "now-1d", target: 90 }],
    customSli: { indicator: "i", filterSegments: [] },
  }));
  const spelled = await manifestFrom(envelope("SLO", "x", {
    tags: [],
    description: "",
    criteria: [{ timeframeFrom: "now-1d", timeframeTo: "now", target: 90, warning: null }],
    customSli: { indicator: "i" },
  }));
  const identity = kind.identify(bare, "s");
  assert.ok(
    semanticEqual(
      kind.desired(bare, "s", identity, new Map()),
      kind.desired(spelled, "s", identity, new Map()),
    ),
  );
});

Deno.test("slo: found by external id, also when the server refuses the externalId filter (list fallback)", async () => {
  const { context, emulator, requests } = testPlatform();
  const manifest = await manifestFrom(
    envelope("SLO", "x", {
      criteria: [{ timeframeFrom: "now-1d", target: 90 }],
      customSli: { indicator: "i" },
    }),
  );
  const { live, identity } = await createAndReplan(context, manifest, "s");
  assert.ok(
    requests().some((r) =>
      r.path === "/platform/slo/v1/slos" && String(r.query.filter).startsWith("externalId ==")
    ),
  );
  emulator.faults.addRules([{ method: "GET", pathRegex: "filter=externalId", status: 400, times: 1 }]);
  const found = await kind.find(context, identity);
  assert.equal(found?.id, live.id);
  const last = requests().filter((r) => r.path === "/platform/slo/v1/slos").at(-1)!;
  assert.equal(last.query.filter, undefined, "the fallback lists without the filter");
  // Another stack's SLO with the same name is not a match.
  assert.equal(await kind.find(context, kind.identify(manifest, "t")), undefined);
});

Deno.test("slo: a filter segment given as a reference resolves to the segment's id", async () => {
  const { manifests } = await loadManifests({
    paths: ["-"],
    cwd: Deno.cwd(),
    readStdin: () =>
      Promise.resolve([
        envelope("Segment", "prod", { includes: [{ dataObject: "logs", filter: 'a = "b"' }] }),
        envelope("SLO", "x", {
          criteria: [{ timeframeFrom: "now-1d", target: 90 }],
          customSli: { indicator: "i", filterSegments: [{ id: { $ref: "Segment/prod" } }] },
        }),
      ].join("\n---\n")),
  });
  const { context } = testPlatform();
  const segment = await createAndReplan(context, manifests[0], "s");
  const uid = segment.kind.idOf(segment.live);
  const references = new Map([["Segment/prod", uid]]);
  const slo = await createAndReplan(context, manifests[1], "s", references);
  assert.deepEqual((slo.live.customSli as { filterSegments: unknown }).filterSegments, [{ id: uid }]);
});
