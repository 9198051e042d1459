/**
 * The wire shape of a segment include filter: the FilterField syntax tree of the Dynatrace UI, serialized as a
 * JSON string in `includes[].filter`.
 *
 * The field set follows what the platform stores for segments built in the segment editor (read back through
 * the API and exported by the Terraform provider) and the example in the filter-segment SDK reference:
 * `Group` → `Statement` → `Key` / `ComparisonOperator` | `InclusionOperator` / `String` | `List`. Every node
 * carries a half-open `range` of UTF-16 offsets into the filter text it was parsed from.
 *
 * @module
 */

/** A half-open `[from, to)` range of UTF-16 offsets into the filter text. */
export interface FilterAstRange {
  /** Offset of the first character. */
  from: number;
  /** Offset after the last character. */
  to: number;
}

/** A group of statements joined by one logical operator; the root of every filter is a group. */
export interface FilterAstGroup {
  /** Node type. */
  type: "Group";
  /** Where the group is in the filter text (the root spans the whole text). */
  range?: FilterAstRange;
  /** How the children are joined. AND binds tighter than OR. */
  logicalOperator: "AND" | "OR";
  /** True for a parenthesized group, false for the root and for groups implied by precedence. */
  explicit: boolean;
  /** True when the operator was written (`a AND b`), false when AND was implied by adjacency (`a b`). */
  explicitLogicalOperator?: boolean;
  /** Statements, groups and, in trees written by other tools, `LogicalOperator` separator nodes. */
  children: FilterAstChild[];
  /** Tree format version the UI stamps on the root (`"004"`, `"007"`); kept when read, never written. */
  version?: string;
}

/** A separator node (`AND` / `OR`) between group children. dtctl (Go) writes these; the UI does not. */
export interface FilterAstLogicalOperator {
  /** Node type. */
  type: "LogicalOperator";
  /** The operator as written. */
  textValue: string;
  /** `AND` or `OR`. */
  value: string;
  /** Where the operator is. */
  range?: FilterAstRange;
}

/** One `key operator value` condition. */
export interface FilterAstStatement {
  /** Node type. */
  type: "Statement";
  /** From the first character of the key to the last character of the value. */
  range?: FilterAstRange;
  /** The field the statement tests. */
  key: FilterAstKey;
  /** The comparison. */
  operator: FilterAstOperator;
  /** What the field is compared with. */
  value: FilterAstValue;
  /** Older trees (format `004`) repeat the operator under this name; read as a fallback, never written. */
  comparisonOperator?: FilterAstOperator;
}

/** A field name. */
export interface FilterAstKey {
  /** Node type. */
  type: "Key";
  /** The key as written, backticks included. */
  textValue: string;
  /** The field name. */
  value: string;
  /** Where the key is. */
  range?: FilterAstRange;
}

/**
 * The operator of a statement. For `=` / `!=` with wildcards the written symbol stays in `textValue` and the
 * meaning moves to `value` (`contains`, `starts-with`, `ends-with`, `exists` and their `not-` forms).
 */
export interface FilterAstOperator {
  /** `ComparisonOperator` for `= != < <= > >=`, `InclusionOperator` for `in` / `not in`. */
  type: "ComparisonOperator" | "InclusionOperator";
  /** The operator as written. */
  textValue: string;
  /** The operator's meaning. */
  value: string;
  /** Where the operator is. */
  range?: FilterAstRange;
}

/** A single value. */
export interface FilterAstString {
  /** Node type. */
  type: "String";
  /** The value as written: quotes, escapes and wildcards included. */
  textValue: string;
  /** The value itself; for wildcard operators the bare term without the `*`. */
  value: string;
  /** Where the value is. */
  range?: FilterAstRange;
  /** True when the value was written in double quotes; absent for bare words. */
  isEscaped?: boolean;
}

/** The parenthesized value list of `in` / `not in`. */
export interface FilterAstList {
  /** Node type. */
  type: "List";
  /** The list as written, parentheses included. */
  textValue: string;
  /** The list items. */
  value: FilterAstString[];
  /** Where the list is. */
  range?: FilterAstRange;
}

/** A value node of another type (`Number`, `Boolean`, `Variable`) that other tools may write; read only. */
export interface FilterAstScalar {
  /** Node type. */
  type: string;
  /** The value as written. */
  textValue?: string;
  /** The value. */
  value: string | number | boolean;
  /** Where the value is. */
  range?: FilterAstRange;
  /** True when the value was written in double quotes. */
  isEscaped?: boolean;
}

/** Any value node. */
export type FilterAstValue = FilterAstString | FilterAstList | FilterAstScalar;

/** Any child of a group. */
export type FilterAstChild = FilterAstGroup | FilterAstStatement | FilterAstLogicalOperator;

/** Any node of a filter tree; `dqlToFilterAst` always returns a root {@link FilterAstGroup}. */
export type FilterAstNode =
  | FilterAstGroup
  | FilterAstStatement
  | FilterAstLogicalOperator
  | FilterAstKey
  | FilterAstOperator
  | FilterAstValue;

/** The platform's limit on the length of the serialized filter (the JSON text in `includes[].filter`). */
export const FILTER_MAX_WIRE_LENGTH = 18_000;
