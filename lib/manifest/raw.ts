/**
 * Raw payloads, as the Go dtctl exports and applies them (no `apiVersion`/`kind`): their kind is detected with
 * the Go dtctl's rules, in its order, and they are converted into manifests so its users can migrate.
 *
 * **Detection order** (`detectResourceType` of dtctl 0.37; arrays are handled by the loader: each element is
 * detected on its own, and an element nothing matches takes the kind of the array's first element, which is
 * what dtctl applied to every element):
 *  1. `schemaId` (or `schemaid`) is the anomaly-detector schema → AnomalyDetector; an Azure/GCP connection
 *     schema → Setting.
 *  2. `scope` is `integration-azure|gcp|aws` → cloud monitoring config (not a manifest kind: a problem).
 *  3. `type` is `dashboard` / `notebook` → Dashboard / Notebook; `extension_monitoring_config` → not supported.
 *  4. `tasks` → Workflow.
 *  5. `metadata` → Dashboard / Notebook / Document by `type` (root or `metadata.type`; default Dashboard).
 *  6. `tiles` or `content.tiles` → Dashboard; `sections` or `content.sections` → Notebook.
 *  7. `criteria` + `name` → SLO.
 *  8. `bucketName` + `table` → Bucket.
 *  9. `schemaId|schemaid` + `scope` + `value` → Setting.
 * 10. `analyzer.name` + `eventTemplate` → AnomalyDetector (flattened form).
 * 11. `includes` + `isPublic`, or `includes` + `name` without `tasks`/`bucketName`/`criteria` → Segment.
 * 12. A non-empty string `type` → Document.
 *
 * **Name derivation** (`metadata.name`), slugified (see `slugify` in `names.ts`), first match wins:
 * Workflow `title`; Dashboard/Notebook/Document `name`, `metadata.name`, then a custom (non-UUID) `id`; SLO and
 * Segment `name`, then `externalId`; Setting `externalId`, `value.name`, `value.title`; AnomalyDetector
 * `title`, `value.title`, then `externalId`; Bucket `bucketName`. Then, for an object alone in its file, the
 * file name without extension; last, for Settings, `<schemaId>-<scope>`.
 *
 * **Stripped fields**: the kind's server fields and export-only fields (`KIND_RULES`), a UUID document `id`
 * (UUIDs cannot be reused across tenants; custom ids are kept, as the Go dtctl does), and `type` of
 * dashboards and notebooks (implied by the kind).
 *
 * @module
 */

import { ANOMALY_DETECTOR_SCHEMA, isObject, KIND_RULES, type ManifestKind } from "./kinds.ts";
import { slugify } from "./names.ts";
import type { ValuePath } from "./source.ts";

type Payload = Record<string, unknown>;

/** The outcome of kind detection for one raw payload. */
export type Detection =
  | { kind: ManifestKind }
  | { unsupported: string }
  | { unknown: true };

const CLOUD_CONNECTION_SCHEMAS = [
  "builtin:hyperscaler-authentication.connections.azure",
  "builtin:hyperscaler-authentication.connections.gcp",
];
const CLOUD_SCOPES = ["integration-azure", "integration-gcp", "integration-aws"];

function has(payload: Payload, key: string): boolean {
  return payload[key] !== undefined && payload[key] !== null;
}

function schemaIdOf(payload: Payload): unknown {
  return payload.schemaId ?? payload.schemaid;
}

function documentKind(type: unknown): ManifestKind {
  if (type === undefined || type === null || type === "" || type === "dashboard") return "Dashboard";
  return type === "notebook" ? "Notebook" : "Document";
}

/** Detects the kind of a raw payload with the Go dtctl's rules, in its order (see the module documentation). */
export function detectKind(payload: Record<string, unknown>): Detection {
  const schemaId = schemaIdOf(payload);
  if (schemaId === ANOMALY_DETECTOR_SCHEMA) return { kind: "AnomalyDetector" };
  if (typeof schemaId === "string" && CLOUD_CONNECTION_SCHEMAS.includes(schemaId)) return { kind: "Setting" };
  if (typeof payload.scope === "string" && CLOUD_SCOPES.includes(payload.scope)) {
    return { unsupported: "a cloud monitoring configuration" };
  }
  if (payload.type === "dashboard") return { kind: "Dashboard" };
  if (payload.type === "notebook") return { kind: "Notebook" };
  if (payload.type === "extension_monitoring_config") {
    return { unsupported: "an extension monitoring configuration" };
  }
  if (has(payload, "tasks")) return { kind: "Workflow" };
  if (has(payload, "metadata")) {
    const metadata = isObject(payload.metadata) ? payload.metadata : {};
    return { kind: documentKind(payload.type ?? metadata.type) };
  }
  const content = isObject(payload.content) ? payload.content : {};
  if (has(payload, "tiles") || has(content, "tiles")) return { kind: "Dashboard" };
  if (has(payload, "sections") || has(content, "sections")) return { kind: "Notebook" };
  if (has(payload, "criteria") && has(payload, "name")) return { kind: "SLO" };
  if (has(payload, "bucketName") && has(payload, "table")) return { kind: "Bucket" };
  if (schemaId !== undefined && schemaId !== null && has(payload, "scope") && has(payload, "value")) {
    return { kind: "Setting" };
  }
  if (isObject(payload.analyzer) && has(payload.analyzer, "name") && has(payload, "eventTemplate")) {
    return { kind: "AnomalyDetector" };
  }
  if (
    has(payload, "includes") &&
    (has(payload, "isPublic") ||
      (has(payload, "name") && !has(payload, "bucketName") && !has(payload, "criteria")))
  ) {
    return { kind: "Segment" };
  }
  if (typeof payload.type === "string" && payload.type !== "") return { kind: "Document" };
  return { unknown: true };
}

/** A raw payload turned into the parts of a manifest. */
export interface RawConversion {
  /** The spec: the payload without server-managed and tenant-specific fields. */
  spec: Payload;
  /** How manifest paths map onto the payload: manifest prefix → payload path (longest prefix wins). */
  mounts: { prefix: ValuePath; base: ValuePath }[];
  /** The derived name and the payload path it came from (undefined: nothing to derive it from). */
  name?: { value: string; path: ValuePath };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Fields of a document payload that describe the document rather than being its content (direct form). */
const DOCUMENT_FIELDS = ["id", "name", "description", "type", "isPrivate", "labels", "externalId"];

function strip(kind: ManifestKind, payload: Payload): Payload {
  const rules = KIND_RULES[kind];
  const drop = new Set([...rules.serverFields, ...rules.exportFields]);
  if (rules.documentType !== undefined) drop.add("type");
  const spec: Payload = {};
  for (const [key, value] of Object.entries(payload)) if (!drop.has(key)) spec[key] = value;
  if (rules.contentFile && typeof spec.id === "string" && UUID.test(spec.id)) delete spec.id;
  return spec;
}

function pick(object: Payload, keys: readonly string[]): Payload {
  return Object.fromEntries(keys.filter((key) => object[key] !== undefined).map((key) => [key, object[key]]));
}

function convertDocument(kind: ManifestKind, payload: Payload): Omit<RawConversion, "name"> {
  if (isObject(payload.metadata)) {
    // The `{metadata, content}` form of a multipart GET: the document fields live under metadata.
    const metadata = { ...payload.metadata, ...(payload.type === undefined ? {} : { type: payload.type }) };
    const spec = strip(kind, { ...metadata, content: payload.content });
    return {
      spec,
      mounts: [
        { prefix: ["spec"], base: ["metadata"] },
        { prefix: ["spec", "content"], base: ["content"] },
        { prefix: [], base: [] },
      ],
    };
  }
  if (payload.content === undefined && (has(payload, "tiles") || has(payload, "sections"))) {
    // The direct form: the file is the content itself, maybe with a few document fields next to it.
    const content: Payload = {};
    for (const [key, value] of Object.entries(payload)) {
      if (!DOCUMENT_FIELDS.includes(key)) content[key] = value;
    }
    const spec = strip(kind, { ...pick(payload, DOCUMENT_FIELDS), content });
    return {
      spec,
      mounts: [{ prefix: ["spec"], base: [] }, { prefix: ["spec", "content"], base: [] }, {
        prefix: [],
        base: [],
      }],
    };
  }
  return { spec: strip(kind, payload), mounts: [{ prefix: ["spec"], base: [] }, { prefix: [], base: [] }] };
}

function convertSetting(kind: ManifestKind, payload: Payload): Omit<RawConversion, "name"> {
  const mounts: RawConversion["mounts"] = [{ prefix: ["spec"], base: [] }, { prefix: [], base: [] }];
  if (payload.schemaId === undefined && payload.schemaid !== undefined) {
    // dtctl accepted the lower-case spelling; the API and manifests use schemaId.
    const { schemaid, ...rest } = payload;
    mounts.push({ prefix: ["spec", "schemaId"], base: ["schemaid"] });
    return { spec: strip(kind, { ...rest, schemaId: schemaid }), mounts };
  }
  return { spec: strip(kind, payload), mounts };
}

const NAME_SOURCES: Readonly<Record<ManifestKind, readonly ValuePath[]>> = {
  Workflow: [["title"]],
  Dashboard: [["name"], ["metadata", "name"], ["id"]],
  Notebook: [["name"], ["metadata", "name"], ["id"]],
  Document: [["name"], ["metadata", "name"], ["id"]],
  SLO: [["name"], ["externalId"]],
  Setting: [["externalId"], ["value", "name"], ["value", "title"]],
  AnomalyDetector: [["title"], ["value", "title"], ["externalId"]],
  Segment: [["name"], ["externalId"]],
  Bucket: [["bucketName"]],
};

function valueAt(payload: unknown, path: ValuePath): unknown {
  let current = payload;
  for (const step of path) {
    if (!isObject(current)) return undefined;
    current = current[String(step)];
  }
  return current;
}

function deriveName(
  kind: ManifestKind,
  payload: Payload,
  fileName: string | undefined,
): RawConversion["name"] {
  for (const path of NAME_SOURCES[kind]) {
    const value = valueAt(payload, path);
    if (typeof value !== "string") continue;
    if (path[0] === "id" && UUID.test(value)) continue;
    const slug = slugify(value);
    if (slug !== undefined) return { value: slug, path };
  }
  const fromFile = fileName === undefined ? undefined : slugify(fileName);
  if (fromFile !== undefined) return { value: fromFile, path: [] };
  const schemaId = schemaIdOf(payload);
  if (kind === "Setting" && typeof schemaId === "string" && typeof payload.scope === "string") {
    const slug = slugify(`${schemaId}-${payload.scope}`);
    if (slug !== undefined) return { value: slug, path: [] };
  }
  return undefined;
}

/**
 * Converts a raw payload of a detected kind. `fileName` (the file's base name without extension) is the name
 * of last resort; pass it only when the payload is the only object in its file.
 */
export function convertRaw(kind: ManifestKind, payload: Payload, fileName?: string): RawConversion {
  const converted = kind === "Dashboard" || kind === "Notebook" || kind === "Document"
    ? convertDocument(kind, payload)
    : kind === "Setting" || kind === "AnomalyDetector"
    ? convertSetting(kind, payload)
    : { spec: strip(kind, payload), mounts: [{ prefix: ["spec"], base: [] }, { prefix: [], base: [] }] };
  return { ...converted, name: deriveName(kind, payload, fileName) };
}
