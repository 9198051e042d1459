/**
 * Settings objects: storage, identifiers, ordering and the upsert rules of `POST /settings/objects`.
 *
 * Writes go through a {@link Workspace}, a copy of the stored objects that a bulk POST changes item by item
 * (later items see earlier ones) and commits only at the end, so `validateOnly=true` can run every rule and
 * persist nothing.
 *
 * @module
 */

import type { ConstraintViolation } from "../../envelope.ts";
import { isObject } from "../../http/validate.ts";
import { randomUuid } from "../../random.ts";
import type { EmulatorStore, EmulatorUser } from "../../types.ts";
import { compareVersions, findSchema, type SettingsSchema } from "./schemas.ts";
import { validateValue } from "./validate.ts";

/** Store collection of objects, keyed by object id. */
export const OBJECTS = "settings.objects";
/** Store collection of the order of ordered schemas, keyed by `schemaId|scope`. */
export const ORDERS = "settings.order";

/** A settings object as stored. */
export interface StoredObject {
  /** Opaque URL-safe id. */
  objectId: string;
  /** Schema. */
  schemaId: string;
  /** Schema version the value was written with. */
  schemaVersion: string;
  /** `environment` or an entity id. */
  scope: string;
  /** Client identity. */
  externalId?: string;
  /** The value, defaults filled in. */
  value: Record<string, unknown>;
  /** Epoch ms. */
  created: number;
  /** Epoch ms. */
  modified: number;
  /** User id. */
  createdBy: string;
  /** User id. */
  modifiedBy: string;
  /** Display name of the last writer. */
  author: string;
  /** Rotates on every write. */
  updateToken: string;
  /** Owner, for owner-based schemas. */
  owner?: { type: "user"; id: string };
}

/** A per-item failure: status, message, violations. */
export class ItemError extends Error {
  /** Creates an item error. */
  constructor(readonly code: number, message: string, readonly violations: ConstraintViolation[] = []) {
    super(message);
  }
}

const orderKey = (schemaId: string, scope: string) => `${schemaId}|${scope}`;

/** The scope's kind: `environment`, or the entity type of an entity id (`HOST-…` → `HOST`). */
export function scopeKind(scope: string): string | undefined {
  if (scope === "environment") return "environment";
  return /^([A-Z][A-Z_]*)-[0-9A-Za-z]+$/.exec(scope)?.[1];
}

function base64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/**
 * A new object id shaped like the platform's: base64url of random bytes, a format version, and
 * length-prefixed schema id, scope kind, scope id and a UUID. Clients must treat it as opaque.
 */
export function newObjectId(random: () => number, schemaId: string, scope: string): string {
  const encoder = new TextEncoder();
  const kind = scope === "environment" ? "tenant" : scopeKind(scope) ?? "unknown";
  const id = scope === "environment" ? "tenant" : scope;
  const parts = [schemaId, kind, id, randomUuid(random)].map((text) => encoder.encode(text));
  // Real object ids start with the same fixed header (base64url "vu9U3hXa3q0AAAAB"), so they never begin with
  // "-" (which a CLI would read as a flag); uniqueness comes from the random UUID part.
  const bytes: number[] = [0xbe, 0xef, 0x54, 0xdd, 0x75, 0xda, 0xde, 0xad, 0, 0, 0, 1];
  for (const part of parts) bytes.push(part.length >> 8, part.length & 0xff, ...part);
  return base64Url(Uint8Array.from(bytes));
}

/** A fresh update token. */
export function newUpdateToken(random: () => number): string {
  return base64Url(Uint8Array.from({ length: 18 }, () => Math.floor(random() * 256)));
}

/** A mutable copy of the settings state, committed explicitly. */
export class Workspace {
  /** Objects by id. */
  readonly objects: Map<string, StoredObject>;
  /** Order of ordered schemas by `schemaId|scope`. */
  readonly orders: Map<string, string[]>;

  /** Copies the stored state. */
  constructor(private readonly store: EmulatorStore) {
    this.objects = new Map(store.collection<StoredObject>(OBJECTS));
    this.orders = new Map([...store.collection<string[]>(ORDERS)].map(([k, v]) => [k, [...v]]));
  }

  /** Writes the copy back to the store. */
  commit(): void {
    const objects = this.store.collection<StoredObject>(OBJECTS);
    const orders = this.store.collection<string[]>(ORDERS);
    objects.clear();
    for (const [id, object] of this.objects) objects.set(id, object);
    orders.clear();
    for (const [key, ids] of this.orders) if (ids.length > 0) orders.set(key, ids);
    this.store.markDirty();
  }

  /** Objects of a schema (and scope, when given). */
  of(schemaId: string, scope?: string): StoredObject[] {
    return [...this.objects.values()].filter((o) =>
      o.schemaId === schemaId && (scope === undefined || o.scope === scope)
    );
  }

  /** The order list of an ordered schema and scope. */
  order(schemaId: string, scope: string): string[] {
    const key = orderKey(schemaId, scope);
    let ids = this.orders.get(key);
    if (!ids) {
      ids = [];
      this.orders.set(key, ids);
    }
    return ids;
  }

  /** Places an object in its order: `undefined`/`null` append (new) or stay (existing), `""` first, an id after it. */
  place(object: StoredObject, insertAfter: unknown, isNew: boolean): void {
    const ids = this.order(object.schemaId, object.scope);
    if (insertAfter === undefined || insertAfter === null) {
      if (isNew || !ids.includes(object.objectId)) ids.push(object.objectId);
      return;
    }
    if (typeof insertAfter !== "string") {
      throw new ItemError(400, "'insertAfter' must be a string.", [
        violation("insertAfter", "must be a string"),
      ]);
    }
    if (insertAfter !== "" && (insertAfter === object.objectId || !ids.includes(insertAfter))) {
      throw new ItemError(
        400,
        `'insertAfter' names no other object of this schema and scope: '${insertAfter}'.`,
        [
          violation("insertAfter", "must be the id of another object of the same schema and scope"),
        ],
      );
    }
    const remaining = ids.filter((id) => id !== object.objectId);
    const at = insertAfter === "" ? 0 : remaining.indexOf(insertAfter) + 1;
    remaining.splice(at, 0, object.objectId);
    ids.splice(0, ids.length, ...remaining);
  }

  /** Removes an object and its order entry. */
  remove(object: StoredObject): void {
    this.objects.delete(object.objectId);
    const ids = this.orders.get(orderKey(object.schemaId, object.scope));
    if (ids) ids.splice(0, ids.length, ...ids.filter((id) => id !== object.objectId));
  }
}

/** A body-level constraint violation. */
export function violation(path: string, message: string): ConstraintViolation {
  return { path, message, parameterLocation: "PAYLOAD_BODY" };
}

/** The schema of an item, or a per-item 400/404. */
export function schemaOf(schemaId: unknown, schemaVersion: unknown): SettingsSchema {
  if (typeof schemaId !== "string" || schemaId === "") {
    throw new ItemError(400, "'schemaId' is required.", [violation("schemaId", "must not be blank")]);
  }
  const schema = findSchema(schemaId);
  if (!schema) throw new ItemError(404, `Schema '${schemaId}' not found.`);
  if (schemaVersion !== undefined && schemaVersion !== null) {
    // Older versions are accepted as compatible; a version newer than the latest cannot exist.
    if (
      typeof schemaVersion !== "string" || !/^\d+(\.\d+)*$/.test(schemaVersion) ||
      compareVersions(schemaVersion, schema.version) > 0
    ) {
      throw new ItemError(400, `Schema version '${schemaVersion}' of '${schemaId}' does not exist.`, [
        violation("schemaVersion", `latest version is ${schema.version}`),
      ]);
    }
  }
  return schema;
}

/** Validates a value, throwing a per-item 400 with all violations. */
export function checkedValue(schema: SettingsSchema, value: unknown): Record<string, unknown> {
  const result = validateValue(schema, value);
  if (!result.ok) {
    throw new ItemError(
      400,
      `Given property values do not comply with schema '${schema.schemaId}'.`,
      result.violations,
    );
  }
  return result.value;
}

/** 409 when another object of the schema and scope has the same values for a UNIQUE constraint. */
export function checkUnique(workspace: Workspace, schema: SettingsSchema, object: StoredObject): void {
  for (const constraint of schema.schemaConstraints) {
    const key = JSON.stringify(constraint.uniqueProperties.map((p) => object.value[p]));
    const clash = workspace.of(schema.schemaId, object.scope).find((other) =>
      other.objectId !== object.objectId &&
      JSON.stringify(constraint.uniqueProperties.map((p) => other.value[p])) === key
    );
    if (clash) {
      throw new ItemError(
        409,
        constraint.customMessage ??
          `Unique constraint violated for ${constraint.uniqueProperties.join(", ")}.`,
        constraint.uniqueProperties.map((p) =>
          violation(`value.${p}`, `must be unique; '${clash.objectId}' has the same value`)
        ),
      );
    }
  }
}

/** Who writes and when. */
export interface WriteContext {
  /** The caller. */
  user: EmulatorUser;
  /** Epoch ms. */
  now: number;
  /** Random source for ids and tokens. */
  random: () => number;
}

/** Applies one POST item to the workspace: create, or update per the upsert rules. */
export function upsert(
  workspace: Workspace,
  item: unknown,
  context: WriteContext,
): { objectId: string; created: boolean } {
  if (!isObject(item)) {
    throw new ItemError(400, "Each item must be a JSON object.", [violation("", "must be an object")]);
  }
  const schema = schemaOf(item.schemaId, item.schemaVersion);
  const scope = item.scope;
  if (typeof scope !== "string" || scope === "") {
    throw new ItemError(400, "'scope' is required.", [violation("scope", "must not be blank")]);
  }
  const kind = scopeKind(scope);
  if (!kind || !schema.allowedScopes.includes(kind)) {
    throw new ItemError(400, `Scope '${scope}' is not allowed for schema '${schema.schemaId}'.`, [
      violation("scope", `must be one of the kinds ${schema.allowedScopes.join(", ")}`),
    ]);
  }
  const { externalId, objectId } = item;
  if (
    externalId !== undefined && externalId !== null &&
    (typeof externalId !== "string" || externalId.length > 500)
  ) {
    throw new ItemError(400, "'externalId' must be a string of at most 500 characters.", [
      violation("externalId", "invalid"),
    ]);
  }
  if (
    objectId !== undefined && objectId !== null &&
    (typeof objectId !== "string" || !/^[A-Za-z0-9_-]+$/.test(objectId))
  ) {
    throw new ItemError(400, "'objectId' must be a URL-safe id.", [violation("objectId", "invalid")]);
  }
  if (typeof objectId === "string" && typeof externalId !== "string") {
    throw new ItemError(400, "'objectId' is only applicable together with an 'externalId'.", [
      violation("objectId", "requires externalId"),
    ]);
  }
  if (item.insertAfter !== undefined && item.insertAfter !== null && !schema.ordered) {
    throw new ItemError(400, `Schema '${schema.schemaId}' is not ordered; 'insertAfter' is not allowed.`, [
      violation("insertAfter", "only allowed for ordered schemas"),
    ]);
  }
  const value = checkedValue(schema, item.value);

  let existing: StoredObject | undefined;
  if (typeof objectId === "string") {
    existing = workspace.objects.get(objectId);
    if (existing && existing.schemaId !== schema.schemaId) {
      throw new ItemError(400, `Object '${objectId}' belongs to schema '${existing.schemaId}'.`, [
        violation("objectId", "wrong schema"),
      ]);
    }
  } else if (typeof externalId === "string") {
    existing = workspace.of(schema.schemaId).find((o) => o.externalId === externalId);
  } else if (!schema.multiObject) {
    existing = workspace.of(schema.schemaId, scope)[0];
  }
  if (typeof externalId === "string") {
    const taken = workspace.of(schema.schemaId).find((o) => o.externalId === externalId && o !== existing);
    if (taken) {
      throw new ItemError(409, `External id '${externalId}' is already used by object '${taken.objectId}'.`, [
        violation("externalId", "must be unique"),
      ]);
    }
  }
  const { user, now, random } = context;
  const created = existing === undefined;
  if (created && !schema.multiObject && workspace.of(schema.schemaId, scope).length > 0) {
    throw new ItemError(400, `Schema '${schema.schemaId}' allows one object per scope.`);
  }
  if (created && workspace.of(schema.schemaId, scope).length >= schema.maxObjects) {
    throw new ItemError(
      400,
      `Schema '${schema.schemaId}' allows at most ${schema.maxObjects} objects per scope.`,
    );
  }
  if (existing && existing.scope !== scope) workspace.remove(existing);
  const object: StoredObject = {
    objectId: existing?.objectId ??
      (typeof objectId === "string" ? objectId : newObjectId(random, schema.schemaId, scope)),
    schemaId: schema.schemaId,
    schemaVersion: typeof item.schemaVersion === "string" ? item.schemaVersion : schema.version,
    scope,
    ...(typeof externalId === "string"
      ? { externalId }
      : existing?.externalId
      ? { externalId: existing.externalId }
      : {}),
    value,
    created: existing?.created ?? now,
    modified: now,
    createdBy: existing?.createdBy ?? user.userId,
    modifiedBy: user.userId,
    author: user.userName,
    updateToken: newUpdateToken(random),
    ...(schema.ownerBasedAccessControl
      ? { owner: existing?.owner ?? { type: "user" as const, id: user.userId } }
      : {}),
  };
  checkUnique(workspace, schema, object);
  workspace.objects.set(object.objectId, object);
  if (schema.ordered) workspace.place(object, item.insertAfter, created || existing?.scope !== scope);
  return { objectId: object.objectId, created };
}
