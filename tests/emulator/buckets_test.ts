import assert from "node:assert/strict";
import { createEmulator } from "../../lib/emulator/handler.ts";
import { assertStorageError, BUCKETS, call, callJson, ManualClock } from "./helpers.ts";

const NEW_BUCKET = {
  bucketName: "custom_logs",
  table: "logs",
  displayName: "Custom logs",
  retentionDays: 35,
};

Deno.test("buckets: default buckets are seeded read-only", async () => {
  const em = createEmulator();
  const { status, body } = await callJson(em, "GET", BUCKETS);
  assert.equal(status, 200);
  const buckets = body.buckets as Record<string, unknown>[];
  for (
    const name of [
      "default_logs",
      "default_events",
      "default_bizevents",
      "default_spans",
      "default_metrics",
      "default_securityevents",
    ]
  ) {
    const bucket = buckets.find((b) => b.bucketName === name);
    assert.ok(bucket, name);
    assert.equal(bucket.updatable, false);
    assert.equal(bucket.status, "active");
    assert.equal(bucket.records, undefined, "records only with add-fields");
  }
  const withRecords = await callJson(
    em,
    "GET",
    `${BUCKETS}/default_logs?add-fields=records&add-fields=estimatedUncompressedBytes`,
  );
  assert.equal(typeof withRecords.body.records, "number");
  assert.equal((await call(em, "GET", `${BUCKETS}?add-fields=size`)).status, 400);
  for (
    const [method, path, body] of [
      ["PUT", `${BUCKETS}/default_logs?optimistic-locking-version=1`, {
        ...NEW_BUCKET,
        bucketName: "default_logs",
        version: 1,
      }],
      ["PATCH", `${BUCKETS}/default_logs?optimistic-locking-version=1`, { retentionDays: 10 }],
      ["DELETE", `${BUCKETS}/default_logs`, undefined],
    ] as const
  ) {
    const answer = await callJson(em, method, path, { body });
    assert.equal(answer.status, 403, method);
    assert.deepEqual(answer.body, { error: { code: 403, message: "Bucket is readonly.", errorDetails: [] } });
  }
});

Deno.test("buckets: create validates names, tables and retention", async () => {
  const em = createEmulator();
  const bad: Record<string, unknown>[] = [
    { ...NEW_BUCKET, bucketName: "ab" },
    { ...NEW_BUCKET, bucketName: "Custom" },
    { ...NEW_BUCKET, bucketName: "1logs" },
    { ...NEW_BUCKET, bucketName: "default_mine" },
    { ...NEW_BUCKET, bucketName: "dt_mine" },
    { ...NEW_BUCKET, bucketName: "x".repeat(101) },
    { ...NEW_BUCKET, table: "metrics" },
    { ...NEW_BUCKET, retentionDays: 0 },
    { ...NEW_BUCKET, retentionDays: 3658 },
    { ...NEW_BUCKET, retentionDays: "35" },
    { ...NEW_BUCKET, displayName: "d".repeat(201) },
    { ...NEW_BUCKET, bucketClass: "historic", table: "events" },
    { bucketName: "custom_logs", table: "logs" },
  ];
  for (const body of bad) {
    const answer = await callJson(em, "POST", BUCKETS, { body });
    assert.equal(answer.status, 400, JSON.stringify(body));
    assertStorageError(answer.body, 400);
  }
});

Deno.test("buckets: lifecycle with the default (immediate) transitions", async () => {
  const em = createEmulator();
  const created = await callJson(em, "POST", BUCKETS, { body: NEW_BUCKET });
  assert.equal(created.status, 201);
  assert.equal(created.body.status, "creating");
  assert.equal(created.body.version, 1);
  assert.equal(created.body.updatable, true);
  const dup = await callJson(em, "POST", BUCKETS, { body: NEW_BUCKET });
  assert.equal(dup.status, 409);
  assert.equal((dup.body.error as Record<string, unknown>).message, "Bucket already exists");

  const active = await callJson(em, "GET", `${BUCKETS}/custom_logs`);
  assert.equal(active.body.status, "active");

  const noVersion = await callJson(em, "PUT", `${BUCKETS}/custom_logs`, {
    body: { ...NEW_BUCKET, version: 1 },
  });
  assert.equal(noVersion.status, 400);
  const mismatch = await callJson(em, "PUT", `${BUCKETS}/custom_logs?optimistic-locking-version=1`, {
    body: { ...NEW_BUCKET, version: 2 },
  });
  assert.equal(mismatch.status, 409);
  const put = await call(em, "PUT", `${BUCKETS}/custom_logs?optimistic-locking-version=1`, {
    body: { ...NEW_BUCKET, retentionDays: 10, version: 1 },
  });
  assert.equal(put.status, 200);
  assert.equal(await put.text(), "");
  const stale = await callJson(em, "PUT", `${BUCKETS}/custom_logs?optimistic-locking-version=1`, {
    body: { ...NEW_BUCKET, version: 1 },
  });
  assert.equal(stale.status, 409);
  assert.match(String((stale.body.error as Record<string, unknown>).message), /^Optimistic locking failed/);
  const renamed = await callJson(em, "PUT", `${BUCKETS}/custom_logs?optimistic-locking-version=2`, {
    body: { ...NEW_BUCKET, table: "events", version: 2 },
  });
  assert.equal(renamed.status, 400, "table is immutable");

  assert.equal(
    (await call(em, "PATCH", `${BUCKETS}/custom_logs?optimistic-locking-version=2`, {
      body: { displayName: "Renamed" },
    })).status,
    200,
  );
  const patched = await callJson(em, "GET", `${BUCKETS}/custom_logs`);
  assert.equal(patched.body.version, 3);
  assert.equal(patched.body.retentionDays, 10);
  assert.equal(patched.body.displayName, "Renamed");

  assert.equal((await call(em, "POST", `${BUCKETS}/custom_logs:truncate`)).status, 202);
  const deleted = await callJson(em, "DELETE", `${BUCKETS}/custom_logs`);
  assert.equal(deleted.status, 202);
  assert.equal(deleted.body.status, "deleting");
  const gone = await callJson(em, "GET", `${BUCKETS}/custom_logs`);
  assert.equal(gone.status, 404);
  assert.deepEqual(gone.body, {
    error: { code: 404, message: "Unknown bucket 'custom_logs' in tenant 'local'", errorDetails: [] },
  });
});

Deno.test("buckets: with a transition delay, writes during creating/deleting are 409", async () => {
  const clock = new ManualClock();
  const em = createEmulator({
    clock,
    serviceOptions: { buckets: { transitionDelayMs: 60_000, listDelayMs: 5_000 } },
  });
  assert.equal((await call(em, "POST", BUCKETS, { body: NEW_BUCKET })).status, 201);
  const hidden = (await callJson(em, "GET", BUCKETS)).body.buckets as { bucketName: string }[];
  assert.ok(!hidden.some((b) => b.bucketName === "custom_logs"), "new buckets show up after a delay");
  clock.advance(5_000);
  const creating = await callJson(em, "GET", `${BUCKETS}/custom_logs`);
  assert.equal(creating.body.status, "creating");
  const busy = await callJson(em, "PATCH", `${BUCKETS}/custom_logs?optimistic-locking-version=1`, {
    body: { retentionDays: 5 },
  });
  assert.equal(busy.status, 409);
  assert.equal(
    (busy.body.error as Record<string, unknown>).message,
    "Operation in progress that prevents current modifications (creating, deleting, updating)",
  );
  clock.advance(60_000);
  const updating = await call(em, "PATCH", `${BUCKETS}/custom_logs?optimistic-locking-version=1`, {
    body: { retentionDays: 5 },
  });
  assert.equal(updating.status, 202);
  assert.equal((await callJson(em, "GET", `${BUCKETS}/custom_logs`)).body.status, "updating");
  clock.advance(60_000);
  assert.equal((await call(em, "DELETE", `${BUCKETS}/custom_logs`)).status, 202);
  assert.equal((await callJson(em, "GET", `${BUCKETS}/custom_logs`)).body.status, "deleting");
  assert.equal((await call(em, "DELETE", `${BUCKETS}/custom_logs`)).status, 409);
  assert.equal(
    (await call(em, "POST", BUCKETS, { body: NEW_BUCKET })).status,
    409,
    "a deleting bucket still holds its name",
  );
  clock.advance(60_000);
  assert.equal((await call(em, "GET", `${BUCKETS}/custom_logs`)).status, 404);
  assert.equal((await call(em, "POST", BUCKETS, { body: NEW_BUCKET })).status, 201);
});
