/**
 * The platform `sort` parameter: a comma list of fields, `-` for descending, at most 5, no blanks.
 *
 * @module
 */

import { badRequest } from "../http/errors.ts";

/** How to sort by one field. */
export interface SortKey<T> {
  /** Reads the sort value (strings compare case-insensitively; `null` sorts first). */
  get(record: T): string | number | null | undefined;
}

/** Sortable fields by name. */
export type SortSchema<T> = Record<string, SortKey<T>>;

/** Most sort fields accepted. */
export const MAX_SORT_FIELDS = 5;

function compareValues(a: string | number | null | undefined, b: string | number | null | undefined): number {
  const an = a === null || a === undefined;
  const bn = b === null || b === undefined;
  if (an || bn) return an === bn ? 0 : an ? -1 : 1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  const as = String(a).toLowerCase();
  const bs = String(b).toLowerCase();
  return as < bs ? -1 : as > bs ? 1 : 0;
}

/**
 * A comparator for `sort` (absent = `tiebreak` only). `tiebreak` (e.g. by id) keeps the order total, so pages
 * neither repeat nor skip records that sort equal.
 */
export function sortComparator<T>(
  sort: string | undefined | null,
  schema: SortSchema<T>,
  tiebreak: (a: T, b: T) => number,
): (a: T, b: T) => number {
  const keys: { key: SortKey<T>; dir: number }[] = [];
  if (sort !== undefined && sort !== null && sort !== "") {
    const parts = sort.split(",");
    if (parts.length > MAX_SORT_FIELDS) {
      throw badRequest(`At most ${MAX_SORT_FIELDS} sort fields are allowed.`, "sort");
    }
    for (const part of parts) {
      const descending = part.startsWith("-");
      const name = descending ? part.slice(1) : part;
      const key = Object.hasOwn(schema, name) ? schema[name] : undefined;
      if (!key) {
        throw badRequest(
          `Invalid sort field '${part}'. Valid fields: ${Object.keys(schema).join(", ")}.`,
          "sort",
        );
      }
      keys.push({ key, dir: descending ? -1 : 1 });
    }
  }
  return (a, b) => {
    for (const { key, dir } of keys) {
      const c = compareValues(key.get(a), key.get(b));
      if (c !== 0) return c * dir;
    }
    return tiebreak(a, b);
  };
}
