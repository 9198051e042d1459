/**
 * Settings 2.0 objects (`/platform/classic/environment-api/v2/settings/objects`).
 *
 * The API's traps are handled here once: the first list page needs `schemaIds` or `scopes` (and later pages
 * send `nextPageKey` alone), `fields` replaces the default field set (so the full set is always asked for),
 * creates are a POST of an array whose per-item failures come back in a 200/207/4xx array body, and updates
 * and deletes lock on the rotating `updateToken` (not the Go dtctl's `If-Match: <schemaVersion>`).
 *
 * @module
 */

import { ApiError, type ConstraintViolation, type PlatformClient } from "../../client/mod.ts";
import { DtctlError, type ErrorCode, usageError } from "../../errors/mod.ts";
import type { DescribeSection, KindContext, ListOptions, RemoteObject, ResourceKind } from "../types.ts";
import { SETTINGS_API } from "./settings_schema.ts";
import { str } from "./text.ts";

/** A settings object as the API returns it. */
export interface SettingsObject {
  /** Opaque id. */
  objectId: string;
  /** Schema of the value. */
  schemaId: string;
  /** Schema version the value was written with. */
  schemaVersion?: string;
  /** `environment` or an entity id. */
  scope: string;
  /** Client-side identity. */
  externalId?: string;
  /** Opaque token that rotates on every write; updates and deletes send it back. */
  updateToken?: string;
  /** The value. */
  value: Record<string, unknown>;
  /** Rendered summary. */
  summary?: string;
  /** Owner (owner-based schemas). */
  owner?: { type?: string; id?: string };
  /** Epoch ms. */
  created?: number;
  /** Epoch ms. */
  modified?: number;
  /** Fields the API may add later. */
  [field: string]: unknown;
}

/** One object of a create request. */
export interface SettingsObjectCreate {
  /** Schema. */
  schemaId: string;
  /** Scope; `environment` when absent. */
  scope?: string;
  /** The value. */
  value: Record<string, unknown>;
  /** Client-side identity (an existing object with it is updated: the API's upsert). */
  externalId?: string;
  /** Schema version of the value. */
  schemaVersion?: string;
  /** Ordered schemas: `""` first, an object id after it, absent last. */
  insertAfter?: string;
}

/** The outcome of one item of {@link createSettings}. */
export interface SettingsCreateResult {
  /** HTTP-like status of the item. */
  code: number;
  /** The created or updated object's id (absent on failure, and for validate-only creates). */
  objectId?: string;
  /** The failure, when `code` is not 2xx. */
  error?: { code?: number; message?: string; constraintViolations?: ConstraintViolation[] };
}

/** Options of {@link listSettings}. */
export interface ListSettingsOptions {
  /** Schema ids (at least one of `schemaIds`/`scopes` is required by the API). */
  schemaIds?: string[];
  /** Scopes. */
  scopes?: string[];
  /** Only objects with these external ids. */
  externalIds?: string[];
  /** Settings filter expression (server-side). */
  filter?: string;
  /** Page size (max 500). */
  pageSize?: number;
  /** Cancels the listing. */
  signal?: AbortSignal;
}

/** Every field a list returns (`fields` replaces the API's defaults, which are only objectId and value). */
export const SETTINGS_LIST_FIELDS = [
  "objectId",
  "summary",
  "schemaId",
  "schemaVersion",
  "scope",
  "externalId",
  "updateToken",
  "owner",
  "created",
  "modified",
  "createdBy",
  "modifiedBy",
  "author",
  "value",
];

/**
 * Metadata the server sets on every settings object. `owner` (owner-based schemas) is left out: writes drop it
 * too, but a manifest may name an owner on purpose.
 */
export const SETTINGS_SERVER_FIELDS = [
  "objectId",
  "summary",
  "searchSummary",
  "created",
  "modified",
  "createdBy",
  "modifiedBy",
  "author",
  "updateToken",
  "modificationInfo",
  "resourceContext",
];

const SERVER_FIELDS = [...SETTINGS_SERVER_FIELDS, "owner"];

const enc = encodeURIComponent;

function ref(kind: string, object: Partial<SettingsObject>) {
  const name = (object.summary && String(object.summary)) || object.objectId;
  return {
    kind,
    ...(name ? { name } : {}),
    ...(object.owner?.id ? { owner: object.owner.id } : {}),
  };
}

/** Lists settings objects of the given schemas and/or scopes, lazily. */
export async function* listSettings(
  client: PlatformClient,
  options: ListSettingsOptions,
  kind = "setting",
): AsyncGenerator<SettingsObject> {
  if (!options.schemaIds?.length && !options.scopes?.length) {
    throw usageError("listing settings needs a schema id (--type) or a scope (--scope)", {
      hint: "List the schema ids with `dtctl get settings-schemas`, then e.g. " +
        "`dtctl get settings --type builtin:alerting.profile`.",
      details: { flag: "--type" },
    });
  }
  yield* client.paginate<SettingsObject>({
    style: "next-page-key",
    path: `${SETTINGS_API}/objects`,
    query: {
      schemaIds: options.schemaIds?.join(","),
      scopes: options.scopes?.join(","),
      externalIds: options.externalIds?.join(","),
      filter: options.filter,
      fields: SETTINGS_LIST_FIELDS.join(","),
    },
    itemsField: "items",
    pageSize: options.pageSize,
    signal: options.signal,
    resource: { kind },
  });
}

/** Reads one settings object. */
export function getSetting(
  client: PlatformClient,
  objectId: string,
  signal?: AbortSignal,
  kind = "setting",
): Promise<SettingsObject> {
  return client.request<SettingsObject>({
    path: `${SETTINGS_API}/objects/${enc(objectId)}`,
    signal,
    resource: { kind, name: objectId },
  });
}

const ITEM_CODES: Record<number, ErrorCode> = {
  400: "validation_error",
  401: "auth_required",
  403: "permission_denied",
  404: "not_found",
  409: "conflict",
};

/** The error of one failed create item, carrying the item's constraint violations. */
function settingsItemError(
  result: SettingsCreateResult,
  item: Partial<SettingsObjectCreate>,
  index: number,
  request: { method: string; url: string },
  kind = "setting",
): ApiError {
  const status = result.code;
  const violations = (result.error?.constraintViolations ?? []).map((v) => ({
    path: String(v.path ?? ""),
    message: String(v.message ?? ""),
  }));
  const where = `${kind} #${index + 1} (schema ${item.schemaId ?? "?"}, scope ${
    item.scope ?? "environment"
  })`;
  const list = violations.map((v) => (v.path ? `${v.path}: ${v.message}` : v.message)).join("; ");
  const message = `${where} was rejected with ${status}: ${result.error?.message ?? "no message"}` +
    (list ? ` [${list}]` : "");
  return new ApiError(ITEM_CODES[status] ?? (status >= 500 ? "server_error" : "bad_request"), message, {
    status,
    method: request.method,
    url: request.url,
    constraintViolations: violations,
    raw: result,
    hint: violations.length
      ? "Fix the listed fields and retry (`dtctl describe settings-schema <schemaId>` shows the properties)."
      : status === 404
      ? "Check the schema id and the scope."
      : status === 409
      ? "Another object already has this unique value or external id."
      : undefined,
  });
}

/**
 * Creates (or, by the API's upsert rules, updates) settings objects in one request. Returns one result per
 * item, in request order, also when some or all items failed (the API answers 207, or 4xx with the same array).
 */
export async function createSettings(
  client: PlatformClient,
  items: SettingsObjectCreate[],
  options: { validateOnly?: boolean; signal?: AbortSignal; kind?: string } = {},
): Promise<SettingsCreateResult[]> {
  const body = items.map((item) => ({ ...item, scope: item.scope ?? "environment" }));
  try {
    const results = await client.request<SettingsCreateResult[]>({
      method: "POST",
      path: `${SETTINGS_API}/objects`,
      query: { validateOnly: options.validateOnly || undefined },
      json: body,
      headers: { "content-type": "application/json; charset=utf-8" },
      signal: options.signal,
      resource: { kind: options.kind ?? "setting" },
    });
    if (!Array.isArray(results)) {
      throw new DtctlError("server_error", `POST ${SETTINGS_API}/objects returned no result array.`, {
        hint: "The server or a proxy returned an unexpected body; retry, and report it if it persists.",
      });
    }
    return results;
  } catch (error) {
    // When every item fails the API answers 4xx with the per-item array: hand the items back, not a bare 400.
    if (error instanceof ApiError && Array.isArray(error.raw)) return error.raw as SettingsCreateResult[];
    throw error;
  }
}

/** Checks and completes a create payload: schema id required, value an object, scope defaulting to `environment`. */
function settingsCreateItem(payload: Record<string, unknown>): SettingsObjectCreate {
  const schema = payload.schemaId;
  if (typeof schema !== "string" || schema === "") {
    throw usageError("a settings object needs a schemaId", {
      hint: "Add `schemaId: builtin:...` to the payload, or pass --type <schemaId>.",
      details: { field: "schemaId" },
    });
  }
  if (typeof payload.value !== "object" || payload.value === null || Array.isArray(payload.value)) {
    throw usageError("a settings object needs a `value` object", {
      hint: "Put the schema's properties under `value:`.",
      details: { field: "value" },
    });
  }
  const item: SettingsObjectCreate = {
    schemaId: schema,
    scope: typeof payload.scope === "string" && payload.scope !== "" ? payload.scope : "environment",
    value: payload.value as Record<string, unknown>,
  };
  for (const key of ["externalId", "schemaVersion", "insertAfter"] as const) {
    if (typeof payload[key] === "string") item[key] = payload[key] as string;
  }
  return item;
}

/**
 * Creates one settings object from a checked item and returns its id; a rejected item throws with the item's
 * constraint violations (the bulk API answers them per item instead).
 */
export async function createSettingsObject(
  client: PlatformClient,
  item: SettingsObjectCreate,
  signal?: AbortSignal,
  kind = "setting",
): Promise<string> {
  const [result] = await createSettings(client, [item], { signal, kind });
  if (!result || result.code >= 300 || !result.objectId) {
    throw settingsItemError(result ?? { code: 500 }, item, 0, {
      method: "POST",
      url: `${client.environment}${SETTINGS_API}/objects`,
    }, kind);
  }
  return result.objectId;
}

/** Creates one settings object; a rejected item throws with the item's constraint violations. */
export async function createSetting(
  client: PlatformClient,
  payload: Record<string, unknown>,
  signal?: AbortSignal,
  kind = "setting",
  options: CreateOptions = {},
): Promise<SettingsObject> {
  const item = settingsCreateItem(payload);
  const objectId = await createSettingsObject(client, item, signal, kind);
  if (options.readBack === false) return { ...item, objectId } as SettingsObject;
  return await getSetting(client, objectId, signal, kind);
}

/** Options of the settings creates. */
export interface CreateOptions {
  /**
   * Read the created object back (default). The API answers a create with the object id only; bulk callers
   * that need just the id (apply) skip the extra request, which counts against rate limits.
   */
  readBack?: boolean;
}

/**
 * Updates the value of settings object `current`, locked on its `updateToken` (a concurrent change is a
 * `conflict`). Schema and scope cannot change. Returns the object as re-read.
 */
export async function updateSetting(
  client: PlatformClient,
  current: SettingsObject,
  payload: Record<string, unknown>,
  signal?: AbortSignal,
  kind = "setting",
): Promise<SettingsObject> {
  for (const field of ["schemaId", "scope"] as const) {
    if (typeof payload[field] === "string" && payload[field] !== current[field]) {
      throw usageError(
        `the ${field} of ${kind} "${current.objectId}" cannot change (${current[field]} → ${payload[field]})`,
        {
          hint: "Create a new object with the other schema or scope, and delete this one.",
          details: { field },
        },
      );
    }
  }
  if (typeof payload.value !== "object" || payload.value === null || Array.isArray(payload.value)) {
    throw usageError(`the update of ${kind} "${current.objectId}" needs a \`value\` object`, {
      details: { field: "value" },
    });
  }
  await client.request({
    method: "PUT",
    path: `${SETTINGS_API}/objects/${enc(current.objectId)}`,
    json: {
      value: payload.value,
      ...(current.updateToken ? { updateToken: current.updateToken } : {}),
      ...(typeof payload.schemaVersion === "string" ? { schemaVersion: payload.schemaVersion } : {}),
      ...(typeof payload.insertAfter === "string" ? { insertAfter: payload.insertAfter } : {}),
    },
    signal,
    resource: ref(kind, current),
  });
  return await getSetting(client, current.objectId, signal, kind);
}

/** Deletes settings object `current`, locked on its `updateToken`. */
export async function deleteSetting(
  client: PlatformClient,
  current: SettingsObject,
  signal?: AbortSignal,
  kind = "setting",
): Promise<void> {
  await client.request({
    method: "DELETE",
    path: `${SETTINGS_API}/objects/${enc(current.objectId)}`,
    query: { updateToken: current.updateToken },
    signal,
    resource: ref(kind, current),
  });
}

/** The owner of a settings object (owner-based schemas only). */
export function settingsOwner(object: RemoteObject): string | undefined {
  const owner = object.owner;
  if (typeof owner === "object" && owner !== null) {
    const id = (owner as { id?: unknown }).id;
    if (typeof id === "string" && id !== "") return id;
  }
  return undefined;
}

/** The settings objects of one owner (`--owner`); without an owner, all of them. */
export function ofSettingsOwner<T extends RemoteObject>(
  items: AsyncIterable<T>,
  owner: string | undefined,
): AsyncIterable<T> {
  if (!owner) return items;
  return (async function* () {
    for await (const item of items) if (settingsOwner(item) === owner) yield item;
  })();
}

function time(value: unknown): string {
  return typeof value === "number" && Number.isFinite(value) ? new Date(value).toISOString() : str(value);
}

/** `a.b[0].c = value` lines of a value, for describe. */
function flatten(value: unknown, prefix: string, out: [string, string][]): void {
  if (Array.isArray(value)) {
    if (value.length === 0) out.push([prefix, "[]"]);
    value.forEach((item, i) => flatten(item, `${prefix}[${i}]`, out));
  } else if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 0 && prefix) out.push([prefix, "{}"]);
    for (const [key, item] of entries) flatten(item, prefix ? `${prefix}.${key}` : key, out);
  } else {
    out.push([prefix, value === null ? "null" : String(value)]);
  }
}

function describeSetting(_context: KindContext, object: RemoteObject): Promise<DescribeSection[]> {
  const rows: [string, string][] = [];
  flatten(object.value ?? {}, "", rows);
  return Promise.resolve([{ title: "Value", table: { columns: ["PATH", "VALUE"], rows } }]);
}

/** The `setting` kind: list needs `--type <schemaId>` (ListOptions.type) or `--scope` (ListOptions.extra.scope). */
export const settingKind: ResourceKind = {
  name: "setting",
  plural: "settings",
  aliases: [],
  description: "Settings 2.0 objects (list with --type <schemaId> or --scope <scope>)",
  manifestKind: "Setting",
  idField: "objectId",
  nameField: "summary",
  // Object ids are long base64url strings; summaries are short text.
  looksLikeId: (text) => /^[A-Za-z0-9_-]{24,}$/.test(text),
  serverFields: SERVER_FIELDS,
  locking: "update-token",
  owner: settingsOwner,
  // Summaries are only unique within a schema: a name lookup needs the schema (or scope) to list.
  nameQuery: (name, options) => {
    if (options.type || options.extra?.scope) return options;
    if (/^[A-Za-z0-9_-]{24,}$/.test(name)) {
      throw new DtctlError("not_found", `setting "${name}" not found`, {
        hint: "check the object id; `dtctl get settings --type <schemaId>` lists the objects of a schema",
        details: { kind: "setting", name },
      });
    }
    throw usageError(`finding the setting "${name}" by its summary needs its schema: add --type <schemaId>`, {
      hint: "or give the object id; `dtctl get settings-schemas` lists the schema ids",
      details: { flag: "--type", name },
    });
  },
  filter: {
    style: "grammar",
    help: "the Settings 2.0 filter expression (server-side), passed on as is",
  },
  columns: [
    { header: "object-id", value: (o) => str(o.objectId) },
    { header: "summary", value: (o) => str(o.summary) },
    { header: "schema", value: (o) => str(o.schemaId) },
    { header: "scope", value: (o) => str(o.scope) },
    { header: "external-id", value: (o) => str(o.externalId), wide: true },
    { header: "schema-version", value: (o) => str(o.schemaVersion), wide: true },
    { header: "modified", value: (o) => time(o.modified), wide: true },
  ],
  // --type (or --schema) is the schema id.
  listFlags: ["owner", "type", "scope"],
  list: (context: KindContext, options: ListOptions) => {
    const scope = options.extra?.scope;
    const items = listSettings(context.client, {
      schemaIds: options.type ? options.type.split(",").map((s) => s.trim()).filter(Boolean) : undefined,
      scopes: scope ? scope.split(",").map((s) => s.trim()).filter(Boolean) : undefined,
      filter: options.filter,
      pageSize: options.chunkSize,
      signal: context.signal,
    });
    return ofSettingsOwner(items, options.owner);
  },
  get: (context, id) => getSetting(context.client, id, context.signal),
  create: (context, payload) => createSetting(context.client, payload, context.signal),
  update: (context, current, payload) =>
    updateSetting(context.client, current as SettingsObject, payload, context.signal),
  delete: (context, current) => deleteSetting(context.client, current as SettingsObject, context.signal),
  describe: describeSetting,
};
