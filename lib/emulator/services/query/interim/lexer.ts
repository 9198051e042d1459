/**
 * DQL tokenizer for the interim engine: enough of the lexical rules of `dql.md` §2 to read every query and
 * point at the offending character of the ones it cannot read.
 *
 * @module
 */

import { QueryError, spanPosition } from "../engine.ts";

/** Token kinds. */
export type TokenKind =
  | "identifier"
  | "string"
  | "long"
  | "double"
  | "duration"
  | "punct"
  | "end";

/** One token with its source span `[start, end)`. */
export interface Token {
  /** Kind. */
  kind: TokenKind;
  /** The source text of the token. */
  text: string;
  /** Decoded value: identifier name (backticks removed), string contents, number text, or the punctuation. */
  value: string;
  /** Duration unit, for `duration` tokens. */
  unit?: string;
  /** Offset of the first character. */
  start: number;
  /** Offset after the last character. */
  end: number;
}

const PUNCTUATION = [
  "==",
  "!=",
  "<>",
  "<=",
  ">=",
  "|",
  ",",
  ":",
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  "=",
  "<",
  ">",
  "+",
  "-",
  "*",
  "/",
  "%",
  "@",
  "~",
];

/** Duration units and their length in nanoseconds; calendar units (`M`, `q`, `y`) have no fixed length. */
export const DURATION_UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  sec: 1_000_000_000n,
  m: 60_000_000_000n,
  min: 60_000_000_000n,
  h: 3_600_000_000_000n,
  hours: 3_600_000_000_000n,
  d: 86_400_000_000_000n,
  days: 86_400_000_000_000n,
  w: 604_800_000_000_000n,
};

/** Calendar units (months, quarters, years): valid DQL, but with no fixed length. */
const CALENDAR_UNITS = ["M", "q", "y", "months", "quarters", "years"];

/** Splits a query into tokens; throws a Grail-shaped {@link QueryError} on characters DQL does not allow. */
export function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (errorType: string, message: string, start: number, end: number): never => {
    throw new QueryError(errorType, message, { position: spanPosition(query, start, end) });
  };
  while (i < query.length) {
    const c = query[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (query.startsWith("//", i)) {
      while (i < query.length && query[i] !== "\n") i++;
      continue;
    }
    if (query.startsWith("/*", i)) {
      const close = query.indexOf("*/", i + 2);
      if (close === -1) fail("SYNTAX_ERROR", "The comment isn't closed.", i, query.length);
      i = close + 2;
      continue;
    }
    const start = i;
    if (c === "'") {
      fail(
        "PARSE_ERROR_SINGLE_QUOTES",
        "Single quotes are not supported. Please use double quotes for strings.",
        start,
        start + 1,
      );
    }
    if (query.startsWith('"""', i)) {
      const close = query.indexOf('"""', i + 3);
      if (close === -1) fail("SYNTAX_ERROR", "The string isn't closed.", start, query.length);
      i = close + 3;
      tokens.push({
        kind: "string",
        text: query.slice(start, i),
        value: query.slice(start + 3, close),
        start,
        end: i,
      });
      continue;
    }
    if (c === '"') {
      let value = "";
      i++;
      while (i < query.length && query[i] !== '"') {
        if (query[i] === "\\") {
          const next = query[i + 1];
          const escapes: Record<string, string> = { n: "\n", t: "\t", r: "\r", '"': '"', "\\": "\\" };
          value += escapes[next] ?? next;
          i += 2;
        } else {
          value += query[i++];
        }
      }
      if (i >= query.length) fail("SYNTAX_ERROR", "The string isn't closed.", start, query.length);
      i++;
      tokens.push({ kind: "string", text: query.slice(start, i), value, start, end: i });
      continue;
    }
    if (c === "`") {
      const close = query.indexOf("`", i + 1);
      if (close === -1) fail("SYNTAX_ERROR", "The identifier isn't closed.", start, query.length);
      i = close + 1;
      tokens.push({
        kind: "identifier",
        text: query.slice(start, i),
        value: query.slice(start + 1, close),
        start,
        end: i,
      });
      continue;
    }
    if (/[0-9]/.test(c)) {
      tokens.push(readNumber(query, start, fail));
      i = tokens[tokens.length - 1].end;
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      i++;
      while (i < query.length && /[A-Za-z0-9_.]/.test(query[i])) i++;
      // A trailing dot belongs to no identifier (`a.` is an error the parser reports at the dot).
      while (query[i - 1] === ".") i--;
      const text = query.slice(start, i);
      tokens.push({ kind: "identifier", text, value: text, start, end: i });
      continue;
    }
    const punct = PUNCTUATION.find((p) => query.startsWith(p, i));
    if (!punct) fail("SYNTAX_ERROR", `The character \`${c}\` isn't allowed here.`, start, start + 1);
    i += punct!.length;
    tokens.push({ kind: "punct", text: punct!, value: punct!, start, end: i });
  }
  tokens.push({ kind: "end", text: "", value: "", start: query.length, end: query.length });
  return tokens;
}

function readNumber(
  query: string,
  start: number,
  fail: (type: string, message: string, start: number, end: number) => never,
): Token {
  let i = start;
  if (/^0[xX][0-9a-fA-F]/.test(query.slice(i, i + 3))) {
    i += 2;
    while (/[0-9a-fA-F]/.test(query[i] ?? "")) i++;
    const text = query.slice(start, i);
    return { kind: "long", text, value: BigInt(text).toString(), start, end: i };
  }
  while (/[0-9]/.test(query[i] ?? "")) i++;
  let kind: TokenKind = "long";
  if (query[i] === "." && /[0-9]/.test(query[i + 1] ?? "")) {
    kind = "double";
    i++;
    while (/[0-9]/.test(query[i] ?? "")) i++;
  }
  if (/[eE]/.test(query[i] ?? "") && /^[eE][+-]?[0-9]/.test(query.slice(i, i + 3))) {
    kind = "double";
    i++;
    if (/[+-]/.test(query[i])) i++;
    while (/[0-9]/.test(query[i] ?? "")) i++;
  }
  const numberText = query.slice(start, i);
  const unitMatch = /^[A-Za-z]+/.exec(query.slice(i));
  if (unitMatch) {
    const unit = unitMatch[0];
    const end = i + unit.length;
    if (kind !== "long") fail("SYNTAX_ERROR", "A duration needs a whole number.", start, end);
    if (CALENDAR_UNITS.includes(unit)) {
      fail(
        "SYNTAX_ERROR",
        `Calendar durations (\`${unit}\`) aren't supported by the emulator's interim engine.`,
        start,
        end,
      );
    }
    // Own keys only: `in` would accept Object.prototype names such as `1constructor` (then a 500).
    if (!Object.hasOwn(DURATION_UNITS, unit)) {
      fail("SYNTAX_ERROR", `\`${unit}\` isn't a valid duration unit.`, i, end);
    }
    return { kind: "duration", text: query.slice(start, end), value: numberText, unit, start, end };
  }
  return { kind, text: numberText, value: numberText, start, end: i };
}
