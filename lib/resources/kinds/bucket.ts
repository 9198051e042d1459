/**
 * Grail buckets (`/platform/storage/management/v1/bucket-definitions`). The bucket name is both the id and the
 * name (a natural key that is portable across environments).
 *
 * Updates replace the writable fields (`displayName`, `retentionDays`, `includedQueryLimitDays`: the Go
 * dtctl dropped the last one) with PUT, locked on the integer `optimistic-locking-version`. Deletes are
 * requests on kind `bucket`, which the safety guard refuses below `dangerously-unrestricted`: bucket data
 * cannot be restored.
 *
 * @module
 */

import type { PlatformClient } from "../../client/mod.ts";
import { usageError } from "../../errors/mod.ts";
import type { DescribeSection, KindContext, ListOptions, RemoteObject, ResourceKind } from "../types.ts";
import { str } from "./text.ts";

/** Base path of the storage-management API. */
const BUCKETS_API = "/platform/storage/management/v1";

/** A Grail bucket as the API returns it. */
export interface Bucket {
  /** Name and id: 3–100 characters, `[a-z][a-z0-9_-]+`, immutable. */
  bucketName: string;
  /** Table: `logs`, `events`, `bizevents`, `spans`, ... (immutable). */
  table: string;
  /** Display name. */
  displayName?: string;
  /** `creating`, `active`, `updating`, `deleting`. */
  status?: string;
  /** Retention in days (1..3657). */
  retentionDays: number;
  /** Days of data included in query costs. */
  includedQueryLimitDays?: number;
  /** `live` or `historic`. */
  bucketClass?: string;
  /** Metric resolution (metric buckets). */
  metricInterval?: string;
  /** Integer version, the lock of updates. */
  version?: number;
  /** False for the built-in buckets. */
  updatable?: boolean;
  /** Record count (when asked for). */
  records?: number;
  /** Size estimate in bytes (when asked for). */
  estimatedUncompressedBytes?: number;
  /** Fields the API may add later. */
  [field: string]: unknown;
}

/** Fields only the server sets: dropped from creates, and a manifest may not set them. */
export const BUCKET_SERVER_FIELDS = [
  "status",
  "version",
  "updatable",
  "records",
  "estimatedUncompressedBytes",
];
const ADD_FIELDS = ["records", "estimatedUncompressedBytes"];
const IMMUTABLE = ["bucketName", "table", "bucketClass", "metricInterval"] as const;
const enc = encodeURIComponent;

function ref(name?: string) {
  return { kind: "bucket", ...(name ? { name } : {}) };
}

/** Lists the buckets (no paging: the API returns them all); `table` keeps those of one table. */
export async function* listBuckets(
  client: PlatformClient,
  options: { table?: string; match?: string; signal?: AbortSignal } = {},
): AsyncGenerator<Bucket> {
  const body = await client.request<{ buckets?: Bucket[] }>({
    path: `${BUCKETS_API}/bucket-definitions`,
    query: { "add-fields": ADD_FIELDS },
    signal: options.signal,
    resource: ref(),
  });
  const needle = options.match?.toLowerCase();
  for (const bucket of body?.buckets ?? []) {
    if (options.table && bucket.table !== options.table) continue;
    if (
      needle && !bucket.bucketName.toLowerCase().includes(needle) &&
      !String(bucket.displayName ?? "").toLowerCase().includes(needle)
    ) continue;
    yield bucket;
  }
}

/** Reads one bucket (with record count and size). */
export function getBucket(client: PlatformClient, name: string, signal?: AbortSignal): Promise<Bucket> {
  return client.request<Bucket>({
    path: `${BUCKETS_API}/bucket-definitions/${enc(name)}`,
    query: { "add-fields": ADD_FIELDS },
    signal,
    resource: ref(name),
  });
}

/**
 * Creates a bucket. It starts in status `creating`; on the platform it can take about a minute before it is
 * `active` and listed.
 */
export function createBucket(
  client: PlatformClient,
  payload: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<Bucket> {
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(payload)) {
    if (!BUCKET_SERVER_FIELDS.includes(key)) body[key] = value;
  }
  return client.request<Bucket>({
    method: "POST",
    path: `${BUCKETS_API}/bucket-definitions`,
    json: body,
    signal,
    resource: ref(typeof body.bucketName === "string" ? body.bucketName : undefined),
  });
}

/**
 * Replaces the writable fields of bucket `current` with those of `payload` (an absent `displayName` is
 * removed; an absent `retentionDays` or `includedQueryLimitDays` keeps the current value), locked on
 * `current.version`. Name, table, class and metric interval cannot change. Returns the bucket as re-read.
 */
export async function updateBucket(
  client: PlatformClient,
  current: Bucket,
  payload: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<Bucket> {
  for (const field of IMMUTABLE) {
    if (payload[field] !== undefined && current[field] !== undefined && payload[field] !== current[field]) {
      throw usageError(
        `the ${field} of bucket "${current.bucketName}" cannot change (${current[field]} → ${
          payload[field]
        })`,
        { hint: "Create a new bucket instead.", details: { field } },
      );
    }
  }
  await client.request({
    method: "PUT",
    path: `${BUCKETS_API}/bucket-definitions/${enc(current.bucketName)}`,
    query: { "optimistic-locking-version": current.version },
    json: {
      bucketName: current.bucketName,
      table: current.table,
      ...(typeof payload.displayName === "string" ? { displayName: payload.displayName } : {}),
      retentionDays: payload.retentionDays ?? current.retentionDays,
      includedQueryLimitDays: payload.includedQueryLimitDays ?? current.includedQueryLimitDays,
      ...(current.bucketClass !== undefined ? { bucketClass: current.bucketClass } : {}),
      ...(current.metricInterval !== undefined ? { metricInterval: current.metricInterval } : {}),
      version: current.version,
    },
    signal,
    resource: ref(current.bucketName),
  });
  return await getBucket(client, current.bucketName, signal);
}

/**
 * Deletes bucket `current` and all its data (status `deleting`, then gone). Refused by the safety guard below
 * `dangerously-unrestricted`.
 */
export async function deleteBucket(
  client: PlatformClient,
  current: Pick<Bucket, "bucketName">,
  signal?: AbortSignal,
): Promise<void> {
  await client.request({
    method: "DELETE",
    path: `${BUCKETS_API}/bucket-definitions/${enc(current.bucketName)}`,
    signal,
    resource: ref(current.bucketName),
  });
}

/** Bytes for people: `1.5 MiB`. */
export function formatBytes(bytes: unknown): string {
  if (typeof bytes !== "number" || !Number.isFinite(bytes)) return "";
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

function describeBucket(_context: KindContext, object: RemoteObject): Promise<DescribeSection[]> {
  // The columns already give retention, size and records; these are the remaining facts.
  const fields: [string, string][] = [["Updatable", object.updatable === false ? "no (built-in)" : "yes"]];
  if (object.bucketClass !== undefined) fields.push(["Class", str(object.bucketClass)]);
  if (object.metricInterval !== undefined) fields.push(["Metric interval", str(object.metricInterval)]);
  fields.push(["Uncompressed bytes", str(object.estimatedUncompressedBytes)]);
  return Promise.resolve([{ title: "Details", fields }]);
}

/** The `bucket` kind. */
export const bucketKind: ResourceKind = {
  name: "bucket",
  plural: "buckets",
  aliases: ["bkt"],
  description: "Grail buckets (deleting needs dangerously-unrestricted)",
  manifestKind: "Bucket",
  idField: "bucketName",
  nameField: "bucketName",
  looksLikeId: () => true,
  serverFields: BUCKET_SERVER_FIELDS,
  locking: "version-param",
  filter: {
    style: "search",
    help: "a plain search in bucket names and display names (case-insensitive)",
  },
  columns: [
    { header: "name", value: (o) => str(o.bucketName) },
    { header: "table", value: (o) => str(o.table) },
    { header: "status", value: (o) => str(o.status) },
    { header: "retention-days", value: (o) => str(o.retentionDays) },
    { header: "display-name", value: (o) => str(o.displayName), wide: true },
    { header: "records", value: (o) => str(o.records), wide: true },
    { header: "size", value: (o) => formatBytes(o.estimatedUncompressedBytes), wide: true },
    { header: "query-limit-days", value: (o) => str(o.includedQueryLimitDays), wide: true },
    { header: "version", value: (o) => str(o.version), wide: true },
  ],
  // --type is the bucket's table (logs, events, spans, ...).
  listFlags: ["type"],
  list: (context: KindContext, options: ListOptions) =>
    listBuckets(context.client, { table: options.type, match: options.filter, signal: context.signal }),
  get: (context, id) => getBucket(context.client, id, context.signal),
  create: (context, payload) => createBucket(context.client, payload, context.signal),
  update: (context, current, payload) =>
    updateBucket(context.client, current as Bucket, payload, context.signal),
  delete: (context, current) => deleteBucket(context.client, current as Bucket, context.signal),
  describe: describeBucket,
};
