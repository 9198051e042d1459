/**
 * How the resource kinds show a field in table cells, describe sections and messages.
 *
 * @module
 */

/** A field as text: `""` for an absent field (`undefined`, `null`), so a cell stays empty rather than "null". */
export function str(value: unknown): string {
  return value === undefined || value === null ? "" : String(value);
}
