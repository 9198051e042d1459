/**
 * Structured printers (JSON and YAML) with deterministic output.
 *
 * @module
 */

import { stringify } from "yaml";

/** Pretty JSON with a trailing newline. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}

/** YAML with a trailing newline; long strings are not folded so values survive copy and paste. */
export function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });
}
