/**
 * Django-style list parameters of the Automation API: `limit`/`offset` paging into `{count, results}` and
 * comma-separated `ordering` with `-` for descending.
 *
 * @module
 */

import { badRequest } from "../../http/errors.ts";
import { intParam } from "../../http/params.ts";

/** Default page size of list endpoints (reference §13: 100, unverified). */
export const DEFAULT_LIMIT = 100;

/** One page as `{count, results}`: `count` is the number of matches before paging. */
export function page<T>(url: URL, items: T[]): { count: number; results: T[] } {
  const limit = intParam(url, "limit", { min: 0, max: 1000 }) ?? DEFAULT_LIMIT;
  const offset = intParam(url, "offset", { min: 0 }) ?? 0;
  return { count: items.length, results: items.slice(offset, offset + limit) };
}

/**
 * Sorts by the `ordering` parameter (or `fallback`). Keys may use `.` or Django's `__` between path parts;
 * keys not in `allowed` are a 400.
 */
export function order<T>(
  url: URL,
  items: T[],
  allowed: Record<string, (item: T) => string | number | null>,
  fallback: string,
): T[] {
  const keys = (url.searchParams.get("ordering") || fallback).split(",").map((k) => k.trim()).filter(Boolean);
  const comparators = keys.map((key) => {
    const descending = key.startsWith("-");
    const name = key.replace(/^-/, "").replaceAll("__", ".");
    // Own keys only: `ordering=hasOwnProperty` must be a 400, not a call of an Object.prototype method (500).
    const read = Object.hasOwn(allowed, name) ? allowed[name] : undefined;
    if (!read) {
      throw badRequest(`Cannot order by '${name}'; allowed: ${Object.keys(allowed).join(", ")}.`, "ordering");
    }
    return (a: T, b: T) => {
      const x = read(a);
      const y = read(b);
      // Missing values sort last whatever the direction, as databases put NULLs at the end.
      if (x === y) return 0;
      if (x === null) return 1;
      if (y === null) return -1;
      const result = x < y ? -1 : 1;
      return descending ? -result : result;
    };
  });
  return [...items].sort((a, b) => {
    for (const compare of comparators) {
      const result = compare(a, b);
      if (result !== 0) return result;
    }
    return 0;
  });
}
