/**
 * Settings 2.0 schemas (`/platform/classic/environment-api/v2/settings/schemas`): read-only. The list gives
 * the registry's stubs; `get` and `describe` give the full schema with its properties.
 *
 * @module
 */

import type { PlatformClient } from "../../client/mod.ts";
import type { DescribeSection, KindContext, ListOptions, RemoteObject, ResourceKind } from "../types.ts";
import { str } from "./text.ts";

/** Base path of the Settings 2.0 API on the platform host. */
export const SETTINGS_API = "/platform/classic/environment-api/v2/settings";

/** A schema as listed (`SchemaStub`). */
export interface SettingsSchemaStub {
  /** E.g. `builtin:alerting.profile`. */
  schemaId: string;
  /** Display name. */
  displayName?: string;
  /** Latest schema version. */
  latestSchemaVersion?: string;
  /** Many objects per scope (else one). */
  multiObject?: boolean;
  /** Objects keep a user-defined order. */
  ordered?: boolean;
  /** Objects have owners. */
  ownerBasedAccessControl?: boolean;
  /** Maturity. */
  maturity?: string;
  /** Fields the API may add later. */
  [field: string]: unknown;
}

/** A full schema (`GET /settings/schemas/{id}`). */
export interface SettingsSchema extends SettingsSchemaStub {
  /** Schema version. */
  version?: string;
  /** Help text. */
  description?: string;
  /** Scope kinds objects may live in. */
  allowedScopes?: string[];
  /** Top-level properties. */
  properties?: Record<string, Record<string, unknown>>;
  /** Complex types. */
  types?: Record<string, unknown>;
  /** Enums. */
  enums?: Record<string, unknown>;
}

const enc = encodeURIComponent;

/** Lists the schemas; `match` keeps those whose id or display name contains it (case-insensitive). */
export async function* listSettingsSchemas(
  client: PlatformClient,
  options: { match?: string; signal?: AbortSignal } = {},
): AsyncGenerator<SettingsSchemaStub> {
  const needle = options.match?.toLowerCase();
  const items = client.paginate<SettingsSchemaStub>({
    style: "next-page-key",
    path: `${SETTINGS_API}/schemas`,
    itemsField: "items",
    signal: options.signal,
    resource: { kind: "settings-schema" },
  });
  for await (const item of items) {
    if (
      needle === undefined || item.schemaId.toLowerCase().includes(needle) ||
      String(item.displayName ?? "").toLowerCase().includes(needle)
    ) yield item;
  }
}

/** Reads one full schema (latest version, or `schemaVersion`). */
export function getSettingsSchema(
  client: PlatformClient,
  schemaId: string,
  options: { schemaVersion?: string; signal?: AbortSignal } = {},
): Promise<SettingsSchema> {
  return client.request<SettingsSchema>({
    path: `${SETTINGS_API}/schemas/${enc(schemaId)}`,
    query: { schemaVersion: options.schemaVersion },
    signal: options.signal,
    resource: { kind: "settings-schema", name: schemaId },
  });
}

function versionOf(object: RemoteObject): string {
  return str(object.latestSchemaVersion ?? object.version);
}

/** A property's type for people: `text`, `list<text>`, `#/types/x` → `x`. */
function typeText(definition: Record<string, unknown>): string {
  const type = definition.type;
  const named = (t: unknown): string => {
    if (typeof t === "string") return t;
    if (typeof t === "object" && t !== null && typeof (t as { $ref?: unknown }).$ref === "string") {
      return String((t as { $ref: string }).$ref).split("/").pop() ?? "";
    }
    return "";
  };
  const items = definition.items as { type?: unknown } | undefined;
  if ((type === "list" || type === "set") && items) return `${type}<${named(items.type)}>`;
  return named(type);
}

function describeSchema(_context: KindContext, object: RemoteObject): Promise<DescribeSection[]> {
  const sections: DescribeSection[] = [];
  const properties = object.properties as Record<string, Record<string, unknown>> | undefined;
  if (properties && typeof properties === "object") {
    sections.push({
      title: "Properties",
      table: {
        columns: ["NAME", "TYPE", "DISPLAY NAME", "NULLABLE", "DEFAULT"],
        rows: Object.entries(properties).map(([name, definition]) => [
          name,
          typeText(definition),
          str(definition.displayName),
          definition.nullable === true ? "yes" : "no",
          definition.default === undefined ? "" : JSON.stringify(definition.default),
        ]),
      },
    });
  }
  if (Array.isArray(object.allowedScopes)) {
    sections.push({ title: "Scopes", fields: [["Allowed", object.allowedScopes.join(", ")]] });
  }
  return Promise.resolve(sections);
}

/** The `settings-schema` kind (read-only). */
export const settingsSchemaKind: ResourceKind = {
  name: "settings-schema",
  plural: "settings-schemas",
  aliases: ["schema", "schemas"],
  description: "Settings 2.0 schemas (read-only)",
  idField: "schemaId",
  nameField: "displayName",
  looksLikeId: (text) => /^[a-z][\w.-]*:[\w.:-]+$/i.test(text),
  serverFields: [],
  locking: "read-only",
  filter: {
    style: "search",
    help: "a plain search in schema ids and display names (case-insensitive)",
  },
  columns: [
    { header: "schema-id", value: (o) => str(o.schemaId) },
    { header: "display-name", value: (o) => str(o.displayName) },
    { header: "version", value: versionOf },
    { header: "multi-object", value: (o) => str(o.multiObject), wide: true },
    { header: "ordered", value: (o) => str(o.ordered), wide: true },
    { header: "maturity", value: (o) => str(o.maturity), wide: true },
  ],
  list: (context: KindContext, options: ListOptions) =>
    listSettingsSchemas(context.client, { match: options.filter, signal: context.signal }),
  get: (context, id) => getSettingsSchema(context.client, id, { signal: context.signal }),
  describe: describeSchema,
};
