/**
 * The planner: from validated manifests and the live environment to a {@link Plan}.
 *
 * Per manifest the adapter of its kind derives the identity (stack + `metadata.name`, or a pinned id), finds the
 * live object, and normalises both sides into one shape; the resource is `unchanged` exactly when the two are
 * semantically equal, so an unchanged object is never written. Live objects are read concurrently through a
 * limiter; the stack's inventory is read once, and with `prune` every inventory object that left the
 * repository becomes a `delete` entry (only those: an object the stack never recorded is never touched).
 *
 * Everything that can be checked without writing is checked before the first request: kinds without an
 * adapter, identities two manifests share, and identities that would overwrite the inventory itself.
 *
 * The plan is data and deterministic for the same manifests and live state. What apply needs beyond it (the
 * identities, the live objects as read, the inventory snapshot) travels beside it as its {@link PlanBasis}.
 *
 * @module
 */

import { createLimiter, type Limiter, sleep as delay } from "../client/mod.ts";
import { diffObjects, jsonPatch, semanticEqual, unifiedDiff } from "../diff/mod.ts";
import { DtctlError, isDtctlError } from "../errors/mod.ts";
import {
  type Inventory,
  inventoryDocumentId,
  inventoryLabel,
  type InventoryObject,
  readInventory,
} from "../inventory/mod.ts";
import { ManifestError } from "../manifest/problems.ts";
import { collectReferences } from "../manifest/references.ts";
import type { Manifest, ManifestProblem } from "../manifest/types.ts";
import type { KindContext, RemoteObject } from "../resources/types.ts";
import type { Identity, ManagedKind } from "./adapter.ts";
import { sortEntries, summarize } from "./summary.ts";
import type { Plan, PlanEntry } from "./types.ts";

/** Resources read at once while planning (the client's own limiter bounds requests as well). */
export const DEFAULT_PLAN_CONCURRENCY = 8;

/** Options of {@link createPlan}. */
export interface PlanOptions {
  /** Validated manifests (from `loadManifests`). */
  manifests: readonly Manifest[];
  /** Stack name: part of every identity. */
  stack: string;
  /** Client (and signal) of the target environment. */
  context: KindContext;
  /** The target environment URL, recorded in the plan (and checked when a saved plan is applied). */
  environment: string;
  /** Plan deletions of inventory objects that are no longer in the manifests. */
  prune: boolean;
  /** Resources read at once (default {@link DEFAULT_PLAN_CONCURRENCY}). */
  concurrency?: number;
  /** Cancels planning (Ctrl+C). */
  signal?: AbortSignal;
  /** The config-as-code kinds in dependency order (default: the built-in ones). */
  kinds?: readonly ManagedKind[];
}

/**
 * What apply needs besides the plan: how to find each resource, the live objects as planned (so updates lock on
 * exactly the version that was shown), and the inventory as read.
 */
export interface PlanBasis {
  /** Whether deletions of objects that left the repository were planned. */
  prune: boolean;
  /** Identity per `Kind/name` of every entry. */
  identities: Map<string, Identity>;
  /**
   * Live objects as read while planning, per `Kind/name`; absent for a plan loaded from a file, whose live
   * objects apply reads again (and compares with `liveVersion`).
   */
  live?: Map<string, RemoteObject>;
  /** The inventory as read while planning. */
  inventory: Inventory;
  /** Inventory objects that no longer exist (found absent while pruning): apply drops them from the inventory. */
  gone: InventoryObject[];
  /** Inventory objects that left the repository but are kept because prune was not requested. */
  orphans: InventoryObject[];
}

const bases = new WeakMap<Plan, PlanBasis>();

/** The basis of a plan made by {@link createPlan} or loaded by `loadSavedPlan`; undefined for other plans. */
export function planBasis(plan: Plan): PlanBasis | undefined {
  return bases.get(plan);
}

/** Associates a basis with a plan (used when a saved plan is loaded). */
export function attachPlanBasis(plan: Plan, basis: PlanBasis): void {
  bases.set(plan, basis);
}

/** `Kind/name`: how plans, references and inventories name a resource. */
export function resourceKey(kind: string, name: string): string {
  return `${kind}/${name}`;
}

/** The placeholder an unresolved reference becomes in a desired object (`(known after apply: Kind/name)`). */
export function referencePlaceholder(kind: string, name: string): string {
  return `(known after apply: ${resourceKey(kind, name)})`;
}

const PLACEHOLDER = /\(known after apply: ([^/()\s]+)\/([^()\s]+)\)/g;

/** The `Kind/name` targets of the placeholders in a value, sorted and without duplicates. */
export function placeholderTargets(value: unknown): string[] {
  const targets = new Set<string>();
  const walk = (v: unknown) => {
    if (typeof v === "string") {
      for (const match of v.matchAll(PLACEHOLDER)) targets.add(resourceKey(match[1], match[2]));
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(value);
  return [...targets].sort();
}

/**
 * Replaces placeholders with the ids in `ids` (`Kind/name` → id), wherever they occur in strings (an adapter
 * may embed an id in a larger string, e.g. a DQL filter). Placeholders without an id are left as they are.
 */
export function resolvePlaceholders<T>(value: T, ids: ReadonlyMap<string, string>): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") {
      return v.includes("(known after apply: ")
        ? v.replace(PLACEHOLDER, (text, kind, name) => ids.get(resourceKey(kind, name)) ?? text)
        : v;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(v)) {
        Object.defineProperty(out, key, {
          value: walk(item),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    return v;
  };
  return walk(value) as T;
}

/** The built-in config-as-code kinds in dependency order (loaded on first use). */
export async function defaultKinds(): Promise<readonly ManagedKind[]> {
  return (await import("./kinds/mod.ts")).MANAGED_KINDS;
}

/** Finds the adapter of a manifest kind in a kinds list. */
export function kindIndex(kinds: readonly ManagedKind[]): Map<string, ManagedKind> {
  return new Map(kinds.map((kind) => [kind.manifestKind, kind]));
}

/**
 * The namespace in which a kind's identities must be unique: dashboards, notebooks and documents share the
 * document id space, settings and anomaly detectors share the settings object space; other kinds have their own.
 */
export function identityNamespace(kind: ManagedKind): string {
  if (kind.resource.softDelete) return "document";
  if (kind.resource.idField === "objectId") return "settings";
  return kind.resource.name;
}

function identityKeys(kind: ManagedKind, identity: Identity): string[] {
  const namespace = identityNamespace(kind);
  const keys: string[] = [];
  if (identity.id !== undefined) keys.push(`${namespace}\0id=${identity.id}`);
  if (identity.externalId !== undefined) keys.push(`${namespace}\0externalId=${identity.externalId}`);
  if (keys.length === 0) keys.push(`${namespace}\0${identity.key}`);
  return keys;
}

/** A manifest with its adapter and identity. */
export interface IdentifiedManifest {
  /** The manifest. */
  manifest: Manifest;
  /** Its kind's adapter. */
  kind: ManagedKind;
  /** Its identity in the stack. */
  identity: Identity;
}

// `file:line:column: ` at the start of an adapter's message: the position it already located.
const LOCATED = /^(.+?):(\d+):(\d+): /;

/** An adapter's error about a manifest as a problem: at the position it names, else at the manifest. */
function problemOf(manifest: Manifest, error: DtctlError): ManifestProblem {
  const label = resourceKey(manifest.kind, manifest.name);
  const located = LOCATED.exec(error.message);
  const location = located
    ? { file: located[1], line: Number(located[2]), column: Number(located[3]) }
    : manifest.source;
  const text = located ? error.message.slice(located[0].length) : error.message;
  return { location, message: text.startsWith(`${label}: `) ? text : `${label}: ${text}` };
}

/**
 * Checks what the loader cannot: every manifest kind has an adapter, every identity can be derived, no two
 * manifests share an identity (they would overwrite each other), and no document manifest takes the inventory's
 * id. Throws one `ManifestError` listing every problem at its file:line:column; otherwise returns the manifests
 * with adapters and identities, in input order.
 */
export function identifyManifests(
  manifests: readonly Manifest[],
  stack: string,
  kinds: readonly ManagedKind[],
): IdentifiedManifest[] {
  const index = kindIndex(kinds);
  const problems: ManifestProblem[] = [];
  const identified: IdentifiedManifest[] = [];
  const owners = new Map<string, IdentifiedManifest[]>();
  for (const manifest of manifests) {
    const kind = index.get(manifest.kind);
    if (!kind) {
      problems.push({
        location: manifest.locate(["kind"]),
        message: `kind ${manifest.kind} cannot be planned or applied by this dtctl; supported kinds: ${
          [...index.keys()].join(", ")
        }`,
      });
      continue;
    }
    let identity: Identity;
    try {
      identity = kind.identify(manifest, stack);
    } catch (error) {
      if (!(error instanceof DtctlError)) throw error;
      problems.push(problemOf(manifest, error));
      continue;
    }
    const item = { manifest, kind, identity };
    identified.push(item);
    for (const key of identityKeys(kind, identity)) owners.set(key, [...(owners.get(key) ?? []), item]);
    if (identityNamespace(kind) === "document" && identity.id === inventoryDocumentId(stack)) {
      problems.push({
        location: manifest.locate(["metadata", "annotations"]),
        message:
          `${resourceKey(manifest.kind, manifest.name)}: id ${identity.id} is the inventory document of ` +
          `stack "${stack}"; pin another id`,
      });
    }
  }
  const reported = new Set<string>();
  for (const group of owners.values()) {
    if (group.length < 2) continue;
    for (const item of group) {
      const self = resourceKey(item.manifest.kind, item.manifest.name);
      const others = group.filter((other) => other !== item).map((other) =>
        resourceKey(other.manifest.kind, other.manifest.name)
      );
      const message = `${self} has the same identity (${item.identity.key}) as ${others.join(", ")}; ` +
        "each would overwrite the other: give them different names or pinned ids";
      if (reported.has(`${self}\0${message}`)) continue;
      reported.add(`${self}\0${message}`);
      problems.push({ location: item.manifest.locate(["metadata", "name"]), message });
    }
  }
  if (problems.length > 0) {
    throw new ManifestError(problems, "Fix each problem at the position shown; nothing was read or changed.");
  }
  return identified;
}

/**
 * Read failures worth one more try that the client does not retry itself: an HTTP 500 (the client retries 429,
 * 502, 503, 504 and lost connections of reads already, within its own limits).
 */
function transient(error: unknown): boolean {
  return isDtctlError(error, "server_error") && error.details.status === 500;
}

/**
 * Runs a read, repeating it (at most three attempts) after an HTTP 500, which the client does not retry. Reads are
 * idempotent, so this is always safe.
 */
export async function retryRead<T>(read: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  for (let attempt = 1;; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (attempt >= 3 || !transient(error) || signal?.aborted) throw error;
      await delay(100 * 2 ** attempt, signal);
    }
  }
}

/** Prefixes an error with the resource it concerns, keeping its code (and so its exit code). */
export function resourceError(label: string, error: unknown): unknown {
  if (
    !(error instanceof DtctlError) || error.message.startsWith(`${label}: `) ||
    error.message.startsWith(`${label} `)
  ) {
    return error;
  }
  return new DtctlError(error.code, `${label}: ${error.message}`, {
    hint: error.hint,
    details: { ...error.details, resource: label },
    cause: error,
    userError: error.userError,
  });
}

/**
 * Runs tasks through a limiter; the first failure stops scheduling the rest, and is thrown once every started
 * task has settled (so nothing keeps running behind the caller's back).
 */
async function runAll<T>(
  limiter: Limiter,
  tasks: (() => Promise<T>)[],
  signal?: AbortSignal,
  after?: (result: T, index: number) => void,
): Promise<T[]> {
  const stop = new AbortController();
  const onAbort = () => stop.abort(signal?.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  if (signal?.aborted) onAbort();
  // Every real failure with its index: the one earliest in plan order is reported, so the message does not
  // depend on which request happened to fail first.
  const failures: { index: number; error: unknown }[] = [];
  try {
    const results = await Promise.allSettled(tasks.map((task, i) =>
      limiter.run(async () => {
        if (stop.signal.aborted) throw stop.signal.reason;
        return await task();
      }, stop.signal).then((result) => {
        // Outside the limiter: CPU work on a result must not hold a slot the next read could use.
        after?.(result, i);
        return result;
      }).catch((error) => {
        // Queued tasks reject with the reason of the abort the first failure caused: not failures of their own.
        if (!(stop.signal.aborted && error === stop.signal.reason)) failures.push({ index: i, error });
        stop.abort(error);
        throw error;
      })
    ));
    if (signal?.aborted) {
      throw new DtctlError("aborted", "planning was interrupted; nothing was changed", {
        cause: signal.reason,
      });
    }
    if (failures.length > 0) throw failures.reduce((a, b) => (b.index < a.index ? b : a)).error;
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult | undefined;
    if (rejected) throw rejected.reason;
    return results.map((r) => (r as PromiseFulfilledResult<T>).value);
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
}

function entryFor(
  kind: string,
  name: string,
  action: PlanEntry["action"],
  live: RemoteObject | undefined,
  desired: RemoteObject | undefined,
  extra: Partial<PlanEntry>,
): PlanEntry {
  const label = resourceKey(kind, name);
  const unchanged = action === "unchanged";
  return {
    kind,
    name,
    action,
    ...extra,
    changes: unchanged ? [] : diffObjects(live, desired),
    patch: unchanged ? [] : jsonPatch(live, desired),
    diff: unchanged ? "" : unifiedDiff(label, live, desired),
    ...(desired !== undefined && (action === "create" || action === "update") ? { desired } : {}),
  };
}

/**
 * Plans the manifests against the environment (see the module documentation).
 *
 * @throws ManifestError for manifests that cannot be applied (before any request); the first read failure
 *   (only a 404 means absent), prefixed with the resource; `aborted` when the signal fires.
 */
export async function createPlan(options: PlanOptions): Promise<Plan> {
  const kinds = options.kinds ?? await defaultKinds();
  const { stack, context, signal } = options;
  const identified = identifyManifests(options.manifests, stack, kinds);
  const index = kindIndex(kinds);
  const limiter = createLimiter({ concurrency: options.concurrency ?? DEFAULT_PLAN_CONCURRENCY });
  const readContext: KindContext = { ...context, ...(signal ? { signal } : {}) };

  const inventoryRead = retryRead(() => readInventory(context.client, stack, { signal }), signal);
  // Settled later; without this an early failure of the finds would leave it unhandled.
  inventoryRead.catch(() => {});
  const identities = new Map<string, Identity>();
  const liveByKey = new Map<string, RemoteObject>();
  const entries: PlanEntry[] = [];
  const problems: ManifestProblem[] = [];
  const compare = (
    item: IdentifiedManifest,
    live: RemoteObject | undefined,
    references: ReadonlyMap<string, string>,
  ) => {
    const { manifest, kind, identity } = item;
    const label = resourceKey(manifest.kind, manifest.name);
    identities.set(label, identity);
    let desired: RemoteObject;
    try {
      desired = kind.desired(manifest, stack, identity, references);
    } catch (error) {
      if (!(error instanceof DtctlError) || !error.userError) throw error;
      problems.push(problemOf(manifest, error));
      return;
    }
    if (!live) {
      entries.push(
        entryFor(manifest.kind, manifest.name, "create", undefined, desired, { source: manifest.source }),
      );
      return;
    }
    liveByKey.set(label, live);
    const normalized = kind.normalize(live, desired);
    const action = semanticEqual(normalized, desired) ? "unchanged" : "update";
    entries.push(entryFor(manifest.kind, manifest.name, action, normalized, desired, {
      id: kind.idOf(live),
      liveVersion: kind.version(live),
      source: manifest.source,
    }));
  };

  // A manifest without references is compared as soon as its object is read, while other reads are in flight;
  // one with references waits until every read is done (the ids it needs come from them).
  const noReferences = new Map<string, string>();
  const deferred = identified.map((item) => collectReferences(item.manifest).length > 0);
  const lives = await runAll(
    limiter,
    identified.map((item) => async () => {
      const label = resourceKey(item.manifest.kind, item.manifest.name);
      let live: RemoteObject | undefined;
      try {
        live = await retryRead(() => item.kind.find(readContext, item.identity), signal);
      } catch (error) {
        throw resourceError(label, error);
      }
      return live;
    }),
    signal,
    (live, i) => {
      if (!deferred[i]) compare(identified[i], live, noReferences);
    },
  );
  const inventory = await inventoryRead;

  const references = new Map<string, string>();
  identified.forEach((item, i) => {
    const live = lives[i];
    if (live) references.set(resourceKey(item.manifest.kind, item.manifest.name), item.kind.idOf(live));
  });
  identified.forEach((item, i) => {
    if (deferred[i]) compare(item, lives[i], references);
  });
  if (problems.length > 0) throw new ManifestError(problems);

  const inManifests = new Set(identified.map((item) => resourceKey(item.manifest.kind, item.manifest.name)));
  const leftovers = inventory.objects.filter((object) => !inManifests.has(inventoryLabel(object)));
  const gone: InventoryObject[] = [];
  const orphans: InventoryObject[] = [];
  if (options.prune && leftovers.length > 0) {
    const unknown = leftovers.filter((object) => !index.has(object.kind));
    if (unknown.length > 0) {
      throw new DtctlError(
        "validation_error",
        `the inventory of stack "${stack}" lists objects of kinds this dtctl cannot manage: ${
          unknown.map(inventoryLabel).join(", ")
        }; nothing was pruned`,
        { hint: "Use the dtctl release that applied them, or run without --prune.", details: { stack } },
      );
    }
    const found = await runAll(
      limiter,
      leftovers.map((object) => async () => {
        const kind = index.get(object.kind)!;
        const identity: Identity = {
          key: object.key,
          id: object.id,
          ...(object.externalId === undefined ? {} : { externalId: object.externalId }),
        };
        try {
          return await retryRead(() => kind.find(readContext, identity), signal);
        } catch (error) {
          throw resourceError(inventoryLabel(object), error);
        }
      }),
      signal,
    );
    leftovers.forEach((object, i) => {
      const kind = index.get(object.kind)!;
      const live = found[i];
      // Only the very object the stack recorded is deleted; another object that took over the identity is not ours.
      if (!live || kind.idOf(live) !== object.id) {
        gone.push(object);
        return;
      }
      const label = inventoryLabel(object);
      identities.set(label, {
        key: object.key,
        id: object.id,
        ...(object.externalId === undefined ? {} : { externalId: object.externalId }),
      });
      liveByKey.set(label, live);
      entries.push(entryFor(object.kind, object.name, "delete", kind.normalize(live), undefined, {
        id: object.id,
        liveVersion: kind.version(live),
      }));
    });
  } else {
    orphans.push(...leftovers);
  }

  const sorted = sortEntries(entries, kinds.map((kind) => kind.manifestKind));
  const plan: Plan = {
    formatVersion: 1,
    stack,
    environment: options.environment,
    entries: sorted,
    summary: summarize(sorted),
  };
  bases.set(plan, { prune: options.prune, identities, live: liveByKey, inventory, gone, orphans });
  return plan;
}
