/**
 * Segment include filters: readable filter text (what manifests hold) ⇄ the stringified filter tree the
 * Filter Segments API stores in `includes[].filter`.
 *
 * The text is the platform's filter-field syntax, not DQL: `key = "value"` statements with `!= < <= > >=`,
 * `in (...)` / `not in (...)`, wildcards (`= *term*`, `= term*`, `= *term`, `= *` exists, `!= *` missing),
 * joined by `AND` / `OR` (or by adjacency, which means AND) with parentheses. `==` and `NOT` are rejected with a
 * hint. Errors are `validation_error`s located by line and column.
 *
 * @module
 */

import { DtctlError } from "../../errors/mod.ts";
import { decodeFilterAst } from "./decode.ts";
import type { GroupModel } from "./model.ts";
import { parseFilter } from "./parse.ts";
import { renderCanonical, renderDisplay } from "./render.ts";
import { FILTER_MAX_WIRE_LENGTH, type FilterAstGroup, type FilterAstNode } from "./types.ts";

export type {
  FilterAstChild,
  FilterAstGroup,
  FilterAstKey,
  FilterAstList,
  FilterAstLogicalOperator,
  FilterAstNode,
  FilterAstOperator,
  FilterAstRange,
  FilterAstScalar,
  FilterAstStatement,
  FilterAstString,
  FilterAstValue,
} from "./types.ts";
export { FILTER_MAX_WIRE_LENGTH } from "./types.ts";

const DEFAULT_WHERE = "filter";

/**
 * True when a filter string is a serialized filter tree rather than filter text. Filter text never starts with
 * `{`, so the first non-blank character decides (the rule dtctl (Go) uses too).
 */
export function isFilterAstString(filter: string): boolean {
  return filter.trimStart().startsWith("{");
}

/**
 * Parses filter text into the platform's filter tree (a root `Group`). Ranges are UTF-16 offsets into `dql` as
 * given. `where` names the filter in error messages (e.g. `segments/prod.yaml: includes[0].filter`).
 *
 * @throws DtctlError `validation_error` with `line`, `column`, `offset` and a caret `snippet` in the details.
 */
export function dqlToFilterAst(dql: string, where: string = DEFAULT_WHERE): FilterAstGroup {
  return parseFilter(dql, where);
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DtctlError(
      "validation_error",
      `${where}: the filter tree is not valid JSON: ${(error as Error).message}`,
      {
        hint: "A filter starting with { is sent as a serialized filter tree; write filter text instead.",
        details: { field: where },
        cause: error,
      },
    );
  }
}

function checkWireLength(wire: string, where: string): string {
  if (wire.length > FILTER_MAX_WIRE_LENGTH) {
    throw new DtctlError(
      "validation_error",
      `${where}: the serialized filter has ${wire.length} characters; the platform allows at most ${FILTER_MAX_WIRE_LENGTH}`,
      {
        hint: "Split the condition over several includes, or shorten value lists.",
        details: { field: where, length: wire.length, limit: FILTER_MAX_WIRE_LENGTH },
      },
    );
  }
  return wire;
}

/**
 * The value to send in `includes[].filter`: filter text becomes the stringified filter tree; a string that
 * already is a filter tree (starts with `{`) is checked to be JSON and passed through unchanged; a blank filter
 * becomes `""` (includes that follow a relationship carry no filter).
 *
 * @throws DtctlError `validation_error` for bad filter text, invalid JSON, or a result over
 * {@link FILTER_MAX_WIRE_LENGTH} characters.
 */
export function filterDqlToWire(dql: string, where: string = DEFAULT_WHERE): string {
  if (dql.trim() === "") return "";
  if (isFilterAstString(dql)) {
    parseJson(dql, where);
    return checkWireLength(dql, where);
  }
  return checkWireLength(JSON.stringify(parseFilter(dql, where)), where);
}

function modelOf(filter: FilterAstNode | string, where: string): GroupModel | undefined {
  if (typeof filter !== "string") return decodeFilterAst(filter, where);
  if (filter.trim() === "") return undefined;
  if (isFilterAstString(filter)) return decodeFilterAst(parseJson(filter, where), where);
  return decodeFilterAst(parseFilter(filter, where), where);
}

/**
 * Readable filter text for a filter tree (object or serialized), for display, editing and diffing. It keeps
 * the author's style where the tree records it (implicit AND, parentheses, quoting). A string that is not a
 * filter tree is already text and is returned unchanged; a blank one becomes `""`.
 *
 * @throws DtctlError `validation_error` naming the JSON path of a node dtctl cannot read.
 */
export function filterAstToDql(ast: FilterAstNode | string, where: string = DEFAULT_WHERE): string {
  if (typeof ast === "string" && !isFilterAstString(ast)) return ast.trim() === "" ? "" : ast;
  const model = modelOf(ast, where);
  return model === undefined ? "" : renderDisplay(model);
}

/**
 * Canonical filter text for semantic comparison: whitespace, keyword case, redundant parentheses, nesting of
 * the same operator, implicit vs explicit AND, value quoting and key backticks all normalised. Accepts filter
 * text or a serialized filter tree, so a manifest's filter and the server's tree compare with `===`.
 *
 * @throws DtctlError `validation_error` for filter text or a filter tree dtctl cannot read.
 */
export function normalizeFilterDql(dql: string, where: string = DEFAULT_WHERE): string {
  const model = modelOf(dql, where);
  return model === undefined ? "" : renderCanonical(model);
}
