/**
 * Dashboard, Notebook and Document normalisation: content compared as parsed JSON, server nulls and empty
 * labels, the isPrivate default, text content, the trash holding an id, and ids of other document types.
 */

import assert from "node:assert/strict";
import { semanticEqual } from "../../lib/diff/mod.ts";
import { managedKind } from "../../lib/plan/kinds/mod.ts";
import { createAndReplan, envelope, failure, manifestFrom, plan, testPlatform } from "./kinds_support.ts";
import { collect } from "../resources/setting_support.ts";
import { documentKind } from "../../lib/resources/kinds/document.ts";

const dashboard = managedKind("Dashboard");

Deno.test("dashboard: content is compared as data (key order and formatting do not count)", async () => {
  const { context } = testPlatform();
  const content = { version: 15, tiles: { "0": { type: "markdown", content: "x" } }, layouts: {} };
  const manifest = await manifestFrom(envelope("Dashboard", "d", { content }));
  const { live } = await createAndReplan(context, manifest, "s");
  const reordered = await manifestFrom(
    envelope("Dashboard", "d", {
      content: { layouts: {}, tiles: { "0": { content: "x", type: "markdown" } }, version: 15 },
    }),
  );
  const again = await plan(context, reordered, "s");
  assert.ok(semanticEqual(dashboard.normalize(again.live!, again.desired), again.desired));
  // The server answers description: null and labels: []; both mean "none".
  assert.equal(live.description, null);
  assert.deepEqual(live.labels, []);
  assert.equal(dashboard.normalize(live).description, undefined);
  assert.equal(dashboard.normalize(live).labels, undefined);
});

Deno.test("dashboard: isPrivate defaults to true; false round-trips and differs from the default", async () => {
  const { context } = testPlatform();
  const manifest = await manifestFrom(envelope("Dashboard", "d", { isPrivate: false, content: {} }));
  const { live } = await createAndReplan(context, manifest, "s");
  assert.equal(live.isPrivate, false);
  const implicit = await manifestFrom(envelope("Dashboard", "d", { content: {} }));
  const next = await plan(context, implicit, "s");
  assert.equal(next.desired.isPrivate, true);
  assert.ok(!semanticEqual(dashboard.normalize(next.live!, next.desired), next.desired));
});

Deno.test("document: text content keeps its content type; JSON content types read back as JSON", async () => {
  const { context } = testPlatform();
  const text = await manifestFrom(envelope("Document", "note", { type: "acme:note", content: "# hello\n" }));
  const planned = await createAndReplan(context, text, "s");
  assert.equal(planned.desired.contentType, "text/plain");
  const markdown = await manifestFrom(
    envelope("Document", "md", { type: "acme:note", content: "# hi", contentType: "text/markdown" }),
  );
  const md = await createAndReplan(context, markdown, "s");
  assert.equal(md.live.contentType, "text/markdown");
  const json = await manifestFrom(
    envelope("Document", "js", { type: "acme:cfg", content: '{"a": [1]}', contentType: "application/json" }),
  );
  const js = await createAndReplan(context, json, "s");
  assert.equal(js.desired.contentType, undefined);
  assert.deepEqual(js.live.content, { a: [1] });
  const broken = await manifestFrom(
    envelope("Document", "bad", { type: "acme:cfg", content: "{", contentType: "application/json" }),
  );
  const kind = managedKind("Document");
  const error = await failure(() =>
    Promise.resolve(kind.desired(broken, "s", kind.identify(broken, "s"), new Map()))
  );
  assert.match(error.message, /spec.content is not JSON/);
});

Deno.test("document: an id held by a trashed document is a conflict that says how to free it", async () => {
  const { context } = testPlatform();
  const manifest = await manifestFrom(envelope("Dashboard", "d", { content: {} }));
  const { live, identity, desired } = await createAndReplan(context, manifest, "s");
  await dashboard.delete(context, live);
  assert.equal(await dashboard.find(context, identity), undefined);
  const error = await failure(() => dashboard.create(context, desired));
  assert.equal(error.code, "conflict");
  assert.equal(error.exitCode, 6);
  assert.match((error as unknown as { hint: string }).hint, /dtctl restore trash .*dtctl delete trash/);
});

Deno.test("dashboard: an id taken by a notebook is an error, never 'absent'", async () => {
  const { context } = testPlatform();
  const manifest = await manifestFrom(
    envelope("Dashboard", "d", { content: {} }, { "dtctl.io/id": "demo-notebook-logs" }),
  );
  const error = await failure(() => dashboard.find(context, dashboard.identify(manifest, "s")));
  assert.equal(error.code, "not_found");
  assert.match(error.message, /is a notebook/);
});

Deno.test("document: unknown spec fields are errors; exported server fields are tolerated", async () => {
  const typo = await manifestFrom(envelope("Notebook", "n", { content: {}, lables: ["x"] }));
  const kind = managedKind("Notebook");
  const error = await failure(() =>
    Promise.resolve(kind.desired(typo, "s", kind.identify(typo, "s"), new Map()))
  );
  assert.match(error.message, /unknown field "lables"/);
  const exported = await manifestFrom(
    envelope("Notebook", "n", { content: {}, isReshareable: true, externalId: null }),
  );
  assert.equal(kind.desired(exported, "s", kind.identify(exported, "s"), new Map()).isReshareable, undefined);
});

Deno.test("document: export lists other types only; dashboards and notebooks have their own kinds", async () => {
  const { context } = testPlatform();
  const kind = managedKind("Document");
  const listed = await collect(kind.list(context));
  assert.deepEqual(listed.map((d) => d.type), ["launchpad"]);
  assert.ok(listed.every((d) => d.content !== undefined));
  const all = await collect(documentKind.list!(context, {}));
  assert.ok(all.some((d) => d.type === "dashboard"));
  const { name, spec, content } = kind.toManifest(listed[0]);
  assert.equal(name, "team-home");
  assert.equal(spec.content, undefined);
  assert.equal(spec.type, "launchpad");
  assert.ok(content);
});
