/**
 * Flattened anomaly detector ⇄ settings value of `builtin:davis.anomaly-detectors`.
 *
 * Writing (flattened → value) is strict: every problem the schema would report is found locally and reported
 * by field path, all at once, and unknown fields are errors rather than silently dropped. Reading (value →
 * flattened) only checks types, but refuses what the flattened form cannot hold (unknown fields, duplicate
 * keys), so a round trip never loses data.
 *
 * @module
 */

import { DtctlError } from "../../errors/mod.ts";
import {
  type AnomalyDetectorExecutionSettings,
  type AnomalyDetectorKeyValue,
  type AnomalyDetectorValue,
  DEFAULT_ANOMALY_DETECTOR_SOURCE,
  type FlattenedAnomalyDetector,
} from "./types.ts";

type Json = Record<string, unknown>;

interface Problem {
  path: string;
  message: string;
}

// Limits and patterns of schema builtin:davis.anomaly-detectors (version 1.0.x).
const TITLE_MIN = 2;
const TITLE_MAX = 500;
const DESCRIPTION_MAX = 5000;
const SOURCE_MAX = 500;
const NAME_MAX = 100;
const NAME_PATTERN = /^[a-zA-Z_][a-zA-Z\d_\-.]*$/;
const INPUT_MAX_FIELDS = 30;
const INPUT_VALUE_MAX = 50_000;
const PROPERTY_MAX_FIELDS = 50;
const PROPERTY_KEY_MAX = 100;
const PROPERTY_VALUE_MAX = 4000;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const QUERY_OFFSET_MIN = 1;
const QUERY_OFFSET_MAX = 60;

/** The top-level fields of the flattened form, in display order. */
export const FLAT_FIELDS: string[] = [
  "title",
  "description",
  "enabled",
  "source",
  "analyzer",
  "eventTemplate",
  "executionSettings",
];
const ANALYZER_FIELDS = ["name", "input"];

const EXAMPLE_ANALYZER = "dt.statistics.ui.anomaly_detection.StaticThresholdAnomalyDetectionAnalyzer";

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function absent(value: unknown): boolean {
  // YAML `description:` with nothing after it is null; treat it like an omitted field, as the API does.
  return value === undefined || value === null;
}

/** `parent.key` for identifier-like keys, `parent["key"]` for keys with dots or other characters. */
function fieldPath(parent: string, key: string): string {
  const step = /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
  return parent === "" ? step.replace(/^\./, "") : `${parent}${step}`;
}

/** Sorts by Unicode code point, the byte order of UTF-8 that dtctl (Go) sorts by. */
function compareKeys(a: string, b: string): number {
  const x = Array.from(a, (ch) => ch.codePointAt(0)!);
  const y = Array.from(b, (ch) => ch.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

function sortedEntries(entries: AnomalyDetectorKeyValue[]): AnomalyDetectorKeyValue[] {
  return [...entries].sort((a, b) => compareKeys(a.key, b.key));
}

/** Strings as they are; numbers and booleans as YAML wrote them; anything else is a problem. */
function stringify(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

function validationError(where: string, problems: Problem[], hint: string): DtctlError {
  const text = problems.map((p) => (p.path === "" ? p.message : `${p.path}: ${p.message}`)).join("; ");
  return new DtctlError("validation_error", `${where}: ${text}`, {
    hint,
    details: { field: problems[0].path, problems },
  });
}

const WRITE_HINT = `An anomaly detector needs title and analyzer.name (e.g. ${EXAMPLE_ANALYZER}); ` +
  "analyzer.input and eventTemplate are maps of string values (schema builtin:davis.anomaly-detectors).";

class Writer {
  readonly problems: Problem[] = [];

  problem(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  unknownFields(object: Json, allowed: string[], parent: string): void {
    for (const key of Object.keys(object)) {
      if (!allowed.includes(key)) {
        this.problem(fieldPath(parent, key), `unknown field (expected one of ${allowed.join(", ")})`);
      }
    }
  }

  text(value: unknown, path: string, options: { fallback?: string; min?: number; max: number }): string {
    if (absent(value) || (value === "" && options.fallback !== undefined)) {
      if (options.fallback !== undefined) return options.fallback;
      this.problem(path, "required");
      return "";
    }
    if (typeof value !== "string") {
      this.problem(path, `must be a string (got ${describe(value)})`);
      return "";
    }
    const min = options.min ?? 0;
    if (min > 0 && value.trim() === "") this.problem(path, "required");
    else if (value.length < min || value.length > options.max) {
      this.problem(
        path,
        min > 0
          ? `must be ${min} to ${options.max} characters (got ${value.length})`
          : `must be at most ${options.max} characters (got ${value.length})`,
      );
    }
    return value;
  }

  /** `analyzer.input` / `eventTemplate` given as a map, or in the API form as `[{key, value}]`. */
  entries(
    value: unknown,
    path: string,
    check: {
      key: (key: string, path: string) => void;
      value: (value: string, path: string) => void;
      max: number;
    },
  ): AnomalyDetectorKeyValue[] {
    if (absent(value)) return [];
    const out: AnomalyDetectorKeyValue[] = [];
    const add = (key: string, raw: unknown, keyPath: string, valuePath: string) => {
      check.key(key, keyPath);
      const text = stringify(raw);
      if (text === undefined) {
        this.problem(valuePath, `must be a string, number or boolean (got ${describe(raw)})`);
        return;
      }
      check.value(text, valuePath);
      out.push({ key, value: text });
    };
    if (Array.isArray(value)) {
      const seen = new Set<string>();
      value.forEach((item, i) => {
        const itemPath = `${path}[${i}]`;
        if (!isObject(item) || typeof item.key !== "string") {
          this.problem(itemPath, "must be a {key, value} entry");
          return;
        }
        if (seen.has(item.key)) this.problem(`${itemPath}.key`, `duplicate key ${JSON.stringify(item.key)}`);
        seen.add(item.key);
        add(item.key, item.value, `${itemPath}.key`, `${itemPath}.value`);
      });
    } else if (isObject(value)) {
      for (const [key, raw] of Object.entries(value)) {
        add(key, raw, fieldPath(path, key), fieldPath(path, key));
      }
    } else {
      this.problem(path, `must be a map of values (got ${describe(value)})`);
      return [];
    }
    if (out.length > check.max) {
      this.problem(path, `at most ${check.max} entries are allowed (got ${out.length})`);
    }
    return sortedEntries(out);
  }

  analyzer(value: unknown): AnomalyDetectorValue["analyzer"] {
    if (absent(value)) {
      this.problem("analyzer", "required");
      return { name: "", input: [] };
    }
    if (!isObject(value)) {
      this.problem("analyzer", `must be a mapping with name and input (got ${describe(value)})`);
      return { name: "", input: [] };
    }
    this.unknownFields(value, ANALYZER_FIELDS, "analyzer");
    const name = this.text(value.name, "analyzer.name", { min: 1, max: NAME_MAX });
    if (typeof value.name === "string" && value.name.trim() !== "" && !NAME_PATTERN.test(value.name)) {
      this.problem("analyzer.name", `must be a fully qualified analyzer name such as ${EXAMPLE_ANALYZER}`);
    }
    const input = this.entries(value.input, "analyzer.input", {
      max: INPUT_MAX_FIELDS,
      key: (key, path) => {
        if (!NAME_PATTERN.test(key) || key.length > NAME_MAX) {
          this.problem(
            path,
            "input field names start with a letter or _ and hold letters, digits, _, - and .",
          );
        }
      },
      value: (text, path) => {
        if (text === "") this.problem(path, "must not be empty");
        else if (text.length > INPUT_VALUE_MAX) {
          this.problem(path, `must be at most ${INPUT_VALUE_MAX} characters`);
        }
      },
    });
    return { name, input };
  }

  eventTemplate(value: unknown): AnomalyDetectorValue["eventTemplate"] {
    // The API form {properties: [...]} is accepted too; a map key named "properties" would have to hold a string.
    const apiForm = isObject(value) && Object.keys(value).length === 1 && Array.isArray(value.properties);
    const properties = this.entries(
      apiForm ? value.properties : value,
      apiForm ? "eventTemplate.properties" : "eventTemplate",
      {
        max: PROPERTY_MAX_FIELDS,
        key: (key, path) => {
          if (key.trim() === "" || key.length > PROPERTY_KEY_MAX || /[{}]/.test(key)) {
            this.problem(path, `event property keys are 1 to ${PROPERTY_KEY_MAX} characters without { or }`);
          }
        },
        value: (text, path) => {
          if (text.trim() === "") this.problem(path, "must not be blank");
          else if (text.length > PROPERTY_VALUE_MAX) {
            this.problem(
              path,
              `must be at most ${PROPERTY_VALUE_MAX} characters`,
            );
          }
        },
      },
    );
    return { properties };
  }

  executionSettings(value: unknown): AnomalyDetectorExecutionSettings {
    if (absent(value)) return {};
    if (!isObject(value)) {
      this.problem("executionSettings", `must be a mapping (got ${describe(value)})`);
      return {};
    }
    const { actor, queryOffset } = value;
    if (actor !== undefined && actor !== null && (typeof actor !== "string" || !UUID.test(actor))) {
      this.problem(
        "executionSettings.actor",
        `must be the UUID of the user or service user the queries run as (got ${describe(actor)})`,
      );
    }
    if (
      queryOffset !== undefined && queryOffset !== null &&
      (typeof queryOffset !== "number" || !Number.isInteger(queryOffset) || queryOffset < QUERY_OFFSET_MIN ||
        queryOffset > QUERY_OFFSET_MAX)
    ) {
      this.problem(
        "executionSettings.queryOffset",
        `must be a whole number of minutes from ${QUERY_OFFSET_MIN} to ${QUERY_OFFSET_MAX} (got ${
          describe(queryOffset)
        })`,
      );
    }
    // Fields of newer schema versions pass through; the server validates them.
    return { ...value };
  }
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return String(value);
}

/**
 * Converts the flattened manifest form into the settings value of `builtin:davis.anomaly-detectors`: defaults
 * filled in (`description` "", `enabled` true, `source` "dtctl", empty `input`, `eventTemplate` and
 * `executionSettings`), map values stringified, `analyzer.input` and `eventTemplate.properties` as `{key, value}`
 * lists sorted by key. `analyzer.input` and `eventTemplate.properties` may also be given in the API list form.
 *
 * @param input the parsed manifest fields.
 * @param where names the definition in error messages (e.g. `detectors/cpu.yaml`).
 * @throws DtctlError `validation_error` listing every problem by field path (`analyzer.name: required`), with
 * the problems in `details.problems`.
 */
export function flattenedToSettingsValue(input: unknown, where = "anomaly detector"): AnomalyDetectorValue {
  if (!isObject(input)) {
    throw validationError(
      where,
      [{ path: "", message: `must be a mapping (got ${describe(input)})` }],
      WRITE_HINT,
    );
  }
  const w = new Writer();
  w.unknownFields(input, FLAT_FIELDS, "");
  const title = w.text(input.title, "title", { min: TITLE_MIN, max: TITLE_MAX });
  const description = w.text(input.description, "description", { fallback: "", max: DESCRIPTION_MAX });
  let enabled = true;
  if (!absent(input.enabled)) {
    if (typeof input.enabled === "boolean") enabled = input.enabled;
    else w.problem("enabled", `must be true or false (got ${describe(input.enabled)})`);
  }
  const source = w.text(input.source, "source", {
    fallback: DEFAULT_ANOMALY_DETECTOR_SOURCE,
    min: 1,
    max: SOURCE_MAX,
  });
  const analyzer = w.analyzer(input.analyzer);
  const eventTemplate = w.eventTemplate(input.eventTemplate);
  const executionSettings = w.executionSettings(input.executionSettings);
  if (w.problems.length > 0) throw validationError(where, w.problems, WRITE_HINT);
  return { title, description, enabled, source, analyzer, eventTemplate, executionSettings };
}

const READ_HINT =
  "The detector has fields the flattened form cannot represent; manage it in the raw settings form (value: {...}).";

class Reader {
  constructor(private readonly where: string) {}

  fail(path: string, message: string): never {
    throw validationError(this.where, [{ path, message }], READ_HINT);
  }

  string(value: unknown, path: string, fallback?: string): string {
    if (absent(value) && fallback !== undefined) return fallback;
    if (typeof value !== "string") this.fail(path, `expected a string (got ${describe(value)})`);
    return value;
  }

  map(value: unknown, path: string): Record<string, string> {
    if (absent(value)) return {};
    if (!Array.isArray(value)) this.fail(path, `expected a list of {key, value} (got ${describe(value)})`);
    const entries: AnomalyDetectorKeyValue[] = [];
    value.forEach((item, i) => {
      if (!isObject(item) || typeof item.key !== "string") {
        this.fail(`${path}[${i}]`, "expected a {key, value} entry");
      }
      const text = stringify(item.value);
      if (text === undefined) {
        this.fail(`${path}[${i}].value`, `expected a string (got ${describe(item.value)})`);
      }
      if (entries.some((e) => e.key === item.key)) {
        this.fail(`${path}[${i}].key`, `duplicate key ${JSON.stringify(item.key)}`);
      }
      entries.push({ key: item.key, value: text });
    });
    // fromEntries defines own properties, so a key such as "__proto__" stays a key.
    return Object.fromEntries(sortedEntries(entries).map((entry) => [entry.key, entry.value]));
  }

  fields(object: Json, allowed: string[], parent: string): void {
    for (const key of Object.keys(object)) {
      if (!allowed.includes(key)) this.fail(fieldPath(parent, key), "unknown field");
    }
  }
}

/**
 * Converts a settings value of `builtin:davis.anomaly-detectors` into the flattened form, every field present
 * (missing ones get the defaults the writer uses), `analyzer.input` and `eventTemplate` as maps in key order.
 *
 * @param value the `value` of the settings object.
 * @param where names the object in error messages (e.g. its object id).
 * @throws DtctlError `validation_error` when the value has the wrong types, unknown fields or duplicate keys,
 * which the flattened form cannot hold without losing data.
 */
export function settingsValueToFlattened(
  value: unknown,
  where = "anomaly detector",
): FlattenedAnomalyDetector {
  // The explicit type lets `r.fail` (never) narrow `value` below.
  const r: Reader = new Reader(where);
  if (!isObject(value)) r.fail("", `expected a settings value object (got ${describe(value)})`);
  r.fields(value, FLAT_FIELDS, "");
  let enabled = true;
  if (!absent(value.enabled)) {
    if (typeof value.enabled !== "boolean") {
      r.fail("enabled", `expected true or false (got ${describe(value.enabled)})`);
    }
    enabled = value.enabled;
  }
  const analyzer = value.analyzer;
  if (!isObject(analyzer)) r.fail("analyzer", `expected an object (got ${describe(analyzer)})`);
  r.fields(analyzer, ANALYZER_FIELDS, "analyzer");
  let eventTemplate: Record<string, string> = {};
  if (!absent(value.eventTemplate)) {
    if (!isObject(value.eventTemplate)) {
      r.fail("eventTemplate", `expected an object (got ${describe(value.eventTemplate)})`);
    }
    r.fields(value.eventTemplate, ["properties"], "eventTemplate");
    eventTemplate = r.map(value.eventTemplate.properties, "eventTemplate.properties");
  }
  let executionSettings: AnomalyDetectorExecutionSettings = {};
  if (!absent(value.executionSettings)) {
    if (!isObject(value.executionSettings)) {
      r.fail("executionSettings", `expected an object (got ${describe(value.executionSettings)})`);
    }
    executionSettings = { ...value.executionSettings };
  }
  return {
    title: r.string(value.title, "title"),
    description: r.string(value.description, "description", ""),
    enabled,
    source: r.string(value.source, "source", DEFAULT_ANOMALY_DETECTOR_SOURCE),
    analyzer: {
      name: r.string(analyzer.name, "analyzer.name"),
      input: r.map(analyzer.input, "analyzer.input"),
    },
    eventTemplate,
    executionSettings,
  };
}

/**
 * True when `x` has the shape of the flattened form (a mapping with `title` or `analyzer` and no settings
 * envelope fields `value` / `schemaId`). It does not validate: {@link flattenedToSettingsValue} reports what
 * is wrong, field by field.
 */
export function isFlattenedAnomalyDetector(x: unknown): x is Record<string, unknown> {
  return isObject(x) && !("value" in x) && !("schemaId" in x) && ("title" in x || "analyzer" in x);
}

/**
 * The canonical form of a settings value read from the server (entries sorted by key, defaults filled in), for
 * comparing it with {@link flattenedToSettingsValue} of a manifest.
 *
 * @throws DtctlError `validation_error` as {@link settingsValueToFlattened} and {@link flattenedToSettingsValue}.
 */
export function normalizeAnomalyDetectorValue(
  value: unknown,
  where = "anomaly detector",
): AnomalyDetectorValue {
  return flattenedToSettingsValue(settingsValueToFlattened(value, where), where);
}
