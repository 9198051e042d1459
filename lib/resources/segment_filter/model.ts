/**
 * The meaning of a filter, independent of how it was written or serialized: what the renderers work from.
 *
 * @module
 */

/** What an `=` / `!=` statement matches: the exact value, or a wildcard form of it. */
export type FilterMatch = "equals" | "contains" | "starts-with" | "ends-with" | "exists";

/** The comparison symbols. */
export type FilterComparison = "=" | "!=" | "<" | "<=" | ">" | ">=";

/** A single value and whether it was written in double quotes. */
export interface ScalarModel {
  /** The value (for wildcard matches: the bare term). */
  value: string;
  /** Written in double quotes. */
  quoted: boolean;
}

/** `key op value`, `key = *term*`, `key = *` and friends. */
export interface CompareModel {
  /** Discriminator. */
  kind: "compare";
  /** Field name. */
  key: string;
  /** Written in backticks. */
  keyQuoted: boolean;
  /** The symbol. */
  op: FilterComparison;
  /** Always `equals` unless `op` is `=` or `!=`. */
  match: FilterMatch;
  /** The value or term; empty for `exists`. */
  value: ScalarModel;
}

/** `key in (...)` / `key not in (...)`. */
export interface InModel {
  /** Discriminator. */
  kind: "in";
  /** Field name. */
  key: string;
  /** Written in backticks. */
  keyQuoted: boolean;
  /** `not in`. */
  negated: boolean;
  /** The list items, at least one. */
  items: ScalarModel[];
}

/** A group of conditions. */
export interface GroupModel {
  /** Discriminator. */
  kind: "group";
  /** How the children are joined. */
  op: "AND" | "OR";
  /** Parenthesized. */
  explicit: boolean;
  /** The operator was written rather than implied by adjacency. */
  explicitOp: boolean;
  /** The conditions. */
  children: ExprModel[];
}

/** Any condition. */
export type ExprModel = GroupModel | CompareModel | InModel;
