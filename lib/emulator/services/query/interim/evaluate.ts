/**
 * Evaluates the interim engine's constant expressions (no field access: the interim engine has no per-record
 * expressions) into typed DQL values.
 *
 * @module
 */

import { QueryError, spanPosition } from "../engine.ts";
import { type DqlRecord, type DqlValue, Duration, Timestamp } from "../values.ts";
import { DURATION_UNITS } from "./lexer.ts";
import type { Expr } from "./parser.ts";

/** What constant expressions can see. */
export interface EvalContext {
  /** The query text, for error positions. */
  query: string;
  /** The value of `now()`. */
  now: Timestamp;
}

/** Evaluates a constant expression. */
export function evaluate(expr: Expr, context: EvalContext): DqlValue {
  const fail = (message: string, at: Expr = expr): never => {
    throw new QueryError("SYNTAX_ERROR", message, {
      position: spanPosition(context.query, at.start, at.end),
    });
  };
  switch (expr.kind) {
    case "string":
    case "long":
    case "double":
    case "boolean":
      return expr.value;
    case "null":
      return null;
    case "duration":
      return new Duration(expr.amount * DURATION_UNITS[expr.unit]);
    case "field":
      return fail(
        `The field \`${expr.name}\` doesn't exist here: the emulator's interim engine only evaluates constants.`,
      );
    case "negate":
      return negate(
        evaluate(expr.operand, context),
        () => fail("Only numbers and durations can be negated."),
      );
    case "binary":
      return arithmetic(
        expr.op,
        evaluate(expr.left, context),
        evaluate(expr.right, context),
        (message) => fail(message),
      );
    case "align": {
      const value = evaluate(expr.operand, context);
      if (!(value instanceof Timestamp)) return fail("`@` aligns timestamps only.");
      return align(
        value as Timestamp,
        expr.unit,
        () => fail(`\`@${expr.unit}\` isn't supported by the emulator's interim engine.`),
      );
    }
    case "call":
      return call(expr, context, fail);
  }
}

function call(
  expr: Extract<Expr, { kind: "call" }>,
  context: EvalContext,
  fail: (message: string, at?: Expr) => never,
): DqlValue {
  const name = expr.name.toLowerCase();
  const positional = () => {
    const named = expr.args.find((arg) => arg.name !== undefined);
    if (named) fail(`\`${expr.name}\` takes no named parameters.`, named.value);
    return expr.args.map((arg) => evaluate(arg.value, context));
  };
  switch (name) {
    case "record": {
      const record: DqlRecord = {};
      for (const arg of expr.args) {
        if (arg.name === undefined || arg.named) {
          fail("Each field of `record()` needs a name: `record(a = 1)`.", arg.value);
        }
        record[arg.name!] = evaluate(arg.value, context);
      }
      return record;
    }
    case "array":
      return positional();
    case "now": {
      if (positional().length > 0) fail("`now()` takes no parameters.");
      return context.now;
    }
    case "totimestamp": {
      const args = positional();
      if (args.length !== 1) fail("`toTimestamp()` takes one parameter.");
      const [value] = args;
      if (value === null) return null;
      if (value instanceof Timestamp) return value;
      if (typeof value === "bigint") return Timestamp.fromMillis(Number(value));
      if (typeof value === "string") return Timestamp.parse(value) ?? null;
      return fail("`toTimestamp()` needs a string, a number or a timestamp.");
    }
    default:
      return fail(`The function \`${expr.name}\` isn't supported by the emulator's interim engine.`);
  }
}

function negate(value: DqlValue, fail: () => never): DqlValue {
  if (value === null) return null;
  if (typeof value === "bigint" || typeof value === "number") return -value;
  if (value instanceof Duration) return new Duration(-value.nanos);
  return fail();
}

/** DQL arithmetic over longs, doubles, durations and timestamps; null in, null out. */
export function arithmetic(op: string, a: DqlValue, b: DqlValue, fail: (message: string) => never): DqlValue {
  if (a === null || b === null) return null;
  if (typeof a === "bigint" && typeof b === "bigint") {
    switch (op) {
      case "+":
        return a + b;
      case "-":
        return a - b;
      case "*":
        return a * b;
      case "/":
        // DQL divides longs into a double (`10 / 4` is 2.5).
        return Number(a) / Number(b);
      case "%":
        if (b === 0n) return null;
        return a % b;
    }
  }
  if (isNumeric(a) && isNumeric(b)) {
    const x = Number(a);
    const y = Number(b);
    switch (op) {
      case "+":
        return x + y;
      case "-":
        return x - y;
      case "*":
        return x * y;
      case "/":
        return x / y;
      case "%":
        return x % y;
    }
  }
  if (a instanceof Timestamp && b instanceof Duration && (op === "+" || op === "-")) {
    return new Timestamp(op === "+" ? a.nanos + b.nanos : a.nanos - b.nanos);
  }
  if (a instanceof Duration && b instanceof Timestamp && op === "+") return new Timestamp(a.nanos + b.nanos);
  if (a instanceof Timestamp && b instanceof Timestamp && op === "-") return new Duration(a.nanos - b.nanos);
  if (a instanceof Duration && b instanceof Duration) {
    if (op === "+") return new Duration(a.nanos + b.nanos);
    if (op === "-") return new Duration(a.nanos - b.nanos);
    if (op === "/") return Number(a.nanos) / Number(b.nanos);
  }
  if (a instanceof Duration && typeof b === "bigint" && (op === "*" || op === "/")) {
    if (op === "/" && b === 0n) return null;
    return new Duration(op === "*" ? a.nanos * b : a.nanos / b);
  }
  if (typeof a === "bigint" && b instanceof Duration && op === "*") return new Duration(a * b.nanos);
  return fail(`The operator \`${op}\` can't combine these types.`);
}

function isNumeric(value: DqlValue): value is number | bigint {
  return typeof value === "number" || typeof value === "bigint";
}

const ALIGN_UNITS: Record<string, bigint> = {
  s: DURATION_UNITS.s,
  m: DURATION_UNITS.m,
  h: DURATION_UNITS.h,
  d: DURATION_UNITS.d,
};

function align(value: Timestamp, unit: string, fail: () => never): Timestamp {
  if (unit === "w") {
    // Weeks align to Monday 00:00 UTC; the epoch was a Thursday, three days after a Monday.
    const day = DURATION_UNITS.d;
    const days = floorDiv(value.nanos, day);
    return new Timestamp((days - ((days + 3n) % 7n + 7n) % 7n) * day);
  }
  // Own keys only: `@toString` must be a syntax error, not Object.prototype's method (a 500).
  const step = Object.hasOwn(ALIGN_UNITS, unit) ? ALIGN_UNITS[unit] : undefined;
  if (!step) return fail();
  return new Timestamp(floorDiv(value.nanos, step) * step);
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && (a < 0n) !== (b < 0n) ? q - 1n : q;
}
