/**
 * Query-parameter parsing with platform-style 400s.
 *
 * Each helper names the parameter in the constraint violation, so a client sees which parameter was wrong.
 *
 * @module
 */

import { queryError } from "./errors.ts";

/** Bounds and defaults for {@link intParam}. */
export interface IntParamOptions {
  /** Smallest accepted value. */
  min?: number;
  /** Largest accepted value. */
  max?: number;
  /** Throw a 400 when the parameter is absent. */
  required?: boolean;
}

/** An integer query parameter, or `undefined` when absent and not required. */
export function intParam(url: URL, name: string, options: IntParamOptions = {}): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === "") {
    if (options.required) throw queryError(`Query parameter '${name}' is required.`, name);
    return undefined;
  }
  if (!/^-?\d{1,15}$/.test(raw.trim())) {
    throw queryError(`Query parameter '${name}' must be an integer, got '${raw}'.`, name);
  }
  const value = Number(raw.trim());
  if (options.min !== undefined && value < options.min) {
    throw queryError(`Query parameter '${name}' must be at least ${options.min}, got ${value}.`, name);
  }
  if (options.max !== undefined && value > options.max) {
    throw queryError(`Query parameter '${name}' must be at most ${options.max}, got ${value}.`, name);
  }
  return value;
}

/** A boolean query parameter (`true`/`false`), or `undefined` when absent. */
export function boolParam(url: URL, name: string): boolean | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === "") return undefined;
  const lower = raw.toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  throw queryError(`Query parameter '${name}' must be 'true' or 'false', got '${raw}'.`, name);
}

/**
 * The values of a list parameter: repeated keys (`add-fields=A&add-fields=B`, the filter-segment and bucket
 * style) and comma-joined values (`add-fields=a,b`, the document style) are both accepted.
 */
export function listParam(url: URL, name: string): string[] {
  return url.searchParams.getAll(name)
    .flatMap((value) => value.split(","))
    .map((value) => value.trim())
    .filter((value) => value.length > 0);
}

/** The required `optimistic-locking-version` of platform writes: a non-negative integer. */
export function lockingVersion(url: URL, name = "optimistic-locking-version"): number {
  return intParam(url, name, { required: true, min: 0 }) as number;
}
