import assert from "node:assert/strict";
import { isDtctlError } from "../../lib/errors/mod.ts";
import { createClient, createLimiter } from "../../lib/client/mod.ts";
import { delay, json, TOKEN, withServer } from "./_helpers.ts";

Deno.test("concurrency limit: the server never sees more requests in flight than allowed", async () => {
  let inFlight = 0;
  let maxInFlight = 0;
  await withServer(async (_req, { closing }) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await delay(100, closing);
    inFlight--;
    return json(200, {});
  }, async (server) => {
    const client = createClient({ environment: server.url, token: TOKEN, concurrency: 3 });
    await Promise.all(Array.from({ length: 15 }, (_, i) => client.request({ path: `/platform/${i}` })));
    assert.equal(server.requests.length, 15);
    assert.equal(maxInFlight, 3);
  });
});

Deno.test("rate limit: request starts are spaced by 1/rate", async () => {
  await withServer(() => json(200, {}), async (server) => {
    const client = createClient({ environment: server.url, token: TOKEN, rateLimit: 10 });
    const started = performance.now();
    await Promise.all(Array.from({ length: 5 }, () => client.request({ path: "/platform/x" })));
    // 5 starts at 10/s: the last one at least 400 ms after the first (generous lower bound only).
    assert.ok(performance.now() - started >= 350, `took ${performance.now() - started} ms`);
    const arrivals = server.requests.map((r) => r.at);
    assert.ok(arrivals.at(-1)! - arrivals[0] >= 350);
  });
});

Deno.test("one limiter shared by two clients bounds both together", async () => {
  let inFlight = 0;
  let maxInFlight = 0;
  await withServer(async (_req, { closing }) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await delay(80, closing);
    inFlight--;
    return json(200, {});
  }, async (server) => {
    const limiter = createLimiter({ concurrency: 2 });
    const a = createClient({ environment: server.url, token: TOKEN, limiter });
    const b = createClient({ environment: server.url, token: TOKEN, limiter });
    await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).request({ path: "/platform/x" })));
    assert.equal(maxInFlight, 2);
  });
});

Deno.test("createLimiter: queued tasks run in order; an abort while queued rejects without running", async () => {
  const limiter = createLimiter({ concurrency: 1 });
  const order: string[] = [];
  let release!: () => void;
  const first = limiter.run(() => new Promise<void>((r) => (release = r)).then(() => order.push("first")));
  const controller = new AbortController();
  let ranAborted = false;
  const aborted = limiter.run(() => {
    ranAborted = true;
    return Promise.resolve();
  }, controller.signal);
  const third = limiter.run(() => Promise.resolve(order.push("third")));
  assert.equal(limiter.active, 1);
  assert.equal(limiter.pending, 2);
  controller.abort();
  await assert.rejects(aborted, (e: unknown) => isDtctlError(e, "aborted"));
  assert.equal(limiter.pending, 1);
  release();
  await Promise.all([first, third]);
  assert.deepEqual(order, ["first", "third"]);
  assert.equal(ranAborted, false);
  assert.equal(limiter.active, 0);
});

Deno.test("createLimiter: rate spacing uses the injected clock and sleep; errors release the slot", async () => {
  let clock = 0;
  const waits: number[] = [];
  const limiter = createLimiter({
    concurrency: 10,
    ratePerSecond: 4,
    now: () => clock,
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
  });
  await Promise.all([1, 2, 3].map(() => limiter.run(() => Promise.resolve())));
  assert.deepEqual(waits, [250, 500]);
  clock = 10_000;
  await assert.rejects(limiter.run(() => Promise.reject(new Error("boom"))), /boom/);
  assert.equal(limiter.active, 0);
  assert.deepEqual(waits, [250, 500]);
  assert.throws(() => createLimiter({ concurrency: 0 }), (e: unknown) => isDtctlError(e, "config_error"));
});
