/**
 * Canonical form of JSON-like data: the one shape every comparison, patch, diff and saved plan is computed
 * from, so that the same inputs always produce byte-identical output whatever order keys arrived in.
 *
 * @module
 */

import { DtctlError } from "../errors/mod.ts";

/**
 * Compares two strings by Unicode code point, for sort callbacks.
 *
 * `<` and `localeCompare` are not usable: the first compares UTF-16 code units (which puts U+FF00 after
 * U+10000) and the second depends on the ICU data and locale of the machine, so two runners could order the
 * same keys differently.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

// Remaps a UTF-16 code unit so that unit order equals code-point order at the first differing unit: surrogates
// (code points above U+FFFF) must sort after U+E000..U+FFFF, which in UTF-16 sit above them.
function codePointRank(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800;
  if (unit >= 0xd800) return unit + 0x2000;
  return unit;
}

// Members JSON cannot represent; JSON.stringify drops them from objects and writes null in arrays.
function isAbsent(value: unknown): boolean {
  return value === undefined || typeof value === "function" || typeof value === "symbol";
}

/**
 * Deep copy with object keys sorted by code point, `undefined` members dropped and arrays kept in order.
 *
 * Numbers, strings, booleans and null are returned unchanged. Follows JSON's rules for what JSON cannot
 * represent, because canonical values end up as JSON (saved plans) and YAML (diffs): `undefined`, functions and
 * symbols are dropped from objects and become `null` inside arrays, and objects with `toJSON` (dates) are
 * replaced by its result.
 *
 * @throws DtctlError `validation_error` when the value contains a cycle (YAML anchors can build one), because
 *   a cyclic object has no finite canonical form.
 */
export function canonicalize<T>(value: T): T {
  const stack = new Set<object>();
  const walk = (v: unknown): unknown => {
    if (v === null || typeof v !== "object") return v;
    const json = (v as { toJSON?: unknown }).toJSON;
    if (typeof json === "function") return walk(json.call(v));
    if (stack.has(v)) {
      throw new DtctlError("validation_error", "Cannot canonicalize a value that contains a cycle.", {
        hint: "Remove the self-referencing YAML anchor/alias from the manifest.",
      });
    }
    stack.add(v);
    try {
      if (Array.isArray(v)) return v.map((item) => isAbsent(item) ? null : walk(item));
      const out: Record<string, unknown> = {};
      const source = v as Record<string, unknown>;
      for (const key of Object.keys(source).sort(compareCodePoints)) {
        const member = source[key];
        if (isAbsent(member)) continue;
        // defineProperty, not assignment: a `"__proto__"` key must stay data instead of replacing the prototype.
        Object.defineProperty(out, key, {
          value: walk(member),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    } finally {
      stack.delete(v);
    }
  };
  return walk(value) as T;
}

/** True when two scalars are the same JSON value (0 and -0 are; NaN equals NaN so equality stays reflexive). */
export function sameScalar(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === "number" && typeof b === "number" && Number.isNaN(a) && Number.isNaN(b));
}

/** True for a non-null object that is not an array: a JSON object once canonicalized. */
export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

// Structural equality of two canonical values.
function equalCanonical(a: unknown, b: unknown): boolean {
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => equalCanonical(item, b[i]));
  }
  if (isPlainRecord(a)) {
    if (!isPlainRecord(b)) return false;
    const keys = Object.keys(a);
    // Canonical objects have sorted keys, so equal key sets mean equal key lists.
    const otherKeys = Object.keys(b);
    if (keys.length !== otherKeys.length || keys.some((k, i) => k !== otherKeys[i])) return false;
    return keys.every((k) => equalCanonical(a[k], b[k]));
  }
  return sameScalar(a, b);
}

/**
 * Canonical deep equality: true when both values have the same canonical form, i.e. they differ at most in key
 * order, `undefined` members or -0 versus 0. Used to detect unchanged resources.
 */
export function semanticEqual(a: unknown, b: unknown): boolean {
  return equalCanonical(canonicalize(a), canonicalize(b));
}
