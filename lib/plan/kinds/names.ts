/**
 * Manifest names for exported objects.
 *
 * @module
 */

import { slugify } from "../../manifest/names.ts";

/**
 * The `metadata.name` of an exported object: the slug of its title or name (see `slugify`); when nothing is
 * left (a title of only punctuation or non-Latin script), `<kind>-<slug of the id>`. `export` makes names
 * unique within a kind by adding `-2`, `-3`, ...
 */
export function slugName(title: unknown, kind: string, id: unknown): string {
  const fromTitle = typeof title === "string" ? slugify(title) : undefined;
  if (fromTitle !== undefined) return fromTitle;
  const fromId = typeof id === "string" || typeof id === "number" ? slugify(String(id)) : undefined;
  return fromId === undefined ? kind : `${kind}-${fromId}`.slice(0, 128).replace(/[^a-z0-9]+$/, "");
}
