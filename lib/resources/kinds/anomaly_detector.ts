/**
 * Davis anomaly detectors: settings objects of schema `builtin:davis.anomaly-detectors`, shown and edited in
 * the flattened form (`title`, `description`, `enabled`, `source`, `analyzer{name, input{k: v}}`,
 * `eventTemplate{k: v}`, `executionSettings`) and accepted in the raw settings form (`{value: {...}}`) too.
 *
 * Objects carry the settings metadata next to the flattened fields (`objectId`, `updateToken`, ...), so an
 * update locks on the token that was read, like every other settings object.
 *
 * @module
 */

import type { PlatformClient } from "../../client/mod.ts";
import { DtctlError, isDtctlError, usageError } from "../../errors/mod.ts";
import {
  ANOMALY_DETECTOR_SCHEMA_ID,
  flattenedToSettingsValue,
  isFlattenedAnomalyDetector,
  settingsValueToFlattened,
} from "../anomaly_detector/mod.ts";
import type { DescribeSection, KindContext, ListOptions, RemoteObject, ResourceKind } from "../types.ts";
import {
  type CreateOptions,
  createSettingsObject,
  deleteSetting,
  getSetting,
  listSettings,
  ofSettingsOwner,
  type SettingsObject,
  settingsOwner,
  updateSetting,
} from "./setting.ts";
import { str } from "./text.ts";

/** The settings schema of anomaly detectors (the conversion module's constant, under the kind's name). */
export const ANOMALY_DETECTOR_SCHEMA: typeof ANOMALY_DETECTOR_SCHEMA_ID = ANOMALY_DETECTOR_SCHEMA_ID;

const KIND = "anomaly-detector";

/** An anomaly detector in the flattened form, with the settings metadata. */
export interface AnomalyDetector {
  /** Settings object id. */
  objectId: string;
  /** Title (the name detectors are resolved by). */
  title: string;
  /** Description. */
  description?: string;
  /** Whether the detector runs. */
  enabled?: boolean;
  /** Who or what created it. */
  source?: string;
  /** Analyzer name and its input as a map. */
  analyzer?: { name?: string; input?: Record<string, unknown> };
  /** Event properties as a map. */
  eventTemplate?: Record<string, unknown>;
  /** Actor and query offset. */
  executionSettings?: Record<string, unknown>;
  /** Client-side identity. */
  externalId?: string;
  /** Locking token of the settings object. */
  updateToken?: string;
  /** Fields the API may add later. */
  [field: string]: unknown;
}

/** Settings metadata the server sets, which a detector carries next to its flattened fields. */
const SETTINGS_METADATA = [
  "scope",
  "schemaVersion",
  "updateToken",
  "owner",
  "created",
  "modified",
  "createdBy",
  "modifiedBy",
  "author",
];

/** Metadata copied from the settings object next to the flattened fields. */
const METADATA = ["externalId", ...SETTINGS_METADATA];

/** Fields a write drops; the external id is not one of them (creates send it). */
const SERVER_FIELDS = ["objectId", ...SETTINGS_METADATA, "summary"];

/**
 * A settings object of the anomaly-detector schema in the flattened form, with its metadata. A value the
 * flattened form cannot hold without losing data (unknown fields, duplicate keys) is kept in the raw settings
 * form (`value: {...}`) instead, which `edit` and `create` accept as well.
 */
export function toAnomalyDetector(object: SettingsObject): AnomalyDetector {
  let form: Record<string, unknown>;
  try {
    form = { ...settingsValueToFlattened(object.value, `anomaly-detector "${object.objectId}"`) };
  } catch (error) {
    if (!isDtctlError(error, "validation_error")) throw error;
    form = { value: object.value };
  }
  const out: Record<string, unknown> = { objectId: object.objectId, ...form };
  for (const key of METADATA) if (object[key] !== undefined) out[key] = object[key];
  return out as AnomalyDetector;
}

/**
 * The settings value of a payload in either form: raw (`{value: {...}}`, optionally with `schemaId`) or
 * flattened (`{title, analyzer, ...}`).
 */
export function anomalyDetectorValue(payload: Record<string, unknown>): Record<string, unknown> {
  const raw = payload.value;
  if (typeof raw === "object" && raw !== null && !Array.isArray(raw)) {
    if (payload.schemaId !== undefined && payload.schemaId !== ANOMALY_DETECTOR_SCHEMA) {
      throw usageError(
        `an anomaly detector must use schema ${ANOMALY_DETECTOR_SCHEMA}, not ${String(payload.schemaId)}`,
        { hint: "Use `dtctl create setting` for other schemas.", details: { field: "schemaId" } },
      );
    }
    return raw as Record<string, unknown>;
  }
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(payload)) {
    if (!SERVER_FIELDS.includes(key) && key !== "externalId") fields[key] = value;
  }
  if (!isFlattenedAnomalyDetector(fields)) {
    throw usageError("the anomaly detector payload is neither the flattened form nor the settings form", {
      hint: "Give `title` and `analyzer` (flattened form), or `value: {...}` (settings form).",
      details: { field: "title" },
    });
  }
  const title = typeof fields.title === "string" ? fields.title : "new detector";
  return { ...flattenedToSettingsValue(fields, `anomaly-detector "${title}"`) };
}

/** Lists anomaly detectors (flattened). */
export async function* listAnomalyDetectors(
  client: PlatformClient,
  options: { pageSize?: number; filter?: string; signal?: AbortSignal } = {},
): AsyncGenerator<AnomalyDetector> {
  const items = listSettings(client, {
    schemaIds: [ANOMALY_DETECTOR_SCHEMA],
    pageSize: options.pageSize,
    filter: options.filter,
    signal: options.signal,
  }, KIND);
  for await (const item of items) yield toAnomalyDetector(item);
}

/** Reads one anomaly detector by object id (flattened); objects of other schemas are `not_found`. */
export async function getAnomalyDetector(
  client: PlatformClient,
  objectId: string,
  signal?: AbortSignal,
): Promise<AnomalyDetector> {
  const object = await getSetting(client, objectId, signal, KIND);
  if (object.schemaId !== undefined && object.schemaId !== ANOMALY_DETECTOR_SCHEMA) {
    throw new DtctlError(
      "not_found",
      `anomaly-detector "${objectId}" not found: that settings object has schema ${object.schemaId}`,
      { hint: `Use \`dtctl get setting ${objectId}\` for other schemas.`, details: { objectId } },
    );
  }
  return toAnomalyDetector(object);
}

/** Creates an anomaly detector from either form; rejected values throw with the constraint violations. */
export async function createAnomalyDetector(
  client: PlatformClient,
  payload: Record<string, unknown>,
  signal?: AbortSignal,
  options: CreateOptions = {},
): Promise<AnomalyDetector> {
  const item = {
    schemaId: ANOMALY_DETECTOR_SCHEMA,
    scope: "environment",
    value: anomalyDetectorValue(payload),
    ...(typeof payload.externalId === "string" ? { externalId: payload.externalId } : {}),
  };
  const objectId = await createSettingsObject(client, item, signal, KIND);
  if (options.readBack === false) return { ...item, objectId } as unknown as AnomalyDetector;
  return await getAnomalyDetector(client, objectId, signal);
}

function asSettingsObject(current: Record<string, unknown>): SettingsObject {
  return {
    objectId: String(current.objectId),
    schemaId: ANOMALY_DETECTOR_SCHEMA,
    scope: typeof current.scope === "string" ? current.scope : "environment",
    value: {},
    ...(typeof current.updateToken === "string" ? { updateToken: current.updateToken } : {}),
    ...(typeof current.title === "string" ? { summary: current.title } : {}),
    ...(typeof current.owner === "object" && current.owner !== null
      ? { owner: current.owner as SettingsObject["owner"] }
      : {}),
  };
}

/** Updates anomaly detector `current` (as read, with its `updateToken`) to `payload` in either form. */
export async function updateAnomalyDetector(
  client: PlatformClient,
  current: Record<string, unknown>,
  payload: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<AnomalyDetector> {
  const updated = await updateSetting(
    client,
    asSettingsObject(current),
    { value: anomalyDetectorValue(payload) },
    signal,
    KIND,
  );
  return toAnomalyDetector(updated);
}

/** Deletes anomaly detector `current`, locked on its `updateToken`. */
export function deleteAnomalyDetector(
  client: PlatformClient,
  current: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<void> {
  return deleteSetting(client, asSettingsObject(current), signal, KIND);
}

/** A field of the raw settings form (`value.x`), for detectors kept in that form. */
function field(object: RemoteObject, name: string): unknown {
  const value = object.value;
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}

function analyzerName(object: RemoteObject): string {
  const analyzer = object.analyzer as { name?: unknown } | undefined;
  const name = str(analyzer?.name);
  // `dt.statistics.ui.anomaly_detection.StaticThresholdAnomalyDetectionAnalyzer` → the last part.
  return name.split(".").pop() ?? name;
}

function analyzerInput(object: RemoteObject): Record<string, unknown> {
  const input = (object.analyzer as { input?: unknown } | undefined)?.input;
  return typeof input === "object" && input !== null && !Array.isArray(input)
    ? input as Record<string, unknown>
    : {};
}

function eventProperties(object: RemoteObject): Record<string, unknown> {
  const template = object.eventTemplate;
  if (typeof template !== "object" || template === null || Array.isArray(template)) return {};
  // Tolerate a nested `properties` map, should the flattened form keep one.
  const nested = (template as { properties?: unknown }).properties;
  return typeof nested === "object" && nested !== null && !Array.isArray(nested)
    ? nested as Record<string, unknown>
    : template as Record<string, unknown>;
}

function describeDetector(_context: KindContext, object: RemoteObject): Promise<DescribeSection[]> {
  const sections: DescribeSection[] = [{
    title: "Analyzer",
    fields: [["Name", str((object.analyzer as { name?: unknown } | undefined)?.name)]],
    table: {
      columns: ["INPUT", "VALUE"],
      rows: Object.entries(analyzerInput(object)).map(([k, v]) => [k, str(v)]),
    },
  }];
  const properties = Object.entries(eventProperties(object));
  if (properties.length > 0) {
    sections.push({
      title: "Event template",
      table: { columns: ["PROPERTY", "VALUE"], rows: properties.map(([k, v]) => [k, str(v)]) },
    });
  }
  const execution = object.executionSettings;
  if (typeof execution === "object" && execution !== null && Object.keys(execution).length > 0) {
    sections.push({
      title: "Execution settings",
      fields: Object.entries(execution).map(([k, v]) => [k, str(v)] as [string, string]),
    });
  }
  return Promise.resolve(sections);
}

/** The `anomaly-detector` kind. */
export const anomalyDetectorKind: ResourceKind = {
  name: "anomaly-detector",
  plural: "anomaly-detectors",
  aliases: ["ad"],
  description: "Davis anomaly detectors (settings builtin:davis.anomaly-detectors, flattened)",
  manifestKind: "AnomalyDetector",
  idField: "objectId",
  nameField: "title",
  looksLikeId: (text) => /^[A-Za-z0-9_-]{24,}$/.test(text),
  serverFields: SERVER_FIELDS,
  locking: "update-token",
  owner: settingsOwner,
  filter: {
    style: "grammar",
    help: "the Settings 2.0 filter expression (server-side), passed on as is",
  },
  columns: [
    { header: "object-id", value: (o) => str(o.objectId) },
    { header: "title", value: (o) => str(o.title ?? field(o, "title")) },
    { header: "enabled", value: (o) => str(o.enabled ?? field(o, "enabled")) },
    { header: "analyzer", value: analyzerName },
    { header: "source", value: (o) => str(o.source), wide: true },
    { header: "event-type", value: (o) => str(eventProperties(o)["event.type"]), wide: true },
    { header: "query", value: (o) => str(analyzerInput(o).query), wide: true },
  ],
  listFlags: ["owner"],
  list: (context: KindContext, options: ListOptions) =>
    ofSettingsOwner(
      listAnomalyDetectors(context.client, {
        pageSize: options.chunkSize,
        filter: options.filter,
        signal: context.signal,
      }),
      options.owner,
    ),
  get: (context, id) => getAnomalyDetector(context.client, id, context.signal),
  create: (context, payload) => createAnomalyDetector(context.client, payload, context.signal),
  update: (context, current, payload) =>
    updateAnomalyDetector(context.client, current, payload, context.signal),
  delete: (context, current) => deleteAnomalyDetector(context.client, current, context.signal),
  describe: describeDetector,
};
