import assert from "node:assert/strict";
import { resolveObject } from "../../lib/resources/registry.ts";
import {
  createSegment,
  deleteSegment,
  getSegment,
  listSegments,
  type Segment,
  segmentKind,
  segmentToEditable,
  segmentToWire,
  updateSegment,
} from "../../lib/resources/kinds/segment.ts";
import { collect, failure, testPlatform } from "./setting_support.ts";

const SEGMENTS = "/platform/storage/filter-segments/v1/filter-segments";

const NEW_SEGMENT = {
  name: "Checkout errors",
  description: "Error logs of checkout",
  isPublic: false,
  includes: [{ dataObject: "logs", filter: 'service.name = "checkout" AND loglevel = "ERROR"' }],
};

Deno.test("segment kind: names, aliases and locking follow the contract", () => {
  assert.equal(segmentKind.name, "segment");
  assert.deepEqual(segmentKind.aliases, ["seg", "filter-segment", "filter-segments"]);
  assert.equal(segmentKind.idField, "uid");
  assert.equal(segmentKind.locking, "version-param");
  assert.equal(segmentKind.looksLikeId!("DemoProdEnv"), true);
  assert.equal(segmentKind.looksLikeId!("Production"), false);
  assert.equal(segmentKind.owner!({ owner: "u1" }), "u1");
});

Deno.test("segment list shows the visible segments without includes", async () => {
  const { context, requests, me } = testPlatform();
  const all = await collect(segmentKind.list!(context, {}));
  assert.deepEqual(all.map((s) => s.name), ["Checkout service", "Kubernetes cluster", "Production"]);
  assert.ok(all.every((s) => s.includes === undefined));
  assert.deepEqual(requests()[0].query["add-fields"], ["VARIABLES", "EXTERNALID", "RESOURCECONTEXT"]);
  const mine = await collect(segmentKind.list!(context, { owner: me }));
  assert.deepEqual(mine.map((s) => s.uid), ["DemoCheckt1", "DemoProdEnv"]);
  const matched = await collect(segmentKind.list!(context, { filter: "prod" }));
  assert.deepEqual(matched.map((s) => s.uid), ["DemoProdEnv"]);
});

Deno.test("segment get returns wire filters; the editable form shows filter text", async () => {
  const { client } = testPlatform();
  const segment = await getSegment(client, "DemoProdEnv");
  assert.equal(segment.includes!.length, 2);
  assert.ok(segment.includes![0].filter.startsWith("{"));
  const editable = segmentKind.toEditable!(segment) as Segment;
  assert.deepEqual(editable.includes!.map((i) => i.filter), [
    'k8s.namespace.name = "prod"',
    'k8s.namespace.name = "prod"',
  ]);
  // The wire object itself is untouched.
  assert.ok(segment.includes![0].filter.startsWith("{"));
});

Deno.test("segment create converts filter text to the filter tree and back", async () => {
  const { client, context, requests, me } = testPlatform();
  const created = await segmentKind.create!(context, { ...NEW_SEGMENT, uid: "ignored0000" }) as Segment;
  assert.notEqual(created.uid, "ignored0000");
  assert.equal(created.owner, me);
  const post = requests().find((r) => r.method === "POST" && r.path === SEGMENTS)!;
  const sent = (post.body as { includes: Array<{ filter: string }> }).includes[0].filter;
  assert.equal(JSON.parse(sent).type, "Group");
  const editable = segmentToEditable(await getSegment(client, created.uid));
  assert.equal((editable.includes as Array<{ filter: string }>)[0].filter, NEW_SEGMENT.includes[0].filter);
});

Deno.test("segment create: filter tree JSON passes through, blank filters stay blank, isPublic defaults", async () => {
  const { client } = testPlatform();
  const tree = (await getSegment(client, "DemoProdEnv")).includes![0].filter;
  const wire = segmentToWire({
    name: "x",
    includes: [{ dataObject: "logs", filter: tree }, { dataObject: "spans", filter: "" }],
  });
  assert.deepEqual((wire.includes as Array<{ filter: string }>).map((i) => i.filter), [tree, ""]);
  const created = await createSegment(client, {
    name: "Tree",
    includes: [{ dataObject: "logs", filter: tree }],
  });
  assert.equal(created.isPublic, false);
  assert.equal(created.includes![0].filter, tree);
});

Deno.test("segment create: bad filter text is a validation error naming the include; nothing is sent", async () => {
  const { client, requests } = testPlatform();
  const error = await failure(() =>
    createSegment(client, {
      name: "bad",
      isPublic: false,
      includes: [{ dataObject: "logs", filter: 'a == "b"' }],
    })
  );
  assert.equal(error.code, "validation_error");
  assert.match(error.message, /includes\[0\]\.filter/);
  assert.equal(requests().filter((r) => r.method === "POST").length, 0);
});

Deno.test("segment update replaces with the version lock; stale versions conflict", async () => {
  const { client, context, requests } = testPlatform();
  const current = await getSegment(client, "DemoCheckt1");
  const editable = segmentToEditable(current);
  delete editable.description;
  editable.includes = [{ dataObject: "logs", filter: 'service.name = "checkout-v2"' }];
  const updated = await segmentKind.update!(context, current, editable) as Segment;
  assert.equal(updated.description, undefined);
  assert.equal(updated.version, current.version! + 1);
  assert.deepEqual(segmentToEditable(updated).includes, [{
    dataObject: "logs",
    filter: 'service.name = "checkout-v2"',
  }]);
  const put = requests().find((r) => r.method === "PUT")!;
  assert.equal(put.query["optimistic-locking-version"], String(current.version));
  assert.equal((put.body as Record<string, unknown>).uid, "DemoCheckt1");

  const stale = await failure(() => updateSegment(client, current, editable));
  assert.equal(stale.code, "conflict");
  assert.equal(stale.exitCode, 6);
});

Deno.test("segment ready-made segments are read-only; readwrite-mine refuses them before any request", async () => {
  const { client } = testPlatform();
  const readyMade = await getSegment(client, "dtRdyK8sCl1");
  const error = await failure(() => updateSegment(client, readyMade, { name: "mine now" }));
  assert.equal(error.code, "permission_denied");

  const mine = testPlatform({ safety: "readwrite-mine" });
  const own = await getSegment(mine.client, "DemoCheckt1");
  await updateSegment(mine.client, own, { ...segmentToEditable(own), name: "Renamed" });
  const refused = await failure(() => deleteSegment(mine.client, readyMade));
  assert.equal(refused.code, "safety_blocked");
  assert.match(refused.message, /owned by "dynatrace"/);
});

Deno.test("segment delete, and readonly refuses writes", async () => {
  const { client, context } = testPlatform();
  await segmentKind.delete!(context, await getSegment(client, "DemoCheckt1"));
  assert.equal((await failure(() => getSegment(client, "DemoCheckt1"))).code, "not_found");
  assert.equal((await collect(listSegments(client))).length, 2);
  const readonly = testPlatform({ safety: "readonly" });
  assert.equal((await failure(() => createSegment(readonly.client, NEW_SEGMENT))).code, "safety_blocked");
});

Deno.test("segment names resolve by name or uid; duplicates are ambiguous", async () => {
  const { client, context } = testPlatform();
  assert.equal((await resolveObject(context, segmentKind, "Production")).uid, "DemoProdEnv");
  assert.equal((await resolveObject(context, segmentKind, "DemoProdEnv")).name, "Production");
  await createSegment(client, { ...NEW_SEGMENT, name: "Production" });
  const ambiguous = await failure(() => resolveObject(context, segmentKind, "Production"));
  assert.equal(ambiguous.code, "usage_error");
  assert.match(ambiguous.message, /ambiguous/);
  const missing = await failure(() => resolveObject(context, segmentKind, "Nope"));
  assert.equal(missing.code, "not_found");
});

Deno.test("segment describe shows includes as filter text and variables", async () => {
  const { client, context } = testPlatform();
  const sections = await segmentKind.describe!(context, await getSegment(client, "dtRdyK8sCl1"));
  assert.deepEqual(sections.map((s) => s.title), ["Includes", "Variables"]);
  assert.deepEqual(sections[0].table!.rows, [["_all_data_object", 'k8s.cluster.name = "$entity.name"', ""]]);
});
