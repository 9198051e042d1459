/**
 * kubectl-style tables: upper-case headers, no borders, columns separated by three spaces.
 *
 * @module
 */

import Table from "cli-table3";

/** One column of a table. */
export interface Column<Row> {
  /** Header text, printed upper-case. */
  header: string;
  /** The cell text of a row. */
  value(row: Row): string;
}

/** Options of {@link renderTable}. */
export interface TableOptions {
  /** Omit the header line. */
  noHeaders?: boolean;
  /** Styles the header (bold when colour is on). */
  styleHeader?: (text: string) => string;
}

const noBorders = {
  top: "",
  "top-mid": "",
  "top-left": "",
  "top-right": "",
  bottom: "",
  "bottom-mid": "",
  "bottom-left": "",
  "bottom-right": "",
  left: "",
  "left-mid": "",
  mid: "",
  "mid-mid": "",
  right: "",
  "right-mid": "",
  middle: "",
};

/** Renders rows as a borderless table; returns the text with a trailing newline (empty string for no rows). */
export function renderTable<Row>(columns: Column<Row>[], rows: Row[], options: TableOptions = {}): string {
  const style = options.styleHeader ?? ((text: string) => text);
  // cli-table3 colours headers and borders by default even when piped: switch its styling off entirely.
  const table = new Table({
    chars: noBorders,
    style: { head: [], border: [], "padding-left": 0, "padding-right": 3, compact: true },
  });
  if (!options.noHeaders) table.push(columns.map((column) => style(column.header.toUpperCase())));
  for (const row of rows) table.push(columns.map((column) => sanitizeCell(column.value(row))));
  if (table.length === 0) return "";
  return table.toString().split("\n").map((line) => line.trimEnd()).join("\n") + "\n";
}

/** Keeps one row per line: control characters and newlines in values would break the layout. */
function sanitizeCell(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/[\r\n\t]+/g, " ").replace(/[\x00-\x08\x0b-\x1f\x7f]/g, "");
}
