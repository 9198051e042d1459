/**
 * The manifest envelope:
 *
 * ```yaml
 * apiVersion: dtctl/v1
 * kind: Workflow            # one of MANIFEST_KINDS, case-sensitive
 * metadata:
 *   name: nightly-report    # the stable key within the repository (see names.ts for the rule)
 *   labels: {team: sre}     # optional, string → string
 *   annotations: {}         # optional, string → string
 * spec: {...}               # the API payload without server-managed fields
 * ```
 *
 * Any other top-level or metadata key is a problem, and so is a server-managed field in `spec` (it would
 * never match the live object and is not portable between environments).
 *
 * @module
 */

import {
  describePath,
  isManifestKind,
  isObject,
  KIND_RULES,
  MANIFEST_KINDS,
  type ManifestKind,
} from "./kinds.ts";
import { didYouMean, isValidName, slugify } from "./names.ts";
import type { Problems } from "./problems.ts";
import type { NodeLocator } from "./source.ts";
import { MANIFEST_API_VERSION } from "./types.ts";

/** The parts of a valid envelope. */
export interface Envelope {
  /** The kind. */
  kind: ManifestKind;
  /** `metadata.name`. */
  name: string;
  /** `metadata.labels`. */
  labels: Record<string, string>;
  /** `metadata.annotations`. */
  annotations: Record<string, string>;
  /** `spec` (a copy the caller may change). */
  spec: Record<string, unknown>;
}

const TOP_LEVEL_KEYS = ["apiVersion", "kind", "metadata", "spec"];
const METADATA_KEYS = ["name", "labels", "annotations"];

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "a mapping" : `a ${typeof value}`;
}

/** The name rule in words, for messages. */
export const NAME_RULE_TEXT =
  "1-128 characters of a-z, 0-9, '.', '_' and '-', starting and ending with a letter or digit";

/** The problem text for an invalid `metadata.name`, with a suggestion when one can be made. */
export function invalidNameMessage(name: string): string {
  const suggestion = slugify(name);
  const hint = suggestion !== undefined && suggestion !== name ? ` (for example "${suggestion}")` : "";
  return `metadata.name "${name}" is invalid: use ${NAME_RULE_TEXT}${hint}`;
}

function stringMap(
  value: unknown,
  field: string,
  locator: NodeLocator,
  problems: Problems,
): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) {
    problems.add(
      locator.locate(["metadata", field]),
      `metadata.${field} must be a mapping of strings, not ${describeType(value)}`,
    );
    return {};
  }
  const map: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry === "string") map[key] = entry;
    else {
      problems.add(
        locator.locate(["metadata", field, key]),
        `metadata.${field}.${key} must be a string, not ${describeType(entry)}; quote it`,
      );
    }
  }
  return map;
}

function unknownKeys(
  object: Record<string, unknown>,
  known: readonly string[],
  prefix: string[],
  locator: NodeLocator,
  problems: Problems,
): void {
  for (const key of Object.keys(object)) {
    if (known.includes(key)) continue;
    const where = prefix.length === 0 ? "at the top level" : `in ${prefix.join(".")}`;
    problems.add(
      locator.locateKey([...prefix, key]),
      `unknown field "${key}" ${where}; allowed: ${known.join(", ")}.${didYouMean(key, known)}`,
    );
  }
}

function parseKind(value: unknown, locator: NodeLocator, problems: Problems): ManifestKind | undefined {
  if (value === undefined || value === null) {
    problems.add(locator.locate(["kind"]), `kind is required: one of ${MANIFEST_KINDS.join(", ")}`);
    return undefined;
  }
  if (isManifestKind(value)) return value;
  const text = typeof value === "string" ? value : JSON.stringify(value);
  problems.add(
    locator.locate(["kind"]),
    `unknown kind "${text}"; known kinds: ${MANIFEST_KINDS.join(", ")}.` +
      (typeof value === "string" ? didYouMean(value, MANIFEST_KINDS) : ""),
  );
  return undefined;
}

function parseName(
  metadata: Record<string, unknown>,
  locator: NodeLocator,
  problems: Problems,
): string | undefined {
  const name = metadata.name;
  if (name === undefined || name === null) {
    problems.add(locator.locate(["metadata", "name"]), "metadata.name is required");
    return undefined;
  }
  if (typeof name !== "string") {
    problems.add(
      locator.locate(["metadata", "name"]),
      `metadata.name must be a string, not ${describeType(name)}`,
    );
    return undefined;
  }
  if (!isValidName(name)) {
    problems.add(locator.locate(["metadata", "name"]), invalidNameMessage(name));
    return undefined;
  }
  return name;
}

function checkServerFields(
  kind: ManifestKind,
  spec: Record<string, unknown>,
  locator: NodeLocator,
  problems: Problems,
) {
  for (const field of KIND_RULES[kind].serverFields) {
    if (spec[field] === undefined) continue;
    problems.add(
      locator.locate(["spec", field]),
      `${
        describePath(["spec", field])
      } is managed by the server; remove it (the object is identified by metadata.name)`,
    );
  }
}

/**
 * Checks an envelope document (one that has `apiVersion`) and returns its parts, or undefined when the kind,
 * name or spec is unusable. Every problem is recorded, also when parts are returned.
 */
export function parseEnvelope(
  value: Record<string, unknown>,
  locator: NodeLocator,
  problems: Problems,
): Envelope | undefined {
  if (value.apiVersion !== MANIFEST_API_VERSION) {
    problems.add(
      locator.locate(["apiVersion"]),
      `unsupported apiVersion ${
        JSON.stringify(value.apiVersion)
      }; this release reads "${MANIFEST_API_VERSION}"`,
    );
  }
  unknownKeys(value, TOP_LEVEL_KEYS, [], locator, problems);
  const kind = parseKind(value.kind, locator, problems);
  let name: string | undefined;
  let labels: Record<string, string> = {};
  let annotations: Record<string, string> = {};
  if (!isObject(value.metadata)) {
    problems.add(
      locator.locate(["metadata"]),
      value.metadata === undefined
        ? "metadata is required (with metadata.name)"
        : `metadata must be a mapping, not ${describeType(value.metadata)}`,
    );
  } else {
    unknownKeys(value.metadata, METADATA_KEYS, ["metadata"], locator, problems);
    name = parseName(value.metadata, locator, problems);
    labels = stringMap(value.metadata.labels, "labels", locator, problems);
    annotations = stringMap(value.metadata.annotations, "annotations", locator, problems);
  }
  if (!isObject(value.spec)) {
    problems.add(
      locator.locate(["spec"]),
      value.spec === undefined || value.spec === null
        ? "spec is required (the object's API payload)"
        : `spec must be a mapping, not ${describeType(value.spec)}`,
    );
    return undefined;
  }
  if (kind === undefined || name === undefined) return undefined;
  checkServerFields(kind, value.spec, locator, problems);
  return { kind, name, labels, annotations, spec: { ...value.spec } };
}
