/**
 * `Bucket` manifests ⇄ Grail buckets.
 *
 * **Identity**: the bucket name (`spec.bucketName`, which the loader defaults to `metadata.name`): a natural,
 * portable key. It is not namespaced by stack: two stacks declaring one bucket name manage the same bucket.
 * `dtctl.io/id` may repeat the name (export writes it) but not contradict it.
 *
 * **Canonical form** (both sides): `bucketName`, `table`, `retentionDays`, and other spec fields;
 * - unmanaged unless set: `includedQueryLimitDays`, `bucketClass`, `metricInterval`, `displayName` (the server
 *   chooses them when omitted; an update keeps the current query limit when the manifest gives none). Export
 *   writes them, so an exported bucket round-trips without loss (the Go dtctl dropped the query limit);
 * - dropped: `status`, `version`, `updatable`, `records`, `estimatedUncompressedBytes`.
 *
 * @module
 */

import { KIND_RULES } from "../../manifest/kinds.ts";
import type { Manifest } from "../../manifest/types.ts";
import {
  type Bucket,
  bucketKind,
  createBucket,
  deleteBucket,
  getBucket,
  listBuckets,
  updateBucket,
} from "../../resources/kinds/bucket.ts";
import type { KindContext, RemoteObject } from "../../resources/types.ts";
import type { Identity, ManagedKind } from "../adapter.ts";
import {
  dropUnmanaged,
  type Json,
  kindsBefore,
  manifestError,
  pinnedId,
  readOrUndefined,
  resolveReferences,
  text,
} from "./common.ts";

const SERVER_FIELDS = KIND_RULES.Bucket.serverFields;
const UNMANAGED = ["includedQueryLimitDays", "bucketClass", "metricInterval", "displayName"];

function canonicalBucket(source: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(source)) {
    if (!SERVER_FIELDS.includes(key) && value !== undefined && value !== null) out[key] = value;
  }
  if (out.displayName === "") delete out.displayName;
  return out;
}

/** True for the buckets every tenant has (`default_*`, `dt_*`) and others the API marks not updatable. */
export function isBuiltinBucket(bucket: RemoteObject): boolean {
  return bucket.updatable === false || /^(default_|dt_)/.test(text(bucket.bucketName));
}

/** The `Bucket` managed kind. */
export const bucketManagedKind: ManagedKind = {
  manifestKind: "Bucket",
  resource: bucketKind,
  dependsOn: kindsBefore("Bucket"),

  identify(manifest: Manifest): Identity {
    const name = text(manifest.spec.bucketName, manifest.name);
    const pinned = pinnedId(manifest);
    if (pinned !== undefined && pinned !== name) {
      throw manifestError(
        manifest,
        ["metadata", "annotations", "dtctl.io/id"],
        `the dtctl.io/id annotation "${pinned}" contradicts spec.bucketName "${name}" (a bucket's id is its name)`,
        "Remove the annotation, or make it equal to spec.bucketName.",
      );
    }
    return { key: `bucketName=${name}`, id: name };
  },

  find: (context: KindContext, identity) =>
    readOrUndefined(() => getBucket(context.client, identity.id!, context.signal)),

  desired(manifest, _stack, identity, references) {
    const spec = resolveReferences(manifest.spec, references);
    return { ...canonicalBucket(spec), bucketName: identity.id };
  },

  normalize: (live, desired) => dropUnmanaged(canonicalBucket(live), UNMANAGED, desired),

  version: (live) => text(live.version),
  idOf: (live) => text(live.bucketName),

  create: (context, desired) => createBucket(context.client, desired, context.signal),
  update: (context, live, desired) => updateBucket(context.client, live as Bucket, desired, context.signal),
  delete: (context, live) => deleteBucket(context.client, live as Bucket, context.signal),

  list: (context) => listBuckets(context.client, { signal: context.signal }),

  readOnly: (live) => (isBuiltinBucket(live) ? "built-in bucket" : undefined),

  toManifest(live) {
    const spec = canonicalBucket(live);
    const bucketName = text(spec.bucketName);
    // The name rule is stricter at the end (a letter or digit): keep bucketName when the name differs.
    const name = /^[a-z0-9]([a-z0-9._-]{0,126}[a-z0-9])?$/.test(bucketName)
      ? bucketName
      : bucketName.replace(/[^a-z0-9]+$/, "") || "bucket";
    if (name === bucketName) delete spec.bucketName;
    return { name, spec };
  },
};
