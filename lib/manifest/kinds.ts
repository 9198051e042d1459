/**
 * The manifest kinds and their rules, as data plus small pure checks: which spec fields are required, which
 * fields the server manages, and which defaults come from `metadata.name`.
 *
 * Defaults (applied by the loader before validation, documented here because they are part of the contract):
 * - Dashboard, Notebook, Document, SLO, Segment: `spec.name` (the display name) defaults to `metadata.name`.
 * - Bucket: `spec.bucketName` defaults to `metadata.name`.
 * - Segment: `spec.isPublic` defaults to `false`.
 *
 * @module
 */

import { DOCUMENT_SERVER_FIELDS } from "../resources/documents/kind.ts";
import { ANOMALY_DETECTOR_SCHEMA } from "../resources/kinds/anomaly_detector.ts";
import { BUCKET_SERVER_FIELDS } from "../resources/kinds/bucket.ts";
import { SETTINGS_SERVER_FIELDS } from "../resources/kinds/setting.ts";
import { SLO_SERVER_FIELDS } from "../resources/kinds/slo.ts";
import { WORKFLOW_SERVER_FIELDS } from "../resources/kinds/workflow.ts";
import type { ValuePath } from "./source.ts";

/** The manifest kinds, in the order they are listed in messages. */
export const MANIFEST_KINDS = [
  "Workflow",
  "Dashboard",
  "Notebook",
  "Document",
  "SLO",
  "Setting",
  "AnomalyDetector",
  "Segment",
  "Bucket",
] as const;

/** One manifest kind. */
export type ManifestKind = typeof MANIFEST_KINDS[number];

/** True when `kind` is one of {@link MANIFEST_KINDS} (case-sensitive). */
export function isManifestKind(kind: unknown): kind is ManifestKind {
  return typeof kind === "string" && (MANIFEST_KINDS as readonly string[]).includes(kind);
}

// Defined by the registry kind; the loader tells raw anomaly-detector payloads by it.
export { ANOMALY_DETECTOR_SCHEMA };

/** Static facts about a kind. */
export interface KindRules {
  /** Fields only the server sets: a problem in an envelope's spec, stripped from raw payloads. */
  serverFields: readonly string[];
  /**
   * Tenant-specific fields of exported payloads (owners, actors, generated ids): stripped from raw payloads,
   * but allowed in an envelope where the user wrote them on purpose.
   */
  exportFields: readonly string[];
  /** The spec field that defaults to `metadata.name`. */
  nameField?: string;
  /** The document type the kind implies (`spec.type` may repeat it but not contradict it). */
  documentType?: string;
  /** Whether `spec.content` may be a content-file reference. */
  contentFile?: boolean;
}

/**
 * Server-managed document fields that exported payloads carry and a spec may keep: they hold no desired state,
 * so the plan ignores them instead of refusing them.
 */
export const DOCUMENT_IGNORED_FIELDS: readonly string[] = ["externalId", "isReshareable"];

const DOCUMENT_SPEC_SERVER_FIELDS = DOCUMENT_SERVER_FIELDS.filter((field) =>
  !DOCUMENT_IGNORED_FIELDS.includes(field)
);

/**
 * Per-kind facts; the server-field lists are the registry kinds' (which follow `dynatrace-api.md` §6–§11), so
 * what a spec may not set is what a write drops.
 */
export const KIND_RULES: Readonly<Record<ManifestKind, KindRules>> = {
  Workflow: {
    // The registry list also names fields inside the trigger; a spec field is a top-level one.
    serverFields: ["id", ...WORKFLOW_SERVER_FIELDS.filter((field) => !field.includes("."))],
    exportFields: ["owner", "ownerType", "actor"],
  },
  Dashboard: {
    serverFields: DOCUMENT_SPEC_SERVER_FIELDS,
    exportFields: [],
    nameField: "name",
    documentType: "dashboard",
    contentFile: true,
  },
  Notebook: {
    serverFields: DOCUMENT_SPEC_SERVER_FIELDS,
    exportFields: [],
    nameField: "name",
    documentType: "notebook",
    contentFile: true,
  },
  Document: {
    serverFields: DOCUMENT_SPEC_SERVER_FIELDS,
    exportFields: [],
    nameField: "name",
    contentFile: true,
  },
  SLO: { serverFields: SLO_SERVER_FIELDS, exportFields: [], nameField: "name" },
  Setting: { serverFields: SETTINGS_SERVER_FIELDS, exportFields: ["owner", "objectid", "id"] },
  AnomalyDetector: { serverFields: SETTINGS_SERVER_FIELDS, exportFields: ["owner", "schemaVersion"] },
  Segment: {
    serverFields: ["uid", "version", "isReadyMade", "allowedOperations", "resourceContext"],
    exportFields: ["owner"],
    nameField: "name",
  },
  Bucket: {
    serverFields: BUCKET_SERVER_FIELDS,
    exportFields: [],
    nameField: "bucketName",
  },
};

/** Reports a problem at a path relative to `spec`. */
export type SpecReporter = (path: ValuePath, message: string) => void;

type Spec = Record<string, unknown>;

/** `spec.tasks.t1.action`, `spec.criteria[0]`: how a path is named in messages. */
export function describePath(path: ValuePath): string {
  return path.reduce<string>(
    (text, step) =>
      typeof step === "number"
        ? `${text}[${step}]`
        : /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(step)
        ? `${text}${text === "" ? "" : "."}${step}`
        : `${text}[${JSON.stringify(step)}]`,
    "",
  );
}

/** True for a plain object (not null, not a list). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `a ${typeof value}`;
}

/** Small typed checks over one object; each reports at the field's path (under `spec`). */
class Checker {
  constructor(readonly object: Spec, readonly at: ValuePath, readonly report: SpecReporter) {}

  #problem(key: string, message: string): void {
    this.report([...this.at, key], message);
  }

  #name(key: string): string {
    return describePath(["spec", ...this.at, key]);
  }

  has(key: string): boolean {
    return this.object[key] !== undefined && this.object[key] !== null;
  }

  string(key: string, required = true): string | undefined {
    const value = this.object[key];
    if (value === undefined || value === null) {
      if (required) this.#problem(key, `${this.#name(key)} is required`);
      return undefined;
    }
    if (typeof value !== "string" || value.trim() === "") {
      this.#problem(key, `${this.#name(key)} must be a non-empty string, not ${typeName(value)}`);
      return undefined;
    }
    return value;
  }

  object_(key: string, required = true): Spec | undefined {
    const value = this.object[key];
    if (value === undefined || value === null) {
      if (required) this.#problem(key, `${this.#name(key)} is required (a mapping)`);
      return undefined;
    }
    if (!isObject(value)) {
      this.#problem(key, `${this.#name(key)} must be a mapping, not ${typeName(value)}`);
      return undefined;
    }
    return value;
  }

  list(key: string, required = true): unknown[] | undefined {
    const value = this.object[key];
    if (value === undefined || value === null) {
      if (required) this.#problem(key, `${this.#name(key)} is required (a list)`);
      return undefined;
    }
    if (!Array.isArray(value)) {
      this.#problem(key, `${this.#name(key)} must be a list, not ${typeName(value)}`);
      return undefined;
    }
    return value;
  }

  boolean(key: string): void {
    const value = this.object[key];
    if (value !== undefined && typeof value !== "boolean") {
      this.#problem(key, `${this.#name(key)} must be true or false, not ${typeName(value)}`);
    }
  }

  integer(key: string, min: number, max: number, required = true): void {
    const value = this.object[key];
    if (value === undefined || value === null) {
      if (required) this.#problem(key, `${this.#name(key)} is required (an integer from ${min} to ${max})`);
      return;
    }
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
      this.#problem(
        key,
        `${this.#name(key)} must be an integer from ${min} to ${max}, not ${JSON.stringify(value)}`,
      );
    }
  }

  child(key: string, value: Spec): Checker {
    return new Checker(value, [...this.at, key], this.report);
  }

  item(key: string, index: number, value: Spec): Checker {
    return new Checker(value, [...this.at, key, index], this.report);
  }
}

function workflow(c: Checker): void {
  c.string("title");
  const tasks = c.object_("tasks");
  if (tasks) {
    for (const [name, task] of Object.entries(tasks)) {
      if (!isObject(task)) {
        c.report(
          ["tasks", name],
          `${describePath(["spec", "tasks", name])} must be a mapping with an action`,
        );
        continue;
      }
      c.child("tasks", tasks).child(name, task).string("action");
    }
  }
  c.object_("trigger", false);
}

function document(kind: ManifestKind, c: Checker): void {
  const expected = KIND_RULES[kind].documentType;
  const type = c.string("type", expected === undefined);
  if (expected !== undefined && type !== undefined && type !== expected) {
    c.report(
      ["type"],
      `spec.type is "${type}", but a ${kind} is always of type "${expected}"; remove spec.type`,
    );
  }
  c.string("name");
  if (expected !== undefined) {
    c.object_("content");
  } else if (!c.has("content")) {
    c.report(["content"], "spec.content is required");
  }
}

function slo(c: Checker): void {
  c.string("name");
  const criteria = c.list("criteria");
  if (criteria) {
    if (criteria.length !== 1) {
      c.report(["criteria"], `spec.criteria must have exactly one item, not ${criteria.length}`);
    }
    const first = criteria[0];
    if (criteria.length > 0 && !isObject(first)) {
      c.report(["criteria", 0], "spec.criteria[0] must be a mapping with timeframeFrom");
    } else if (isObject(first)) {
      c.item("criteria", 0, first).string("timeframeFrom");
    }
  }
  const custom = c.has("customSli");
  const reference = c.has("sliReference");
  if (custom === reference) {
    c.report(
      custom ? ["sliReference"] : [],
      custom
        ? "spec has both customSli and sliReference; keep exactly one"
        : "spec needs exactly one of customSli or sliReference",
    );
  }
  const customSli = c.object_("customSli", false);
  if (customSli) c.child("customSli", customSli).string("indicator");
  const sliReference = c.object_("sliReference", false);
  if (sliReference) c.child("sliReference", sliReference).string("templateId");
}

function setting(c: Checker): void {
  c.string("schemaId");
  c.string("scope");
  c.object_("value");
}

function anomalyDetector(c: Checker): void {
  if (c.has("value") || c.has("schemaId")) {
    // The raw settings form, as `get settings -o yaml` shows it.
    const schemaId = c.string("schemaId");
    if (schemaId !== undefined && schemaId !== ANOMALY_DETECTOR_SCHEMA) {
      c.report(["schemaId"], `spec.schemaId must be ${ANOMALY_DETECTOR_SCHEMA} for an AnomalyDetector`);
    }
    c.string("scope", false);
    c.object_("value");
    return;
  }
  c.string("title");
  const analyzer = c.object_("analyzer");
  if (analyzer) c.child("analyzer", analyzer).string("name");
  c.object_("eventTemplate");
}

const SEGMENT_MAX_INCLUDES = 20;
const SEGMENT_MAX_FILTER = 18_000;

function segment(c: Checker): void {
  c.string("name");
  c.boolean("isPublic");
  const includes = c.list("includes");
  if (!includes) return;
  if (includes.length > SEGMENT_MAX_INCLUDES) {
    c.report(
      ["includes"],
      `spec.includes has ${includes.length} items; at most ${SEGMENT_MAX_INCLUDES} are allowed`,
    );
  }
  includes.forEach((include, index) => {
    if (!isObject(include)) {
      c.report(["includes", index], `spec.includes[${index}] must be a mapping with dataObject and filter`);
      return;
    }
    const item = c.item("includes", index, include);
    item.string("dataObject");
    const filter = item.string("filter");
    if (filter !== undefined && filter.length > SEGMENT_MAX_FILTER) {
      c.report(
        ["includes", index, "filter"],
        `the filter has ${filter.length} characters; at most 18000 are allowed`,
      );
    }
  });
}

/** Bucket names: 3–100 characters, `[a-z][a-z0-9_-]+`, not starting with `default_` or `dt_` (reserved). */
const BUCKET_NAME_PATTERN = /^[a-z][a-z0-9_-]{2,99}$/;

function bucket(c: Checker): void {
  const name = c.string("bucketName");
  if (name !== undefined && (!BUCKET_NAME_PATTERN.test(name) || /^(default_|dt_)/.test(name))) {
    c.report(
      ["bucketName"],
      `bucket name "${name}" is invalid: 3-100 characters of a-z, 0-9, _ and -, starting with a letter, ` +
        `not starting with default_ or dt_ (set spec.bucketName when metadata.name does not fit)`,
    );
  }
  c.string("table");
  c.integer("retentionDays", 1, 3657);
  c.string("displayName", false);
}

/**
 * Checks the required spec fields of a kind. `report` receives paths relative to `spec`; the spec is the
 * final one (after defaults, templating and content files).
 */
export function validateSpec(kind: ManifestKind, spec: Record<string, unknown>, report: SpecReporter): void {
  const c = new Checker(spec, [], report);
  switch (kind) {
    case "Workflow":
      return workflow(c);
    case "Dashboard":
    case "Notebook":
    case "Document":
      return document(kind, c);
    case "SLO":
      return slo(c);
    case "Setting":
      return setting(c);
    case "AnomalyDetector":
      return anomalyDetector(c);
    case "Segment":
      return segment(c);
    case "Bucket":
      return bucket(c);
  }
}

/**
 * Fills the documented defaults into `spec` (in place) and returns the spec fields that were defaulted from
 * `metadata.name`, so their problems can point at `metadata.name`.
 */
export function applyDefaults(kind: ManifestKind, name: string, spec: Spec): string[] {
  const defaulted: string[] = [];
  const field = KIND_RULES[kind].nameField;
  if (field !== undefined && spec[field] === undefined) {
    spec[field] = name;
    defaulted.push(field);
  }
  if (kind === "Segment" && spec.isPublic === undefined) spec.isPublic = false;
  return defaulted;
}
