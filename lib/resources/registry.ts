/**
 * The resource registry and the generic operations every verb uses: find a kind by any of its names, resolve a
 * name or id to one object, and list, get, create, update and delete over a kind's description. Nothing here
 * switches on a kind: what differs between kinds lives in their {@link ResourceKind}.
 *
 * @module
 */

import { ApiError, type ResourceRef } from "../client/mod.ts";
import { canonicalize, semanticEqual } from "../diff/mod.ts";
import { DtctlError, isDtctlError, usageError } from "../errors/mod.ts";
import { editDistance } from "../errors/suggest.ts";

export { editDistance };
import type { KindContext, ListFlag, ListOptions, RemoteObject, ResourceKind } from "./types.ts";

/** Names of a kind that resolve to it: singular, plural and aliases, lower-cased. */
export function namesOf(kind: ResourceKind): string[] {
  return [...new Set([kind.name, kind.plural, ...kind.aliases].map((name) => name.toLowerCase()))];
}

/** A set of kinds addressable by name, plural or alias (case-insensitive). */
export class KindRegistry {
  readonly #kinds: ResourceKind[] = [];
  readonly #byName = new Map<string, ResourceKind>();

  /**
   * Adds a kind. Registering the same kind object again is a no-op; a name, plural or alias already used by
   * another kind is a programming error.
   */
  register(kind: ResourceKind): ResourceKind {
    if (this.#kinds.includes(kind)) return kind;
    if (!kind.name || !kind.plural || !kind.idField || !kind.nameField) {
      throw new DtctlError(
        "error",
        `resource kind "${kind.name}" needs name, plural, idField and nameField`,
        {
          userError: false,
        },
      );
    }
    for (const name of namesOf(kind)) {
      const other = this.#byName.get(name);
      if (other && other !== kind) {
        throw new DtctlError(
          "error",
          `resource kind "${kind.name}": the name "${name}" is already used by kind "${other.name}"`,
          { userError: false },
        );
      }
    }
    this.#kinds.push(kind);
    for (const name of namesOf(kind)) this.#byName.set(name, kind);
    return kind;
  }

  /** The kind with this name, plural or alias, or undefined. */
  lookup(text: string): ResourceKind | undefined {
    return this.#byName.get(text.trim().toLowerCase());
  }

  /**
   * The kind with this name, plural or alias (case-insensitive). An unknown name is a `usage_error` suggesting
   * the nearest names by edit distance.
   */
  find(text: string): ResourceKind {
    const kind = this.lookup(text);
    if (kind) return kind;
    const suggestions = this.suggest(text);
    const known = this.all().map((k) => k.name).join(", ");
    throw usageError(`unknown resource kind "${text}"`, {
      hint: suggestions.length
        ? `did you mean ${suggestions.map((s) => `"${s}"`).join(" or ")}? Known kinds: ${known}`
        : `known kinds: ${known}`,
      details: { kind: text, suggestions },
    });
  }

  /** Canonical names of the kinds whose names are nearest to `text` (at most three). */
  suggest(text: string): string[] {
    const wanted = text.trim().toLowerCase();
    if (wanted === "") return [];
    const limit = Math.max(2, Math.floor(wanted.length / 3));
    const scored: { kind: string; score: number }[] = [];
    for (const kind of this.#kinds) {
      let best = Infinity;
      for (const name of namesOf(kind)) {
        const distance = name.startsWith(wanted) && wanted.length >= 3 ? 0.5 : editDistance(wanted, name);
        best = Math.min(best, distance);
      }
      if (best <= limit) scored.push({ kind: kind.name, score: best });
    }
    return scored.sort((a, b) => a.score - b.score || a.kind.localeCompare(b.kind)).slice(0, 3).map((s) =>
      s.kind
    );
  }

  /** All kinds, sorted by name. */
  all(): ResourceKind[] {
    return [...this.#kinds].sort((a, b) => a.name.localeCompare(b.name));
  }
}

/** The registry of the built-in kinds (filled by `lib/resources/mod.ts` from `kinds/mod.ts`). */
export const defaultRegistry: KindRegistry = new KindRegistry();

/** Adds a kind to the default registry. */
export function registerKind(kind: ResourceKind): ResourceKind {
  return defaultRegistry.register(kind);
}

/** Finds a kind of the default registry by name, plural or alias; unknown → `usage_error` with suggestions. */
export function findKind(text: string): ResourceKind {
  return defaultRegistry.find(text);
}

/** All kinds of the default registry, sorted by name. */
export function allKinds(): ResourceKind[] {
  return defaultRegistry.all();
}

// ---------------------------------------------------------------------------------------------------------------
// Object helpers

/** The id of an object of a kind (empty string when absent). */
export function objectId(kind: ResourceKind, object: RemoteObject): string {
  const id = getPath(object, kind.idField);
  return id === undefined || id === null ? "" : String(id);
}

/** The human name of an object (its id when it has none). */
export function objectName(kind: ResourceKind, object: RemoteObject): string {
  const name = getPath(object, kind.nameField);
  return name === undefined || name === null || name === "" ? objectId(kind, object) : String(name);
}

/** What the client's safety guard and error messages are told about a write to `object`. */
export function resourceRef(kind: ResourceKind, object: RemoteObject): ResourceRef {
  const owner = kind.owner?.(object);
  return { kind: kind.name, name: objectName(kind, object), ...(owner ? { owner } : {}) };
}

/** A value at a dotted path (`modificationInfo.lastModifiedTime`). */
export function getPath(object: unknown, path: string): unknown {
  let value: unknown = object;
  for (const part of path.split(".")) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** A deep copy without the given top-level or dotted fields (`trigger.schedule.nextExecution`). */
export function stripFields(object: RemoteObject, paths: readonly string[]): RemoteObject {
  const copy = structuredClone(object);
  for (const path of paths) {
    const parts = path.split(".");
    let parent: unknown = copy;
    for (const part of parts.slice(0, -1)) {
      parent = typeof parent === "object" && parent !== null
        ? (parent as Record<string, unknown>)[part]
        : undefined;
    }
    if (typeof parent === "object" && parent !== null && !Array.isArray(parent)) {
      delete (parent as Record<string, unknown>)[parts.at(-1)!];
    }
  }
  return copy;
}

/** The editable form of an object: the kind's `toEditable`, else the object without its server fields. */
export function editableOf(kind: ResourceKind, object: RemoteObject): RemoteObject {
  return kind.toEditable ? kind.toEditable(structuredClone(object)) : stripFields(object, kind.serverFields);
}

/** JSON with object keys sorted: equal values give equal text, whatever the key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalize(value));
}

/** Deep equality of JSON values, ignoring key order. */
export function sameJson(a: unknown, b: unknown): boolean {
  return semanticEqual(a, b);
}

// ---------------------------------------------------------------------------------------------------------------
// Errors

/** `not_found` (exit 4) naming the kind and the name or id. */
export function notFoundError(kind: ResourceKind, nameOrId: string, hint?: string): DtctlError {
  return new DtctlError("not_found", `${kind.name} "${nameOrId}" not found`, {
    hint: hint ?? `list them with: dtctl get ${kind.plural}`,
    details: { kind: kind.name, name: nameOrId },
  });
}

/** A `usage_error` for a verb the kind does not support. */
export function unsupportedError(kind: ResourceKind, verb: string): DtctlError {
  const supported = [
    kind.list || kind.get ? "get" : undefined,
    kind.get ? "describe" : undefined,
    kind.create ? "create" : undefined,
    kind.update ? "edit" : undefined,
    kind.delete ? "delete" : undefined,
  ].filter(Boolean);
  return usageError(`${kind.plural} do not support ${verb}`, {
    hint: supported.length ? `${kind.plural} support: ${supported.join(", ")}` : undefined,
    details: { kind: kind.name, verb },
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Generic operations

/**
 * Why `text` cannot be meant as a plain text search (it reads as a filter expression), or undefined when it can.
 * Titles with balanced parentheses, apostrophes or words like "and" stay plain searches.
 */
export function filterExpressionProblem(text: string): string | undefined {
  if (/==|!=|<=|>=|=~|[<>]/.test(text)) return "it has a comparison operator";
  const pairs: Record<string, string> = { ")": "(", "]": "[", "}": "{" };
  const open: string[] = [];
  for (const char of text) {
    if (char === "(" || char === "[" || char === "{") open.push(char);
    else if (char in pairs && open.pop() !== pairs[char]) return `its '${char}' closes nothing`;
  }
  if (open.length > 0) return `its '${open.at(-1)}' is never closed`;
  if (/\b(contains|starts-with|ends-with|matches|in|exists)\s*[('"]/i.test(text)) {
    return "it reads as a filter expression (an operator before a quoted value)";
  }
  if (/^\s*[\w.]+\s+(contains|starts-with|ends-with|matches|exists)\b/i.test(text)) {
    return "it reads as a filter expression (field operator value)";
  }
  return undefined;
}

/**
 * Checks `--filter` against what the kind accepts: a kind without a filter refuses one, a plain-search kind
 * refuses text that is a filter expression (which would silently match nothing). Usage errors (exit 2).
 */
export function checkFilter(kind: ResourceKind, filter: string | undefined): void {
  if (filter === undefined) return;
  if (!kind.filter) {
    throw usageError(`${kind.plural} cannot be filtered with --filter`, {
      hint: `the ${kind.name} API has no filter; see 'dtctl get --help' for what --filter means per kind`,
      details: { flag: "--filter", value: filter, kind: kind.name },
    });
  }
  if (kind.filter.check) kind.filter.check(filter);
  else if (kind.filter.style === "search") checkPlainSearch(kind, filter);
}

/** Refuses `--filter` text that a plain-search kind would silently match against nothing (usage error). */
export function checkPlainSearch(kind: ResourceKind, filter: string): void {
  const problem = filterExpressionProblem(filter);
  if (problem) {
    throw usageError(
      `--filter "${filter}" is not a plain search: ${problem}; for ${kind.plural}, --filter is ${
        kind.filter?.help ?? "a plain text search"
      }`,
      {
        hint: `${kind.plural} have no filter grammar; give words of the ${kind.nameField} to search for`,
        details: { flag: "--filter", value: filter, kind: kind.name },
      },
    );
  }
}

/** Every list option a kind can declare in {@link ResourceKind.listFlags}, in the order help lists them. */
export const LIST_FLAGS: readonly ListFlag[] = ["owner", "type", "labels", "scope", "workflow", "state"];

/** The CLI flag of each list option, as messages and help name it. */
export const LIST_FLAG_NAMES: Readonly<Record<ListFlag, string>> = {
  owner: "--owner",
  type: "--type",
  labels: "-l/--label",
  scope: "--scope",
  workflow: "--workflow",
  state: "--state",
};

/** The list options that `options` sets (`chunkSize` and `filter` aside), in {@link LIST_FLAGS} order. */
export function listFlagsIn(options: ListOptions): ListFlag[] {
  const given: Record<ListFlag, boolean> = {
    owner: options.owner !== undefined,
    type: options.type !== undefined,
    labels: (options.labels?.length ?? 0) > 0,
    scope: options.extra?.scope !== undefined,
    workflow: options.extra?.workflow !== undefined,
    state: options.extra?.state !== undefined,
  };
  return LIST_FLAGS.filter((flag) => given[flag]);
}

/** The list flags a kind takes, as CLI flags: its declared ones, `--filter` when it has one, `--chunk-size`. */
export function supportedListFlags(kind: ResourceKind): string[] {
  const declared = LIST_FLAGS.filter((flag) => kind.listFlags?.includes(flag)).map((f) => LIST_FLAG_NAMES[f]);
  return [...declared, ...(kind.filter ? ["--filter"] : []), "--chunk-size"];
}

/**
 * Refuses list options the kind does not honour ({@link ResourceKind.listFlags}): a usage error (exit 2) naming
 * the flags, the kind and what it takes, instead of a list the user would believe filtered. `flagNames` spells a
 * flag as the user typed it (e.g. `{ type: "--schema" }`).
 */
export function checkListOptions(
  kind: ResourceKind,
  options: ListOptions,
  flagNames: Partial<Record<ListFlag, string>> = {},
): void {
  const refused = listFlagsIn(options).filter((flag) => !kind.listFlags?.includes(flag));
  if (refused.length === 0) return;
  const names = refused.map((flag) => flagNames[flag] ?? LIST_FLAG_NAMES[flag]);
  const supported = supportedListFlags(kind);
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
  // Where the one flag does apply, e.g. --type on dashboards: documents take it.
  const elsewhere = refused.length === 1
    ? defaultRegistry.all().filter((other) => other.listFlags?.includes(refused[0])).map((other) =>
      other.name
    )
    : [];
  throw usageError(
    `${kind.plural} cannot be filtered by ${list} (the ${kind.name} list has ${
      names.length === 1 ? "no such filter" : "none of these filters"
    })`,
    {
      hint: `${kind.plural} take ${supported.join(", ")}` +
        (elsewhere.length ? `; ${names[0]} works with: ${elsewhere.join(", ")}` : "") +
        "; 'dtctl get --help' lists the flags of every kind",
      details: { flag: names[0], flags: names, kind: kind.name, supported },
    },
  );
}

/** Every object of a kind matching the options, lazily. */
export function iterateObjects(
  context: KindContext,
  kind: ResourceKind,
  options: ListOptions = {},
): AsyncIterable<RemoteObject> {
  if (!kind.list) throw unsupportedError(kind, "list");
  checkFilter(kind, options.filter);
  checkListOptions(kind, options);
  return kind.list(context, options);
}

/** All objects of a kind matching the options, in the server's order. */
export async function listObjects(
  context: KindContext,
  kind: ResourceKind,
  options: ListOptions = {},
): Promise<RemoteObject[]> {
  const objects: RemoteObject[] = [];
  for await (const object of iterateObjects(context, kind, options)) objects.push(object);
  return objects;
}

/**
 * Resolves a name or id to one object, read in full.
 *
 * An argument that looks like an id (per the kind) is read by id first; only a 404 falls back to the name
 * lookup, any other error (auth, network, 5xx) surfaces, so a failing server is never mistaken for a missing
 * object. Names match exactly. No match is `not_found` (exit 4) naming kind and name; several matches are a
 * `usage_error` (exit 2) listing the candidates with their ids.
 */
export async function resolveObject(
  context: KindContext,
  kind: ResourceKind,
  nameOrId: string,
  options: ListOptions = {},
): Promise<RemoteObject> {
  const text = nameOrId.trim();
  if (text === "") throw usageError(`the ${kind.name} name or id is empty`, { details: { kind: kind.name } });
  if (!kind.get && !kind.list) throw unsupportedError(kind, "get");
  checkFilter(kind, options.filter);
  checkListOptions(kind, options);
  const looksLikeId = kind.looksLikeId ? kind.looksLikeId(text) : true;
  // A kind's own not_found (not a bare HTTP 404) says more than "not found", e.g. "it is a notebook".
  let explained: DtctlError | undefined;
  if (kind.get && (looksLikeId || !kind.list)) {
    try {
      return await kind.get(context, text);
    } catch (error) {
      if (!isDtctlError(error, "not_found")) throw error;
      if (!(error instanceof ApiError)) explained = error;
      if (!kind.list) throw explained ?? notFoundError(kind, text);
    }
  }
  const query = kind.nameQuery ? kind.nameQuery(text, options) : options;
  const matches: RemoteObject[] = [];
  const near: RemoteObject[] = [];
  for await (const object of kind.list!(context, query)) {
    const name = getPath(object, kind.nameField);
    if (name === text) matches.push(object);
    else if (typeof name === "string" && name.toLowerCase() === text.toLowerCase()) near.push(object);
  }
  if (matches.length === 0) {
    if (explained && near.length === 0) throw explained;
    throw notFoundError(
      kind,
      text,
      near.length
        ? `names are case-sensitive; did you mean ${
          near.slice(0, 3).map((o) => `"${objectName(kind, o)}" (${objectId(kind, o)})`).join(", ")
        }?`
        : undefined,
    );
  }
  if (matches.length > 1) {
    const candidates = matches.map((object) => ({
      id: objectId(kind, object),
      name: objectName(kind, object),
      ...(kind.owner?.(object) ? { owner: kind.owner(object) } : {}),
    }));
    throw usageError(
      `${kind.name} name "${text}" is ambiguous: ${matches.length} ${kind.plural} have it:\n` +
        candidates.map((c) => `  ${c.id}${c.owner ? `  (owner ${c.owner})` : ""}`).join("\n"),
      {
        hint: `use the id instead, e.g. dtctl get ${kind.name} ${candidates[0].id}`,
        details: { kind: kind.name, name: text, candidates },
      },
    );
  }
  return kind.get ? await kind.get(context, objectId(kind, matches[0])) : matches[0];
}

/** Reads one object by name or id (see {@link resolveObject}). */
export function getObject(
  context: KindContext,
  kind: ResourceKind,
  nameOrId: string,
  options: ListOptions = {},
): Promise<RemoteObject> {
  return resolveObject(context, kind, nameOrId, options);
}

/** Creates an object from its editable form (server-managed fields are dropped first). */
export async function createObject(
  context: KindContext,
  kind: ResourceKind,
  payload: RemoteObject,
): Promise<RemoteObject> {
  if (!kind.create) throw unsupportedError(kind, "create");
  return await kind.create(context, stripFields(payload, kind.serverFields));
}

/** Updates `current` to `payload` with the kind's optimistic locking; a lost race is a `conflict` (exit 6). */
export async function updateObject(
  context: KindContext,
  kind: ResourceKind,
  current: RemoteObject,
  payload: RemoteObject,
): Promise<RemoteObject> {
  if (!kind.update || kind.locking === "read-only") throw unsupportedError(kind, "update");
  return await kind.update(context, current, stripFields(payload, kind.serverFields));
}

/** Deletes `current` (documents go to the trash) with the kind's locking. */
export async function deleteObject(
  context: KindContext,
  kind: ResourceKind,
  current: RemoteObject,
): Promise<void> {
  if (!kind.delete) throw unsupportedError(kind, "delete");
  await kind.delete(context, current);
}

/** Typed library functions over one kind, for `mod.ts` users. */
export interface KindApi<T extends RemoteObject> {
  /** The kind. */
  readonly kind: ResourceKind;
  /** All objects matching the options. */
  list(context: KindContext, options?: ListOptions): Promise<T[]>;
  /** One object by name or id. */
  get(context: KindContext, nameOrId: string, options?: ListOptions): Promise<T>;
  /** Creates an object from its editable form. */
  create(context: KindContext, payload: RemoteObject): Promise<T>;
  /** Updates `current` to `payload` with optimistic locking. */
  update(context: KindContext, current: T, payload: RemoteObject): Promise<T>;
  /** Deletes `current`. */
  delete(context: KindContext, current: T): Promise<void>;
}

/** Typed functions over a kind: `kindApi<Workflow>(workflowKind).list(context)`. */
export function kindApi<T extends RemoteObject>(kind: ResourceKind): KindApi<T> {
  return {
    kind,
    list: (context, options) => listObjects(context, kind, options) as Promise<T[]>,
    get: (context, nameOrId, options) => resolveObject(context, kind, nameOrId, options) as Promise<T>,
    create: (context, payload) => createObject(context, kind, payload) as Promise<T>,
    update: (context, current, payload) => updateObject(context, kind, current, payload) as Promise<T>,
    delete: (context, current) => deleteObject(context, kind, current),
  };
}
