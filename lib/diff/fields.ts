/**
 * Field-level changes between two objects, addressed by JSON Pointer: what the plan shows per resource.
 *
 * @module
 */

import type { FieldChange } from "../plan/types.ts";
import { canonicalize, isPlainRecord, sameScalar } from "./canonical.ts";
import { comparePointers, formatPointer } from "./pointer.ts";

/**
 * Lists the fields that differ between `before` (live) and `after` (desired).
 *
 * Objects are compared member by member and arrays element by element by index: elements only in `after` are
 * `add`s and elements only in `before` are `remove`s, so inserting at the front of a list shows as a change of
 * every element (what a reviewer needs to see, since that is what apply sends). A node whose type changes
 * (object ↔ array ↔ scalar) is a single `replace` rather than a cascade of member changes. `undefined` at the
 * top means "absent": diffing it against a value gives one `add` (or `remove`) at the root pointer `""`.
 *
 * Values are canonical copies, and the result is sorted with {@link comparePointers}, so it is deterministic.
 */
export function diffObjects(before: unknown, after: unknown): FieldChange[] {
  const changes: FieldChange[] = [];
  const walk = (path: (string | number)[], a: unknown, b: unknown): void => {
    if (Array.isArray(a) && Array.isArray(b)) {
      const common = Math.min(a.length, b.length);
      for (let i = 0; i < common; i++) walk([...path, i], a[i], b[i]);
      for (let i = common; i < b.length; i++) {
        changes.push({ path: formatPointer([...path, i]), op: "add", after: b[i] });
      }
      for (let i = common; i < a.length; i++) {
        changes.push({ path: formatPointer([...path, i]), op: "remove", before: a[i] });
      }
      return;
    }
    if (isPlainRecord(a) && isPlainRecord(b)) {
      for (const key of Object.keys(a)) {
        if (Object.hasOwn(b, key)) walk([...path, key], a[key], b[key]);
        else changes.push({ path: formatPointer([...path, key]), op: "remove", before: a[key] });
      }
      for (const key of Object.keys(b)) {
        if (!Object.hasOwn(a, key)) {
          changes.push({ path: formatPointer([...path, key]), op: "add", after: b[key] });
        }
      }
      return;
    }
    const aContainer = a !== null && typeof a === "object";
    const bContainer = b !== null && typeof b === "object";
    if (aContainer || bContainer || !sameScalar(a, b)) {
      changes.push({ path: formatPointer(path), op: "replace", before: a, after: b });
    }
  };
  const a = canonicalize(before);
  const b = canonicalize(after);
  if (a === undefined && b === undefined) return [];
  if (a === undefined) return [{ path: "", op: "add", after: b }];
  if (b === undefined) return [{ path: "", op: "remove", before: a }];
  walk([], a, b);
  return changes.sort((x, y) => comparePointers(x.path, y.path));
}
