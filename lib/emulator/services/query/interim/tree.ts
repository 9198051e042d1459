/**
 * The `query:parse` answer of the interim engine: a DQL node tree (`DQLNode` in the SDK) built from the
 * tokens, one COMMAND container per pipeline command, terminals typed by their role.
 *
 * @module
 */

import { spanPosition, type SyntaxPosition } from "../engine.ts";
import { tokenize } from "./lexer.ts";
import { type Command, parsePipeline } from "./parser.ts";
import type { Token } from "./lexer.ts";

/** A terminal node. */
export interface TerminalNode {
  /** Always `TERMINAL`. */
  nodeType: "TERMINAL";
  /** Token type, e.g. `COMMAND_NAME`. */
  type: string;
  /** The token as canonically written. */
  canonicalString: string;
  /** Whether the node could be left out. */
  isOptional: boolean;
  /** Whether the user must write it in this order. */
  isMandatoryOnUserOrder: boolean;
  /** Where the token is. */
  tokenPosition: SyntaxPosition;
}

/** A container node. */
export interface ContainerNode {
  /** Always `CONTAINER`. */
  nodeType: "CONTAINER";
  /** Container type, e.g. `QUERY`, `COMMAND`. */
  type: string;
  /** Whether the node could be left out. */
  isOptional: boolean;
  /** Where the container is. */
  tokenPosition: SyntaxPosition;
  /** Child nodes. */
  children: Array<TerminalNode | ContainerNode>;
}

const PUNCT_TYPES: Record<string, string> = {
  "|": "PIPE",
  ",": "COMMA",
  ":": "COLON",
  "=": "ASSIGNMENT",
  "(": "PARENTHESIS_OPEN",
  ")": "PARENTHESIS_CLOSE",
  "[": "BRACKET_OPEN",
  "]": "BRACKET_CLOSE",
  "{": "BRACE_OPEN",
  "}": "BRACE_CLOSE",
  "/": "SLASH",
};

/** Parses a query into a node tree; throws the same syntax errors as the engine's lexer and splitter. */
export function parseTree(query: string): ContainerNode {
  const tokens = tokenize(query);
  const commands = parsePipeline(query, tokens, () => false);
  const children: Array<TerminalNode | ContainerNode> = [];
  commands.forEach((command, i) => {
    if (i > 0) {
      const pipe = tokens.find((t) =>
        t.kind === "punct" && t.value === "|" && t.start >= commands[i - 1].end && t.end <= command.start
      )!;
      children.push(terminal(query, pipe, "PIPE"));
    }
    children.push(commandNode(query, command));
  });
  return {
    nodeType: "CONTAINER",
    type: "QUERY",
    isOptional: false,
    tokenPosition: spanPosition(query, commands[0].start, commands[commands.length - 1].end),
    children,
  };
}

function commandNode(query: string, command: Command): ContainerNode {
  const source = command.name.toLowerCase() === "fetch";
  const children = command.tokens.map((token, i) => {
    const next = command.tokens[i + 1];
    const previous = command.tokens[i - 1];
    return terminal(query, token, terminalType(token, i, next, previous, source));
  });
  return {
    nodeType: "CONTAINER",
    type: "COMMAND",
    isOptional: false,
    tokenPosition: spanPosition(query, command.start, command.end),
    children,
  };
}

function terminalType(
  token: Token,
  index: number,
  next: Token | undefined,
  previous: Token | undefined,
  fetch: boolean,
): string {
  if (index === 0) return "COMMAND_NAME";
  switch (token.kind) {
    case "string":
      return "STRING";
    case "long":
    case "double":
      return "NUMBER";
    case "duration":
      return "NUMBER";
    case "identifier": {
      const lower = token.value.toLowerCase();
      if (fetch && index === 1) return "DATA_OBJECT";
      if (next?.kind === "punct" && next.value === ":") return "PARAMETER_KEY";
      if (next?.kind === "punct" && next.value === "(") return "FUNCTION_NAME";
      if (lower === "true") return "BOOLEAN_TRUE";
      if (lower === "false") return "BOOLEAN_FALSE";
      if (lower === "null") return "NULL";
      if (previous?.kind === "punct" && previous.value === "@") return "TIME_UNIT";
      return "SIMPLE_IDENTIFIER";
    }
    default:
      return PUNCT_TYPES[token.value] ?? "OPERATOR";
  }
}

function terminal(query: string, token: Token, type: string): TerminalNode {
  return {
    nodeType: "TERMINAL",
    type,
    canonicalString: token.text,
    isOptional: false,
    isMandatoryOnUserOrder: true,
    tokenPosition: spanPosition(query, token.start, token.end),
  };
}
