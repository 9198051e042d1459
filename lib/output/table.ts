/**
 * kubectl-style tables: upper-case headers, no borders, columns separated by three spaces.
 *
 * @module
 */

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

/** Renders rows as a borderless table; returns the text with a trailing newline (empty string for no rows). */
export function renderTable<Row>(columns: Column<Row>[], rows: Row[], options: TableOptions = {}): string {
  const style = options.styleHeader ?? ((text: string) => text);
  const lines: string[][] = [];
  if (!options.noHeaders) lines.push(columns.map((column) => column.header.toUpperCase()));
  for (const row of rows) lines.push(columns.map((column) => sanitizeCell(column.value(row))));
  if (lines.length === 0) return "";
  // Padding is computed here rather than with cli-table3, which took seconds for 10,000 rows.
  const cellWidths = lines.map((cells) => cells.map(displayWidth));
  const widths = columns.map((_, index) => cellWidths.reduce((max, row) => Math.max(max, row[index]), 0));
  const out = lines.map((cells, lineIndex) => {
    const header = lineIndex === 0 && !options.noHeaders;
    return cells.map((cell, index) => {
      const text = header ? style(cell) : cell;
      const last = index === cells.length - 1;
      return last ? text : text + " ".repeat(widths[index] - cellWidths[lineIndex][index] + GAP);
    }).join("").trimEnd();
  });
  return out.join("\n") + "\n";
}

const GAP = 3;

/**
 * Terminal columns a string occupies: ANSI escape sequences take none, combining marks none, East Asian
 * wide and fullwidth characters (and most emoji) two.
 */
export function displayWidth(text: string): number {
  // deno-lint-ignore no-control-regex
  const plain = text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "");
  // deno-lint-ignore no-control-regex
  if (/^[\x00-\x7f]*$/.test(plain)) return plain.length;
  let width = 0;
  for (const char of plain) {
    const code = char.codePointAt(0)!;
    if (/\p{Mark}/u.test(char) || code === 0x200b) continue;
    width += isWide(code) ? 2 : 1;
  }
  return width;
}

function isWide(code: number): boolean {
  return (code >= 0x1100 && code <= 0x115f) || (code >= 0x2e80 && code <= 0xa4cf && code !== 0x303f) ||
    (code >= 0xac00 && code <= 0xd7a3) || (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) || (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1faff) ||
    (code >= 0x20000 && code <= 0x3fffd);
}

/** Keeps one row per line: control characters and newlines in values would break the layout (colour codes stay). */
function sanitizeCell(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/[\r\n\t]+/g, " ").replace(/[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f]|\x1b(?!\[[0-9;]*m)/g, "");
}
