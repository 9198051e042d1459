/**
 * The "platform services filtering" grammar (documents, trash, SLOs), parsed against a field schema.
 *
 * ```
 * expr       := and ('or' and)*
 * and        := unary ('and' unary)*
 * unary      := 'not' unary | '(' expr ')' | comparison
 * comparison := FIELD op literal | FIELD 'in' '(' literal (',' literal)* ')' | FIELD 'exists'
 * op         := = | == | != | < | <= | > | >= | contains | starts-with | ends-with
 * literal    := 'single quoted, \' escapes' | number | true | false
 * ```
 *
 * Keywords are case-insensitive, field names are not. Parentheses nest at most 3 deep and the filter is at most
 * 1024 characters, as the platform documents. Every violation is a 400 naming the `filter` parameter.
 *
 * @module
 */

import { badRequest } from "../http/errors.ts";

/** Value types a filter field can have. */
export type FilterFieldType = "string" | "number" | "time" | "boolean" | "string[]";

/** A filterable field: its type and how to read it from a record. */
export interface FilterField<T> {
  /** The field's type, which decides operators and literal parsing. */
  type: FilterFieldType;
  /** The field's value in a record (`null`/`undefined` when unset). */
  get(record: T): unknown;
}

/** The filterable fields of a record type, by field name. */
export type FilterSchema<T> = Record<string, FilterField<T>>;

/** Comparison operators. */
export type FilterOperator = "=" | "!=" | "<" | "<=" | ">" | ">=" | "contains" | "starts-with" | "ends-with";

/** A parsed filter. */
export type FilterNode =
  | { kind: "and" | "or"; children: FilterNode[] }
  | { kind: "not"; child: FilterNode }
  | { kind: "compare"; field: string; op: FilterOperator; value: string | number | boolean }
  | { kind: "in"; field: string; values: (string | number | boolean)[] }
  | { kind: "exists"; field: string };

/** Longest accepted filter. */
export const MAX_FILTER_LENGTH = 1024;
/** Deepest accepted parenthesis nesting. */
export const MAX_FILTER_DEPTH = 3;

type Token =
  | { t: "(" | ")" | ","; at: number }
  | { t: "op"; v: string; at: number }
  | { t: "word"; v: string; at: number }
  | { t: "string"; v: string; at: number }
  | { t: "number"; v: number; at: number };

function fail(message: string): never {
  throw badRequest(`Invalid filter: ${message}`, "filter");
}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === "(" || c === ")" || c === ",") {
      tokens.push({ t: c, at: i });
      i++;
    } else if (c === "'") {
      const start = i;
      let value = "";
      i++;
      for (;;) {
        if (i >= input.length) fail(`unterminated string starting at position ${start}.`);
        const ch = input[i];
        if (ch === "\\" && i + 1 < input.length && (input[i + 1] === "'" || input[i + 1] === "\\")) {
          value += input[i + 1];
          i += 2;
        } else if (ch === "'") {
          i++;
          break;
        } else {
          value += ch;
          i++;
        }
      }
      tokens.push({ t: "string", v: value, at: start });
    } else if ("=!<>".includes(c)) {
      const two = input.slice(i, i + 2);
      const op = ["==", "!=", "<=", ">="].includes(two) ? two : c;
      if (op === "!") fail(`unexpected '!' at position ${i}.`);
      tokens.push({ t: "op", v: op, at: i });
      i += op.length;
    } else if (/[-0-9]/.test(c) && /^-?\d/.test(input.slice(i))) {
      const match = /^-?\d+(\.\d+)?/.exec(input.slice(i))!;
      tokens.push({ t: "number", v: Number(match[0]), at: i });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z_][A-Za-z0-9_.-]*/.exec(input.slice(i))!;
      tokens.push({ t: "word", v: match[0], at: i });
      i += match[0].length;
    } else {
      fail(`unexpected character '${c}' at position ${i}.`);
    }
  }
  return tokens;
}

const WORD_OPERATORS = new Set(["contains", "starts-with", "ends-with"]);

class Parser<T> {
  #pos = 0;
  #depth = 0;

  constructor(readonly tokens: Token[], readonly schema: FilterSchema<T>) {}

  parse(): FilterNode {
    if (this.tokens.length === 0) fail("empty filter.");
    const node = this.#or();
    const rest = this.tokens[this.#pos];
    if (rest) fail(`unexpected input at position ${rest.at}.`);
    return node;
  }

  #peek(): Token | undefined {
    return this.tokens[this.#pos];
  }

  #isKeyword(token: Token | undefined, word: string): boolean {
    return token?.t === "word" && token.v.toLowerCase() === word;
  }

  #or(): FilterNode {
    const children = [this.#and()];
    while (this.#isKeyword(this.#peek(), "or")) {
      this.#pos++;
      children.push(this.#and());
    }
    return children.length === 1 ? children[0] : { kind: "or", children };
  }

  #and(): FilterNode {
    const children = [this.#unary()];
    while (this.#isKeyword(this.#peek(), "and")) {
      this.#pos++;
      children.push(this.#unary());
    }
    return children.length === 1 ? children[0] : { kind: "and", children };
  }

  #unary(): FilterNode {
    const token = this.#peek();
    if (!token) fail("unexpected end of filter.");
    if (this.#isKeyword(token, "not")) {
      this.#pos++;
      return { kind: "not", child: this.#unary() };
    }
    if (token.t === "(") {
      this.#pos++;
      this.#depth++;
      if (this.#depth > MAX_FILTER_DEPTH) fail(`parentheses nest deeper than ${MAX_FILTER_DEPTH}.`);
      const inner = this.#or();
      if (this.#peek()?.t !== ")") fail(`missing ')' for '(' at position ${token.at}.`);
      this.#pos++;
      this.#depth--;
      return inner;
    }
    return this.#comparison();
  }

  #literal(field: string, type: FilterFieldType): string | number | boolean {
    const token = this.#peek();
    if (!token) fail(`missing value after '${field}'.`);
    this.#pos++;
    let value: string | number | boolean;
    if (token.t === "string" || token.t === "number") value = token.v;
    else if (token.t === "word" && ["true", "false"].includes(token.v.toLowerCase())) {
      value = token.v.toLowerCase() === "true";
    } else fail(`expected a value at position ${token.at}.`);
    return coerce(field, type, value);
  }

  #comparison(): FilterNode {
    const token = this.#peek()!;
    if (token.t !== "word") fail(`expected a field name at position ${token.at}.`);
    const field = token.v;
    const spec = Object.hasOwn(this.schema, field) ? this.schema[field] : undefined;
    if (!spec) {
      fail(`unknown field '${field}'. Valid fields: ${Object.keys(this.schema).join(", ")}.`);
    }
    this.#pos++;
    const opToken = this.#peek();
    if (!opToken) fail(`missing operator after '${field}'.`);
    if (this.#isKeyword(opToken, "exists")) {
      this.#pos++;
      return { kind: "exists", field };
    }
    if (this.#isKeyword(opToken, "in")) {
      this.#pos++;
      if (this.#peek()?.t !== "(") fail(`expected '(' after 'in' at position ${opToken.at}.`);
      this.#pos++;
      const values = [this.#literal(field, spec.type)];
      while (this.#peek()?.t === ",") {
        this.#pos++;
        values.push(this.#literal(field, spec.type));
      }
      if (this.#peek()?.t !== ")") fail(`missing ')' closing the 'in' list of '${field}'.`);
      this.#pos++;
      return { kind: "in", field, values };
    }
    let op: FilterOperator;
    if (opToken.t === "op") op = (opToken.v === "==" ? "=" : opToken.v) as FilterOperator;
    else if (opToken.t === "word" && WORD_OPERATORS.has(opToken.v.toLowerCase())) {
      op = opToken.v.toLowerCase() as FilterOperator;
    } else fail(`expected an operator after '${field}' at position ${opToken.at}.`);
    this.#pos++;
    checkOperator(field, spec.type, op);
    return { kind: "compare", field, op, value: this.#literal(field, spec.type) };
  }
}

function checkOperator(field: string, type: FilterFieldType, op: FilterOperator): void {
  const textual = op === "contains" || op === "starts-with" || op === "ends-with";
  const ordering = op === "<" || op === "<=" || op === ">" || op === ">=";
  if (textual && type !== "string" && type !== "string[]") fail(`'${op}' cannot be applied to '${field}'.`);
  if (ordering && (type === "boolean" || type === "string[]")) {
    fail(`'${op}' cannot be applied to '${field}'.`);
  }
}

function coerce(
  field: string,
  type: FilterFieldType,
  value: string | number | boolean,
): string | number | boolean {
  switch (type) {
    case "number": {
      const n = typeof value === "number" ? value : Number(value);
      if (typeof value === "boolean" || !Number.isFinite(n) || value === "") {
        fail(`'${field}' needs a number, got '${value}'.`);
      }
      return n;
    }
    case "time": {
      if (typeof value !== "string" || Number.isNaN(Date.parse(value))) {
        fail(`'${field}' needs an RFC3339 timestamp, got '${value}'.`);
      }
      return value;
    }
    case "boolean": {
      if (typeof value === "boolean") return value;
      if (value === "true" || value === "false") return value === "true";
      return fail(`'${field}' needs true or false, got '${value}'.`);
    }
    default:
      return String(value);
  }
}

/** Parses a filter against a schema; a 400 `HttpError` for anything invalid. */
export function parseFilter<T>(input: string, schema: FilterSchema<T>): FilterNode {
  if (input.length > MAX_FILTER_LENGTH) fail(`longer than ${MAX_FILTER_LENGTH} characters.`);
  return new Parser(tokenize(input), schema).parse();
}

function compareScalar(
  type: FilterFieldType,
  actual: unknown,
  op: FilterOperator,
  expected: string | number | boolean,
): boolean {
  if (actual === null || actual === undefined) return op === "!=";
  if (type === "number") return ordered(Number(actual), op, expected as number);
  if (type === "time") return ordered(Date.parse(String(actual)), op, Date.parse(expected as string));
  if (type === "boolean") return op === "=" ? actual === expected : op === "!=" ? actual !== expected : false;
  const a = String(actual);
  const e = String(expected);
  switch (op) {
    case "contains":
      return a.toLowerCase().includes(e.toLowerCase());
    case "starts-with":
      return a.toLowerCase().startsWith(e.toLowerCase());
    case "ends-with":
      return a.toLowerCase().endsWith(e.toLowerCase());
    default:
      return ordered(a, op, e);
  }
}

function ordered<V extends string | number>(a: V, op: FilterOperator, b: V): boolean {
  switch (op) {
    case "=":
      return a === b;
    case "!=":
      return a !== b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
    default:
      return false;
  }
}

/** Whether a record matches a parsed filter. */
export function matchesFilter<T>(node: FilterNode, record: T, schema: FilterSchema<T>): boolean {
  switch (node.kind) {
    case "and":
      return node.children.every((child) => matchesFilter(child, record, schema));
    case "or":
      return node.children.some((child) => matchesFilter(child, record, schema));
    case "not":
      return !matchesFilter(node.child, record, schema);
    case "exists": {
      const value = schema[node.field].get(record);
      return value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0);
    }
    case "in":
      return node.values.some((value) =>
        matchesFilter({ kind: "compare", field: node.field, op: "=", value }, record, schema)
      );
    case "compare": {
      const spec = schema[node.field];
      const actual = spec.get(record);
      if (spec.type === "string[]") {
        const list = Array.isArray(actual) ? actual : [];
        // A list matches when any element does; "!=" means no element equals.
        if (node.op === "!=") return !list.some((item) => compareScalar("string", item, "=", node.value));
        return list.some((item) => compareScalar("string", item, node.op, node.value));
      }
      return compareScalar(spec.type, actual, node.op, node.value);
    }
  }
}

/** Filters records with an optional filter string (absent or blank = all). */
export function applyFilter<T>(
  records: T[],
  filter: string | undefined | null,
  schema: FilterSchema<T>,
): T[] {
  if (filter === undefined || filter === null || filter.trim() === "") return records;
  const node = parseFilter(filter, schema);
  return records.filter((record) => matchesFilter(node, record, schema));
}
