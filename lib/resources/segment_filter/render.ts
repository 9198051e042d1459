/**
 * Filter meaning → filter text, in two styles:
 *
 * - display: close to what the author wrote (implicit AND stays implicit, parentheses and quoting are kept),
 *   for `get`, `describe` and `edit`;
 * - canonical: one spelling per meaning (nested groups of the same operator flattened, redundant parentheses
 *   dropped, explicit `AND`, every value double-quoted, keys in backticks only when needed), for comparing a
 *   manifest with what the server holds.
 *
 * @module
 */

import type { CompareModel, ExprModel, GroupModel, InModel, ScalarModel } from "./model.ts";
import { escapeContent, isBareKey, isBareValue, quoteValue, writeKey } from "./syntax.ts";

function backticked(key: string): string {
  return "`" + key.replace(/[\\`]/g, "\\$&") + "`";
}

function displayKey(statement: CompareModel | InModel): string {
  return statement.keyQuoted || !isBareKey(statement.key) ? backticked(statement.key) : statement.key;
}

function displayScalar(scalar: ScalarModel): string {
  return scalar.quoted || !isBareValue(scalar.value) ? quoteValue(scalar.value) : scalar.value;
}

function wildcard(statement: CompareModel, canonical: boolean): string {
  const term = statement.value.value;
  const bare = !canonical && !statement.value.quoted && isBareValue(term);
  const body = bare ? term : escapeContent(term);
  const pattern = statement.match === "contains"
    ? `*${body}*`
    : statement.match === "starts-with"
    ? `${body}*`
    : `*${body}`;
  return bare ? pattern : `"${pattern}"`;
}

function statementText(statement: CompareModel | InModel, canonical: boolean): string {
  const key = canonical ? writeKey(statement.key) : displayKey(statement);
  const scalar = canonical ? (s: ScalarModel) => quoteValue(s.value) : displayScalar;
  if (statement.kind === "in") {
    return `${key} ${statement.negated ? "not in" : "in"} (${statement.items.map(scalar).join(", ")})`;
  }
  if (statement.match === "exists") return `${key} ${statement.op} *`;
  if (statement.match === "equals") return `${key} ${statement.op} ${scalar(statement.value)}`;
  return `${key} ${statement.op} ${wildcard(statement, canonical)}`;
}

function displayExpr(expr: ExprModel, parent: GroupModel | undefined): string {
  if (expr.kind !== "group") return statementText(expr, false);
  // A group without parentheses and with one child is only a wrapper.
  if (!expr.explicit && expr.children.length === 1) return displayExpr(expr.children[0], parent);
  const separator = expr.op === "AND" && !expr.explicitOp ? " " : ` ${expr.op} `;
  const inner = expr.children.map((child) => displayExpr(child, expr)).join(separator);
  // Trees from other tools may nest an OR group under an AND group without marking it explicit; the
  // parentheses keep its meaning.
  const needsParentheses = expr.explicit ||
    (parent?.op === "AND" && expr.op === "OR" && expr.children.length > 1);
  return needsParentheses ? `(${inner})` : inner;
}

/** The filter as the author would write it. An empty root renders as an empty string. */
export function renderDisplay(root: GroupModel): string {
  if (root.children.length === 0) return "";
  return displayExpr(root, undefined);
}

function flatten(expr: ExprModel): ExprModel {
  if (expr.kind !== "group") return expr;
  const children: ExprModel[] = [];
  for (const child of expr.children.map(flatten)) {
    if (child.kind === "group" && child.op === expr.op) children.push(...child.children);
    else children.push(child);
  }
  if (children.length === 1) return children[0];
  return { kind: "group", op: expr.op, explicit: false, explicitOp: true, children };
}

function canonicalExpr(expr: ExprModel, parent: GroupModel | undefined): string {
  if (expr.kind !== "group") return statementText(expr, true);
  const inner = expr.children.map((child) => canonicalExpr(child, expr)).join(` ${expr.op} `);
  return parent?.op === "AND" && expr.op === "OR" ? `(${inner})` : inner;
}

/** One spelling per meaning, for semantic comparison. An empty root renders as an empty string. */
export function renderCanonical(root: GroupModel): string {
  if (root.children.length === 0) return "";
  return canonicalExpr(flatten(root), undefined);
}
