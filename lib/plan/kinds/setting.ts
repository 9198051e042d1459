/**
 * `Setting` manifests ⇄ Settings 2.0 objects.
 *
 * **Identity**: `externalId` = `dtctl:<stack>:Setting:<name>` (or an explicit `spec.externalId`), looked up with
 * `schemaIds=<spec.schemaId>&externalIds=<externalId>` (the API lists only within schemas or scopes) and
 * matched exactly; `dtctl.io/id` pins an object id (GET).
 *
 * **Canonical form** (both sides): `externalId`, `schemaId`, `scope`, `value`;
 * - materialised defaults: `scope: environment`;
 * - empty means absent: inside `value`, members that are `null` or `[]` (the server stores an omitted
 *   collection as `[]` and an omitted nullable property as nothing);
 * - unmanaged unless set: `schemaVersion`, and inside `value` the members the manifest omits whose live value is
 *   the schema's default (the server fills defaults in; the schema is read, once per version, by `find`,
 *   `create` and `update`);
 * - dropped: `objectId`, `updateToken`, `summary`, `searchSummary`, `created`, `modified`, `createdBy`,
 *   `modifiedBy`, `author`, `owner`, `modificationInfo`, `resourceContext`.
 *
 * @module
 */

import { DtctlError } from "../../errors/mod.ts";
import { semanticEqual } from "../../diff/mod.ts";
import type { Manifest } from "../../manifest/types.ts";
import { ANOMALY_DETECTOR_SCHEMA } from "../../resources/kinds/anomaly_detector.ts";
import {
  createSetting,
  deleteSetting,
  getSetting,
  listSettings,
  settingKind,
  SETTINGS_LIST_FIELDS,
  type SettingsObject,
  updateSetting,
} from "../../resources/kinds/setting.ts";
import {
  getSettingsSchema,
  listSettingsSchemas,
  SETTINGS_API,
  type SettingsSchema,
} from "../../resources/kinds/settings_schema.ts";
import type { KindContext, ListOptions, RemoteObject } from "../../resources/types.ts";
import type { Identity, ManagedKind } from "../adapter.ts";
import {
  externalIdentity,
  findPinnedOr,
  isObject,
  type Json,
  kindsBefore,
  manifestError,
  requireExternalId,
  resolveReferences,
  setOwn,
  singleMatch,
  text,
  withExternalId,
} from "./common.ts";
import { slugName } from "./names.ts";

const SPEC_FIELDS = ["schemaId", "scope", "value", "externalId", "schemaVersion"];

// ---------------------------------------------------------------------------------------------------------------
// Values

/** A settings value with `null` and `[]` members dropped (recursively through objects and lists). */
export function canonicalValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalValue);
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const [key, member] of Object.entries(value)) {
    if (member === undefined || member === null || (Array.isArray(member) && member.length === 0)) continue;
    setOwn(out, key, canonicalValue(member));
  }
  return out;
}

type Properties = Record<string, Record<string, unknown>>;

/** Schemas read so far, by `schemaId@version` (schemas of a version never change). */
const schemaCache = new Map<string, SettingsSchema>();

function cacheKey(schemaId: string, version: unknown): string {
  return `${schemaId}@${typeof version === "string" && version !== "" ? version : "latest"}`;
}

/** Reads (once) the schema of a settings object, so `normalize` can recognise server-filled defaults. */
async function loadSchemaOf(context: KindContext, object: RemoteObject): Promise<void> {
  const schemaId = text(object.schemaId);
  if (schemaId === "") return;
  const key = cacheKey(schemaId, object.schemaVersion);
  if (schemaCache.has(key)) return;
  const version = typeof object.schemaVersion === "string" ? object.schemaVersion : undefined;
  const schema = await getSettingsSchema(context.client, schemaId, {
    schemaVersion: version,
    signal: context.signal,
  });
  schemaCache.set(key, schema);
}

function complexProperties(schema: SettingsSchema, type: unknown): Properties | undefined {
  const ref = isObject(type) && typeof type.$ref === "string" ? type.$ref : undefined;
  const name = ref?.match(/^#\/types\/(.+)$/)?.[1];
  const definition = name === undefined ? undefined : (schema.types as Json | undefined)?.[name];
  return isObject(definition) && isObject(definition.properties)
    ? definition.properties as Properties
    : undefined;
}

/**
 * Drops, in place, the members of `live` that `desired` does not have and whose value is the schema default;
 * descends into complex properties and lists of them that both sides have.
 */
function pruneDefaults(live: Json, desired: Json, properties: Properties, schema: SettingsSchema): void {
  for (const key of Object.keys(live)) {
    const definition = properties[key];
    if (!isObject(definition)) continue;
    if (!(key in desired)) {
      if (definition.default !== undefined && semanticEqual(live[key], canonicalValue(definition.default))) {
        delete live[key];
      }
      continue;
    }
    const mine = live[key];
    const theirs = desired[key];
    if (definition.type === "list" || definition.type === "set") {
      const itemProperties = complexProperties(schema, (definition.items as Json | undefined)?.type);
      if (itemProperties && Array.isArray(mine) && Array.isArray(theirs) && mine.length === theirs.length) {
        mine.forEach((item, i) => {
          if (isObject(item) && isObject(theirs[i])) {
            pruneDefaults(item, theirs[i] as Json, itemProperties, schema);
          }
        });
      }
      continue;
    }
    const nested = complexProperties(schema, definition.type);
    if (nested && isObject(mine) && isObject(theirs)) pruneDefaults(mine, theirs, nested, schema);
  }
}

/** The canonical value of a live object, with schema defaults pruned where `desired` omits them. */
function liveValue(live: RemoteObject, desired?: RemoteObject): unknown {
  const value = canonicalValue(live.value);
  if (desired === undefined || !isObject(value) || !isObject(desired.value)) return value;
  const schema = schemaCache.get(cacheKey(text(live.schemaId), live.schemaVersion));
  if (schema && isObject(schema.properties)) {
    pruneDefaults(value, desired.value, schema.properties as Properties, schema);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------------------------
// Lookups

/** Finds a settings object of a schema by external id (exact match; two are a conflict). */
export async function findSettingByExternalId(
  context: KindContext,
  identity: Identity,
  kind: string,
): Promise<SettingsObject | undefined> {
  if (identity.schemaId === undefined) {
    throw new DtctlError(
      "error",
      `${kind}: the identity has no schemaId; cannot look up "${identity.externalId}"`,
      { userError: false },
    );
  }
  const matches: SettingsObject[] = [];
  const items = listSettings(context.client, {
    schemaIds: [identity.schemaId],
    externalIds: [identity.externalId!],
    signal: context.signal,
  }, kind);
  for await (const item of items) if (item.externalId === identity.externalId) matches.push(item);
  return singleMatch(matches, kind, identity, (object) => object.objectId);
}

function checkSpec(manifest: Manifest): void {
  for (const key of Object.keys(manifest.spec)) {
    if (SPEC_FIELDS.includes(key)) continue;
    throw manifestError(
      manifest,
      ["spec", key],
      key === "insertAfter"
        ? "spec.insertAfter is not supported: the order of objects is not managed as code"
        : `unknown field "${key}"; a Setting spec has ${SPEC_FIELDS.join(", ")}`,
    );
  }
  if (manifest.spec.schemaId === ANOMALY_DETECTOR_SCHEMA) {
    throw manifestError(
      manifest,
      ["spec", "schemaId"],
      `objects of ${ANOMALY_DETECTOR_SCHEMA} are managed as kind AnomalyDetector`,
      "Change kind: Setting to kind: AnomalyDetector.",
    );
  }
}

function objectName(live: RemoteObject): string {
  const value = isObject(live.value) ? live.value : {};
  const title = [value.name, value.title, value.displayName, live.summary].find((t) =>
    typeof t === "string" && t.trim() !== ""
  );
  return slugName(title ?? `${text(live.schemaId)}-${text(live.scope)}`, "setting", live.objectId);
}

/** The `Setting` managed kind. */
export const settingManagedKind: ManagedKind = {
  manifestKind: "Setting",
  resource: settingKind,
  dependsOn: kindsBefore("Setting"),

  identify: (manifest: Manifest, stack: string) =>
    externalIdentity(manifest, stack, { schemaId: text(manifest.spec.schemaId) }),

  async find(context, identity) {
    const live = await findPinnedOr(
      identity,
      (id) => getSetting(context.client, id, context.signal),
      () => findSettingByExternalId(context, identity, "setting"),
    );
    if (live) await loadSchemaOf(context, live);
    return live;
  },

  desired(manifest, _stack, identity, references) {
    checkSpec(manifest);
    const spec = resolveReferences(manifest.spec, references);
    return withExternalId(identity.externalId, {
      schemaId: spec.schemaId,
      scope: typeof spec.scope === "string" && spec.scope !== "" ? spec.scope : "environment",
      value: canonicalValue(spec.value),
      ...(typeof spec.schemaVersion === "string" ? { schemaVersion: spec.schemaVersion } : {}),
    });
  },

  normalize(live, desired) {
    return withExternalId(live.externalId, {
      schemaId: live.schemaId,
      scope: live.scope,
      value: liveValue(live, desired),
      ...(desired?.schemaVersion !== undefined && live.schemaVersion !== undefined
        ? { schemaVersion: live.schemaVersion }
        : {}),
    });
  },

  version: (live) => text(live.updateToken),
  idOf: (live) => text(live.objectId),

  async create(context, desired) {
    requireExternalId(desired, "settings object");
    // Apply needs only the id of what it created: no read-back, one request per create.
    const created = await createSetting(context.client, desired, context.signal, "setting", {
      readBack: false,
    });
    await loadSchemaOf(context, created);
    return created;
  },

  async update(context, live, desired) {
    const updated = await updateSetting(context.client, live as SettingsObject, desired, context.signal);
    await loadSchemaOf(context, updated);
    return updated;
  },

  delete: (context, live) => deleteSetting(context.client, live as SettingsObject, context.signal),

  list(context: KindContext, options: ListOptions = {}): AsyncIterable<RemoteObject> {
    return (async function* () {
      let schemaIds = (options.type ?? "").split(",").map((s) => s.trim()).filter(Boolean);
      if (schemaIds.length === 0) {
        for await (const schema of listSettingsSchemas(context.client, { signal: context.signal })) {
          schemaIds.push(schema.schemaId);
        }
        schemaIds = schemaIds.filter((id) => id !== ANOMALY_DETECTOR_SCHEMA).sort();
      }
      for (const schemaId of schemaIds) {
        // The registry's list leaves out modificationInfo and resourceContext, which tell read-only objects.
        yield* context.client.paginate<RemoteObject>({
          style: "next-page-key",
          path: `${SETTINGS_API}/objects`,
          query: {
            schemaIds: schemaId,
            fields: [...SETTINGS_LIST_FIELDS, "modificationInfo", "resourceContext"].join(","),
          },
          itemsField: "items",
          signal: context.signal,
          resource: { kind: "setting" },
        });
      }
    })();
  },

  readOnly(live) {
    const info = live.modificationInfo;
    if (isObject(info) && info.modifiable === false) return "read-only settings object";
    const operations = isObject(live.resourceContext) ? live.resourceContext.operations : undefined;
    if (Array.isArray(operations) && !operations.includes("write")) return "read-only settings object";
    return undefined;
  },

  toManifest: (live) => ({
    name: objectName(live),
    spec: withExternalId(live.externalId, {
      schemaId: live.schemaId,
      scope: live.scope,
      value: canonicalValue(live.value),
    }),
  }),
};
