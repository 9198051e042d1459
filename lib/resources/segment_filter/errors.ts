/**
 * Validation errors of the segment filter converter, located by 1-based line and column with a caret snippet,
 * so a filter written in a YAML block scalar can be fixed without counting characters.
 *
 * @module
 */

import { DtctlError } from "../../errors/mod.ts";

/** The 1-based line and column of a UTF-16 offset. */
export interface FilterPosition {
  /** 1-based line. */
  line: number;
  /** 1-based column (UTF-16 units, tabs count as one). */
  column: number;
}

/** The line and column of `offset` in `text`. */
export function positionOf(text: string, offset: number): FilterPosition {
  const clamped = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < clamped; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: clamped - lineStart + 1 };
}

// Long single-line filters would make the snippet unreadable; show a window around the error instead.
const SNIPPET_WIDTH = 100;

/** The offending line of `text` with a caret under `offset` (a window of it when the line is long). */
export function caretSnippet(text: string, offset: number): string {
  const clamped = Math.max(0, Math.min(offset, text.length));
  const lineStart = text.lastIndexOf("\n", clamped - 1) + 1;
  let lineEnd = text.indexOf("\n", clamped);
  if (lineEnd < 0) lineEnd = text.length;
  let start = lineStart;
  let end = lineEnd;
  let prefix = "";
  let suffix = "";
  if (end - start > SNIPPET_WIDTH) {
    start = Math.max(lineStart, clamped - SNIPPET_WIDTH / 2);
    end = Math.min(lineEnd, start + SNIPPET_WIDTH);
    if (start > lineStart) prefix = "…";
    if (end < lineEnd) suffix = "…";
  }
  // Tabs keep their width in the caret line so the caret stays under the character.
  const before = text.slice(start, clamped).replace(/[^\t]/g, " ");
  const line = text.slice(start, end).replace(/\r$/, "");
  return `${prefix}${line}${suffix}\n${" ".repeat(prefix.length)}${before}^`;
}

/**
 * A `validation_error` for the filter `text` at `offset`: `<where>: <problem> at <line>:<column>`, with the
 * position and a caret snippet in the details.
 */
export function filterSyntaxError(
  where: string,
  text: string,
  offset: number,
  problem: string,
  hint?: string,
): DtctlError {
  const { line, column } = positionOf(text, offset);
  return new DtctlError("validation_error", `${where}: ${problem} at ${line}:${column}`, {
    hint: hint ??
      'Segment filters use the filter-field syntax: key = "value" statements joined by AND / OR, with in (...) lists and parentheses.',
    details: { field: where, line, column, offset, snippet: caretSnippet(text, offset) },
  });
}

/** A `validation_error` for a filter tree (AST) that dtctl cannot read, naming the JSON path of the node. */
export function filterAstError(where: string, path: string, problem: string): DtctlError {
  return new DtctlError("validation_error", `${where}: ${path === "" ? "" : `${path}: `}${problem}`, {
    hint:
      "The filter tree has a shape dtctl does not understand; edit it in the segment editor or pass the filter as DQL.",
    details: { field: where, path },
  });
}
