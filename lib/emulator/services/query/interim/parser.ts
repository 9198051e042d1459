/**
 * Pipeline and expression parser of the interim DQL engine.
 *
 * It reads the general shape of any DQL pipeline (`command param, name: value | …`) so the engine can name the
 * first command it does not support, and the expression subset the interim engine evaluates: literals,
 * `record()`/`array()`/`toTimestamp()`/`now()` calls, field names, unary minus, `+ - * / %` and `@` alignment.
 *
 * @module
 */

import { QueryError, spanPosition } from "../engine.ts";
import type { Token } from "./lexer.ts";

/** A parsed expression with its source span `[start, end)`. */
export type Expr =
  | { kind: "string"; value: string; start: number; end: number }
  | { kind: "long"; value: bigint; start: number; end: number }
  | { kind: "double"; value: number; start: number; end: number }
  | { kind: "boolean"; value: boolean; start: number; end: number }
  | { kind: "null"; start: number; end: number }
  | { kind: "duration"; amount: bigint; unit: string; start: number; end: number }
  | { kind: "field"; name: string; start: number; end: number }
  | { kind: "call"; name: string; args: Argument[]; start: number; end: number }
  | { kind: "negate"; operand: Expr; start: number; end: number }
  | { kind: "binary"; op: string; left: Expr; right: Expr; start: number; end: number }
  | { kind: "align"; operand: Expr; unit: string; start: number; end: number };

/** A function argument: positional, `name = value` (records) or `name: value` (named parameters). */
export interface Argument {
  /** Assigned or named parameter name. */
  name?: string;
  /** True for `name: value`, false for `name = value`. */
  named?: boolean;
  /** The value. */
  value: Expr;
  /** Span start. */
  start: number;
  /** Span end. */
  end: number;
}

/** One pipeline command. */
export interface Command {
  /** Command name as written. */
  name: string;
  /** The name token. */
  nameToken: Token;
  /** Parameters in order. */
  params: Argument[];
  /** The command's tokens (for canonical printing). */
  tokens: Token[];
  /** Span start. */
  start: number;
  /** Span end. */
  end: number;
}

const BINARY_LEVELS: string[][] = [["+", "-"], ["*", "/", "%"]];

/**
 * Splits a pipeline into commands at top-level `|` (pipes inside `[ subqueries ]` and parentheses stay put)
 * and parses each command's parameters with the expression subset. Splitting first lets the engine name an
 * unsupported command even when its parameters use syntax the subset does not cover.
 *
 * @param parseParamsOf decides which commands get their parameters parsed (the rest keep `params: []`).
 */
export function parsePipeline(
  query: string,
  tokens: Token[],
  parseParamsOf: (name: string) => boolean = () => true,
): Command[] {
  const end = tokens[tokens.length - 1];
  const fail = (token: Token, message: string): never => {
    const start = token.kind === "end" ? Math.max(0, token.start - 1) : token.start;
    throw new QueryError("SYNTAX_ERROR", message, {
      position: spanPosition(query, start, Math.max(token.end, start + 1)),
    });
  };
  if (tokens.length === 1) fail(end, "The query is empty.");
  const groups: Token[][] = [[]];
  const open: Token[] = [];
  const pairs: Record<string, string> = { ")": "(", "]": "[", "}": "{" };
  for (const token of tokens.slice(0, -1)) {
    if (token.kind === "punct" && "([{".includes(token.value)) open.push(token);
    if (token.kind === "punct" && token.value in pairs) {
      const last = open.pop();
      if (!last || last.value !== pairs[token.value]) fail(token, `Unexpected \`${token.text}\`.`);
    }
    if (token.kind === "punct" && token.value === "|" && open.length === 0) {
      if (groups[groups.length - 1].length === 0) fail(token, "A command is missing before `|`.");
      groups.push([]);
      continue;
    }
    groups[groups.length - 1].push(token);
  }
  if (open.length > 0) fail(open[open.length - 1], `\`${open[open.length - 1].text}\` isn't closed.`);
  if (groups[groups.length - 1].length === 0) fail(end, "A command is missing after `|`.");
  return groups.map((group) => {
    const [nameToken] = group;
    if (nameToken.kind !== "identifier") {
      fail(nameToken, `Expected a command name, found \`${nameToken.text}\`.`);
    }
    const command: Command = {
      name: nameToken.value,
      nameToken,
      params: [],
      tokens: group,
      start: nameToken.start,
      end: group[group.length - 1].end,
    };
    if (parseParamsOf(nameToken.value)) {
      const last = group[group.length - 1];
      const stop: Token = { kind: "end", text: "", value: "", start: last.end, end: last.end };
      command.params = new Parser(query, [...group.slice(1), stop]).params();
    }
    return command;
  });
}

class Parser {
  private at = 0;

  constructor(private readonly query: string, private readonly tokens: Token[]) {}

  params(): Argument[] {
    const params: Argument[] = [];
    if (this.peek().kind !== "end") {
      params.push(this.argument());
      while (this.peekIs(",")) {
        this.next();
        params.push(this.argument());
      }
    }
    const rest = this.peek();
    if (rest.kind !== "end") this.fail(rest, `Unexpected \`${rest.text}\`.`);
    return params;
  }

  private argument(): Argument {
    const token = this.peek();
    const after = this.tokens[this.at + 1];
    if (
      token.kind === "identifier" && after?.kind === "punct" && (after.value === ":" || after.value === "=")
    ) {
      this.next();
      this.next();
      const value = this.expression();
      return { name: token.value, named: after.value === ":", value, start: token.start, end: value.end };
    }
    const value = this.expression();
    return { value, start: value.start, end: value.end };
  }

  private expression(): Expr {
    let expr = this.binary(0);
    // `now()-1h@h`: the offset applies first, then the alignment, so `@` wraps the whole arithmetic.
    while (this.peekIs("@")) {
      this.next();
      const unit = this.peek();
      if (unit.kind !== "identifier") this.fail(unit, "Expected a time unit after `@`.");
      this.next();
      expr = { kind: "align", operand: expr, unit: unit.value, start: expr.start, end: unit.end };
    }
    return expr;
  }

  private binary(level: number): Expr {
    if (level >= BINARY_LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    while (this.peek().kind === "punct" && BINARY_LEVELS[level].includes(this.peek().value)) {
      const op = this.next().value;
      const right = this.binary(level + 1);
      left = { kind: "binary", op, left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private unary(): Expr {
    if (this.peekIs("-")) {
      const minus = this.next();
      const operand = this.unary();
      return { kind: "negate", operand, start: minus.start, end: operand.end };
    }
    return this.primary();
  }

  private primary(): Expr {
    const token = this.peek();
    switch (token.kind) {
      case "string":
        this.next();
        return { kind: "string", value: token.value, start: token.start, end: token.end };
      case "long":
        this.next();
        return { kind: "long", value: BigInt(token.value), start: token.start, end: token.end };
      case "double":
        this.next();
        return { kind: "double", value: Number(token.value), start: token.start, end: token.end };
      case "duration":
        this.next();
        return {
          kind: "duration",
          amount: BigInt(token.value),
          unit: token.unit!,
          start: token.start,
          end: token.end,
        };
      case "identifier":
        return this.identifier();
      case "punct":
        if (token.value === "(") {
          this.next();
          const inner = this.expression();
          this.expect(")");
          return inner;
        }
        return this.fail(token, `Unexpected \`${token.text}\`.`);
      default:
        return this.fail(token, "The query ends where a value is expected.");
    }
  }

  private identifier(): Expr {
    const token = this.next();
    const lower = token.value.toLowerCase();
    const quoted = token.text.startsWith("`");
    if (!quoted && (lower === "true" || lower === "false")) {
      return { kind: "boolean", value: lower === "true", start: token.start, end: token.end };
    }
    if (!quoted && lower === "null") return { kind: "null", start: token.start, end: token.end };
    if (quoted || !this.peekIs("(")) {
      return { kind: "field", name: token.value, start: token.start, end: token.end };
    }
    this.next();
    const args: Argument[] = [];
    if (!this.peekIs(")")) {
      args.push(this.argument());
      while (this.peekIs(",")) {
        this.next();
        args.push(this.argument());
      }
    }
    const close = this.expect(")");
    return { kind: "call", name: token.value, args, start: token.start, end: close.end };
  }

  private expect(punct: string): Token {
    const token = this.peek();
    if (!this.peekIs(punct)) {
      this.fail(
        token,
        token.kind === "end" ? `\`${punct}\` is missing.` : `Expected \`${punct}\`, found \`${token.text}\`.`,
      );
    }
    return this.next();
  }

  private peek(): Token {
    return this.tokens[this.at];
  }

  private peekIs(punct: string): boolean {
    const token = this.peek();
    return token.kind === "punct" && token.value === punct;
  }

  private next(): Token {
    return this.tokens[this.at++];
  }

  private fail(token: Token, message: string): never {
    const end = token.kind === "end" ? token.start : token.end;
    const start = token.kind === "end" ? Math.max(0, token.start - 1) : token.start;
    throw new QueryError("SYNTAX_ERROR", message, {
      position: spanPosition(this.query, start, Math.max(end, start + 1)),
    });
  }
}

/** Prints a command canonically: single spaces, `, ` after commas, no space around `:` or inside brackets. */
export function canonicalCommand(command: Command): string {
  let out = "";
  let previous: Token | undefined;
  let previousWasUnary = false;
  for (const token of command.tokens) {
    const isUnary = token.value === "-" && token.kind === "punct" &&
      (previous === undefined || (previous.kind === "punct" && !/^[)\]}]$/.test(previous.value)));
    if (previous && needsSpace(previous, token, previousWasUnary)) out += " ";
    out += token.text;
    previousWasUnary = isUnary;
    previous = token;
  }
  return out;
}

function needsSpace(previous: Token, token: Token, previousWasUnary: boolean): boolean {
  if (previousWasUnary) return false;
  if (token.kind === "punct" && /^[,:)\]}]$/.test(token.value)) return false;
  if (previous.kind === "punct" && /^[(\[{:@]$/.test(previous.value)) return false;
  if (token.kind === "punct" && token.value === "@") return false;
  if (token.kind === "punct" && token.value === "(" && previous.kind === "identifier") return false;
  return true;
}
