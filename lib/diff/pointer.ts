/**
 * RFC 6901 JSON Pointers: building, parsing and a deterministic order for them.
 *
 * @module
 */

import { DtctlError } from "../errors/mod.ts";
import { compareCodePoints } from "./canonical.ts";

/** Escapes one reference token (`~` → `~0`, `/` → `~1`; in that order, so `~1` in a key stays a key). */
export function escapePointerSegment(segment: string): string {
  return segment.replaceAll("~", "~0").replaceAll("/", "~1");
}

/** Builds a pointer from unescaped segments; `[]` is the whole document (`""`). */
export function formatPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => `/${escapePointerSegment(String(s))}`).join("");
}

/**
 * Splits a pointer into unescaped segments.
 *
 * @throws DtctlError `validation_error` for a pointer that does not start with `/` or has a `~` not followed by
 *   0 or 1 (RFC 6901 section 3), since guessing would silently address another field.
 */
export function parsePointer(pointer: string): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/") || /~(?![01])/.test(pointer)) {
    throw new DtctlError("validation_error", `Invalid JSON Pointer ${JSON.stringify(pointer)}.`, {
      hint: 'A JSON Pointer is "" or "/"-separated segments with "~" written as "~0" and "/" as "~1".',
      details: { pointer },
    });
  }
  // ~1 before ~0: "~01" is the key "~1", not "/".
  return pointer.slice(1).split("/").map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"));
}

const ARRAY_INDEX = /^(?:0|[1-9][0-9]*)$/;

/**
 * Orders two pointers segment by segment: a parent before its children; segments that look like array indices
 * before other segments and among themselves numerically (so `/a/2` precedes `/a/10`); other segments by code
 * point. A total order, so sorting is deterministic whatever order the pointers arrived in.
 */
export function comparePointers(a: string, b: string): number {
  if (a === b) return 0;
  const x = parsePointer(a);
  const y = parsePointer(b);
  const length = Math.min(x.length, y.length);
  for (let i = 0; i < length; i++) {
    const order = compareSegments(x[i], y[i]);
    if (order !== 0) return order;
  }
  return x.length - y.length;
}

function compareSegments(a: string, b: string): number {
  if (a === b) return 0;
  const aIndex = ARRAY_INDEX.test(a);
  const bIndex = ARRAY_INDEX.test(b);
  // Indices first as a group: mixing numeric and code-point comparison pairwise would not be transitive.
  if (aIndex !== bIndex) return aIndex ? -1 : 1;
  if (aIndex) return a.length !== b.length ? a.length - b.length : compareCodePoints(a, b);
  return compareCodePoints(a, b);
}
