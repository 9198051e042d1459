/**
 * Stored filter segments, their validation and rendering.
 *
 * @module
 */

import { bodyError, queryError } from "../../http/errors.ts";
import { booleanField, isObject, stringField } from "../../http/validate.ts";
import type { EmulatorStore } from "../../types.ts";

/** Base path of the filter-segment service. */
export const SEGMENTS_BASE = "/platform/storage/filter-segments/v1";

/** A segment include: which data object it filters and how. */
export interface Include {
  dataObject: string;
  /** A stringified filter AST (not DQL). */
  filter: string;
  applyTo?: string[];
  relationship?: { name: string; target: string };
}

/** A segment's variable definition. */
export interface Variables {
  type: string;
  value: string;
}

/** A stored segment. */
export interface SegmentRecord {
  uid: string;
  name: string;
  description: string | null;
  isPublic: boolean;
  owner: string;
  externalId: string | null;
  variables: Variables | null;
  includes: Include[];
  version: number;
  /** Provided by Dynatrace; read-only for everybody. */
  isReadyMade: boolean;
}

/** The segments collection. */
export function segments(store: EmulatorStore): Map<string, SegmentRecord> {
  return store.collection<SegmentRecord>("filterSegments");
}

/** Most includes per segment. */
export const MAX_INCLUDES = 20;
/** Longest include filter. */
export const MAX_FILTER_LENGTH = 18_000;

/** Operators the filter AST may not use, with the platform's reason. */
const REJECTED_OPERATORS: Record<string, string> = {
  "==": 'Unsupported operator value: [==]. Only "=" is allowed.',
};

function checkAst(node: unknown, path: string, at: string): void {
  if (Array.isArray(node)) {
    node.forEach((child, i) => checkAst(child, `${path}[${i}]`, at));
    return;
  }
  if (!isObject(node)) return;
  if (node.type === "Statement") {
    const operator = node.operator;
    if (!isObject(operator) || typeof operator.value !== "string") {
      throw bodyError(
        "The filter provided in the filter-segment as include is malformed",
        `${path}.operator`,
      );
    }
    const reason = Object.hasOwn(REJECTED_OPERATORS, operator.value)
      ? REJECTED_OPERATORS[operator.value]
      : undefined;
    if (reason) throw bodyError(reason, `${path}.operator.value`);
    if (!isObject(node.key)) {
      throw bodyError("The filter provided in the filter-segment as include is malformed", `${path}.key`);
    }
  }
  for (const [key, child] of Object.entries(node)) {
    if (key === "children") checkAst(child, `${path}.children`, at);
  }
}

/** Validates an include filter: empty, or a JSON filter AST whose statements use supported operators. */
function checkFilter(filter: string, at: string): void {
  if (filter.length > MAX_FILTER_LENGTH) {
    throw bodyError(`A filter may have at most ${MAX_FILTER_LENGTH} characters.`, at);
  }
  if (filter.trim() === "") return;
  let ast: unknown;
  try {
    ast = JSON.parse(filter);
  } catch {
    throw bodyError("The filter provided in the filter-segment as include is malformed", at);
  }
  if (!isObject(ast) || typeof ast.type !== "string") {
    throw bodyError("The filter provided in the filter-segment as include is malformed", at);
  }
  checkAst(ast, "$", at);
}

/** Validated `includes`. */
export function parseIncludes(value: unknown): Include[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw bodyError("'includes' must be an array.", "includes");
  if (value.length > MAX_INCLUDES) {
    throw bodyError(`At most ${MAX_INCLUDES} includes are allowed.`, "includes");
  }
  return value.map((item, i) => {
    const at = `includes[${i}]`;
    if (!isObject(item)) throw bodyError("An include must be an object.", at);
    const dataObject = stringField(item, "dataObject", { required: true, min: 1 }, `${at}.dataObject`)!;
    const filter = stringField(item, "filter", { required: true }, `${at}.filter`)!;
    checkFilter(filter, `${at}.filter`);
    const include: Include = { dataObject, filter };
    if (item.applyTo !== undefined && item.applyTo !== null) {
      if (!Array.isArray(item.applyTo) || item.applyTo.some((a) => typeof a !== "string")) {
        throw bodyError("'applyTo' must be an array of strings.", `${at}.applyTo`);
      }
      include.applyTo = item.applyTo as string[];
    }
    if (item.relationship !== undefined && item.relationship !== null) {
      const rel = item.relationship;
      if (!isObject(rel)) throw bodyError("'relationship' must be an object.", `${at}.relationship`);
      include.relationship = {
        name: stringField(rel, "name", { required: true, min: 1 }, `${at}.relationship.name`)!,
        target: stringField(rel, "target", { required: true, min: 1 }, `${at}.relationship.target`)!,
      };
    }
    return include;
  });
}

/** Validated `variables`. */
export function parseVariables(value: unknown): Variables | null {
  if (value === undefined || value === null) return null;
  if (!isObject(value)) throw bodyError("'variables' must be an object.", "variables");
  return {
    type: stringField(value, "type", { required: true, min: 1 }, "variables.type")!,
    value: stringField(value, "value", { required: true }, "variables.value")!,
  };
}

/** The writable fields of a segment body; `partial` leaves absent fields undefined. */
export interface SegmentFields {
  name?: string;
  description?: string | null;
  isPublic?: boolean;
  externalId?: string | null;
  variables?: Variables | null;
  includes?: Include[];
}

/** Validates a create/replace body (`partial` for PATCH: nothing required, absent fields untouched). */
export function parseSegmentBody(body: Record<string, unknown>, partial: boolean): SegmentFields {
  const has = (key: string) => !partial || Object.hasOwn(body, key);
  const fields: SegmentFields = {};
  if (has("name")) fields.name = stringField(body, "name", { required: !partial, min: 1, max: 200 });
  if (has("isPublic")) fields.isPublic = booleanField(body, "isPublic", !partial);
  if (has("description")) fields.description = stringField(body, "description", { max: 1000 }) ?? null;
  if (has("externalId")) fields.externalId = stringField(body, "externalId", { min: 1, max: 500 }) ?? null;
  if (has("variables")) fields.variables = parseVariables(body.variables);
  if (has("includes")) fields.includes = parseIncludes(body.includes);
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as SegmentFields;
}

/** `add-fields` values, validated against the endpoint's allowed set (upper-case enums). */
export function segmentAddFields(url: URL, allowed: readonly string[]): Set<string> {
  const values = url.searchParams.getAll("add-fields").flatMap((v) => v.split(",")).map((v) => v.trim());
  for (const value of values) {
    if (!allowed.includes(value)) {
      throw queryError(`Unknown add-fields value '${value}'. Allowed: ${allowed.join(", ")}.`, "add-fields");
    }
  }
  return new Set(values);
}

/** Operations the user may perform on a segment. */
export function allowedOperations(segment: SegmentRecord, userId: string): string[] {
  if (segment.isReadyMade) return ["READ"];
  return segment.owner === userId ? ["READ", "WRITE", "DELETE", "SHARE"] : ["READ"];
}

/** Renders a segment: the base fields plus those named in `fields`. */
export function renderSegment(
  segment: SegmentRecord,
  userId: string,
  fields: Set<string>,
  options: { lean?: boolean } = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = { uid: segment.uid, name: segment.name };
  if (!options.lean) {
    if (segment.description !== null) out.description = segment.description;
    out.owner = segment.owner;
    out.version = segment.version;
  } else if (fields.has("OWNER")) {
    out.owner = segment.owner;
  }
  out.isPublic = segment.isPublic;
  out.isReadyMade = segment.isReadyMade;
  if (fields.has("EXTERNALID") && segment.externalId !== null) out.externalId = segment.externalId;
  if (fields.has("VARIABLES") && segment.variables !== null) out.variables = segment.variables;
  if (fields.has("INCLUDES")) out.includes = segment.includes;
  if (fields.has("RESOURCECONTEXT")) out.allowedOperations = allowedOperations(segment, userId);
  return out;
}
