/**
 * YAML printing with deterministic output (loaded lazily: the YAML library is heavy at start-up).
 *
 * @module
 */

import { stringify } from "yaml";

/** YAML with a trailing newline; long strings are not folded so values survive copy and paste. */
export function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });
}
