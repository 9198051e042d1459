/**
 * Grail bucket definitions (storage envelope family).
 *
 * @module
 */

import { empty, json } from "../../envelope.ts";
import { readJsonObject } from "../../http/body.ts";
import { bodyError, conflict, forbidden, notFound, queryError } from "../../http/errors.ts";
import { lockingVersion } from "../../http/params.ts";
import { intField, stringField } from "../../http/validate.ts";
import type { Route, RouteContext } from "../../types.ts";
import {
  BUCKET_ADD_FIELDS,
  type BucketRecord,
  buckets,
  BUCKETS_BASE,
  isVisible,
  listDelay,
  renderBucket,
  settle,
  TABLES,
  transitionDelay,
} from "./model.ts";

const NAME_PATTERN = /^[a-z][a-z0-9][a-z0-9_-]+$/;
const READONLY_PREFIXES = ["default_", "dt_"];
const METRIC_INTERVALS = ["PT1M", "PT5M", "PT15M", "PT1H"];
const IN_PROGRESS =
  "Operation in progress that prevents current modifications (creating, deleting, updating)";
const STALE =
  "Optimistic locking failed. Seems like the affected object has been modified by another operation in the meantime.";

function tenant(ctx: RouteContext): string {
  const configured = ctx.options?.tenantId;
  return typeof configured === "string" && configured !== "" ? configured : "local";
}

function addFields(url: URL): Set<string> {
  const values = url.searchParams.getAll("add-fields").flatMap((v) => v.split(",")).map((v) => v.trim());
  for (const value of values) {
    if (!(BUCKET_ADD_FIELDS as readonly string[]).includes(value)) {
      throw queryError(
        `Unknown add-fields value '${value}'. Allowed: ${BUCKET_ADD_FIELDS.join(", ")}.`,
        "add-fields",
      );
    }
  }
  return new Set(values);
}

function findBucket(ctx: RouteContext): BucketRecord {
  settle(ctx);
  const bucket = buckets(ctx.store).get(ctx.params.name);
  if (!bucket || !isVisible(bucket, ctx.clock.now())) {
    throw notFound(`Unknown bucket '${ctx.params.name}' in tenant '${tenant(ctx)}'`);
  }
  return bucket;
}

function isReadonly(bucket: BucketRecord): boolean {
  return !bucket.updatable || READONLY_PREFIXES.some((p) => bucket.bucketName.startsWith(p));
}

/** A bucket that may be changed now: 403 read-only, 409 while a transition runs. */
function mutableBucket(ctx: RouteContext): BucketRecord {
  const bucket = findBucket(ctx);
  if (isReadonly(bucket)) throw forbidden("Bucket is readonly.");
  if (bucket.status !== "active") throw conflict(IN_PROGRESS);
  return bucket;
}

/** Starts a transition; returns 200 when it completes immediately, 202 when it takes time. */
function transition(ctx: RouteContext, bucket: BucketRecord, status: "updating" | "deleting"): 200 | 202 {
  const delay = transitionDelay(ctx);
  bucket.status = status;
  bucket.settlesAt = ctx.clock.now() + delay;
  if (delay === 0 && status === "updating") {
    bucket.status = "active";
    delete bucket.settlesAt;
    return 200;
  }
  return 202;
}

function list(ctx: RouteContext): Response {
  const fields = addFields(ctx.url);
  settle(ctx);
  const now = ctx.clock.now();
  const items = [...buckets(ctx.store).values()]
    .filter((b) => isVisible(b, now))
    .sort((a, b) => a.bucketName < b.bucketName ? -1 : 1)
    .map((b) => renderBucket(b, fields));
  return json(200, { buckets: items });
}

function get(ctx: RouteContext): Response {
  const fields = addFields(ctx.url);
  return json(200, renderBucket(findBucket(ctx), fields));
}

function retention(body: Record<string, unknown>, required: boolean): number | undefined {
  return intField(body, "retentionDays", { required, min: 1, max: 3657 });
}

function displayName(body: Record<string, unknown>): string | undefined {
  return stringField(body, "displayName", { max: 200 });
}

function queryLimit(body: Record<string, unknown>): number | undefined {
  return intField(body, "includedQueryLimitDays", { min: 0 });
}

async function create(ctx: RouteContext): Promise<Response> {
  const body = await readJsonObject(ctx.request);
  const name = stringField(body, "bucketName", { required: true, min: 3, max: 100 })!;
  if (!NAME_PATTERN.test(name)) {
    throw bodyError(
      "Bucket name must start with a letter and contain only lowercase letters, digits, '_' and '-'.",
      "bucketName",
    );
  }
  if (READONLY_PREFIXES.some((p) => name.startsWith(p))) {
    throw bodyError(`Bucket name must not start with ${READONLY_PREFIXES.join(" or ")}.`, "bucketName");
  }
  const table = stringField(body, "table", { required: true, min: 1 })!;
  if (!TABLES.includes(table)) throw bodyError(`Table must be one of ${TABLES.join(", ")}.`, "table");
  const retentionDays = retention(body, true)!;
  const bucketClass = stringField(body, "bucketClass");
  if (bucketClass !== undefined && bucketClass !== "live" && bucketClass !== "historic") {
    throw bodyError("bucketClass must be 'live' or 'historic'.", "bucketClass");
  }
  if (bucketClass === "historic" && table !== "logs") {
    throw bodyError("Historic buckets are only supported for table 'logs'.", "bucketClass");
  }
  const metricInterval = stringField(body, "metricInterval");
  if (metricInterval !== undefined && !METRIC_INTERVALS.includes(metricInterval)) {
    throw bodyError(`metricInterval must be one of ${METRIC_INTERVALS.join(", ")}.`, "metricInterval");
  }
  const bucket: BucketRecord = {
    bucketName: name,
    table,
    displayName: displayName(body),
    status: "creating",
    retentionDays,
    includedQueryLimitDays: queryLimit(body) ?? 0,
    metricInterval,
    version: 1,
    updatable: true,
    bucketClass: (bucketClass as BucketRecord["bucketClass"]) ?? "live",
    records: 0,
    estimatedUncompressedBytes: 0,
  };
  settle(ctx);
  const all = buckets(ctx.store);
  if (all.has(name)) throw conflict("Bucket already exists");
  const now = ctx.clock.now();
  bucket.settlesAt = now + transitionDelay(ctx);
  const hidden = listDelay(ctx);
  if (hidden > 0) bucket.visibleAt = now + hidden;
  all.set(name, bucket);
  return json(201, renderBucket(bucket));
}

async function replace(ctx: RouteContext): Promise<Response> {
  const expected = lockingVersion(ctx.url);
  const body = await readJsonObject(ctx.request);
  const version = intField(body, "version", { required: true });
  if (version !== expected) {
    throw conflict(`${STALE} (optimistic-locking-version ${expected} and body version ${version} differ)`);
  }
  const name = stringField(body, "bucketName");
  const table = stringField(body, "table");
  const retentionDays = retention(body, true)!;
  const newDisplayName = displayName(body);
  const limit = queryLimit(body);
  const bucket = mutableBucket(ctx);
  if (name !== undefined && name !== bucket.bucketName) {
    throw bodyError("bucketName cannot be changed.", "bucketName");
  }
  if (table !== undefined && table !== bucket.table) throw bodyError("table cannot be changed.", "table");
  if (bucket.version !== expected) throw conflict(STALE);
  bucket.retentionDays = retentionDays;
  bucket.displayName = newDisplayName;
  if (limit !== undefined) bucket.includedQueryLimitDays = limit;
  bucket.version += 1;
  return empty(transition(ctx, bucket, "updating"));
}

async function patch(ctx: RouteContext): Promise<Response> {
  const expected = lockingVersion(ctx.url);
  const body = await readJsonObject(ctx.request);
  const retentionDays = retention(body, false);
  const newDisplayName = displayName(body);
  const limit = queryLimit(body);
  const bucket = mutableBucket(ctx);
  if (bucket.version !== expected) throw conflict(STALE);
  if (retentionDays !== undefined) bucket.retentionDays = retentionDays;
  if (newDisplayName !== undefined) bucket.displayName = newDisplayName;
  if (limit !== undefined) bucket.includedQueryLimitDays = limit;
  bucket.version += 1;
  return empty(transition(ctx, bucket, "updating"));
}

function remove(ctx: RouteContext): Response {
  const bucket = mutableBucket(ctx);
  transition(ctx, bucket, "deleting");
  return json(202, renderBucket(bucket));
}

function truncate(ctx: RouteContext): Response {
  const bucket = findBucket(ctx);
  if (bucket.status !== "active") throw conflict(IN_PROGRESS);
  bucket.records = 0;
  bucket.estimatedUncompressedBytes = 0;
  return empty(202);
}

const base = `${BUCKETS_BASE}/bucket-definitions`;
const read = ["storage:bucket-definitions:read"];
const write = ["storage:bucket-definitions:write"];

/** Routes of the bucket-definition service. */
export const bucketRoutes: Route[] = [
  { method: "GET", path: base, family: "storage", scopes: read, handle: list },
  { method: "POST", path: base, family: "storage", scopes: write, handle: create },
  { method: "GET", path: `${base}/:name`, family: "storage", scopes: read, handle: get },
  { method: "PUT", path: `${base}/:name`, family: "storage", scopes: write, handle: replace },
  { method: "PATCH", path: `${base}/:name`, family: "storage", scopes: write, handle: patch },
  {
    method: "DELETE",
    path: `${base}/:name`,
    family: "storage",
    scopes: ["storage:bucket-definitions:delete"],
    handle: remove,
  },
  {
    method: "POST",
    path: `${base}/:name:truncate`,
    family: "storage",
    scopes: ["storage:bucket-definitions:truncate"],
    handle: truncate,
  },
];
