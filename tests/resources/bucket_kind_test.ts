import assert from "node:assert/strict";
import {
  type Bucket,
  bucketKind,
  createBucket,
  deleteBucket,
  formatBytes,
  getBucket,
  listBuckets,
  updateBucket,
} from "../../lib/resources/kinds/bucket.ts";
import { collect, failure, testPlatform } from "./setting_support.ts";

const BUCKETS = "/platform/storage/management/v1/bucket-definitions";

Deno.test("bucket kind: the name is the id; locking by version", () => {
  assert.equal(bucketKind.name, "bucket");
  assert.deepEqual(bucketKind.aliases, ["bkt"]);
  assert.equal(bucketKind.idField, "bucketName");
  assert.equal(bucketKind.nameField, "bucketName");
  assert.equal(bucketKind.locking, "version-param");
  assert.equal(bucketKind.looksLikeId!("anything"), true);
});

Deno.test("bucket list has records and sizes; --type filters by table, --filter by name", async () => {
  const { context, requests } = testPlatform();
  const all = await collect(bucketKind.list!(context, {}));
  assert.ok(all.some((b) => b.bucketName === "team_logs"));
  assert.ok(all.every((b) => typeof b.records === "number"));
  assert.deepEqual(requests()[0].query["add-fields"], ["records", "estimatedUncompressedBytes"]);
  const logs = await collect(bucketKind.list!(context, { type: "logs" }));
  assert.deepEqual(logs.map((b) => b.bucketName), ["default_logs", "team_logs"]);
  const audit = await collect(bucketKind.list!(context, { filter: "AUDIT" }));
  assert.deepEqual(audit.map((b) => b.bucketName), ["audit_events"]);
});

Deno.test("bucket create, update (PUT with the version lock, all writable fields), stale update", async () => {
  const { client, context, requests } = testPlatform();
  const created = await bucketKind.create!(context, {
    bucketName: "ci_logs",
    table: "logs",
    retentionDays: 30,
    displayName: "CI logs",
    status: "ignored",
    version: 99,
  }) as Bucket;
  assert.equal(created.bucketName, "ci_logs");
  assert.equal(created.version, 1);
  const post = requests().find((r) => r.method === "POST")!;
  assert.equal((post.body as Record<string, unknown>).status, undefined);

  const current = await getBucket(client, "ci_logs");
  assert.equal(current.status, "active");
  const updated = await bucketKind.update!(context, current, {
    bucketName: "ci_logs",
    table: "logs",
    retentionDays: 60,
    includedQueryLimitDays: 7,
  }) as Bucket;
  assert.equal(updated.retentionDays, 60);
  assert.equal(updated.includedQueryLimitDays, 7);
  // PUT replaces: the display name left out is removed.
  assert.equal(updated.displayName, undefined);
  assert.equal(updated.version, 2);
  const put = requests().find((r) => r.method === "PUT")!;
  assert.equal(put.query["optimistic-locking-version"], "1");

  const stale = await failure(() => updateBucket(client, current, { retentionDays: 10 }));
  assert.equal(stale.code, "conflict");
  const renamed = await failure(() => updateBucket(client, updated, { table: "events" }));
  assert.equal(renamed.code, "usage_error");
  assert.match(renamed.message, /table of bucket "ci_logs" cannot change/);
});

Deno.test("bucket errors: duplicates conflict, bad names are validation errors, built-ins are read-only", async () => {
  const { client } = testPlatform();
  const duplicate = await failure(() =>
    createBucket(client, { bucketName: "team_logs", table: "logs", retentionDays: 5 })
  );
  assert.equal(duplicate.code, "conflict");
  const bad = await failure(() =>
    createBucket(client, { bucketName: "Bad Name", table: "logs", retentionDays: 5 })
  );
  assert.ok(["validation_error", "bad_request"].includes(bad.code!));
  const builtin = await getBucket(client, "default_logs");
  const readonly = await failure(() => updateBucket(client, builtin, { retentionDays: 1 }));
  assert.equal(readonly.code, "permission_denied");
  const missing = await failure(() => getBucket(client, "nope_bucket"));
  assert.equal(missing.code, "not_found");
  assert.match(missing.message, /bucket "nope_bucket" not found/);
});

Deno.test("bucket delete is refused below dangerously-unrestricted", async () => {
  for (const level of ["readonly", "readwrite-mine", "readwrite-all"] as const) {
    const { client, context, requests } = testPlatform({ safety: level });
    const bucket = await getBucket(client, "team_logs");
    const error = await failure(() => bucketKind.delete!(context, bucket));
    assert.equal(error.code, "safety_blocked", level);
    assert.equal(error.exitCode, 5);
    assert.equal(requests().filter((r) => r.method === "DELETE").length, 0);
  }
  const { client, context } = testPlatform({ safety: "dangerously-unrestricted" });
  await bucketKind.delete!(context, await getBucket(client, "team_logs"));
  const names = (await collect(listBuckets(client))).map((b) => b.bucketName);
  assert.ok(!names.includes("team_logs"));
});

Deno.test("bucket writes below readonly: create refused, readwrite-all may create and update", async () => {
  const readonly = testPlatform({ safety: "readonly" });
  const refused = await failure(() =>
    createBucket(readonly.client, { bucketName: "xy_logs", table: "logs", retentionDays: 5 })
  );
  assert.equal(refused.code, "safety_blocked");
  const all = testPlatform({ safety: "readwrite-all" });
  const created = await createBucket(all.client, { bucketName: "xy_logs", table: "logs", retentionDays: 5 });
  const updated = await updateBucket(all.client, await getBucket(all.client, created.bucketName), {
    retentionDays: 6,
  });
  assert.equal(updated.retentionDays, 6);
  await deleteBucket(testPlatform().client, { bucketName: "team_logs" });
});

Deno.test("bucket describe and byte formatting", async () => {
  const { client, context } = testPlatform();
  const [section] = await bucketKind.describe!(context, await getBucket(client, "team_logs"));
  assert.equal(section.title, "Details");
  assert.deepEqual(section.fields, [["Updatable", "yes"], ["Class", "live"], [
    "Uncompressed bytes",
    "49356800",
  ]]);
  assert.equal(formatBytes(0), "0 B");
  assert.equal(formatBytes(1536), "1.5 KiB");
  assert.equal(formatBytes(49_356_800), "47.1 MiB");
  assert.equal(formatBytes(undefined), "");
});

Deno.test("bucket list path is the storage-management API", async () => {
  const { context, requests } = testPlatform();
  await collect(bucketKind.list!(context, {}));
  assert.equal(requests()[0].path, BUCKETS);
});
