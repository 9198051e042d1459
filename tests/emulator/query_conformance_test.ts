import assert from "node:assert/strict";
import hc from "@dynatrace-sdk/http-client";
import q from "@dynatrace-sdk/client-query";
import { serveEmulator } from "../../lib/emulator/serve.ts";

async function withClient(
  serviceOptions: Record<string, unknown>,
  fn: (client: InstanceType<typeof q.QueryExecutionClient>) => Promise<void>,
) {
  const served = await serveEmulator({
    port: 0,
    seed: "demo",
    randomSeed: 11,
    serviceOptions: { query: serviceOptions },
  });
  try {
    const http = new hc.PlatformHttpClient({
      baseUrl: served.url,
      defaultHeaders: { Authorization: "Bearer dt0s16.TEST" },
    });
    await fn(new q.QueryExecutionClient(http, { transformDates: false }));
  } finally {
    await served.shutdown();
  }
}

Deno.test("SDK QueryExecutionClient: execute answers a finished query with a typed result", async () => {
  await withClient({}, async (client) => {
    const response = await client.queryExecute({
      body: { query: "fetch logs | limit 3", requestTimeoutMilliseconds: 1000 },
    });
    assert.equal(response.state, "SUCCEEDED");
    assert.equal(response.result?.records.length, 3);
    const mappings = response.result?.types[0].mappings ?? {};
    assert.equal(mappings.timestamp?.type, "timestamp");
    assert.equal(
      typeof response.result?.records[0]?.timestamp,
      "string",
      "transformDates:false keeps 9 digits",
    );
    assert.match(String(response.result?.metadata.grail?.analysisTimeframe?.start), /\.\d{9}Z$/);
  });
});

Deno.test("SDK QueryExecutionClient: execute → 202 → poll → SUCCEEDED, then cancel of a finished query returns the result", async () => {
  await withClient({ delayMs: 300 }, async (client) => {
    const started = await client.queryExecute({ body: { query: 'data record(a = 1, b = "x")' } });
    assert.equal(started.state, "RUNNING");
    assert.ok(started.requestToken);
    const polled = await client.queryPoll({
      requestToken: started.requestToken!,
      requestTimeoutMilliseconds: 5000,
    });
    assert.equal(polled.state, "SUCCEEDED");
    assert.deepEqual(polled.result?.records, [{ a: "1", b: "x" }]);
    const cancelled = await client.queryCancel({ requestToken: started.requestToken! });
    assert.equal(cancelled?.state, "SUCCEEDED");
  });
});

Deno.test("SDK QueryExecutionClient: cancel of a running query resolves empty, then poll and cancel fail as gone", async () => {
  await withClient({ delayMs: 60_000 }, async (client) => {
    const started = await client.queryExecute({ body: { query: "fetch events | limit 1" } });
    assert.equal(await client.queryCancel({ requestToken: started.requestToken! }), undefined);
    await assert.rejects(
      () => client.queryPoll({ requestToken: started.requestToken! }),
      (error: InstanceType<typeof q.ErrorEnvelopeError>) => {
        assert.ok(q.isClientRequestError(error));
        assert.equal(error.response.status, 410);
        return true;
      },
    );
    await assert.rejects(
      () => client.queryCancel({ requestToken: started.requestToken! }),
      (error: InstanceType<typeof q.ClientRequestError>) => error.response.status === 410,
    );
  });
});

Deno.test("SDK QueryExecutionClient: errors come out as typed ErrorEnvelopeErrors", async () => {
  await withClient({}, async (client) => {
    await assert.rejects(
      () => client.queryExecute({ body: { query: "fetch sandwich" } }),
      (error: InstanceType<typeof q.ErrorEnvelopeError>) => {
        assert.ok(q.isErrorEnvelopeError(error));
        assert.equal(error.response.status, 400);
        assert.equal(error.body.error.details?.errorType, "UNKNOWN_DATA_OBJECT");
        return true;
      },
    );
    await assert.rejects(
      () => client.queryPoll({ requestToken: "no-such-token" }),
      (error: InstanceType<typeof q.ClientRequestError>) => error.response.status === 404,
    );
  });
});

Deno.test("SDK QueryAssistanceClient: verify, parse and autocomplete", async () => {
  const served = await serveEmulator({ port: 0, seed: "empty", randomSeed: 1 });
  try {
    const http = new hc.PlatformHttpClient({
      baseUrl: served.url,
      defaultHeaders: { Authorization: "Bearer dt0s16.TEST" },
    });
    const assistance = new q.QueryAssistanceClient(http, { transformDates: false });
    const ok = await assistance.queryVerify({
      body: { query: "fetch logs | limit 1", generateCanonicalQuery: true },
    });
    assert.deepEqual(ok, { valid: true, canonicalQuery: "fetch logs\n| limit 1", notifications: [] });
    const bad = await assistance.queryVerify({ body: { query: "fetch logs | limit 'x'" } });
    assert.equal(bad.valid, false);
    assert.equal(bad.notifications?.[0].notificationType, "PARSE_ERROR_SINGLE_QUOTES");
    const tree = await assistance.queryParse({ body: { query: "fetch logs" } });
    assert.equal(tree.nodeType, "CONTAINER");
    const completions = await assistance.queryAutocomplete({ body: { query: "fetch sp" } });
    assert.deepEqual(completions.suggestions.map((s) => s.suggestion), ["spans"]);
  } finally {
    await served.shutdown();
  }
});
