/**
 * Stored Grail buckets, their lifecycle and rendering.
 *
 * A bucket moves `creating → active`, `active → updating → active` and `active → deleting → gone`. Each
 * transition completes `transitionDelayMs` (a service option, default 0) after it started, and is applied lazily
 * by {@link settle} at the start of every bucket request: with the default, the request after a create already
 * sees `active`, as the platform spec allows.
 *
 * @module
 */

import type { EmulatorStore, RouteContext } from "../../types.ts";

/** Base path of the storage-management service. */
export const BUCKETS_BASE = "/platform/storage/management/v1";

/** Bucket lifecycle states. */
export type BucketStatus = "creating" | "active" | "updating" | "deleting";

/** A stored bucket. */
export interface BucketRecord {
  bucketName: string;
  table: string;
  displayName?: string;
  status: BucketStatus;
  retentionDays: number;
  includedQueryLimitDays: number;
  metricInterval?: string;
  version: number;
  updatable: boolean;
  bucketClass?: "live" | "historic";
  records: number;
  estimatedUncompressedBytes: number;
  /** When the current transition completes (epoch ms). */
  settlesAt?: number;
  /** Before this time (epoch ms) a new bucket is not yet listed nor readable. */
  visibleAt?: number;
}

/** Tables a custom bucket may be created for. */
export const TABLES = [
  "logs",
  "events",
  "bizevents",
  "spans",
  "security.events",
  "user.sessions",
  "user.events",
];

/** The buckets collection. */
export function buckets(store: EmulatorStore): Map<string, BucketRecord> {
  return store.collection<BucketRecord>("buckets");
}

function numberOption(ctx: RouteContext, name: string): number {
  const value = ctx.options?.[name];
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : 0;
}

/** How long creating, updating and deleting take (`serviceOptions.buckets.transitionDelayMs`). */
export function transitionDelay(ctx: RouteContext): number {
  return numberOption(ctx, "transitionDelayMs");
}

/** How long a new bucket stays invisible (`serviceOptions.buckets.listDelayMs`). */
export function listDelay(ctx: RouteContext): number {
  return numberOption(ctx, "listDelayMs");
}

/** Completes every transition whose time has come. */
export function settle(ctx: RouteContext): void {
  const now = ctx.clock.now();
  const all = buckets(ctx.store);
  for (const bucket of [...all.values()]) {
    if (bucket.settlesAt === undefined || bucket.settlesAt > now) continue;
    if (bucket.status === "deleting") all.delete(bucket.bucketName);
    else {
      bucket.status = "active";
      delete bucket.settlesAt;
    }
    // Settling can happen on a GET, which the core does not mark dirty by itself.
    ctx.store.markDirty();
  }
}

/** Whether the bucket can be seen at `now` (eventual-consistency toggle). */
export function isVisible(bucket: BucketRecord, now: number): boolean {
  return bucket.visibleAt === undefined || bucket.visibleAt <= now;
}

/** Optional fields of {@link renderBucket}. */
export const BUCKET_ADD_FIELDS = [
  "records",
  "estimatedUncompressedBytes",
  "estimatedUncompressedBytesQueryIncluded",
  "estimatedUncompressedBytesOnDemand",
] as const;

/** The bucket as the API returns it, with requested `add-fields`. */
export function renderBucket(
  bucket: BucketRecord,
  fields: ReadonlySet<string> = new Set(),
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    bucketName: bucket.bucketName,
    table: bucket.table,
    ...(bucket.displayName !== undefined ? { displayName: bucket.displayName } : {}),
    status: bucket.status,
    retentionDays: bucket.retentionDays,
    includedQueryLimitDays: bucket.includedQueryLimitDays,
    ...(bucket.metricInterval !== undefined ? { metricInterval: bucket.metricInterval } : {}),
    version: bucket.version,
    updatable: bucket.updatable,
    ...(bucket.bucketClass !== undefined ? { bucketClass: bucket.bucketClass } : {}),
  };
  if (fields.has("records")) out.records = bucket.records;
  if (fields.has("estimatedUncompressedBytes")) {
    out.estimatedUncompressedBytes = bucket.estimatedUncompressedBytes;
  }
  if (fields.has("estimatedUncompressedBytesQueryIncluded")) {
    out.estimatedUncompressedBytesQueryIncluded = bucket.estimatedUncompressedBytes;
  }
  if (fields.has("estimatedUncompressedBytesOnDemand")) out.estimatedUncompressedBytesOnDemand = 0;
  return out;
}
