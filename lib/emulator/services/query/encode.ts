/**
 * Encodes typed DQL values into the Grail result wire format: `records` plus `types` buckets.
 *
 * Rules (reference `dynatrace-api.md` §5, `dql.md` §9): longs and durations are strings, doubles numbers
 * (non-finite ones as strings), timestamps RFC3339 with nine fractional digits, timeframes `{start, end}`.
 * `types` is a list of buckets over record positions with an inclusive `indexRange`; a new bucket starts
 * when a field's type collides with the type it had earlier in the current bucket. Mapping keys follow column
 * order, because clients (dtctl) recover the column order from them.
 *
 * @module
 */

import { type DqlRecord, type DqlValue, Duration, Timeframe, Timestamp, typeNameOf } from "./values.ts";

/** The type of one field on the wire (`FieldType` in the SDK). */
export interface WireFieldType {
  /** The wire type name. */
  type: string;
  /** Element types of arrays, field types of records. */
  types?: WireRangedTypes[];
}

/** One bucket of the `types` list (`RangedFieldTypes` in the SDK). */
export interface WireRangedTypes {
  /** First and last record index covered, inclusive; absent for the single bucket of a nested record. */
  indexRange?: [number, number];
  /** Field name to type, in column order. */
  mappings: Record<string, WireFieldType>;
}

/** A JSON value as it appears in `records`. */
export type WireValue = null | boolean | string | number | WireValue[] | { [key: string]: WireValue };

/** Records and their type buckets, ready for `result`. */
export interface EncodedRecords {
  /** The records in wire encoding. */
  records: Record<string, WireValue>[];
  /** The type buckets. */
  types: WireRangedTypes[];
}

/** Encodes one value for the wire. */
export function encodeValue(value: DqlValue): WireValue {
  if (value === null || typeof value === "boolean" || typeof value === "string") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Timestamp) return value.toString();
  if (value instanceof Duration) return value.nanos.toString();
  if (value instanceof Timeframe) return { start: value.start.toString(), end: value.end.toString() };
  if (Array.isArray(value)) return value.map(encodeValue);
  const out: Record<string, WireValue> = {};
  for (const [key, inner] of Object.entries(value)) out[key] = encodeValue(inner);
  return out;
}

/** The wire type of a non-null value, including nested array element and record field types. */
export function fieldTypeOf(value: Exclude<DqlValue, null>): WireFieldType {
  const type = typeNameOf(value);
  if (type === "array") {
    const elements = (value as DqlValue[]).map((element) => ({ element }));
    return { type, types: bucketTypes(elements) };
  }
  if (type === "record") {
    const [bucket] = bucketTypes([value as DqlRecord]);
    return { type, types: [{ mappings: bucket?.mappings ?? {} }] };
  }
  return { type };
}

/**
 * Encodes records and derives their type buckets.
 *
 * @param columns optional column order; fields not listed follow in order of first appearance.
 */
export function encodeRecords(records: readonly DqlRecord[], columns?: readonly string[]): EncodedRecords {
  return {
    records: records.map((record) => encodeValue(record) as Record<string, WireValue>),
    types: bucketTypes(records, columns),
  };
}

interface OpenBucket {
  start: number;
  end: number;
  // undefined = every value seen so far in this bucket was null: the field fits any type.
  mappings: Map<string, WireFieldType | undefined>;
}

/** Splits records into type buckets; a bucket ends where a field's type collides with its earlier type. */
export function bucketTypes(records: readonly DqlRecord[], columns?: readonly string[]): WireRangedTypes[] {
  const buckets: WireRangedTypes[] = [];
  let open: OpenBucket | undefined;
  records.forEach((record, index) => {
    const fields = Object.entries(record).map(([name, value]) => {
      return [name, value === null ? undefined : fieldTypeOf(value)] as const;
    });
    if (open && fits(open, fields)) {
      for (const [name, type] of fields) {
        if (type !== undefined || !open.mappings.has(name)) {
          open.mappings.set(name, type ?? open.mappings.get(name));
        }
      }
      open.end = index;
      return;
    }
    if (open) buckets.push(close(open, columns));
    open = { start: index, end: index, mappings: new Map(fields) };
  });
  if (open) buckets.push(close(open, columns));
  return buckets;
}

function fits(
  bucket: OpenBucket,
  fields: ReadonlyArray<readonly [string, WireFieldType | undefined]>,
): boolean {
  return fields.every(([name, type]) => {
    if (type === undefined) return true;
    const known = bucket.mappings.get(name);
    return known === undefined || sameType(known, type);
  });
}

function sameType(a: WireFieldType, b: WireFieldType): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function close(bucket: OpenBucket, columns?: readonly string[]): WireRangedTypes {
  const names = [...bucket.mappings.keys()];
  if (columns) {
    const rank = (name: string) => {
      const at = columns.indexOf(name);
      return at === -1 ? columns.length + names.indexOf(name) : at;
    };
    names.sort((a, b) => rank(a) - rank(b));
  }
  const mappings: Record<string, WireFieldType> = {};
  // A field that was null in every record of the bucket has no type of its own: Grail names it "undefined".
  for (const name of names) mappings[name] = bucket.mappings.get(name) ?? { type: "undefined" };
  return { indexRange: [bucket.start, bucket.end], mappings };
}
