/**
 * Filter tree (parsed JSON) → filter meaning. Reads the trees the platform stores (with or without
 * `explicitLogicalOperator`, `version`, the older `comparisonOperator` duplicate) and the ones dtctl (Go) writes
 * (`LogicalOperator` separator children, `in` with a single string), so any of them can be shown as text.
 *
 * @module
 */

import { filterAstError } from "./errors.ts";
import type {
  CompareModel,
  ExprModel,
  FilterComparison,
  FilterMatch,
  GroupModel,
  InModel,
  ScalarModel,
} from "./model.ts";

// JSON from the wire can nest arbitrarily; real filters are a few levels deep.
const MAX_DEPTH = 256;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

class Decoder {
  constructor(private readonly where: string) {}

  fail(path: string, problem: string): never {
    throw filterAstError(this.where, path, problem);
  }

  root(node: unknown): GroupModel {
    if (!isObject(node)) this.fail("", "the filter tree must be a JSON object");
    if (node.type === "Group") return this.group(node, "", 0, true);
    const expr = this.expr(node, "", 0);
    return { kind: "group", op: "AND", explicit: false, explicitOp: false, children: [expr] };
  }

  expr(node: unknown, path: string, depth: number): ExprModel {
    if (depth > MAX_DEPTH) this.fail(path, `nested more than ${MAX_DEPTH} deep`);
    if (!isObject(node)) this.fail(path, "expected a node object");
    if (node.type === "Group") return this.group(node, path, depth, false);
    if (node.type === "Statement") return this.statement(node, path);
    this.fail(path, `unsupported node type ${JSON.stringify(node.type)}`);
  }

  group(node: Json, path: string, depth: number, isRoot: boolean): GroupModel {
    const op = typeof node.logicalOperator === "string" ? node.logicalOperator.toUpperCase() : "AND";
    if (op !== "AND" && op !== "OR") {
      this.fail(
        join(path, "logicalOperator"),
        `unknown logical operator ${JSON.stringify(node.logicalOperator)}`,
      );
    }
    if (!Array.isArray(node.children)) this.fail(join(path, "children"), "expected an array");
    let explicitOp = node.explicitLogicalOperator === true;
    const children: ExprModel[] = [];
    node.children.forEach((child, i) => {
      const childPath = join(path, `children[${i}]`);
      // Separator nodes only say that the operator was written; the group already says which one.
      if (isObject(child) && child.type === "LogicalOperator") {
        explicitOp = true;
        return;
      }
      children.push(this.expr(child, childPath, depth + 1));
    });
    if (children.length === 0 && !isRoot) this.fail(path, "empty group");
    return { kind: "group", op, explicit: node.explicit === true, explicitOp, children };
  }

  statement(node: Json, path: string): CompareModel | InModel {
    const keyNode = node.key;
    if (!isObject(keyNode)) this.fail(join(path, "key"), "expected a Key node");
    const key = typeof keyNode.value === "string" ? keyNode.value : keyNode.textValue;
    if (typeof key !== "string" || key === "") this.fail(join(path, "key"), "the key has no value");
    const keyQuoted = typeof keyNode.textValue === "string" && keyNode.textValue.startsWith("`");
    const opPath = join(path, node.operator === undefined ? "comparisonOperator" : "operator");
    const operator = this.operator(node.operator ?? node.comparisonOperator, opPath);
    const valuePath = join(path, "value");
    if (operator.kind === "in") {
      return {
        kind: "in",
        key,
        keyQuoted,
        negated: operator.negated,
        items: this.list(node.value, valuePath),
      };
    }
    const value: ScalarModel = operator.match === "exists"
      ? { value: "", quoted: false }
      : this.scalar(node.value, valuePath);
    return { kind: "compare", key, keyQuoted, op: operator.op, match: operator.match, value };
  }

  operator(
    node: unknown,
    path: string,
  ): { kind: "compare"; op: FilterComparison; match: FilterMatch } | { kind: "in"; negated: boolean } {
    if (!isObject(node)) this.fail(path, "expected an operator node");
    const raw = typeof node.value === "string" ? node.value : node.textValue;
    if (typeof raw !== "string") this.fail(path, "the operator has no value");
    const written = typeof node.textValue === "string" ? node.textValue.trim() : "";
    const name = raw.trim().toLowerCase();
    if (name === "=" || name === "!=" || name === "<" || name === "<=" || name === ">" || name === ">=") {
      return { kind: "compare", op: name, match: "equals" };
    }
    const word = name.replace(/[\s_-]+/g, "");
    if (word === "in") return { kind: "in", negated: false };
    if (word === "notin") return { kind: "in", negated: true };
    const symbolic = SYMBOLIC_NAMES[word];
    if (symbolic !== undefined) return { kind: "compare", op: symbolic, match: "equals" };
    const negated = word.startsWith("not") || written === "!=";
    const match = WILDCARD_NAMES[negated && word.startsWith("not") ? word.slice(3) : word];
    if (match === undefined) this.fail(path, `unknown operator ${JSON.stringify(raw)}`);
    return { kind: "compare", op: negated ? "!=" : "=", match };
  }

  scalar(node: unknown, path: string): ScalarModel {
    if (!isObject(node)) this.fail(path, "expected a value node");
    if (node.type === "List") this.fail(path, "a value list needs the in / not in operator");
    const value = node.value;
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
      this.fail(path, "expected a string, number or boolean value");
    }
    const quoted = node.isEscaped === true ||
      (typeof node.textValue === "string" && node.textValue.startsWith('"'));
    return { value: String(value), quoted };
  }

  list(node: unknown, path: string): ScalarModel[] {
    if (!isObject(node)) this.fail(path, "expected a value node");
    // dtctl (Go) wrote `key in "a"` with a single string; read it as a one-item list.
    if (node.type !== "List") return [this.scalar(node, path)];
    if (!Array.isArray(node.value)) this.fail(join(path, "value"), "expected an array of values");
    if (node.value.length === 0) this.fail(join(path, "value"), "empty value list");
    return node.value.map((item, i) => this.scalar(item, join(path, `value[${i}]`)));
  }
}

const SYMBOLIC_NAMES: Record<string, FilterComparison> = {
  equals: "=",
  notequals: "!=",
  lessthan: "<",
  lessorequal: "<=",
  greaterthan: ">",
  greaterorequal: ">=",
};

const WILDCARD_NAMES: Record<string, FilterMatch> = {
  contains: "contains",
  startswith: "starts-with",
  endswith: "ends-with",
  exists: "exists",
};

function join(path: string, field: string): string {
  if (path === "") return field;
  return field.startsWith("[") ? `${path}${field}` : `${path}.${field}`;
}

/** Reads a parsed filter tree into its meaning; `where` prefixes error messages. */
export function decodeFilterAst(node: unknown, where: string): GroupModel {
  return new Decoder(where).root(node);
}
