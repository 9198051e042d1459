import assert from "node:assert/strict";
import { createEmulator } from "../../lib/emulator/handler.ts";
import { createQueryService } from "../../lib/emulator/services/query/mod.ts";

const BASE = "http://emulator.test/platform/storage/query/v1";
const START = Date.parse("2025-03-15T10:30:00.000Z");

/** A clock tests move by hand. */
class FakeClock {
  constructor(public ms = START) {}
  now = () => this.ms;
  advance(ms: number) {
    this.ms += ms;
  }
}

function setup(serviceOptions: Record<string, unknown> = {}) {
  const clock = new FakeClock();
  const emulator = createEmulator({
    services: [createQueryService()],
    data: "demo",
    clock,
    seed: 7,
    serviceOptions: { query: serviceOptions },
  });
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await emulator.handle(
      new Request(`${BASE}/${path}`, {
        method,
        headers: { authorization: "Bearer dt0s16.TEST", "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
    const text = await response.text();
    return { status: response.status, body: text === "" ? undefined : JSON.parse(text), text };
  };
  return { clock, emulator, call };
}

Deno.test("query:execute encodes longs as strings, timestamps with 9 digits and buckets a type change", async () => {
  const { call } = setup();
  const query =
    'data record(a = 1, b = "x", t = toTimestamp("2024-05-01T10:00:00.123Z")), record(a = 2, b = "y"), record(a = 2.5, d = 5m, n = null)';
  const { status, body } = await call("POST", "query:execute", { query });
  assert.equal(status, 200);
  assert.equal(body.state, "SUCCEEDED");
  assert.equal(body.progress, 100);
  assert.equal(typeof body.requestToken, "string");
  const { records, types, metadata } = body.result;
  assert.deepEqual(records, [
    { a: "1", b: "x", t: "2024-05-01T10:00:00.123000000Z" },
    { a: "2", b: "y" },
    { a: 2.5, d: "300000000000", n: null },
  ]);
  assert.deepEqual(types, [
    {
      indexRange: [0, 1],
      mappings: { a: { type: "long" }, b: { type: "string" }, t: { type: "timestamp" } },
    },
    {
      indexRange: [2, 2],
      mappings: { a: { type: "double" }, d: { type: "duration" }, n: { type: "undefined" } },
    },
  ]);
  const grail = metadata.grail;
  assert.equal(grail.query, query);
  assert.equal(grail.timezone, "Z");
  assert.equal(grail.locale, "und");
  assert.equal(grail.dqlVersion, "V1_0");
  assert.equal(grail.sampled, false);
  assert.match(grail.queryId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.deepEqual(grail.analysisTimeframe, {
    start: "2025-03-15T08:30:00.000000000Z",
    end: "2025-03-15T10:30:00.000000000Z",
  });
  assert.equal(grail.notifications.length, 1);
  assert.equal(grail.notifications[0].notificationType, "LIMIT_ADDED");
  assert.equal(grail.notifications[0].severity, "INFO");
  assert.deepEqual(grail.notifications[0].syntaxPosition.start, { index: 0, line: 1, column: 1 });
  assert.equal(grail.notifications[0].syntaxPosition.end.index, query.length - 1);
  assert.ok(grail.canonicalQuery.startsWith('data record(a = 1, b = "x"'));
});

Deno.test("query:execute keeps column order in mappings and nests array and record types", async () => {
  const { call } = setup();
  const { body } = await call("POST", "query:execute", {
    query: "data record(z = array(1, 2, 3), y = record(k = true, v = 1.5), x = -7) | limit 1",
  });
  assert.deepEqual(Object.keys(body.result.types[0].mappings), ["z", "y", "x"]);
  assert.deepEqual(body.result.types[0].mappings.z, {
    type: "array",
    types: [{ indexRange: [0, 2], mappings: { element: { type: "long" } } }],
  });
  assert.deepEqual(body.result.types[0].mappings.y, {
    type: "record",
    types: [{ mappings: { k: { type: "boolean" }, v: { type: "double" } } }],
  });
  assert.deepEqual(body.result.records[0], { z: ["1", "2", "3"], y: { k: true, v: 1.5 }, x: "-7" });
  assert.deepEqual(body.result.metadata.grail.notifications, [], "an explicit limit adds no LIMIT_ADDED");
});

Deno.test("query:execute fetches seeded tables newest first within the analysis timeframe", async () => {
  const { call } = setup();
  const twoHours = await call("POST", "query:execute", { query: "fetch logs", maxResultRecords: 10000 });
  const day = await call("POST", "query:execute", {
    query: "fetch logs, from:now()-24h",
    maxResultRecords: 10000,
  });
  const limited = await call("POST", "query:execute", { query: "fetch logs | limit 5" });
  const twoHourRecords = twoHours.body.result.records;
  assert.ok(twoHourRecords.length > 20, `expected logs in the last 2h, got ${twoHourRecords.length}`);
  assert.ok(day.body.result.records.length > twoHourRecords.length);
  assert.equal(limited.body.result.records.length, 5);
  const times = twoHourRecords.map((r: { timestamp: string }) => r.timestamp);
  assert.deepEqual([...times].sort().reverse(), times, "newest first");
  for (const time of times) {
    assert.match(time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/);
    const ms = Date.parse(time);
    assert.ok(ms >= START - 2 * 3_600_000 && ms < START);
  }
  assert.equal(twoHours.body.result.metadata.grail.scannedRecords, twoHourRecords.length);
  assert.ok(twoHours.body.result.metadata.grail.scannedBytes > 0);
  assert.equal(day.body.result.metadata.grail.analysisTimeframe.start, "2025-03-14T10:30:00.000000000Z");
  assert.equal(limited.body.result.types[0].mappings["http.status_code"].type, "long");
});

Deno.test("query:execute uses defaultTimeframeStart/End only when both are given", async () => {
  const { call } = setup();
  const both = await call("POST", "query:execute", {
    query: "fetch events",
    defaultTimeframeStart: "2025-03-15T00:00:00.123456789Z",
    defaultTimeframeEnd: "2025-03-15T06:00:00Z",
  });
  assert.deepEqual(both.body.result.metadata.grail.analysisTimeframe, {
    start: "2025-03-15T00:00:00.123456789Z",
    end: "2025-03-15T06:00:00.000000000Z",
  });
  for (const record of both.body.result.records) {
    assert.ok(
      record.timestamp >= "2025-03-15T00:00:00.123456789Z" && record.timestamp < "2025-03-15T06:00:00Z",
    );
  }
  const one = await call("POST", "query:execute", {
    query: "fetch events",
    defaultTimeframeStart: "2025-03-15T00:00:00Z",
  });
  assert.equal(one.body.result.metadata.grail.analysisTimeframe.start, "2025-03-15T08:30:00.000000000Z");
});

Deno.test("maxResultRecords truncates with a RESULT_LIMIT_RECORDS warning; the default cap is 1000", async () => {
  const { call } = setup();
  const { body } = await call("POST", "query:execute", {
    query: "fetch spans | limit 50",
    maxResultRecords: 3,
  });
  assert.equal(body.result.records.length, 3);
  const warning = body.result.metadata.grail.notifications.find((n: { notificationType: string }) =>
    n.notificationType === "RESULT_LIMIT_RECORDS"
  );
  assert.equal(warning.severity, "WARN");
  assert.equal(warning.message, "Your result has been limited to 3.");
  const all = await call("POST", "query:execute", { query: "fetch logs, from:-7d" });
  assert.equal(all.body.result.records.length, 300);
  const bytes = await call("POST", "query:execute", { query: "fetch logs | limit 10", maxResultBytes: 1 });
  assert.equal(bytes.body.result.records.length, 1, "the record crossing the byte limit is kept");
});

Deno.test("includeTypes:false omits types and enrich=metric-metadata adds metrics", async () => {
  const { call } = setup();
  const { body } = await call("POST", "query:execute?enrich=metric-metadata", {
    query: "data record(a = 1)",
    includeTypes: false,
    includeContributions: true,
  });
  assert.equal(body.result.types, undefined);
  assert.deepEqual(body.result.metadata.metrics, []);
  assert.deepEqual(body.result.metadata.grail.contributions, { buckets: [] });
  const fetched = await call("POST", "query:execute", {
    query: "fetch logs | limit 1",
    includeContributions: true,
  });
  assert.equal(fetched.body.result.metadata.grail.contributions.buckets[0].name, "default_logs");
});

Deno.test("invalid queries answer 400 in the query envelope with the offending position", async () => {
  const { call } = setup();
  const unknown = await call("POST", "query:execute", { query: "fetch sandwich, from:now()-30d" });
  assert.equal(unknown.status, 400);
  const details = unknown.body.error.details;
  assert.equal(unknown.body.error.code, 400);
  assert.equal(details.errorType, "UNKNOWN_DATA_OBJECT");
  assert.equal(details.errorMessage, "sandwich isn't a valid data object.");
  assert.equal(details.errorMessageFormat, "%1$s isn't a valid data object.");
  assert.deepEqual(details.arguments, ["sandwich"]);
  assert.equal(details.queryString, "fetch sandwich, from:now()-30d");
  assert.deepEqual(details.syntaxErrorPosition, {
    start: { index: 6, line: 1, column: 7 },
    end: { index: 13, line: 1, column: 14 },
  });

  const quotes = await call("POST", "query:execute", { query: "fetch logs\n| limit 'x'" });
  assert.equal(quotes.body.error.details.errorType, "PARSE_ERROR_SINGLE_QUOTES");
  assert.deepEqual(quotes.body.error.details.syntaxErrorPosition.start, { index: 19, line: 2, column: 9 });

  const unsupported = await call("POST", "query:execute", { query: "fetch logs | summarize count()" });
  assert.equal(unsupported.status, 400);
  assert.equal(unsupported.body.error.details.errorType, "SYNTAX_ERROR");
  assert.match(unsupported.body.error.details.errorMessage, /summarize.*isn't supported/);

  const nonsense = await call("POST", "query:execute", { query: "fetch logs | frobnicate" });
  assert.match(nonsense.body.error.details.errorMessage, /`frobnicate` isn't a valid command/);
  const dangling = await call("POST", "query:execute", { query: "fetch logs |" });
  assert.equal(dangling.body.error.details.errorType, "SYNTAX_ERROR");
  const source = await call("POST", "query:execute", { query: "limit 3" });
  assert.match(source.body.error.details.errorMessage, /must start with a data source command/);
});

Deno.test("query:execute rejects a missing or blank query with constraintViolations and tolerates unknown properties", async () => {
  const { call } = setup();
  for (const body of [{}, { query: "   " }, { query: 5 }]) {
    const { status, body: error } = await call("POST", "query:execute", body);
    assert.equal(status, 400);
    assert.equal(error.error.details.constraintViolations[0].parameterDescriptor, "query");
  }
  const tolerant = await call("POST", "query:execute", {
    query: "data record(a = 1)",
    pollingPromiseSeconds: 5,
  });
  assert.equal(tolerant.status, 200);
  const broken = await call("POST", "query:execute", "not an object");
  assert.equal(broken.status, 400);
});

Deno.test("a slow query answers 202, polls through RUNNING to SUCCEEDED, keeps its result until the TTL, then 410", async () => {
  const { call, clock } = setup({ delayMs: 10_000, ttlSeconds: 60 });
  const started = await call("POST", "query:execute", {
    query: "fetch logs | limit 2",
    requestTimeoutMilliseconds: 0,
  });
  assert.equal(started.status, 202);
  assert.deepEqual(Object.keys(started.body).sort(), ["progress", "requestToken", "state", "ttlSeconds"]);
  assert.equal(started.body.state, "RUNNING");
  assert.equal(started.body.progress, 0);
  const token = encodeURIComponent(started.body.requestToken);

  clock.advance(2_500);
  const running = await call("GET", `query:poll?request-token=${token}`);
  assert.equal(running.status, 200);
  assert.equal(running.body.state, "RUNNING");
  assert.equal(running.body.progress, 25);
  assert.equal(running.body.result, undefined);

  clock.advance(7_500);
  const done = await call("GET", `query:poll?request-token=${token}`);
  assert.equal(done.body.state, "SUCCEEDED");
  assert.equal(done.body.result.records.length, 2);
  assert.equal(done.body.result.metadata.grail.executionTimeMilliseconds, 10_000);
  assert.equal(done.body.ttlSeconds, 60);

  clock.advance(59_000);
  const again = await call("GET", `query:poll?request-token=${token}`);
  assert.equal(again.body.state, "SUCCEEDED", "results stay until the TTL even after a successful poll");
  assert.equal(again.body.ttlSeconds, 1);

  clock.advance(1_000);
  const gone = await call("GET", `query:poll?request-token=${token}`);
  assert.equal(gone.status, 410);
  assert.equal(gone.body.error.details.errorType, "QUERY_GONE");
  clock.advance(7_200_000);
  const forgotten = await call("GET", `query:poll?request-token=${token}`);
  assert.equal(forgotten.status, 404, "tombstones are swept eventually");
});

Deno.test("poll long-polls up to request-timeout-milliseconds and execute blocks up to requestTimeoutMilliseconds", async () => {
  const clock = { now: () => Date.now() };
  const emulator = createEmulator({
    services: [createQueryService({ delayMs: 300 })],
    data: "demo",
    clock,
    seed: 3,
  });
  const post = (body: unknown) =>
    emulator.handle(
      new Request(`${BASE}/query:execute`, {
        method: "POST",
        headers: { authorization: "Bearer dt0s16.TEST", "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
    );
  let began = Date.now();
  const blocking = await post({ query: "data record(a = 1)", requestTimeoutMilliseconds: 5_000 });
  const blockingBody = await blocking.json();
  assert.equal(blocking.status, 200);
  assert.equal(blockingBody.state, "SUCCEEDED");
  assert.ok(Date.now() - began >= 250, "execute waited for the query");

  const quick = await post({ query: "data record(a = 1)" });
  assert.equal(quick.status, 202);
  const { requestToken } = await quick.json();
  began = Date.now();
  const polled = await emulator.handle(
    new Request(
      `${BASE}/query:poll?request-token=${
        encodeURIComponent(requestToken)
      }&request-timeout-milliseconds=5000`,
      {
        headers: { authorization: "Bearer dt0s16.TEST" },
      },
    ),
  );
  assert.equal((await polled.json()).state, "SUCCEEDED");
  assert.ok(Date.now() - began >= 200, "poll waited for the result");
});

Deno.test("queryOptions emulator.delayMs forces the asynchronous path for one query", async () => {
  const { call } = setup();
  const forced = await call("POST", "query:execute", {
    query: "data record(a = 1)",
    queryOptions: { "emulator.delayMs": "5000" },
  });
  assert.equal(forced.status, 202);
  const normal = await call("POST", "query:execute", { query: "data record(a = 1)" });
  assert.equal(normal.status, 200);
  const bad = await call("POST", "query:execute", {
    query: "data record(a = 1)",
    queryOptions: { "emulator.delayMs": "x" },
  });
  assert.equal(bad.status, 400);
});

Deno.test("query:cancel: running → 202 empty and later 410; finished → 200 with the result; unknown → 410", async () => {
  const { call, clock } = setup({ delayMs: 5_000 });
  const started = await call("POST", "query:execute", { query: "data record(a = 1)" });
  const token = encodeURIComponent(started.body.requestToken);
  const cancelled = await call("POST", `query:cancel?request-token=${token}`);
  assert.equal(cancelled.status, 202);
  assert.equal(cancelled.text, "");
  assert.equal((await call("GET", `query:poll?request-token=${token}`)).status, 410);
  assert.equal((await call("POST", `query:cancel?request-token=${token}`)).status, 410);

  const second = await call("POST", "query:execute", { query: "data record(a = 2)" });
  clock.advance(5_000);
  const finished = await call(
    "POST",
    `query:cancel?request-token=${encodeURIComponent(second.body.requestToken)}`,
  );
  assert.equal(finished.status, 200);
  assert.deepEqual(finished.body.result.records, [{ a: "2" }]);

  assert.equal((await call("POST", "query:cancel?request-token=nope")).status, 410);
  const unknown = await call("GET", "query:poll?request-token=nope");
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.error.details.errorType, "QUERY_NOT_FOUND");
  const missing = await call("GET", "query:poll");
  assert.equal(missing.status, 400);
  assert.equal(missing.body.error.details.constraintViolations[0].parameterLocation, "QUERY");
});

Deno.test("a query failing during execution reports the error on poll (or FAILED when configured)", async () => {
  const { call, clock, emulator } = setup({ delayMs: 1_000 });
  // Analysis passes; the timeframe is only checked against the clock when the query runs.
  const query = "fetch logs, from:now()+1h";
  const started = await call("POST", "query:execute", { query });
  assert.equal(started.status, 202);
  clock.advance(1_000);
  const token = encodeURIComponent(started.body.requestToken);
  const failed = await call("GET", `query:poll?request-token=${token}`);
  assert.equal(failed.status, 400);
  assert.equal(failed.body.error.details.errorType, "INVALID_TIMEFRAME");
  emulator.serviceOptions.query = { delayMs: 1_000, failedPollAs: "state" };
  const state = await call("GET", `query:poll?request-token=${token}`);
  assert.equal(state.status, 200);
  assert.equal(state.body.state, "FAILED");
  const immediate = await call("POST", "query:execute", {
    query,
    requestTimeoutMilliseconds: 0,
    queryOptions: { "emulator.delayMs": "0" },
  });
  assert.equal(immediate.status, 400, "a query that fails at once fails execute");
});

Deno.test("maxConcurrentQueries answers 429 BUSY_SCHEDULER_TENANT with Retry-After", async () => {
  const { call, emulator } = setup({ delayMs: 10_000, maxConcurrentQueries: 1 });
  assert.equal((await call("POST", "query:execute", { query: "data record(a = 1)" })).status, 202);
  const response = await emulator.handle(
    new Request(`${BASE}/query:execute`, {
      method: "POST",
      headers: { authorization: "Bearer dt0s16.TEST", "content-type": "application/json" },
      body: JSON.stringify({ query: "data record(a = 1)" }),
    }),
  );
  assert.equal(response.status, 429);
  assert.equal(response.headers.get("retry-after"), "1");
  assert.equal((await response.json()).error.details.errorType, "BUSY_SCHEDULER_TENANT");
});

Deno.test("query:verify reports validity, LIMIT_ADDED and the canonical query", async () => {
  const { call, emulator } = setup();
  const ok = await call("POST", "query:verify", {
    query: "fetch spans,   from:-10d | limit 3",
    generateCanonicalQuery: true,
  });
  assert.deepEqual(ok.body, {
    valid: true,
    canonicalQuery: "fetch spans, from:-10d\n| limit 3",
    notifications: [],
  });
  const noLimit = await call("POST", "query:verify", { query: "fetch logs" });
  assert.equal(noLimit.body.valid, true);
  assert.equal(noLimit.body.canonicalQuery, undefined);
  assert.equal(noLimit.body.notifications[0].notificationType, "LIMIT_ADDED");
  const bad = await call("POST", "query:verify", { query: "fetch spanz" });
  assert.equal(bad.status, 200);
  assert.equal(bad.body.valid, false);
  assert.equal(bad.body.notifications[0].severity, "ERROR");
  assert.equal(bad.body.notifications[0].notificationType, "UNKNOWN_DATA_OBJECT");
  assert.equal((await call("POST", "query:verify", {})).status, 400);
  emulator.serviceOptions.query = { verifyErrorsAs: "error" };
  assert.equal((await call("POST", "query:verify", { query: "fetch spanz" })).status, 400);
});

Deno.test("query:parse returns a node tree and query:autocomplete suggests data objects and commands", async () => {
  const { call } = setup();
  const parsed = await call("POST", "query:parse", { query: "fetch logs | limit 3" });
  assert.equal(parsed.body.nodeType, "CONTAINER");
  assert.equal(parsed.body.type, "QUERY");
  assert.deepEqual(parsed.body.children.map((c: { type: string }) => c.type), ["COMMAND", "PIPE", "COMMAND"]);
  assert.equal(parsed.body.children[0].children[1].type, "DATA_OBJECT");
  assert.equal((await call("POST", "query:parse", { query: "fetch logs |" })).status, 400);

  const tables = await call("POST", "query:autocomplete", { query: "fetch bi" });
  assert.deepEqual(tables.body.suggestions.map((s: { suggestion: string }) => s.suggestion), ["bizevents"]);
  assert.equal(tables.body.suggestions[0].alreadyTypedCharacters, 2);
  const commands = await call("POST", "query:autocomplete", { query: "fetch logs | li", cursorPosition: 15 });
  assert.deepEqual(commands.body.suggestions.map((s: { suggestion: string }) => s.suggestion), ["limit"]);
  assert.equal((await call("POST", "query:autocomplete", { query: "x", cursorPosition: 9 })).status, 400);
});

Deno.test("seeded tables are deterministic for the same clock", async () => {
  const a = setup();
  const b = setup();
  const query = { query: "fetch bizevents | limit 20" };
  const [x, y] = [await a.call("POST", "query:execute", query), await b.call("POST", "query:execute", query)];
  assert.deepEqual(x.body.result.records, y.body.result.records);
  assert.equal(x.body.result.types[0].mappings.amount.type, "double");
  assert.equal(x.body.result.types[0].mappings.quantity.type, "long");
});

Deno.test("an empty tenant knows the data objects but holds no records", async () => {
  const emulator = createEmulator({ services: [createQueryService()], seed: 1 });
  const response = await emulator.handle(
    new Request(`${BASE}/query:execute`, {
      method: "POST",
      headers: { authorization: "Bearer dt0s16.TEST", "content-type": "application/json" },
      body: JSON.stringify({ query: "fetch logs" }),
    }),
  );
  const body = await response.json();
  assert.equal(response.status, 200);
  assert.deepEqual(body.result.records, []);
  assert.deepEqual(body.result.types, []);
});

Deno.test("the interim engine evaluates constant expressions, data json: and time alignment", async () => {
  const { call } = setup();
  const { status, body } = await call("POST", "query:execute", {
    query:
      'data record(t = toTimestamp("2024-01-01T00:00:00Z") + 90m, d = 2h - 30m, q = 10 / 4, r = 7 % 3, ' +
      "h = now() - 1h@h, big = 0x7FFFFFFFFFFFFFFF, neg = -(1.5), flag = TRUE) | limit 1",
  });
  assert.equal(status, 200);
  assert.deepEqual(body.result.records[0], {
    t: "2024-01-01T01:30:00.000000000Z",
    d: "5400000000000",
    q: 2.5,
    r: "1",
    h: "2025-03-15T09:00:00.000000000Z",
    big: "9223372036854775807",
    neg: -1.5,
    flag: true,
  });
  const json = await call("POST", "query:execute", {
    query: 'data json:"""[{"a": 1, "b": 1.5}, {"a": "x"}]"""',
  });
  assert.deepEqual(json.body.result.records, [{ a: "1", b: 1.5 }, { a: "x" }]);
  assert.equal(json.body.result.types.length, 2);
  const typeError = await call("POST", "query:execute", { query: 'data record(x = "a" + 1)' });
  assert.equal(typeError.status, 400);
  const field = await call("POST", "query:execute", { query: "data record(x = someField)" });
  assert.match(field.body.error.details.errorMessage, /someField/);
});
