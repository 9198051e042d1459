import assert from "node:assert/strict";
import { createEmulator } from "../../lib/emulator/handler.ts";
import { createQueryService } from "../../lib/emulator/services/query/mod.ts";
import { createSloService, grade, resolveBound } from "../../lib/emulator/services/slo/mod.ts";

const BASE = "http://emulator.test/platform/slo/v1";
const START = Date.parse("2025-03-15T10:30:00.000Z");

function setup(options: { demo?: boolean; slo?: Record<string, unknown> } = {}) {
  const clock = {
    ms: START,
    now() {
      return this.ms;
    },
  };
  const emulator = createEmulator({
    services: [createSloService(), createQueryService()],
    data: options.demo ? "demo" : "empty",
    clock,
    seed: 9,
    serviceOptions: { slo: options.slo ?? {} },
  });
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await emulator.handle(
      new Request(`${BASE}${path}`, {
        method,
        headers: { authorization: "Bearer dt0s16.TEST", "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
    const text = await response.text();
    return { status: response.status, body: text === "" ? undefined : JSON.parse(text) };
  };
  return { clock, call, emulator };
}

const slo = (overrides: Record<string, unknown> = {}) => ({
  name: "Checkout availability",
  description: "Share of good checkouts",
  tags: ["team:shop", "critical"],
  criteria: [{ timeframeFrom: "now-7d", timeframeTo: "now", target: 99.5, warning: 99.8 }],
  customSli: { indicator: "data record(sli = 99.9)" },
  ...overrides,
});

const encoded = (text: string) => encodeURIComponent(text);

Deno.test("POST /slos creates with a server id and an opaque version; GET returns it", async () => {
  const { call } = setup();
  const created = await call("POST", "/slos", { ...slo(), id: "mine", version: "v0" });
  assert.equal(created.status, 201);
  assert.match(created.body.id, /^[A-Za-z][A-Za-z0-9_-]{15}$/);
  assert.notEqual(created.body.id, "mine", "clients cannot choose ids");
  assert.match(created.body.version, /^[A-Za-z0-9_-]{20}$/);
  assert.deepEqual(created.body.criteria, [{
    timeframeFrom: "now-7d",
    timeframeTo: "now",
    target: 99.5,
    warning: 99.8,
  }]);
  const fetched = await call("GET", `/slos/${created.body.id}`);
  assert.deepEqual(fetched.body, created.body);
  assert.equal((await call("GET", "/slos/nope")).status, 404);
});

Deno.test("validation: name length, exactly one SLI kind, exactly one criterion, ranges", async () => {
  const { call } = setup();
  const cases: Array<[Record<string, unknown>, string]> = [
    [slo({ name: "" }), "name"],
    [slo({ name: "x".repeat(201) }), "name"],
    [slo({ customSli: undefined }), "customSli"],
    [
      slo({ sliReference: { templateId: "tpl-host-cpu", variables: [{ name: "hosts", value: '"H"' }] } }),
      "customSli",
    ],
    [slo({ criteria: [] }), "criteria"],
    [
      slo({ criteria: [{ timeframeFrom: "now-7d", target: 99 }, { timeframeFrom: "now-1d", target: 99 }] }),
      "criteria",
    ],
    [slo({ criteria: [{ target: 99 }] }), "criteria[0].timeframeFrom"],
    [slo({ criteria: [{ timeframeFrom: "now-7d", target: 101 }] }), "criteria[0].target"],
    [slo({ criteria: [{ timeframeFrom: "now-7d", target: 99, warning: -1 }] }), "criteria[0].warning"],
    [
      slo({ customSli: undefined, sliReference: { templateId: "nope", variables: [] } }),
      "sliReference.templateId",
    ],
    [
      slo({ customSli: undefined, sliReference: { templateId: "tpl-host-cpu", variables: [] } }),
      "sliReference.variables",
    ],
  ];
  for (const [body, path] of cases) {
    const { status, body: error } = await call("POST", "/slos", body);
    assert.equal(status, 400, `expected 400 for ${path}`);
    const paths = error.error.details.constraintViolations.map((v: { path: string }) => v.path);
    assert.ok(paths.includes(path), `expected a violation at ${path}, got ${paths}`);
    assert.ok(error.error.details.errorRef);
  }
});

Deno.test("externalId is unique (409) on create and update", async () => {
  const { call } = setup();
  const first = (await call("POST", "/slos", slo({ externalId: "ext-1" }))).body;
  assert.equal((await call("POST", "/slos", slo({ externalId: "ext-1" }))).status, 409);
  const second = (await call("POST", "/slos", slo({ externalId: "ext-2" }))).body;
  const clash = await call(
    "PUT",
    `/slos/${second.id}?optimistic-locking-version=${second.version}`,
    slo({ externalId: "ext-1" }),
  );
  assert.equal(clash.status, 409);
  const own = await call(
    "PUT",
    `/slos/${first.id}?optimistic-locking-version=${first.version}`,
    slo({ externalId: "ext-1", name: "renamed" }),
  );
  assert.equal(own.status, 200, "an SLO may keep its own externalId");
});

Deno.test("PUT and DELETE need the current optimistic-locking-version", async () => {
  const { call } = setup();
  const created = (await call("POST", "/slos", slo())).body;
  const missing = await call("PUT", `/slos/${created.id}`, slo({ name: "x" }));
  assert.equal(missing.status, 400);
  assert.equal(missing.body.error.details.constraintViolations[0].path, "optimistic-locking-version");
  const updated = await call(
    "PUT",
    `/slos/${created.id}?optimistic-locking-version=${encoded(created.version)}`,
    slo({ name: "v2" }),
  );
  assert.equal(updated.status, 200);
  assert.equal(updated.body.name, "v2");
  assert.equal(updated.body.id, created.id);
  assert.notEqual(updated.body.version, created.version, "every write regenerates the version");
  const stale = await call(
    "PUT",
    `/slos/${created.id}?optimistic-locking-version=${encoded(created.version)}`,
    slo(),
  );
  assert.equal(stale.status, 409);
  assert.equal((await call("DELETE", `/slos/${created.id}`)).status, 400);
  assert.equal(
    (await call("DELETE", `/slos/${created.id}?optimistic-locking-version=${encoded(created.version)}`))
      .status,
    409,
  );
  assert.equal(
    (await call("DELETE", `/slos/${created.id}?optimistic-locking-version=${encoded(updated.body.version)}`))
      .status,
    204,
  );
  assert.equal((await call("GET", `/slos/${created.id}`)).status, 404);
  assert.equal((await call("PUT", `/slos/${created.id}?optimistic-locking-version=x`, slo())).status, 404);
});

Deno.test("GET /slos pages with page-size/page-key/page, filters and sorts by name", async () => {
  const { call } = setup();
  for (const name of ["delta", "Alpha", "charlie", "bravo", "echo"]) {
    await call(
      "POST",
      "/slos",
      slo({ name, externalId: `ext-${name}`, tags: name === "echo" ? ["team:web"] : ["team:shop"] }),
    );
  }
  const first = await call("GET", "/slos?page-size=2&sort=name");
  assert.equal(first.body.totalCount, 5);
  assert.deepEqual(first.body.slos.map((s: { name: string }) => s.name), ["Alpha", "bravo"]);
  const second = await call("GET", `/slos?page-key=${first.body.nextPageKey}`);
  assert.deepEqual(second.body.slos.map((s: { name: string }) => s.name), ["charlie", "delta"]);
  const third = await call(
    "GET",
    `/slos?page-key=${second.body.nextPageKey}&filter=${encoded("name == 'ignored'")}`,
  );
  assert.deepEqual(third.body.slos.map((s: { name: string }) => s.name), ["echo"]);
  assert.equal(third.body.nextPageKey, undefined);
  const page2 = await call("GET", "/slos?page-size=2&page=2&sort=-name");
  assert.deepEqual(page2.body.slos.map((s: { name: string }) => s.name), ["charlie", "bravo"]);
  assert.equal((await call("GET", `/slos?page=1&page-key=${first.body.nextPageKey}`)).status, 400);
  assert.equal((await call("GET", "/slos?page-size=501")).status, 400);

  const byName = await call("GET", `/slos?filter=${encoded("name == 'charlie'")}`);
  assert.deepEqual(byName.body.slos.map((s: { name: string }) => s.name), ["charlie"]);
  const contains = await call("GET", `/slos?filter=${encoded("name contains 'LT'")}&sort=name`);
  assert.deepEqual(contains.body.slos.map((s: { name: string }) => s.name), ["delta"]);
  const ext = await call("GET", `/slos?filter=${encoded("externalId == 'ext-bravo'")}`);
  assert.equal(ext.body.totalCount, 1);
  const id = ext.body.slos[0].id;
  assert.equal((await call("GET", `/slos?filter=${encoded(`id == '${id}'`)}`)).body.slos[0].name, "bravo");
  assert.equal(
    (await call("GET", `/slos?filter=${encoded("tag.value == 'web'")}`)).body.slos[0].name,
    "echo",
  );
  assert.equal((await call("GET", `/slos?filter=${encoded("color == 'red'")}`)).status, 400);
  assert.equal((await call("GET", "/slos?sort=target")).status, 400);
});

Deno.test("objective templates are listed, filterable and read-only", async () => {
  const { call } = setup();
  const all = await call("GET", "/objective-templates");
  assert.equal(all.body.totalCount, 4);
  assert.ok(all.body.items.every((t: { builtIn: boolean }) => t.builtIn));
  const current = await call(
    "GET",
    `/objective-templates?filter=${encoded("deprecated == false")}&page-size=2`,
  );
  assert.equal(current.body.totalCount, 3);
  assert.equal(current.body.items.length, 2);
  assert.ok(current.body.nextPageKey);
  assert.equal((await call("GET", "/objective-templates/tpl-host-cpu")).body.name, "Host CPU usage");
  assert.equal((await call("GET", "/objective-templates/nope")).status, 404);
  assert.equal((await call("DELETE", "/objective-templates/tpl-host-cpu")).status, 405);
});

Deno.test("evaluation:start grades the SLI value computed by the query engine", async () => {
  const { call } = setup();
  const cases: Array<[string, string, number]> = [
    ["data record(sli = 99.9)", "SUCCESS", 99.9],
    ["data record(sli = 99.6)", "WARNING", 99.6],
    ["data record(sli = 98)", "FAILURE", 98],
    ['data record(name = "x", ratio = array(99.0, 100.0, null))', "WARNING", 99.5],
  ];
  for (const [indicator, status, value] of cases) {
    const created = (await call("POST", "/slos", slo({ customSli: { indicator } }))).body;
    const evaluated = await call("POST", "/slos/evaluation:start", { id: created.id });
    assert.equal(evaluated.status, 200);
    const [result] = evaluated.body.evaluationResults;
    assert.equal(result.criteria, "now-7d - now");
    assert.equal(result.status, status, indicator);
    assert.equal(result.value, value);
    assert.equal(result.errorBudget, Math.round((value - 99.5) * 1e9) / 1e9);
    assert.equal(evaluated.body.metadata.evaluatedSliQuery, indicator);
    assert.equal(evaluated.body.definition.id, created.id);
  }
  assert.equal((await call("POST", "/slos/evaluation:start", { id: "nope" })).status, 404);
  assert.equal((await call("POST", "/slos/evaluation:start", {})).status, 400);
});

Deno.test("an SLI the engine cannot run evaluates to ERROR with its message, never a made-up value", async () => {
  const { call } = setup({ demo: true });
  const evaluated = await call("POST", "/slos/evaluation:start", { id: "demoCheckoutAvail" });
  assert.equal(evaluated.status, 200);
  const [result] = evaluated.body.evaluationResults;
  assert.equal(result.status, "ERROR");
  assert.equal(result.value, undefined);
  assert.match(result.message, /timeseries/);
  assert.match(
    evaluated.body.metadata.evaluatedSliQuery,
    /in\(dt\.entity\.service, "SERVICE-0A1B2C3D4E5F6071"\)/,
  );
});

Deno.test("slow evaluations answer 202 and are polled or cancelled", async () => {
  const { call, clock } = setup({ slo: { evaluationDelayMs: 5_000, evaluationTtlSeconds: 30 } });
  const created = (await call("POST", "/slos", slo())).body;
  const started = await call("POST", "/slos/evaluation:start", {
    id: created.id,
    requestTimeoutMilliseconds: 0,
  });
  assert.equal(started.status, 202);
  assert.equal(started.body.ttlSeconds, 30);
  const token = started.body.evaluationToken;
  assert.equal((await call("GET", `/slos/evaluation:poll?evaluation-token=${token}`)).status, 202);
  clock.ms += 5_000;
  const done = await call("GET", `/slos/evaluation:poll?evaluation-token=${token}`);
  assert.equal(done.status, 200);
  assert.equal(done.body.evaluationResults[0].status, "SUCCESS");
  assert.equal((await call("POST", `/slos/evaluation:cancel?evaluation-token=${token}`)).status, 200);
  clock.ms += 30_000;
  assert.equal((await call("GET", `/slos/evaluation:poll?evaluation-token=${token}`)).status, 410);

  const other =
    (await call("POST", "/slos/evaluation:start", { id: created.id, requestTimeoutMilliseconds: 0 })).body;
  assert.equal(
    (await call("POST", `/slos/evaluation:cancel?evaluation-token=${other.evaluationToken}`)).status,
    202,
  );
  assert.equal(
    (await call("GET", `/slos/evaluation:poll?evaluation-token=${other.evaluationToken}`)).status,
    410,
  );
  assert.equal((await call("GET", "/slos/evaluation:poll")).status, 400);
});

Deno.test("timeframe expressions and grading rules", () => {
  const now = Date.parse("2025-03-15T10:30:45.000Z");
  assert.equal(resolveBound("now", now), now);
  assert.equal(resolveBound("now-7d", now), now - 7 * 86_400_000);
  assert.equal(new Date(resolveBound("now-1h@h", now)!).toISOString(), "2025-03-15T09:00:00.000Z");
  assert.equal(new Date(resolveBound("now-1M", now)!).toISOString(), "2025-02-15T10:30:45.000Z");
  assert.equal(new Date(resolveBound("now@w", now)!).toISOString(), "2025-03-10T00:00:00.000Z");
  assert.equal(resolveBound("2025-01-01T00:00:00Z", now), Date.parse("2025-01-01T00:00:00Z"));
  assert.equal(resolveBound("yesterday", now), undefined);
  assert.equal(grade(99, 98), "SUCCESS");
  assert.equal(grade(97, 98), "FAILURE");
  assert.equal(grade(98.5, 98, 99), "WARNING");
});

Deno.test("demo SLOs are seeded only with demo data", async () => {
  assert.equal((await setup().call("GET", "/slos")).body.totalCount, 0);
  assert.equal((await setup({ demo: true }).call("GET", "/slos")).body.totalCount, 2);
});
