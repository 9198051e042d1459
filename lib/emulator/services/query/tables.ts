/**
 * Grail data objects kept in the emulator store.
 *
 * Store collections must survive `JSON.stringify`, but typed DQL values (bigint longs, timestamps) do not; so
 * records are stored in a tagged JSON form (`{"$long":"5"}`, `{"$timestamp":"…"}`) and decoded when read.
 *
 * @module
 */

import type { EmulatorStore } from "../../types.ts";
import type { TableSource } from "./engine.ts";
import { type DqlRecord, type DqlValue, Duration, isRecord, Timeframe, Timestamp } from "./values.ts";

/** Store collection holding one entry per data object. */
export const TABLES_COLLECTION = "query.tables";

/** Data objects `fetch` accepts even when nothing was ingested into them. */
export const KNOWN_DATA_OBJECTS: readonly string[] = [
  "logs",
  "events",
  "bizevents",
  "spans",
  "dt.system.events",
  "security.events",
  "user.events",
  "user.sessions",
  "dt.davis.problems",
  "dt.davis.events",
  "dt.system.buckets",
  "application.snapshots",
];

/** A data object as stored. */
export interface StoredTable {
  /** Records in tagged JSON form. */
  records: unknown[];
}

/** Encodes a typed value into JSON-safe tagged form. */
export function toStorable(value: DqlValue): unknown {
  if (value === null || typeof value === "boolean" || typeof value === "string") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : { $double: String(value) };
  if (typeof value === "bigint") return { $long: value.toString() };
  if (value instanceof Timestamp) return { $timestamp: value.toString() };
  if (value instanceof Duration) return { $duration: value.nanos.toString() };
  if (value instanceof Timeframe) {
    return { $timeframe: { start: value.start.toString(), end: value.end.toString() } };
  }
  if (Array.isArray(value)) return value.map(toStorable);
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) out[key] = toStorable(inner);
  return out;
}

/** Decodes the tagged form back into typed values. */
export function fromStorable(value: unknown): DqlValue {
  if (
    value === null || typeof value === "boolean" || typeof value === "string" || typeof value === "number"
  ) {
    return value;
  }
  if (Array.isArray(value)) return value.map(fromStorable);
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  if (keys.length === 1) {
    const [tag] = keys;
    const inner = object[tag];
    switch (tag) {
      case "$long":
        return BigInt(inner as string);
      case "$double":
        return Number(inner);
      case "$timestamp":
        return Timestamp.parse(inner as string)!;
      case "$duration":
        return new Duration(BigInt(inner as string));
      case "$timeframe": {
        const { start, end } = inner as { start: string; end: string };
        return new Timeframe(Timestamp.parse(start)!, Timestamp.parse(end)!);
      }
    }
  }
  const record: DqlRecord = {};
  for (const key of keys) record[key] = fromStorable(object[key]);
  return record;
}

/** Replaces the records of a data object. */
export function writeTable(store: EmulatorStore, name: string, records: readonly DqlRecord[]): void {
  store.collection<StoredTable>(TABLES_COLLECTION).set(name, { records: records.map(toStorable) });
  store.markDirty();
}

/** A {@link TableSource} over the store: the known data objects plus any stored ones. */
export function storeTables(store: EmulatorStore): TableSource {
  const collection = store.collection<StoredTable>(TABLES_COLLECTION);
  return {
    names: () => [...new Set([...KNOWN_DATA_OBJECTS, ...collection.keys()])].sort(),
    has: (name) => KNOWN_DATA_OBJECTS.includes(name) || collection.has(name),
    records: (name) =>
      (collection.get(name)?.records ?? []).map((stored) => {
        const value = fromStorable(stored);
        return isRecord(value) ? value : { value };
      }),
  };
}
