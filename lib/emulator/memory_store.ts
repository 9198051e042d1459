/**
 * The in-memory emulator state, serialisable to and from JSON.
 *
 * @module
 */

import type { EmulatorStore } from "./types.ts";
import { isObject } from "./http/validate.ts";

/** The JSON form of the whole emulator state. */
export interface StateSnapshot {
  /** Format version of the snapshot. */
  format: 1;
  /** Collection name → record id → record. */
  collections: Record<string, Record<string, unknown>>;
}

/**
 * A store the emulator core can drive: besides the service-facing {@link EmulatorStore}, it can be cleared,
 * snapshotted and asked to run a request as one transaction (a no-op for memory, lock + reload + persist for
 * files).
 */
export interface ManagedStore extends EmulatorStore {
  /** Runs `fn` as one unit of work against consistent state. */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /** Empties every collection (collections keep their identity, so held references stay valid). */
  clear(): void;
  /** The whole state as JSON-serialisable data. */
  toJSON(): StateSnapshot;
}

/** Emulator state held in memory. */
export class MemoryStore implements ManagedStore {
  readonly #collections = new Map<string, Map<string, unknown>>();
  #dirty = false;

  /** Creates a store, optionally loaded from a snapshot. */
  constructor(snapshot?: StateSnapshot) {
    if (snapshot) this.load(snapshot);
  }

  /** The collection with this name, created empty on first use; the same `Map` for the store's lifetime. */
  collection<T>(name: string): Map<string, T> {
    let map = this.#collections.get(name);
    if (!map) {
      map = new Map();
      this.#collections.set(name, map);
    }
    return map as Map<string, T>;
  }

  /** Records that the state changed. */
  markDirty(): void {
    this.#dirty = true;
  }

  /** Whether the state changed since the last {@link clearDirty}. */
  get dirty(): boolean {
    return this.#dirty;
  }

  /** Forgets pending changes (after they were persisted). */
  clearDirty(): void {
    this.#dirty = false;
  }

  /** Names of the collections that hold records. */
  names(): string[] {
    return [...this.#collections].filter(([, map]) => map.size > 0).map(([name]) => name);
  }

  /** Empties every collection in place. */
  clear(): void {
    for (const map of this.#collections.values()) map.clear();
    this.#dirty = true;
  }

  /** Runs `fn` directly: a single process holds memory state, and JavaScript runs it on one thread. */
  transaction<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }

  /** The whole state as a snapshot. */
  toJSON(): StateSnapshot {
    const collections: Record<string, Record<string, unknown>> = {};
    for (const [name, map] of this.#collections) {
      if (map.size === 0) continue;
      collections[name] = Object.fromEntries(map);
    }
    return { format: 1, collections };
  }

  /**
   * Replaces the state with a snapshot, in place: existing `Map`s are refilled rather than replaced so that
   * references held by services stay current. Throws a `TypeError` naming what is malformed.
   */
  load(snapshot: unknown): void {
    if (!isObject(snapshot) || !isObject(snapshot.collections)) {
      throw new TypeError("Emulator state must be an object with a 'collections' object.");
    }
    const incoming = snapshot.collections;
    for (const [name, records] of Object.entries(incoming)) {
      if (!isObject(records)) throw new TypeError(`Emulator state collection '${name}' must be an object.`);
    }
    for (const map of this.#collections.values()) map.clear();
    for (const [name, records] of Object.entries(incoming)) {
      const map = this.collection<unknown>(name);
      for (const [id, record] of Object.entries(records as Record<string, unknown>)) map.set(id, record);
    }
    this.#dirty = false;
  }
}
