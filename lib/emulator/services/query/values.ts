/**
 * Typed DQL values, as query engines produce them and the wire encoder consumes them.
 *
 * JSON cannot tell a long from a double or a timestamp from a string, but the Grail wire format must (longs
 * travel as strings, timestamps with nine fractional digits). So engines hand over values whose JavaScript type
 * carries the DQL type: `bigint` is a long, `number` a double, and small classes mark timestamps, durations and
 * timeframes. Plain objects are DQL records, arrays are DQL arrays.
 *
 * @module
 */

/** A point in time with nanosecond precision (nanoseconds since the epoch). */
export class Timestamp {
  /** Creates a timestamp from nanoseconds since the epoch. */
  constructor(readonly nanos: bigint) {}

  /** A timestamp from milliseconds since the epoch (fractional milliseconds are dropped). */
  static fromMillis(millis: number): Timestamp {
    return new Timestamp(BigInt(Math.trunc(millis)) * 1_000_000n);
  }

  /**
   * Parses an RFC3339 / ISO-8601 timestamp with up to nine fractional digits (`Z` or a numeric offset), or a
   * bare date (`2024-05-01`, midnight UTC). Returns undefined when the text is not such a timestamp.
   */
  static parse(text: string): Timestamp | undefined {
    const match = ISO_PATTERN.exec(text.trim());
    if (!match) return undefined;
    const [, y, mo, d, h = "0", mi = "0", s = "0", fraction = "", zone] = match;
    const millis = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
    if (Number.isNaN(millis)) return undefined;
    const check = new Date(millis);
    // Date.UTC silently rolls 2024-02-31 over into March; a real timestamp parser rejects it.
    if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1) return undefined;
    let nanos = BigInt(millis) * 1_000_000n + BigInt(fraction.padEnd(9, "0") || "0");
    if (zone && zone !== "Z" && zone !== "z") {
      const sign = zone.startsWith("-") ? -1n : 1n;
      const digits = zone.slice(1).replace(":", "");
      const offsetMinutes = BigInt(Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
      nanos -= sign * offsetMinutes * 60_000_000_000n;
    }
    return new Timestamp(nanos);
  }

  /** Milliseconds since the epoch (nanoseconds truncated). */
  toMillis(): number {
    return Number(this.nanos / 1_000_000n);
  }

  /** RFC3339 UTC with exactly nine fractional digits, as Grail records carry timestamps. */
  toString(): string {
    const millis = floorDiv(this.nanos, 1_000_000n);
    const base = new Date(Number(millis)).toISOString().slice(0, 19);
    const fraction = this.nanos - floorDiv(this.nanos, 1_000_000_000n) * 1_000_000_000n;
    return `${base}.${fraction.toString().padStart(9, "0")}Z`;
  }
}

const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|z|[+-]\d{2}:?\d{2})?$/;

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && (a < 0n) !== (b < 0n) ? q - 1n : q;
}

/** A length of time with nanosecond precision. */
export class Duration {
  /** Creates a duration from nanoseconds. */
  constructor(readonly nanos: bigint) {}

  /** A duration from milliseconds. */
  static fromMillis(millis: number): Duration {
    return new Duration(BigInt(Math.trunc(millis)) * 1_000_000n);
  }

  /** Whole milliseconds (truncated). */
  toMillis(): number {
    return Number(this.nanos / 1_000_000n);
  }
}

/** A time interval `[start, end)`. */
export class Timeframe {
  /** Creates a timeframe from its two ends. */
  constructor(readonly start: Timestamp, readonly end: Timestamp) {}
}

/** A DQL record: field name to value, in column order. */
export interface DqlRecord {
  [field: string]: DqlValue;
}

/**
 * Any DQL value: `bigint` = long, `number` = double, classes for timestamp/duration/timeframe, arrays,
 * records (plain objects) and null.
 */
export type DqlValue =
  | null
  | boolean
  | string
  | number
  | bigint
  | Timestamp
  | Duration
  | Timeframe
  | DqlValue[]
  | DqlRecord;

/** The DQL type names used on the wire (`@dynatrace-sdk/client-query` `FieldTypeType`). */
export type WireTypeName =
  | "boolean"
  | "string"
  | "double"
  | "long"
  | "timestamp"
  | "timeframe"
  | "duration"
  | "binary"
  | "ip_address"
  | "geo_point"
  | "array"
  | "record"
  | "uid"
  | "smartscape_id"
  | "undefined";

/** True when the value is a DQL record (a plain object, not one of the value classes). */
export function isRecord(value: unknown): value is DqlRecord {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The wire type name of a non-null value. */
export function typeNameOf(value: Exclude<DqlValue, null>): WireTypeName {
  switch (typeof value) {
    case "boolean":
      return "boolean";
    case "string":
      return "string";
    case "number":
      return "double";
    case "bigint":
      return "long";
  }
  if (value instanceof Timestamp) return "timestamp";
  if (value instanceof Duration) return "duration";
  if (value instanceof Timeframe) return "timeframe";
  if (Array.isArray(value)) return "array";
  return "record";
}
