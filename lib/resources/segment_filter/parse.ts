/**
 * Filter text → filter tree: a recursive-descent parser for the filter-field syntax of segment includes.
 *
 * Grammar (keywords case-insensitive, AND binds tighter than OR, adjacent statements are ANDed):
 *
 * ```
 * filter     = or
 * or         = and ("OR" and)*
 * and        = factor (["AND"] factor)*
 * factor     = "(" or ")" | statement
 * statement  = key ("=" | "!=" | "<" | "<=" | ">" | ">=") value
 *            | key ["not"] "in" "(" value ("," value)* ")"
 * key        = bare-key | "`" chars "`"
 * value      = bare-word | '"' chars '"'
 * ```
 *
 * With `=` / `!=`, a `*` at either end of a value is a wildcard (`*term*` contains, `term*` starts with,
 * `*term` ends with, a lone `*` exists); `\*` inside double quotes is a literal asterisk. Ranges are
 * half-open UTF-16 offsets into the text exactly as given, the root spanning all of it.
 *
 * @module
 */

import { filterSyntaxError, positionOf } from "./errors.ts";
import { endsBareValue, isKeyChar, isSpace } from "./syntax.ts";
import type {
  FilterAstChild,
  FilterAstGroup,
  FilterAstKey,
  FilterAstList,
  FilterAstOperator,
  FilterAstRange,
  FilterAstStatement,
  FilterAstString,
} from "./types.ts";

// Deep nesting only comes from generated or hostile input; the limit keeps recursion far from the stack size.
const MAX_DEPTH = 64;

const OPERATORS = "=, !=, <, <=, >, >=, in, not in";

const NOT_HINT =
  "Segment filters have no NOT: negate the comparison instead (!=, not in (...), != * for a missing field).";

interface Lexeme {
  raw: string;
  value: string;
  from: number;
  to: number;
  quoted: boolean;
  leadingStar: boolean;
  trailingStar: boolean;
}

type ParsedOperator =
  | { kind: "compare"; symbol: string; node: FilterAstOperator }
  | { kind: "in"; node: FilterAstOperator };

type Expr = FilterAstGroup | FilterAstStatement;

/** Builds a group with its fields in the order the platform writes them. */
export function makeGroup(
  range: FilterAstRange,
  logicalOperator: "AND" | "OR",
  explicit: boolean,
  explicitLogicalOperator: boolean,
  children: FilterAstChild[],
): FilterAstGroup {
  return { type: "Group", range, logicalOperator, explicit, explicitLogicalOperator, children };
}

class Parser {
  private pos = 0;

  constructor(private readonly text: string, private readonly where: string) {}

  parse(): FilterAstGroup {
    this.skipSpace();
    if (this.atEnd()) {
      this.fail(this.pos, "empty filter", 'Write at least one statement, e.g. dt.system.bucket = "my-logs".');
    }
    const node = this.parseOr(0);
    this.skipSpace();
    if (!this.atEnd()) this.fail(this.pos, `unexpected ${this.describe(this.pos)}`);
    const range = { from: 0, to: this.text.length };
    if (node.type === "Group" && !node.explicit) {
      return makeGroup(
        range,
        node.logicalOperator,
        false,
        node.explicitLogicalOperator ?? false,
        node.children,
      );
    }
    return makeGroup(range, "AND", false, false, [node]);
  }

  private parseOr(depth: number): Expr {
    const terms = [this.parseAnd(depth)];
    for (;;) {
      this.skipSpace();
      if (!this.keywordAt(this.pos, "or")) break;
      this.pos += 2;
      terms.push(this.parseAnd(depth));
    }
    if (terms.length === 1) return terms[0];
    return makeGroup(span(terms), "OR", false, true, terms);
  }

  private parseAnd(depth: number): Expr {
    const factors = [this.parseFactor(depth)];
    let explicitOp = false;
    for (;;) {
      this.skipSpace();
      if (this.atEnd() || this.peek() === ")" || this.keywordAt(this.pos, "or")) break;
      if (this.keywordAt(this.pos, "and")) {
        this.pos += 3;
        explicitOp = true;
      }
      factors.push(this.parseFactor(depth));
    }
    if (factors.length === 1) return factors[0];
    return makeGroup(span(factors), "AND", false, explicitOp, factors);
  }

  private parseFactor(depth: number): Expr {
    this.skipSpace();
    const start = this.pos;
    if (this.peek() === "(") {
      if (depth >= MAX_DEPTH) this.fail(start, `parentheses nested more than ${MAX_DEPTH} deep`);
      this.pos++;
      this.skipSpace();
      if (this.peek() === ")") this.fail(this.pos, "empty parentheses");
      const inner = this.parseOr(depth + 1);
      this.skipSpace();
      if (this.peek() !== ")") {
        const open = positionOf(this.text, start);
        this.fail(
          this.pos,
          `unexpected ${this.describe(this.pos)}, expected ")"`,
          `The "(" at ${open.line}:${open.column} is not closed.`,
        );
      }
      this.pos++;
      const range = { from: start, to: this.pos };
      if (inner.type === "Group" && !inner.explicit) {
        return makeGroup(
          range,
          inner.logicalOperator,
          true,
          inner.explicitLogicalOperator ?? false,
          inner.children,
        );
      }
      return makeGroup(range, "AND", true, false, [inner]);
    }
    if (this.keywordAt(start, "and") || this.keywordAt(start, "or")) {
      this.fail(start, `unexpected ${this.describe(start)}`, "AND and OR go between two statements.");
    }
    if (this.keywordAt(start, "not")) this.fail(start, '"NOT" is not supported', NOT_HINT);
    return this.parseStatement();
  }

  private parseStatement(): FilterAstStatement {
    const start = this.pos;
    const key = this.parseKey();
    this.skipSpace();
    const operator = this.parseOperator();
    this.skipSpace();
    if (operator.kind === "in") {
      const value = this.parseList();
      return statement(start, key, operator.node, value);
    }
    const lexeme = this.lexValue();
    const wildcard = lexeme.leadingStar || lexeme.trailingStar;
    if (operator.symbol !== "=" && operator.symbol !== "!=") {
      if (wildcard) {
        this.fail(
          lexeme.from,
          `wildcards can only be used with = and !=, not with ${operator.symbol}`,
          'Write a literal asterisk as \\* inside double quotes, e.g. "\\*".',
        );
      }
      return statement(start, key, operator.node, stringNode(lexeme, lexeme.value));
    }
    let match = "";
    let term = lexeme.value;
    if (lexeme.leadingStar && lexeme.trailingStar) {
      if (lexeme.value === "*") {
        match = "exists";
        term = "";
      } else {
        term = lexeme.value.slice(1, -1);
        if (term === "") {
          this.fail(lexeme.from, 'empty wildcard pattern "**"', "Use = * to test that the field exists.");
        }
        match = "contains";
      }
    } else if (lexeme.leadingStar) {
      match = "ends-with";
      term = lexeme.value.slice(1);
    } else if (lexeme.trailingStar) {
      match = "starts-with";
      term = lexeme.value.slice(0, -1);
    }
    if (match !== "") operator.node.value = operator.symbol === "!=" ? `not-${match}` : match;
    return statement(start, key, operator.node, stringNode(lexeme, term));
  }

  private parseKey(): FilterAstKey {
    const start = this.pos;
    if (this.atEnd()) this.fail(start, "unexpected end of filter, expected a key");
    const ch = this.peek();
    if (ch === "`") {
      this.pos++;
      let value = "";
      for (;;) {
        if (this.atEnd()) this.fail(start, "unterminated `-quoted key", "Close the key with a backtick.");
        const c = this.text[this.pos];
        const next = this.text[this.pos + 1];
        if (c === "\\" && (next === "`" || next === "\\")) {
          value += next;
          this.pos += 2;
        } else if (c === "`") {
          this.pos++;
          break;
        } else {
          value += c;
          this.pos++;
        }
      }
      if (value === "") this.fail(start, "empty key");
      return { type: "Key", textValue: this.text.slice(start, this.pos), value, range: this.range(start) };
    }
    if (ch === '"') {
      this.fail(
        start,
        "expected a key, found a double-quoted string",
        'Quote keys with backticks: `my key` = "value".',
      );
    }
    if (ch === "'") this.singleQuotes(start);
    if (!isKeyChar(this.codePointAt(this.pos))) {
      this.fail(start, `unexpected ${this.describe(start)}, expected a key`);
    }
    while (!this.atEnd() && isKeyChar(this.codePointAt(this.pos))) {
      this.pos += this.codePointAt(this.pos).length;
    }
    const text = this.text.slice(start, this.pos);
    return { type: "Key", textValue: text, value: text, range: this.range(start) };
  }

  private parseOperator(): ParsedOperator {
    const start = this.pos;
    const ch = this.peek();
    const next = this.text[start + 1];
    const compare = (symbol: string): ParsedOperator => {
      this.pos += symbol.length;
      return {
        kind: "compare",
        symbol,
        node: { type: "ComparisonOperator", textValue: symbol, value: symbol, range: this.range(start) },
      };
    };
    if (this.atEnd()) this.fail(start, `unexpected end of filter, expected an operator (${OPERATORS})`);
    if (ch === "=") {
      if (next === "=") {
        this.fail(
          start,
          '"==" is not a valid operator',
          'Segment filters use a single "=" for equality (they are not DQL expressions): key = "value".',
        );
      }
      return compare("=");
    }
    if (ch === "!") {
      if (next === "=") return compare("!=");
      if (next === "~") this.unsupportedMatchesPhrase(start, "!~");
      this.fail(start, `unknown operator "!"`, `Use one of ${OPERATORS}.`);
    }
    if (ch === "<" || ch === ">") return compare(next === "=" ? `${ch}=` : ch);
    if (ch === "~") this.unsupportedMatchesPhrase(start, "~");
    if (this.keywordAt(start, "in")) {
      this.pos += 2;
      return { kind: "in", node: this.inclusion(start, "in") };
    }
    if (this.keywordAt(start, "not")) {
      let p = start + 3;
      while (p < this.text.length && isSpace(this.text[p])) p++;
      if (p > start + 3 && this.keywordAt(p, "in")) {
        this.pos = p + 2;
        return { kind: "in", node: this.inclusion(start, "not in") };
      }
      this.fail(start, '"not" must be followed by "in"', NOT_HINT);
    }
    this.fail(start, `unexpected ${this.describe(start)}, expected an operator (${OPERATORS})`);
  }

  private inclusion(start: number, value: string): FilterAstOperator {
    return {
      type: "InclusionOperator",
      textValue: this.text.slice(start, this.pos),
      value,
      range: this.range(start),
    };
  }

  private parseList(): FilterAstList {
    const start = this.pos;
    if (this.peek() !== "(") {
      this.fail(
        start,
        `unexpected ${this.describe(start)}, expected "(" after in`,
        'List the values in parentheses: key in ("a", "b").',
      );
    }
    this.pos++;
    const items: FilterAstString[] = [];
    for (;;) {
      this.skipSpace();
      if (items.length === 0 && this.peek() === ")") this.fail(this.pos, "empty value list");
      const lexeme = this.lexValue();
      if (lexeme.leadingStar || lexeme.trailingStar) {
        this.fail(
          lexeme.from,
          "wildcards are not supported in value lists",
          "Join = statements with OR for patterns; write a literal asterisk as \\* inside double quotes.",
        );
      }
      items.push(stringNode(lexeme, lexeme.value));
      this.skipSpace();
      if (this.peek() === ",") {
        this.pos++;
        continue;
      }
      if (this.peek() === ")") {
        this.pos++;
        break;
      }
      this.fail(this.pos, `unexpected ${this.describe(this.pos)}, expected "," or ")"`);
    }
    return {
      type: "List",
      textValue: this.text.slice(start, this.pos),
      value: items,
      range: this.range(start),
    };
  }

  /** Reads a bare word or a double-quoted string, noting unescaped `*` at either end. */
  private lexValue(): Lexeme {
    const start = this.pos;
    if (this.atEnd()) this.fail(start, "unexpected end of filter, expected a value");
    const ch = this.peek();
    if (ch === '"') return this.lexQuoted();
    if (ch === "'") this.singleQuotes(start);
    if (ch === "`") {
      this.fail(
        start,
        "backticks quote keys, not values",
        'Write values in double quotes: key = "my value".',
      );
    }
    if (ch === "(") this.fail(start, "a value list is only allowed after in / not in");
    if (ch === ")" || ch === "," || "=!<>".includes(ch)) {
      this.fail(start, `unexpected ${this.describe(start)}, expected a value`);
    }
    while (!this.atEnd() && !endsBareValue(this.text[this.pos])) this.pos++;
    const raw = this.text.slice(start, this.pos);
    return {
      raw,
      value: raw,
      from: start,
      to: this.pos,
      quoted: false,
      leadingStar: raw.startsWith("*"),
      trailingStar: raw.endsWith("*"),
    };
  }

  private lexQuoted(): Lexeme {
    const start = this.pos;
    this.pos++;
    let value = "";
    let first = true;
    let leadingStar = false;
    let lastWasWildcard = false;
    for (;;) {
      if (this.atEnd()) {
        this.fail(
          start,
          "unterminated string",
          'Close the string with " and escape quotes inside it as \\".',
        );
      }
      const c = this.text[this.pos];
      if (c === '"') {
        this.pos++;
        break;
      }
      const next = this.text[this.pos + 1];
      if (c === "\\" && (next === '"' || next === "\\" || next === "*")) {
        value += next;
        this.pos += 2;
        lastWasWildcard = false;
      } else {
        value += c;
        this.pos++;
        lastWasWildcard = c === "*";
        if (first && c === "*") leadingStar = true;
      }
      first = false;
    }
    return {
      raw: this.text.slice(start, this.pos),
      value,
      from: start,
      to: this.pos,
      quoted: true,
      leadingStar,
      trailingStar: lastWasWildcard,
    };
  }

  private unsupportedMatchesPhrase(start: number, op: string): never {
    this.fail(
      start,
      `the matches-phrase operator "${op}" is not supported`,
      "Use = with wildcards (key = *term*), or pass the filter as a JSON filter tree.",
    );
  }

  private singleQuotes(start: number): never {
    this.fail(
      start,
      "single quotes are not supported",
      'Quote values with double quotes ("value") and keys with backticks (`my key`).',
    );
  }

  private keywordAt(at: number, word: string): boolean {
    if (this.text.slice(at, at + word.length).toLowerCase() !== word) return false;
    const after = at + word.length;
    return after >= this.text.length || !isKeyChar(this.codePointAt(after));
  }

  private describe(at: number): string {
    if (at >= this.text.length) return "end of filter";
    let end = at;
    while (end < this.text.length && isKeyChar(this.codePointAt(end))) end += this.codePointAt(end).length;
    const token = end > at ? this.text.slice(at, end) : this.codePointAt(at);
    return JSON.stringify(token.length > 40 ? `${token.slice(0, 40)}…` : token);
  }

  private codePointAt(at: number): string {
    return String.fromCodePoint(this.text.codePointAt(at) ?? 0);
  }

  private range(from: number): FilterAstRange {
    return { from, to: this.pos };
  }

  private peek(): string {
    return this.text[this.pos] ?? "";
  }

  private atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  private skipSpace(): void {
    while (!this.atEnd() && isSpace(this.text[this.pos])) this.pos++;
  }

  private fail(offset: number, problem: string, hint?: string): never {
    throw filterSyntaxError(this.where, this.text, offset, problem, hint);
  }
}

function span(nodes: Expr[]): FilterAstRange {
  return { from: nodes[0].range!.from, to: nodes[nodes.length - 1].range!.to };
}

function statement(
  start: number,
  key: FilterAstKey,
  operator: FilterAstOperator,
  value: FilterAstString | FilterAstList,
): FilterAstStatement {
  return { type: "Statement", range: { from: start, to: value.range!.to }, key, operator, value };
}

function stringNode(lexeme: Lexeme, value: string): FilterAstString {
  const node: FilterAstString = {
    type: "String",
    textValue: lexeme.raw,
    value,
    range: { from: lexeme.from, to: lexeme.to },
  };
  if (lexeme.quoted) node.isEscaped = true;
  return node;
}

/** Parses filter text into the platform's filter tree; `where` prefixes error messages. */
export function parseFilter(text: string, where: string): FilterAstGroup {
  return new Parser(text, where).parse();
}
