/**
 * RFC 6902 JSON Patch between two objects, in a deterministic order that applies correctly.
 *
 * @module
 */

import jsonpatch from "fast-json-patch";
import type { Operation } from "fast-json-patch";
import { DtctlError } from "../errors/mod.ts";
import type { JsonPatchOperation } from "../plan/types.ts";
import { canonicalize, isPlainRecord, semanticEqual } from "./canonical.ts";
import { comparePointers } from "./pointer.ts";

const { compare } = jsonpatch;

// Phase of an operation in the output; see jsonPatch for why this order is safe.
const PHASE: Record<JsonPatchOperation["op"], number> = {
  test: 0,
  remove: 1,
  replace: 2,
  move: 3,
  copy: 3,
  add: 4,
};

/**
 * The RFC 6902 patch turning `before` (live) into `after` (desired), computed by fast-json-patch `compare` on
 * canonical copies.
 *
 * **Ordering rule.** Operations are sorted by phase, then by pointer ({@link comparePointers}: array indices
 * numerically):
 * 1. `remove`, pointers in *descending* order, so array elements go from the highest index down and no removal
 *    shifts an index a later operation uses;
 * 2. `replace`, ascending (they never change a container's shape);
 * 3. `add`, ascending, so appended array elements arrive lowest index first and each lands at the current end.
 *
 * This is correct for what `compare` emits: per array it either appends (new is longer) or trims the tail (new is
 * shorter), never both, and it only recurses into elements below the common length, which tail operations on
 * the same array cannot shift. Object members are independent of each other.
 *
 * Values whose roots cannot be patched member-wise (scalars, or object ↔ array) become one `replace` of the
 * whole document (`""`); equal values give `[]`. `undefined` means "absent", as in `diffObjects`: from
 * absent it is one `add` at `""` (create), to absent one `remove` at `""` (delete).
 */
export function jsonPatch(before: unknown, after: unknown): JsonPatchOperation[] {
  const a = canonicalize(before);
  const b = canonicalize(after);
  if (semanticEqual(a, b)) return [];
  if (a === undefined) return [{ op: "add", path: "", value: b }];
  if (b === undefined) return [{ op: "remove", path: "" }];
  const sameContainer = (Array.isArray(a) && Array.isArray(b)) || (isPlainRecord(a) && isPlainRecord(b));
  if (!sameContainer) return [{ op: "replace", path: "", value: b }];
  const ops = compare(a as object, b as object) as JsonPatchOperation[];
  return ops.sort((x, y) => {
    const phase = PHASE[x.op] - PHASE[y.op];
    if (phase !== 0) return phase;
    const order = comparePointers(x.path, y.path);
    return x.op === "remove" ? -order : order;
  });
}

/**
 * Applies a patch to a deep copy of `document` (the input is not modified) and returns the result, validating
 * each operation first. The counterpart of {@link jsonPatch} for applying saved plans.
 *
 * @throws DtctlError `validation_error` naming the failing operation when the patch does not fit the document
 *   (e.g. the live object moved since the plan was made).
 */
export function applyJsonPatch(document: unknown, patch: readonly JsonPatchOperation[]): unknown {
  try {
    const ops = jsonpatch.deepClone(patch) as Operation[];
    return jsonpatch.applyPatch(jsonpatch.deepClone(document), ops, true).newDocument;
  } catch (error) {
    const index = (error as { index?: number }).index;
    const op = index === undefined ? undefined : patch[index];
    throw new DtctlError(
      "validation_error",
      `JSON Patch does not apply${
        op ? ` at operation ${index} (${op.op} ${JSON.stringify(op.path)})` : ""
      }: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`,
      {
        hint: "The object changed since the plan was made; plan again.",
        details: { index, operation: op },
        cause: error,
      },
    );
  }
}
