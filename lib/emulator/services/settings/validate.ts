/**
 * Validates a settings value against its schema: required (non-nullable, no default) properties, property
 * types, enums, `$ref` types, lists and sets, length constraints and unknown properties. Absent properties
 * with a default get the default, as the platform stores them; absent optional collections become empty.
 *
 * @module
 */

import type { ConstraintViolation } from "../../envelope.ts";
import { isObject } from "../../http/validate.ts";
import type { PropertyDefinition, PropertyType, SettingsSchema } from "./schemas.ts";

/** The value with defaults filled in, or the violations found. */
export type Validation =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; violations: ConstraintViolation[] };

/** Validates a top-level value. */
export function validateValue(schema: SettingsSchema, value: unknown): Validation {
  const violations: ConstraintViolation[] = [];
  if (!isObject(value)) {
    return {
      ok: false,
      violations: [{ path: "value", message: "must be a JSON object", parameterLocation: "PAYLOAD_BODY" }],
    };
  }
  const result = checkObject(schema, schema.properties, value, "", violations);
  return violations.length > 0 ? { ok: false, violations } : { ok: true, value: result };
}

function checkObject(
  schema: SettingsSchema,
  properties: Record<string, PropertyDefinition>,
  value: Record<string, unknown>,
  prefix: string,
  violations: ConstraintViolation[],
): Record<string, unknown> {
  const add = (path: string, message: string) =>
    violations.push({ path, message, parameterLocation: "PAYLOAD_BODY" });
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(properties, key)) add(prefix + key, `Unknown property '${key}'.`);
  }
  for (const [key, definition] of Object.entries(properties)) {
    const path = prefix + key;
    const given = value[key];
    if (given === undefined || given === null) {
      const collection = definition.type === "list" || definition.type === "set";
      if (definition.default !== undefined) out[key] = structuredClone(definition.default);
      // An absent collection is an empty one unless it must have elements.
      else if (collection && !(definition.minObjects! > 0)) out[key] = [];
      else if (!definition.nullable) add(path, "Required property is missing.");
      else if (given === null) out[key] = null;
      continue;
    }
    if (definition.type === "list" || definition.type === "set") {
      if (!Array.isArray(given)) {
        add(path, `must be a ${definition.type}`);
        continue;
      }
      if (definition.minObjects !== undefined && given.length < definition.minObjects) {
        add(path, `must have at least ${definition.minObjects} element(s)`);
      }
      if (given.length > definition.maxObjects) {
        add(path, `must have at most ${definition.maxObjects} elements`);
      }
      const items = given.map((item, i) =>
        checkScalar(schema, definition.items!.type, definition, item, `${path}[${i}]`, violations)
      );
      if (
        definition.type === "set" && new Set(items.map((item) => JSON.stringify(item))).size !== items.length
      ) {
        add(path, "must not contain duplicates");
      }
      out[key] = items;
      continue;
    }
    out[key] = checkScalar(schema, definition.type, definition, given, path, violations);
  }
  return out;
}

function checkScalar(
  schema: SettingsSchema,
  type: PropertyType,
  definition: PropertyDefinition,
  value: unknown,
  path: string,
  violations: ConstraintViolation[],
): unknown {
  const add = (message: string) => violations.push({ path, message, parameterLocation: "PAYLOAD_BODY" });
  if (typeof type === "object") {
    const [, kind, name] = /^#\/(types|enums)\/(.+)$/.exec(type.$ref) ?? [];
    if (kind === "enums") {
      const allowed = schema.enums[name]?.items.map((item) => item.value) ?? [];
      if (typeof value !== "string" || !allowed.includes(value)) add(`must be one of ${allowed.join(", ")}`);
      return value;
    }
    const complex = schema.types[name];
    if (!complex) throw new Error(`Schema ${schema.schemaId} references unknown type ${type.$ref}.`);
    if (!isObject(value)) {
      add("must be an object");
      return value;
    }
    return checkObject(schema, complex.properties, value, `${path}.`, violations);
  }
  switch (type) {
    case "text":
    case "secret": {
      if (typeof value !== "string") {
        add("must be a string");
        return value;
      }
      for (const constraint of definition.constraints ?? []) {
        if (constraint.type === "NOT_BLANK" && value.trim() === "") add("must not be blank");
        if (constraint.type === "LENGTH") {
          if (constraint.minLength !== undefined && value.length < constraint.minLength) {
            add(`must have at least ${constraint.minLength} characters`);
          }
          if (constraint.maxLength !== undefined && value.length > constraint.maxLength) {
            add(`must have at most ${constraint.maxLength} characters`);
          }
        }
      }
      return value;
    }
    case "boolean":
      if (typeof value !== "boolean") add("must be a boolean");
      return value;
    case "integer":
      if (typeof value !== "number" || !Number.isInteger(value)) add("must be an integer");
      return value;
    case "float":
      if (typeof value !== "number" || !Number.isFinite(value)) add("must be a number");
      return value;
    default:
      throw new Error(`Schema ${schema.schemaId} uses unsupported property type ${type}.`);
  }
}

/** The summary of a value from the schema's `{property}` pattern. */
export function summaryOf(schema: SettingsSchema, value: Record<string, unknown>): string {
  return schema.summaryPattern.replace(/\{([^}]+)\}/g, (_, key: string) => {
    const v = value[key];
    return v === undefined || v === null ? "" : typeof v === "string" ? v : JSON.stringify(v);
  });
}
