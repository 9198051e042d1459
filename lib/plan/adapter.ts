/**
 * How configuration as code sees one kind: the bridge between a manifest (`kind` + `metadata.name` +
 * `spec`) and the live object of the registry kind that stores it.
 *
 * Identity is portable and stateless: it is derived from the stack name and `metadata.name` (no local state
 * file, no server ids in the repository), so one repository applies to dev and prod alike and a second
 * apply finds every object it created. Both sides are normalised into the same shape so an unchanged object
 * compares equal and is never written.
 *
 * @module
 */

import type { KindContext, ListOptions, RemoteObject, ResourceKind } from "../resources/types.ts";
import type { Manifest } from "../manifest/types.ts";

/** Annotation pinning a manifest to an existing remote object (written by `dtctl export`). */
export const PINNED_ID_ANNOTATION = "dtctl.io/id";

/** How a managed object is found remotely. */
export interface Identity {
  /** Human-readable key for messages and the inventory, e.g. `id=...` or `externalId=...`. */
  key: string;
  /** The server id, when it can be derived (documents, workflows, buckets) or is pinned. */
  id?: string;
  /** The external id, for kinds found by externalId (SLOs, settings, anomaly detectors, segments). */
  externalId?: string;
  /**
   * The settings schema the object lives in (Setting, AnomalyDetector): the Settings API lists by externalId
   * only within schemas or scopes, and `find` sees nothing but the identity.
   */
  schemaId?: string;
}

/** The config-as-code description of one manifest kind. One file per kind under `lib/plan/kinds/`. */
export interface ManagedKind {
  /** Manifest kind, e.g. `Workflow`. */
  manifestKind: string;
  /** The registry kind that stores it (for locking, writes and printing). */
  resource: ResourceKind;
  /** Manifest kinds that must be applied before this one (their objects may be referenced). */
  dependsOn: string[];

  /** The identity of a manifest's object in a stack (honours {@link PINNED_ID_ANNOTATION}). */
  identify(manifest: Manifest, stack: string): Identity;
  /**
   * Finds the live object with this identity. Only an HTTP 404 (or an empty lookup) means absent and
   * resolves `undefined`; every other failure throws, so an outage never looks like "create it".
   */
  find(context: KindContext, identity: Identity): Promise<RemoteObject | undefined>;
  /**
   * The desired object in normalised form, including identity fields (id, externalId, ...). `references`
   * maps `Kind/name` to remote ids for `{ $ref }` values; an unresolved reference (target not created yet)
   * becomes the placeholder string `(known after apply: Kind/name)`.
   */
  desired(
    manifest: Manifest,
    stack: string,
    identity: Identity,
    references: ReadonlyMap<string, string>,
  ): RemoteObject;
  /**
   * The live object in the same normalised form as {@link ManagedKind.desired}.
   *
   * `desired` (optional: the result of {@link ManagedKind.desired} for the same manifest) lets a kind ignore
   * fields the server fills with values a manifest cannot know, unless the manifest sets them: workflow
   * `owner`/`ownerType`/`actor`, an anomaly detector's `executionSettings.actor`, settings `schemaVersion` and
   * schema defaults, bucket `includedQueryLimitDays`/`bucketClass`/`metricInterval`/`displayName`. Without it
   * those fields are dropped (tenant-specific or server-chosen) and settings values are compared as they are.
   * Planners should pass it.
   */
  normalize(live: RemoteObject, desired?: RemoteObject): RemoteObject;
  /** The live object's version token for optimistic locking and saved-plan checks. */
  version(live: RemoteObject): string;
  /** The live object's server id. */
  idOf(live: RemoteObject): string;

  /** Creates the desired object (normalised form) and returns the created live object. */
  create(context: KindContext, desired: RemoteObject): Promise<RemoteObject>;
  /**
   * Updates `live` to `desired` with the kind's optimistic locking: a change on the server since `live`
   * was read is a `conflict` error, never overwritten.
   */
  update(context: KindContext, live: RemoteObject, desired: RemoteObject): Promise<RemoteObject>;
  /** Deletes `live` with the kind's locking. */
  delete(context: KindContext, live: RemoteObject): Promise<void>;

  /**
   * Lists live objects of this kind for `export` (all of them, or those of a type: `options.type` is a
   * comma-separated list of settings schema ids for Setting, a document type for Document), each read in
   * full (with content, includes, ...), ready for {@link ManagedKind.toManifest}.
   */
  list(context: KindContext, options?: ListOptions): AsyncIterable<RemoteObject>;
  /**
   * Why a live object is not managed as code (built-in bucket, ready-made segment, read-only settings
   * object), or undefined. `export` skips such objects with a note.
   */
  readOnly?(live: RemoteObject): string | undefined;
  /**
   * The manifest `metadata.name` and `spec` (server fields stripped) for a live object, for `export`.
   * Content of dashboards and notebooks is returned in `content` so export can write it beside.
   */
  toManifest(live: RemoteObject): { name: string; spec: Record<string, unknown>; content?: unknown };
}
