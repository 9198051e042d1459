import assert from "node:assert/strict";
import { isDtctlError } from "../../lib/errors/mod.ts";
import { ConnectionDropped, createEmulator } from "../../lib/emulator/handler.ts";
import { assertPlatformError, call, callJson, DOCS, ManualClock } from "./helpers.ts";

async function statuses(seed: number, count: number, faultRate: number): Promise<number[]> {
  const em = createEmulator({ seed, faultRate });
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push((await call(em, "GET", `${DOCS}/documents`)).status);
  return out;
}

Deno.test("faults: the same seed gives the same fault sequence", async () => {
  const a = await statuses(1234, 200, 0.3);
  const b = await statuses(1234, 200, 0.3);
  const c = await statuses(999, 200, 0.3);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  assert.ok(a.every((s) => [200, 500, 502, 503].includes(s)));
  const faulted = a.filter((s) => s !== 200).length;
  assert.ok(faulted > 30 && faulted < 100, `about 30% faults, got ${faulted}/200`);
  for (const status of [500, 502, 503]) assert.ok(a.includes(status), `${status} occurs`);
});

Deno.test("faults: injected 5xx use the family envelope; 503 carries Retry-After", async () => {
  const em = createEmulator({ seed: 7, faultRate: 1 });
  let saw503 = false;
  for (let i = 0; i < 30; i++) {
    const { status, body, headers } = await callJson(em, "GET", `${DOCS}/documents`);
    assertPlatformError(body, status);
    if (status === 503) {
      saw503 = true;
      assert.equal(headers.get("retry-after"), "1");
      assert.equal((body.error as Record<string, unknown>).retryAfterSeconds, 1);
    }
  }
  assert.ok(saw503);
  const storage = await callJson(em, "GET", "/platform/storage/management/v1/bucket-definitions");
  assert.ok(Array.isArray((storage.body.error as Record<string, unknown>).errorDetails));
  const admin = await call(em, "GET", "/__emulator/requests");
  assert.equal(admin.status, 200, "control endpoints are never faulted");
});

Deno.test("faults: rate limit answers 429 with Retry-After until the window passes", async () => {
  const clock = new ManualClock(Date.parse("2025-01-01T00:00:00.250Z"));
  const em = createEmulator({ clock, rateLimit: 3 });
  const results = [];
  for (let i = 0; i < 5; i++) results.push(await callJson(em, "GET", `${DOCS}/documents`));
  assert.deepEqual(results.map((r) => r.status), [200, 200, 200, 429, 429]);
  const limited = results[3];
  assert.equal(limited.headers.get("retry-after"), "1");
  assert.equal((limited.body.error as Record<string, unknown>).retryAfterSeconds, 1);
  assertPlatformError(limited.body, 429);
  clock.advance(750);
  assert.equal((await call(em, "GET", `${DOCS}/documents`)).status, 200, "a new second admits again");
});

Deno.test("faults: explicit rules apply `times` times, then the service answers", async () => {
  const em = createEmulator();
  const added = await callJson(em, "POST", "/__emulator/faults", {
    body: { rules: [{ method: "GET", pathRegex: "/documents$", status: 503, times: 2 }] },
  });
  assert.equal(added.status, 201);
  const first = await call(em, "GET", `${DOCS}/documents`);
  assert.equal(first.status, 503);
  assert.equal(first.headers.get("retry-after"), "1");
  assert.equal(
    (await call(em, "POST", `${DOCS}/documents:delete`, { body: { ids: ["x"] } })).status,
    200,
    "method and path must match",
  );
  assert.equal((await call(em, "GET", `${DOCS}/documents`)).status, 503);
  assert.equal((await call(em, "GET", `${DOCS}/documents`)).status, 200);

  await call(em, "POST", "/__emulator/faults", {
    body: {
      pathRegex: "metadata/v1/user",
      status: 429,
      headers: { "Retry-After": "3" },
      body: { custom: true },
    },
  });
  const custom = await callJson(em, "GET", "/platform/metadata/v1/user");
  assert.equal(custom.status, 429);
  assert.equal(custom.headers.get("retry-after"), "3");
  assert.deepEqual(custom.body, { custom: true });
  const listed = await callJson(em, "GET", "/__emulator/faults");
  assert.equal((listed.body.rules as unknown[]).length, 1);
  assert.equal((await call(em, "DELETE", "/__emulator/faults")).status, 204);
  assert.equal((await call(em, "GET", "/platform/metadata/v1/user")).status, 200);

  await call(em, "POST", "/__emulator/faults", {
    body: { pathRegex: "environment$", status: 204, body: { ignored: 1 }, times: 1 },
  });
  const noContent = await call(em, "GET", "/platform/management/v1/environment");
  assert.equal(noContent.status, 204);
  assert.equal(await noContent.text(), "");

  for (
    const rule of [
      { status: 503 },
      { pathRegex: "(", status: 500 },
      { pathRegex: "x", status: 99 },
      {
        pathRegex: "x",
        status: 500,
        headers: { "bad name": "v" },
      },
      { pathRegex: "x", status: 500, headers: { ok: "line\nbreak" } },
      {
        pathRegex: "x",
        status: 500,
        times: 0,
      },
    ]
  ) {
    const bad = await callJson(em, "POST", "/__emulator/faults", { body: rule });
    assert.equal(bad.status, 400, JSON.stringify(rule));
  }
});

Deno.test("faults: dropped connections throw like fetch and are logged", async () => {
  const em = createEmulator({ dropRate: 1 });
  await assert.rejects(() => call(em, "GET", `${DOCS}/documents`), (error: unknown) => {
    assert.ok(error instanceof TypeError);
    assert.ok(error instanceof ConnectionDropped);
    assert.equal((error as Error).message, "connection reset");
    return true;
  });
  const log = await callJson(em, "GET", "/__emulator/requests");
  assert.deepEqual(
    (log.body.requests as { status: number; fault: string }[]).map((r) => [r.status, r.fault]),
    [[0, "drop"]],
  );

  const calm = createEmulator();
  await call(calm, "POST", "/__emulator/faults", { body: { pathRegex: "documents", status: 0, times: 1 } });
  await assert.rejects(() => call(calm, "GET", `${DOCS}/documents`), TypeError);
  assert.equal((await call(calm, "GET", `${DOCS}/documents`)).status, 200);
});

Deno.test("faults: latency and settings can change at runtime", async () => {
  const em = createEmulator();
  const changed = await callJson(em, "PATCH", "/__emulator/config", { body: { latencyMs: 60 } });
  assert.equal(changed.body.latencyMs, 60);
  const started = performance.now();
  await call(em, "GET", `${DOCS}/documents`);
  assert.ok(performance.now() - started >= 50, "waited at least the configured latency");
  assert.equal((await call(em, "PATCH", "/__emulator/config", { body: { faultRate: 2 } })).status, 400);
  assert.throws(
    () => createEmulator({ faultRate: -1 }),
    (error: unknown) => isDtctlError(error, "usage_error"),
  );
  assert.throws(
    () => createEmulator({ faults: [{ pathRegex: "[", status: 500 }] }),
    (error: unknown) => isDtctlError(error, "usage_error"),
  );
  assert.equal(
    (await call(em, "PATCH", "/__emulator/config", { body: { serviceOptions: { buckets: 1 } } })).status,
    400,
  );
});
