/**
 * Which error-envelope family answers for a URL path, for errors raised before a route is known (404s of
 * unknown paths, faults, rate limits).
 *
 * @module
 */

import type { ErrorFamily } from "../types.ts";

const PREFIXES: [string, ErrorFamily][] = [
  ["/platform/storage/query/", "query"],
  ["/platform/storage/filter-segments/", "storage"],
  ["/platform/storage/management/", "storage"],
  ["/platform/classic/", "classic"],
  ["/api/", "classic"],
];

/** The envelope family of a path: the longest known prefix wins, the platform family otherwise. */
export function familyForPath(pathname: string): ErrorFamily {
  for (const [prefix, family] of PREFIXES) {
    if (pathname.startsWith(prefix)) return family;
  }
  return "platform";
}
