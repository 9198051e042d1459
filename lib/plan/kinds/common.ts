/**
 * What the managed kinds share: identity rules, reference substitution, the "only a 404 means absent" lookup,
 * and small helpers for the canonical form both sides of a comparison are brought into.
 *
 * **Canonical form conventions** (each kind file documents its fields):
 * - *Materialised defaults*: a non-empty value the server fills in when a field is omitted (a task's
 *   `active: true`, an SLO's `timeframeTo: now`) is filled into the desired object and always sent, so the
 *   server's own default never matters and both sides carry the field.
 * - *Empty means absent*: `null`, `""`, `[]` and `{}` of optional fields are dropped on both sides, because the
 *   server answers an omitted field with them (and sending nothing restores them).
 * - *Unmanaged unless set*: fields the server fills with tenant-specific or server-chosen values (owners,
 *   actors, schema versions) are compared only when the manifest sets them; see `ManagedKind.normalize`.
 * - *Server fields* (ids the server chooses, versions, timestamps, derived fields) are dropped.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { v5 as uuidv5 } from "uuid";
import { ApiError } from "../../client/mod.ts";
import { DtctlError } from "../../errors/mod.ts";
import { isObject } from "../../manifest/kinds.ts";
import { formatLocation } from "../../manifest/problems.ts";
import { isReference, REF_KEY } from "../../manifest/references.ts";
import type { Manifest } from "../../manifest/types.ts";
import type { RemoteObject } from "../../resources/types.ts";
import { type Identity, PINNED_ID_ANNOTATION } from "../adapter.ts";

/** A JSON object. */
export type Json = Record<string, unknown>;

// One definition of a plain object for manifests and their canonical forms.
export { isObject };

/**
 * Sets `object[key]` as an own enumerable data property. Not assignment: a `"__proto__"` key (JSON and YAML
 * may carry one) must stay data instead of replacing the prototype.
 */
export function setOwn(object: Json, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * A deep copy of a JSON value in which `replace` sees every node first, outermost first: what it returns takes
 * the node's place; `undefined` copies the node (lists item by item, objects key by key via {@link setOwn}).
 */
export function replaceDeep(value: unknown, replace: (node: unknown) => unknown): unknown {
  const walk = (node: unknown): unknown => {
    const replaced = replace(node);
    if (replaced !== undefined) return replaced;
    if (Array.isArray(node)) return node.map(walk);
    if (!isObject(node)) return node;
    const out: Json = {};
    for (const [key, child] of Object.entries(node)) setOwn(out, key, walk(child));
    return out;
  };
  return walk(value);
}

// ---------------------------------------------------------------------------------------------------------------
// Order

/**
 * The order in which kinds are applied: what is referenced by ids elsewhere comes first (buckets and segments,
 * then settings and detectors, SLOs, workflows, and the documents that show them all). Each kind depends on
 * every kind before it, so a `$ref` to an earlier kind is always resolvable; deletion (prune) runs backwards.
 */
export const KIND_ORDER = [
  "Bucket",
  "Segment",
  "Setting",
  "AnomalyDetector",
  "SLO",
  "Workflow",
  "Document",
  "Notebook",
  "Dashboard",
] as const;

/** The kinds applied before `kind` (its `dependsOn`). */
export function kindsBefore(kind: typeof KIND_ORDER[number]): string[] {
  return KIND_ORDER.slice(0, KIND_ORDER.indexOf(kind));
}

// ---------------------------------------------------------------------------------------------------------------
// Identity

/**
 * The namespace of workflow ids: `uuidv5("https://dtctl.io/ns/workflow", uuid URL namespace)`. Fixed forever:
 * changing it would orphan every workflow dtctl ever created.
 */
export const WORKFLOW_NAMESPACE = "fff6ea11-337f-56e3-bfea-1792a9e27066";

const DOCUMENT_HASH_LENGTH = 16;
const DOCUMENT_ID_MAX = 100;

/**
 * The document id of a manifest: `dtctl-<stack>-<name>-<hash>`, where the readable part has every run of
 * characters outside `[A-Za-z0-9-]` replaced by `-` and is cut so the whole id has at most 100 characters, and
 * `<hash>` is the first 16 hex digits (64 bits) of the SHA-256 of the exact string `<stack>/<kind>/<name>`.
 *
 * Valid for the API (`[A-Za-z0-9-]{1,100}`), never a bare UUID (`dtctl` holds non-hex letters), deterministic,
 * and collision-free: the hash covers stack, kind and name exactly (the readable part may be cut or fold `.`
 * and `_` together; the hash never does), so two stacks, two kinds or two names never share an id.
 */
export function documentId(stack: string, kind: string, name: string): string {
  const hash = createHash("sha256").update(`${stack}/${kind}/${name}`).digest("hex").slice(
    0,
    DOCUMENT_HASH_LENGTH,
  );
  const readable = `dtctl-${stack}-${name}`
    .replace(/[^A-Za-z0-9-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .slice(0, DOCUMENT_ID_MAX - DOCUMENT_HASH_LENGTH - 1)
    .replace(/-+$/, "");
  return `${readable}-${hash}`;
}

/** The workflow id of a manifest: the UUIDv5 of `<stack>/<name>` in {@link WORKFLOW_NAMESPACE}. */
export function workflowId(stack: string, name: string): string {
  return uuidv5(`${stack}/${name}`, WORKFLOW_NAMESPACE);
}

/**
 * The external id of a manifest: `dtctl:<stack>:<kind>:<name>` (at most 6 + 63 + 15 + 128 + 3 = 215
 * characters, within the 500 the SLO, Settings and Filter Segments APIs allow). `:` never occurs in stacks,
 * kinds or names, so the parts cannot run into each other.
 */
export function externalId(stack: string, kind: string, name: string): string {
  return `dtctl:${stack}:${kind}:${name}`;
}

/** Where a manifest field is, for messages: `file:line:column`. */
export function where(manifest: Manifest, path: readonly (string | number)[]): string {
  return formatLocation(manifest.locate(path));
}

/** A `validation_error` about a manifest field, located at it. */
export function manifestError(
  manifest: Manifest,
  path: readonly (string | number)[],
  message: string,
  hint?: string,
): DtctlError {
  return new DtctlError(
    "validation_error",
    `${where(manifest, path)}: ${manifest.kind}/${manifest.name}: ${message}`,
    {
      hint: hint ?? "Fix the manifest at the position shown.",
      details: { kind: manifest.kind, name: manifest.name, field: path.join(".") },
    },
  );
}

/** The pinned server id (`metadata.annotations["dtctl.io/id"]`), checked to be a non-empty string. */
export function pinnedId(manifest: Manifest): string | undefined {
  const pinned = manifest.annotations[PINNED_ID_ANNOTATION];
  if (pinned === undefined) return undefined;
  if (pinned.trim() === "") {
    throw manifestError(
      manifest,
      ["metadata", "annotations", PINNED_ID_ANNOTATION],
      `the ${PINNED_ID_ANNOTATION} annotation is empty`,
      "Remove it, or set it to the server id of the object to manage.",
    );
  }
  return pinned.trim();
}

/**
 * The pinned server id of a kind whose ids have a fixed form: one that `isId` rejects is a manifest error with
 * `message`, before any request could ask for it.
 */
export function pinnedIdOfForm(
  manifest: Manifest,
  isId: (id: string) => boolean,
  message: (pinned: string) => string,
): string | undefined {
  const pinned = pinnedId(manifest);
  if (pinned !== undefined && !isId(pinned)) {
    throw manifestError(manifest, ["metadata", "annotations", PINNED_ID_ANNOTATION], message(pinned));
  }
  return pinned;
}

/** The identity of an object found by its server id (a GET). */
export function idIdentity(id: string): Identity {
  return { key: `id=${id}`, id };
}

/**
 * The identity of kinds found by externalId (SLO, Setting, AnomalyDetector, Segment): an explicit
 * `spec.externalId` wins over the derived one (it adopts an object another tool manages); a pinned id is
 * looked up by id, and then the external id is only what the spec says (none when it says nothing), so an
 * exported object without an external id compares equal.
 */
export function externalIdentity(manifest: Manifest, stack: string, extra: Partial<Identity> = {}): Identity {
  const explicit = manifest.spec.externalId;
  if (explicit !== undefined && explicit !== null && (typeof explicit !== "string" || explicit === "")) {
    throw manifestError(manifest, ["spec", "externalId"], "spec.externalId must be a non-empty string");
  }
  const pinned = pinnedId(manifest);
  if (pinned !== undefined) {
    return {
      ...idIdentity(pinned),
      ...(typeof explicit === "string" ? { externalId: explicit } : {}),
      ...extra,
    };
  }
  const external = typeof explicit === "string" ? explicit : externalId(stack, manifest.kind, manifest.name);
  return { key: `externalId=${external}`, externalId: external, ...extra };
}

/**
 * Finds by the pinned id when there is one (`byId` may throw the HTTP 404, which means absent); when that
 * object is gone and the identity also has an external id, by the external id, so an object re-created after
 * its pinned one vanished is found again.
 */
export async function findPinnedOr<T>(
  identity: Identity,
  byId: (id: string) => Promise<T>,
  byExternalId: () => Promise<T | undefined>,
): Promise<T | undefined> {
  if (identity.id !== undefined) {
    const id = identity.id;
    const pinned = await readOrUndefined(() => byId(id));
    if (pinned !== undefined || identity.externalId === undefined) return pinned;
  }
  return await byExternalId();
}

/** The spec or object with its external id in front, when it has one (a non-empty string). */
export function withExternalId(externalId: unknown, object: Json): Json {
  return typeof externalId === "string" && externalId !== "" ? { externalId, ...object } : object;
}

/**
 * Refuses to create an object of a kind with server-chosen ids without an external id: nothing could find it
 * again, so every apply would create another one. It happens when a manifest is pinned (`dtctl.io/id`) to an
 * object that no longer exists.
 */
export function requireExternalId(desired: RemoteObject, what: string): void {
  if (typeof desired.externalId === "string" && desired.externalId !== "") return;
  throw new DtctlError(
    "not_found",
    `cannot create this ${what}: the manifest is pinned (dtctl.io/id) to an object that does not exist, and ` +
      `without an externalId a new ${what} could never be found again`,
    {
      hint: "Remove the dtctl.io/id annotation (dtctl then derives an externalId from stack and name), " +
        "or set spec.externalId.",
      details: { kind: what },
    },
  );
}

// ---------------------------------------------------------------------------------------------------------------
// References

/** The placeholder of a reference whose target has no remote id yet. */
export function unknownReference(target: string): string {
  return `(known after apply: ${target})`;
}

/** A deep copy of `value` with every `{ $ref: "Kind/name" }` replaced by the target's remote id (or placeholder). */
export function resolveReferences<T>(value: T, references: ReadonlyMap<string, string>): T {
  return replaceDeep(value, (node) => {
    if (!isReference(node)) return undefined;
    const target = String(node[REF_KEY]);
    return references.get(target) ?? unknownReference(target);
  }) as T;
}

// ---------------------------------------------------------------------------------------------------------------
// Lookups

/** True for an HTTP 404 of the platform (not a kind's own "not found" such as "it is a notebook"). */
function isHttpNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}

/** Runs a read by id: an HTTP 404 resolves `undefined`, every other failure is thrown. */
export async function readOrUndefined<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (isHttpNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * Reads each listed item in full (lists leave fields out); an item deleted in between (404) is skipped, and so
 * is one `read` answers `undefined` for without a request.
 */
export async function* readEachListed<T>(
  items: AsyncIterable<T>,
  read: (item: T) => Promise<RemoteObject | undefined>,
): AsyncGenerator<RemoteObject> {
  for await (const item of items) {
    const full = await readOrUndefined(() => read(item));
    if (full) yield full;
  }
}

/** The single match of a lookup by external id; two or more are a `conflict` naming them. */
export function singleMatch<T extends RemoteObject>(
  matches: T[],
  kind: string,
  identity: Identity,
  idOf: (object: T) => string,
): T | undefined {
  if (matches.length <= 1) return matches[0];
  throw new DtctlError(
    "conflict",
    `${matches.length} ${kind} objects have the external id "${identity.externalId}": ${
      matches.map(idOf).join(", ")
    }`,
    {
      hint: "Delete the duplicates, or pin the one to manage with the dtctl.io/id annotation.",
      details: { kind, externalId: identity.externalId, ids: matches.map(idOf) },
    },
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Canonical form helpers

/** True for `undefined`, `null`, `""`, `[]` and `{}`: values an optional field may hold instead of being absent. */
export function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === "" ||
    (Array.isArray(value) && value.length === 0) || (isObject(value) && Object.keys(value).length === 0);
}

/** Sets `out[key]` when `value` is not {@link isEmpty}. */
export function putIfPresent(out: Json, key: string, value: unknown): void {
  if (!isEmpty(value)) out[key] = value;
}

/** A copy without the given keys. */
export function omit(object: Json, keys: readonly string[]): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(object)) if (!keys.includes(key)) out[key] = value;
  return out;
}

/** A value at a dotted path. */
function getAt(object: unknown, path: string): unknown {
  let value = object;
  for (const part of path.split(".")) {
    if (!isObject(value)) return undefined;
    value = value[part];
  }
  return value;
}

/** Deletes a dotted path in place (parents stay, also when they become empty). */
function deleteAt(object: Json, path: string): void {
  const parts = path.split(".");
  let parent: unknown = object;
  for (const part of parts.slice(0, -1)) parent = isObject(parent) ? parent[part] : undefined;
  if (isObject(parent)) delete parent[parts.at(-1)!];
}

/**
 * Drops the "unmanaged unless set" fields (dotted paths) from a normalised live object: those `desired` does
 * not carry, or all of them when no desired object is given.
 */
export function dropUnmanaged(normalized: Json, paths: readonly string[], desired?: RemoteObject): Json {
  for (const path of paths) {
    if (desired === undefined || getAt(desired, path) === undefined) deleteAt(normalized, path);
  }
  return normalized;
}

/** A string value or the fallback. */
export function text(value: unknown, fallback = ""): string {
  return typeof value === "string" ? value : value === undefined || value === null ? fallback : String(value);
}
