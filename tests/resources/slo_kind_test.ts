import assert from "node:assert/strict";
import {
  createSlo,
  deleteSlo,
  evaluateSlo,
  getSlo,
  listSlos,
  listSloTemplates,
  type Slo,
  sloHasTags,
  sloKind,
  updateSlo,
} from "../../lib/resources/kinds/slo.ts";
import { collect, failure, testPlatform } from "./setting_support.ts";

const NEW_SLO = {
  name: "API latency",
  description: "p90 under 300 ms",
  tags: ["team:api"],
  criteria: [{ timeframeFrom: "now-7d", timeframeTo: "now", target: 95, warning: 97 }],
  customSli: { indicator: "timeseries sli = avg(dt.service.request.response_time)" },
};

Deno.test("slo kind: names, aliases and locking follow the contract", () => {
  assert.equal(sloKind.name, "slo");
  assert.equal(sloKind.plural, "slos");
  assert.equal(sloKind.locking, "version-param");
  assert.deepEqual(sloKind.serverFields, ["id", "version"]);
  assert.equal(sloKind.looksLikeId!("demoCheckoutAvail"), true);
  assert.equal(sloKind.looksLikeId!("Checkout availability"), false);
  assert.equal(sloKind.looksLikeId!("checkout"), false);
  assert.equal(sloKind.owner, undefined);
});

Deno.test("slo list returns the demo SLOs and filters by tag labels", async () => {
  const { context } = testPlatform();
  const all = await collect(sloKind.list!(context, {}));
  assert.deepEqual(all.map((s) => s.name).sort(), ["Build agents CPU headroom", "Checkout availability"]);
  const shop = await collect(sloKind.list!(context, { labels: ["team=shop"] }));
  assert.deepEqual(shop.map((s) => s.id), ["demoCheckoutAvail"]);
  const team = await collect(sloKind.list!(context, { labels: ["team"] }));
  assert.equal(team.length, 2);
  assert.equal(sloHasTags({ tags: ["tier:1"] }, ["tier:1"]), true);
  assert.equal(sloHasTags({ tags: ["tier:1"] }, ["tier=2"]), false);
});

Deno.test("slo list pages with page-key and drops page-size on later pages", async () => {
  const { client, context, requests } = testPlatform();
  for (let i = 0; i < 5; i++) await createSlo(client, { ...NEW_SLO, name: `SLO ${i}` });
  const names = (await collect(sloKind.list!(context, { chunkSize: 2 }))).map((s) => s.name);
  assert.equal(names.length, 7);
  assert.equal(new Set(names).size, 7);
  const lists = requests().filter((r) => r.method === "GET" && r.path === "/platform/slo/v1/slos");
  assert.equal(lists.length, 4);
  assert.equal(lists[0].query["page-size"], "2");
  assert.equal(lists[0].query["page-key"], undefined);
  for (const later of lists.slice(1)) {
    assert.ok(later.query["page-key"]);
    assert.equal(later.query["page-size"], undefined);
  }
});

Deno.test("slo server-side filter is passed through", async () => {
  const { context, requests } = testPlatform();
  const found = await collect(sloKind.list!(context, { filter: "name contains 'Checkout'" }));
  assert.deepEqual(found.map((s) => s.id), ["demoCheckoutAvail"]);
  assert.equal(requests().at(-1)!.query.filter, "name contains 'Checkout'");
});

Deno.test("slo get keeps sliReference; an unknown id is not_found naming the slo", async () => {
  const { client } = testPlatform();
  const slo = await getSlo(client, "demoCheckoutAvail");
  assert.equal(slo.sliReference?.templateId, "tpl-service-availability");
  const error = await failure(() => getSlo(client, "nope-nope-nope"));
  assert.equal(error.code, "not_found");
  assert.match(error.message, /slo "nope-nope-nope" not found/);
});

Deno.test("slo create, update with the version lock, stale update is a conflict, delete", async () => {
  const { client, context, requests } = testPlatform();
  const created = await sloKind.create!(context, { ...NEW_SLO, id: "ignored", version: "ignored" }) as Slo;
  assert.notEqual(created.id, "ignored");
  assert.equal(created.name, "API latency");
  const post = requests().find((r) => r.method === "POST" && r.path === "/platform/slo/v1/slos")!;
  assert.equal((post.body as Record<string, unknown>).id, undefined);

  const updated = await sloKind.update!(context, created, { ...NEW_SLO, name: "API latency (p90)" }) as Slo;
  assert.equal(updated.name, "API latency (p90)");
  assert.notEqual(updated.version, created.version);
  const put = requests().find((r) => r.method === "PUT")!;
  assert.equal(put.query["optimistic-locking-version"], created.version);

  const stale = await failure(() => updateSlo(client, created, { ...NEW_SLO, name: "lost write" }));
  assert.equal(stale.code, "conflict");
  assert.equal(stale.exitCode, 6);

  const staleDelete = await failure(() => deleteSlo(client, created));
  assert.equal(staleDelete.code, "conflict");
  await sloKind.delete!(context, updated);
  assert.equal((await failure(() => getSlo(client, created.id))).code, "not_found");
});

Deno.test("slo create reports the server's constraint violations", async () => {
  const { client } = testPlatform();
  const error = await failure(() => createSlo(client, { name: "bad", criteria: [] }));
  assert.equal(error.code, "validation_error");
  assert.match(error.message, /criteria/);
});

Deno.test("slo writes pass the safety guard: readonly refuses create, readwrite-mine refuses updates", async () => {
  const readonly = testPlatform({ safety: "readonly" });
  const refused = await failure(() => createSlo(readonly.client, NEW_SLO));
  assert.equal(refused.code, "safety_blocked");
  assert.equal(refused.exitCode, 5);
  assert.equal(readonly.requests().filter((r) => r.method === "POST").length, 0);

  const mine = testPlatform({ safety: "readwrite-mine" });
  const created = await createSlo(mine.client, NEW_SLO);
  // SLOs have no owner, and readwrite-mine never guesses one.
  const update = await failure(() => updateSlo(mine.client, created, NEW_SLO));
  assert.equal(update.code, "safety_blocked");
});

Deno.test("slo evaluate returns the evaluation result", async () => {
  const { client } = testPlatform();
  const result = await evaluateSlo(client, "demoHostCpuIdle01");
  assert.equal(result.evaluationResults.length, 1);
  assert.equal(result.evaluationResults[0].criteria, "now-1d - now");
  assert.ok(["SUCCESS", "WARNING", "FAILURE", "ERROR"].includes(result.evaluationResults[0].status));
  assert.ok(result.metadata?.evaluatedSliQuery?.startsWith("timeseries"));
});

Deno.test("slo evaluate polls with the evaluation token when the server answers 202", async () => {
  const { client, requests } = testPlatform({
    emulator: { data: "demo", serviceOptions: { slo: { evaluationDelayMs: 300 } } },
  });
  const result = await evaluateSlo(client, "demoCheckoutAvail", { requestTimeoutMs: 100 });
  assert.equal(result.evaluationResults.length, 1);
  const polls = requests().filter((r) => r.path === "/platform/slo/v1/slos/evaluation:poll");
  assert.ok(polls.length >= 1);
  assert.ok(polls[0].query["evaluation-token"]);
});

Deno.test("slo evaluate gives up after the timeout and cancels the evaluation", async () => {
  const { client, requests } = testPlatform({
    emulator: { data: "demo", serviceOptions: { slo: { evaluationDelayMs: 5000 } } },
  });
  const error = await failure(() =>
    evaluateSlo(client, "demoCheckoutAvail", { timeoutMs: 200, requestTimeoutMs: 100 })
  );
  assert.equal(error.code, "timeout");
  assert.ok(requests().some((r) => r.path === "/platform/slo/v1/slos/evaluation:cancel"));
});

Deno.test("slo evaluate of an unknown slo is not_found", async () => {
  const { client } = testPlatform();
  assert.equal((await failure(() => evaluateSlo(client, "missingSlo0000"))).code, "not_found");
});

Deno.test("slo evaluation is a read: allowed in a readonly context", async () => {
  const { client } = testPlatform({ safety: "readonly" });
  const result = await evaluateSlo(client, "demoHostCpuIdle01");
  assert.equal(result.evaluationResults.length, 1);
});

Deno.test("slo templates are listed", async () => {
  const { client } = testPlatform();
  const templates = await collect(listSloTemplates(client));
  assert.ok(templates.some((t) => t.id === "tpl-host-cpu"));
  const slos = await collect(listSlos(client, { tags: ["tier=1"] }));
  assert.equal(slos.length, 1);
});

Deno.test("slo describe shows the indicator: template variables or the custom query", async () => {
  const { client, context } = testPlatform();
  const [template] = await sloKind.describe!(context, await getSlo(client, "demoCheckoutAvail"));
  assert.equal(template.title, "SLI");
  assert.deepEqual(template.fields, [["Type", "template"], ["Template", "tpl-service-availability"]]);
  assert.deepEqual(template.table!.rows, [["services", '"SERVICE-0A1B2C3D4E5F6071"']]);
  const [custom] = await sloKind.describe!(context, await getSlo(client, "demoHostCpuIdle01"));
  assert.equal(custom.fields![0][1], "custom DQL");
  assert.match(custom.fields![1][1], /^timeseries sli = avg\(dt.host.cpu.idle\)/);
});
