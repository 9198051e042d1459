import assert from "node:assert/strict";
import { ExitCode, isDtctlError } from "../../lib/errors/mod.ts";
import { ApiError, createClient } from "../../lib/client/mod.ts";
import { delay, json, recordingSleep, TOKEN, withServer } from "./_helpers.ts";

const envelope = (status: number, extra: Record<string, unknown> = {}) => ({
  error: { code: status, message: `status ${status}`, ...extra },
});

/** Answers the statuses in `script` in order, then 200 (or 201 for POST). */
function scripted(script: Array<number | (() => Response)>) {
  return (req: Request, { index }: { index: number }) => {
    const step = script[index];
    if (typeof step === "function") return step();
    if (step !== undefined) return json(step, envelope(step));
    return json(req.method === "POST" ? 201 : 200, { id: "x", attempt: index + 1 });
  };
}

Deno.test("Retry-After: 1 is honoured with a real wait", async () => {
  await withServer(
    scripted([() => json(429, envelope(429), { "retry-after": "1" })]),
    async (server) => {
      const client = createClient({ environment: server.url, token: TOKEN });
      const result = await client.request<{ attempt: number }>({ path: "/platform/x" });
      assert.equal(result.attempt, 2);
      assert.equal(server.requests.length, 2);
      const gap = server.requests[1].at - server.requests[0].at;
      assert.ok(gap >= 900, `retried after ${gap} ms`);
    },
  );
});

Deno.test("Retry-After as an HTTP date, retryAfterSeconds in the body, X-RateLimit-Reset, then backoff", async () => {
  const now = Date.parse("2030-01-01T00:00:00Z");
  await withServer(
    scripted([
      () => json(429, envelope(429), { "retry-after": new Date(now + 3000).toUTCString() }),
      () => json(429, envelope(429, { retryAfterSeconds: 2 })),
      () => json(503, { error: { code: 503, message: "busy", details: { retryAfterSeconds: 4 } } }),
      () => json(429, envelope(429), { "x-ratelimit-reset": String(now / 1000 + 5) }),
      503,
    ]),
    async (server) => {
      const { waits, sleep } = recordingSleep();
      const client = createClient({
        environment: server.url,
        token: TOKEN,
        sleep,
        now: () => now,
        random: () => 0.5,
        retry: { maxAttempts: 6, baseDelayMs: 100 },
      });
      await client.request({ path: "/platform/x" });
      // Backoff for the 5th attempt: full jitter of min(10 000, 100 * 2^4) with random 0.5.
      assert.deepEqual(waits, [3000, 2000, 4000, 5000, 800]);
      assert.equal(server.requests.length, 6);
    },
  );
});

Deno.test("backoff grows exponentially, capped by maxDelayMs, with full jitter", async () => {
  await withServer(scripted([503, 503, 503, 503]), async (server) => {
    const { waits, sleep } = recordingSleep();
    const client = createClient({
      environment: server.url,
      token: TOKEN,
      sleep,
      random: () => 0.999,
      retry: { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 3000 },
    });
    await client.request({ path: "/platform/x" });
    assert.deepEqual(waits, [999, 1998, 2997, 2997]);
  });
});

Deno.test("a POST create is not replayed once a 502/504 response arrived", async () => {
  for (const status of [502, 504]) {
    await withServer(scripted([status]), async (server) => {
      const { waits, sleep } = recordingSleep();
      const client = createClient({ environment: server.url, token: TOKEN, sleep });
      const error = await client.request({
        method: "POST",
        path: "/platform/automation/v1/workflows",
        json: {},
      })
        .then(() => assert.fail("expected an error"), (e) => e);
      assert.ok(error instanceof ApiError);
      assert.equal(error.status, status);
      assert.equal(error.code, "server_error");
      assert.equal(server.requests.length, 1);
      assert.deepEqual(waits, []);
    });
  }
});

Deno.test("PATCH is not replayed after 502; PUT, DELETE, GET and read-POSTs are", async () => {
  await withServer(scripted([502]), async (server) => {
    const client = createClient({ environment: server.url, token: TOKEN, sleep: recordingSleep().sleep });
    await assert.rejects(client.request({ method: "PATCH", path: "/platform/x", json: {} }), ApiError);
    assert.equal(server.requests.length, 1);
  });
  for (
    const req of [{ method: "PUT" }, { method: "DELETE" }, { method: "GET" }, {
      method: "POST",
      operation: "read",
    }]
  ) {
    await withServer(scripted([502, 504]), async (server) => {
      const client = createClient({ environment: server.url, token: TOKEN, sleep: recordingSleep().sleep });
      await client.request(
        {
          ...req,
          path: "/platform/storage/query/v1/query:execute",
          json: req.method === "GET" ? undefined : {},
        } as Parameters<typeof client.request>[0],
      );
      assert.equal(server.requests.length, 3, req.method);
    });
  }
});

Deno.test("a POST is retried on 503 and on 429 (rejected before processing)", async () => {
  await withServer(scripted([503, 429]), async (server) => {
    const { waits, sleep } = recordingSleep();
    const client = createClient({ environment: server.url, token: TOKEN, sleep });
    const created = await client.request<{ attempt: number }>({
      method: "POST",
      path: "/platform/x",
      json: { a: 1 },
    });
    assert.equal(created.attempt, 3);
    assert.equal(server.requests.length, 3);
    assert.equal(waits.length, 2);
    for (const r of server.requests) assert.equal(r.body, '{"a":1}');
  });
});

Deno.test("a create with existenceCheck: replayed when absent, conflict when present", async () => {
  await withServer(scripted([502]), async (server) => {
    let checks = 0;
    const client = createClient({ environment: server.url, token: TOKEN, sleep: recordingSleep().sleep });
    const created = await client.request<{ attempt: number }>({
      method: "POST",
      path: "/platform/x",
      json: {},
      existenceCheck: () => {
        checks++;
        return Promise.resolve(false);
      },
    });
    assert.equal(created.attempt, 2);
    assert.equal(checks, 1);
    assert.equal(server.requests.length, 2);
  });
  await withServer(scripted([504]), async (server) => {
    const client = createClient({ environment: server.url, token: TOKEN, sleep: recordingSleep().sleep });
    const error = await client.request({
      method: "POST",
      path: "/platform/x",
      json: {},
      resource: { kind: "workflow", name: "nightly" },
      existenceCheck: () => Promise.resolve(true),
    }).then(() => assert.fail("expected an error"), (e) => e);
    assert.ok(isDtctlError(error, "conflict"), String(error));
    assert.equal(error.exitCode, ExitCode.conflict);
    assert.match(error.message, /workflow "nightly" now exists/);
    assert.equal(server.requests.length, 1);
  });
  // 503 is safe: no existence check needed.
  await withServer(scripted([503]), async (server) => {
    let checks = 0;
    const client = createClient({ environment: server.url, token: TOKEN, sleep: recordingSleep().sleep });
    await client.request({
      method: "POST",
      path: "/platform/x",
      json: {},
      existenceCheck: () => Promise.resolve(++checks > 0),
    });
    assert.equal(checks, 0);
  });
});

Deno.test("409, other 4xx and 500 are never retried", async () => {
  for (const status of [400, 404, 409, 500]) {
    await withServer(scripted([status]), async (server) => {
      const { waits, sleep } = recordingSleep();
      const client = createClient({ environment: server.url, token: TOKEN, sleep });
      await assert.rejects(client.request({ method: "PUT", path: "/platform/x", json: {} }), ApiError);
      assert.equal(server.requests.length, 1, `status ${status}`);
      assert.deepEqual(waits, []);
    });
  }
});

Deno.test("maxAttempts bounds the attempts; the last error is surfaced", async () => {
  await withServer(() => json(503, envelope(503)), async (server) => {
    const client = createClient({
      environment: server.url,
      token: TOKEN,
      sleep: recordingSleep().sleep,
      retry: { maxAttempts: 3 },
    });
    const error = await client.request({ path: "/platform/x" }).then(() => assert.fail(), (e) => e);
    assert.ok(error instanceof ApiError && error.status === 503);
    assert.equal(server.requests.length, 3);
  });
});

Deno.test("a server wait beyond the retry budget is not attempted", async () => {
  await withServer(() => json(429, envelope(429), { "retry-after": "120" }), async (server) => {
    const { waits, sleep } = recordingSleep();
    const client = createClient({ environment: server.url, token: TOKEN, sleep });
    const error = await client.request({ path: "/platform/x" }).then(() => assert.fail(), (e) => e);
    assert.ok(error instanceof ApiError);
    assert.equal(error.code, "rate_limited");
    assert.equal(error.retryAfterSeconds, 120);
    assert.deepEqual(waits, []);
    assert.equal(server.requests.length, 1);
  });
  await withServer(() => json(429, envelope(429), { "retry-after": "3" }), async (server) => {
    const { waits, sleep } = recordingSleep();
    const client = createClient({
      environment: server.url,
      token: TOKEN,
      sleep,
      retry: { maxAttempts: 10, budgetMs: 7000 },
    });
    await assert.rejects(client.request({ path: "/platform/x" }), ApiError);
    assert.deepEqual(waits, [3000, 3000]);
  });
});

Deno.test("network errors: refused connections retried for any method, dropped ones only when idempotent", async () => {
  // A port with nothing listening: the request provably never left.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const closedPort = (listener.addr as Deno.NetAddr).port;
  listener.close();
  let calls = 0;
  const counting = (r: Request) => {
    calls++;
    return fetch(r);
  };
  const refused = createClient({
    environment: `http://127.0.0.1:${closedPort}`,
    token: TOKEN,
    fetch: counting,
    sleep: recordingSleep().sleep,
  });
  const error = await refused.request({ method: "POST", path: "/platform/x", json: {} }).then(
    () => assert.fail(),
    (e) => e,
  );
  assert.ok(isDtctlError(error, "network_error"), String(error));
  assert.match(error.message, /127\.0\.0\.1/);
  assert.equal(calls, 4);

  // A server that reads the request and hangs up: it may have been processed. Attempts are counted at the
  // transport, because Deno's fetch itself may reconnect once on such a hang-up (outside the client's control).
  const dropper = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let connections = 0;
  const accepting = (async () => {
    for await (const conn of dropper) {
      connections++;
      await conn.read(new Uint8Array(4096));
      conn.close();
    }
  })();
  try {
    const url = `http://127.0.0.1:${(dropper.addr as Deno.NetAddr).port}`;
    calls = 0;
    const client = createClient({
      environment: url,
      token: TOKEN,
      fetch: counting,
      sleep: recordingSleep().sleep,
    });
    await assert.rejects(
      client.request({ method: "POST", path: "/platform/x", json: {} }),
      (e: unknown) => isDtctlError(e, "network_error"),
    );
    assert.equal(calls, 1);
    assert.ok(connections >= 1);
    calls = 0;
    await assert.rejects(
      client.request({ path: "/platform/x" }),
      (e: unknown) => isDtctlError(e, "network_error"),
    );
    assert.equal(calls, 4);
  } finally {
    dropper.close();
    await accepting.catch(() => {});
  }
});

Deno.test("a slow server yields a timeout error, not retried", async () => {
  await withServer(async (_req, { closing }) => {
    await delay(3000, closing);
    return json(200, {});
  }, async (server) => {
    const { waits, sleep } = recordingSleep();
    const client = createClient({ environment: server.url, token: TOKEN, timeoutMs: 100, sleep });
    const started = performance.now();
    const error = await client.request({ path: "/platform/x" }).then(() => assert.fail(), (e) => e);
    assert.ok(isDtctlError(error, "timeout"), String(error));
    assert.match(error.message, /timed out after 100 ms/);
    assert.ok(performance.now() - started < 2500);
    assert.equal(server.requests.length, 1);
    assert.deepEqual(waits, []);
  });
});

Deno.test("a caller abort yields 'aborted' and stops retrying", async () => {
  await withServer(() => json(503, envelope(503)), async (server) => {
    const controller = new AbortController();
    const client = createClient({
      environment: server.url,
      token: TOKEN,
      sleep: (_ms, signal) => {
        controller.abort();
        return signal?.aborted ? Promise.reject(signal.reason) : Promise.resolve();
      },
    });
    const error = await client.request({ path: "/platform/x", signal: controller.signal }).then(
      () => assert.fail(),
      (e) => e,
    );
    assert.ok(isDtctlError(error, "aborted"), String(error));
    assert.equal(server.requests.length, 1);
  });
  await withServer(async (_req, { closing }) => {
    await delay(3000, closing);
    return json(200, {});
  }, async (server) => {
    const client = createClient({ environment: server.url, token: TOKEN });
    const error = await client.request({ path: "/platform/x", signal: AbortSignal.timeout(50) }).then(
      () => assert.fail(),
      (e) => e,
    );
    assert.ok(isDtctlError(error, "aborted"), String(error));
  });
});

Deno.test("timeouts and aborts also work with an injected transport that ignores the signal", async () => {
  const never = () => new Promise<Response>(() => {});
  const client = createClient({ environment: "https://abc.apps.dynatrace.com", token: TOKEN, fetch: never });
  const timedOut = await client.request({ path: "/platform/x", timeoutMs: 30 }).then(
    () => assert.fail(),
    (e) => e,
  );
  assert.ok(isDtctlError(timedOut, "timeout"), String(timedOut));
  const controller = new AbortController();
  const pending = client.request({ path: "/platform/x", signal: controller.signal });
  controller.abort();
  await assert.rejects(pending, (e: unknown) => isDtctlError(e, "aborted"));
});

Deno.test("a failing existence check surfaces the original ambiguous failure, without replay", async () => {
  await withServer(scripted([502]), async (server) => {
    const client = createClient({ environment: server.url, token: TOKEN, sleep: recordingSleep().sleep });
    const error = await client.request({
      method: "POST",
      path: "/platform/x",
      json: {},
      existenceCheck: () => Promise.reject(new Error("lookup failed")),
    }).then(() => assert.fail(), (e) => e);
    assert.ok(error instanceof ApiError && error.status === 502, String(error));
    assert.equal(server.requests.length, 1);
  });
});
