/**
 * Field validation for JSON bodies: each check names the JSON path of the offending field in the 400.
 *
 * @module
 */

import { bodyError } from "./errors.ts";

/** Constraints of a string field. */
export interface StringRule {
  /** Reject absence (and `null`). */
  required?: boolean;
  /** Minimum length. */
  min?: number;
  /** Maximum length. */
  max?: number;
  /** Pattern the value must match. */
  pattern?: RegExp;
}

/** A string field of `body`, or `undefined` when absent and optional. */
export function stringField(
  body: Record<string, unknown>,
  key: string,
  rule: StringRule = {},
  path = key,
): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) {
    if (rule.required) throw bodyError(`'${path}' is required.`, path);
    return undefined;
  }
  if (typeof value !== "string") throw bodyError(`'${path}' must be a string.`, path);
  if (rule.min !== undefined && value.length < rule.min) {
    throw bodyError(`'${path}' must have at least ${rule.min} characters.`, path);
  }
  if (rule.max !== undefined && value.length > rule.max) {
    throw bodyError(`'${path}' must have at most ${rule.max} characters.`, path);
  }
  if (rule.pattern && !rule.pattern.test(value)) {
    throw bodyError(`'${path}' does not match ${rule.pattern.source}.`, path);
  }
  return value;
}

/** A boolean field of `body`, or `undefined` when absent and optional. */
export function booleanField(
  body: Record<string, unknown>,
  key: string,
  required = false,
  path = key,
): boolean | undefined {
  const value = body[key];
  if (value === undefined || value === null) {
    if (required) throw bodyError(`'${path}' is required.`, path);
    return undefined;
  }
  if (typeof value !== "boolean") throw bodyError(`'${path}' must be a boolean.`, path);
  return value;
}

/** Constraints of an integer field. */
export interface IntRule {
  /** Reject absence (and `null`). */
  required?: boolean;
  /** Minimum value. */
  min?: number;
  /** Maximum value. */
  max?: number;
}

/** An integer field of `body`, or `undefined` when absent and optional. */
export function intField(
  body: Record<string, unknown>,
  key: string,
  rule: IntRule = {},
  path = key,
): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) {
    if (rule.required) throw bodyError(`'${path}' is required.`, path);
    return undefined;
  }
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw bodyError(`'${path}' must be an integer.`, path);
  }
  if (rule.min !== undefined && value < rule.min) {
    throw bodyError(`'${path}' must be at least ${rule.min}.`, path);
  }
  if (rule.max !== undefined && value > rule.max) {
    throw bodyError(`'${path}' must be at most ${rule.max}.`, path);
  }
  return value;
}

/** True for a plain JSON object. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
