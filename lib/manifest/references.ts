/**
 * References between manifests. A field whose value is a mapping with the single key `$ref` and a string value
 * `Kind/name` stands for the remote id of that manifest's object:
 *
 * ```yaml
 * kind: SLO
 * spec:
 *   customSli:
 *     filterSegments:
 *       - id: { $ref: Segment/prod-hosts }
 * ```
 *
 * The planner creates the target first and substitutes its id (see {@link collectReferences}). Validation
 * reports malformed references, unknown kinds, targets that are not among the loaded manifests, references to
 * the manifest itself and cycles. A mapping with `$ref` next to other keys is ordinary data.
 *
 * @module
 */

import { describePath, isManifestKind, isObject, MANIFEST_KINDS } from "./kinds.ts";
import { didYouMean, isValidName } from "./names.ts";
import { formatLocation, type Problems } from "./problems.ts";
import type { Manifest } from "./types.ts";

/** The key of a reference. */
export const REF_KEY = "$ref";

/** One reference from a manifest to another. */
export interface ManifestReference {
  /** Where the `{ $ref }` mapping sits, relative to `spec` (`["customSli", "filterSegments", 0, "id"]`). */
  path: (string | number)[];
  /** Target kind. */
  kind: string;
  /** Target `metadata.name`. */
  name: string;
}

/** True for `{ $ref: ... }` (a mapping whose only key is `$ref`). */
export function isReference(value: unknown): value is { $ref: unknown } {
  return isObject(value) && Object.keys(value).length === 1 && REF_KEY in value;
}

/** Splits `Kind/name`; undefined when the text has no `/` or an empty side. */
export function parseReference(text: string): { kind: string; name: string } | undefined {
  const slash = text.indexOf("/");
  if (slash <= 0 || slash === text.length - 1) return undefined;
  return { kind: text.slice(0, slash), name: text.slice(slash + 1) };
}

function walkReferences(spec: unknown, visit: (path: (string | number)[], target: unknown) => void): void {
  const walk = (value: unknown, path: (string | number)[]) => {
    if (isReference(value)) return visit(path, value[REF_KEY]);
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...path, i]));
    else if (isObject(value)) { for (const [key, item] of Object.entries(value)) walk(item, [...path, key]); }
  };
  walk(spec, []);
}

/**
 * The well-formed references of a manifest (`{ $ref: "Kind/name" }` with a known kind), in document order.
 * Paths are relative to `spec`: the planner replaces the value at that path with the target's remote id.
 */
export function collectReferences(manifest: Pick<Manifest, "spec">): ManifestReference[] {
  const references: ManifestReference[] = [];
  walkReferences(manifest.spec, (path, target) => {
    const parsed = typeof target === "string" ? parseReference(target) : undefined;
    if (parsed && isManifestKind(parsed.kind)) references.push({ path, ...parsed });
  });
  return references;
}

const key = (kind: string, name: string) => `${kind}/${name}`;

function checkTargets(manifest: Manifest, known: ReadonlyMap<string, Manifest>, problems: Problems): void {
  walkReferences(manifest.spec, (path, target) => {
    const where = manifest.locate(["spec", ...path, REF_KEY]);
    const field = describePath(["spec", ...path]);
    const parsed = typeof target === "string" ? parseReference(target) : undefined;
    if (!parsed) {
      problems.add(
        where,
        `${field}: $ref must be "Kind/name", e.g. "Segment/prod-hosts", not ${JSON.stringify(target)}`,
      );
      return;
    }
    if (!isManifestKind(parsed.kind)) {
      problems.add(
        where,
        `${field}: unknown kind "${parsed.kind}" in $ref; known kinds: ${MANIFEST_KINDS.join(", ")}.` +
          didYouMean(parsed.kind, MANIFEST_KINDS),
      );
      return;
    }
    if (!isValidName(parsed.name)) {
      problems.add(where, `${field}: "${parsed.name}" in $ref is not a valid metadata.name`);
      return;
    }
    if (parsed.kind === manifest.kind && parsed.name === manifest.name) {
      problems.add(where, `${field}: a manifest cannot reference itself`);
      return;
    }
    if (!known.has(key(parsed.kind, parsed.name))) {
      const names = [...known.values()].filter((m) => m.kind === parsed.kind).map((m) => m.name);
      problems.add(
        where,
        `${field}: ${target} is not defined in the loaded manifests.${didYouMean(parsed.name, names)}`,
      );
    }
  });
}

/** Reports each cycle once, at the reference that closes it. */
function checkCycles(
  manifests: readonly Manifest[],
  known: ReadonlyMap<string, Manifest>,
  problems: Problems,
): void {
  const state = new Map<string, "active" | "done">();
  const stack: string[] = [];
  const visit = (manifest: Manifest) => {
    const self = key(manifest.kind, manifest.name);
    state.set(self, "active");
    stack.push(self);
    for (const reference of collectReferences(manifest)) {
      const target = key(reference.kind, reference.name);
      const next = known.get(target);
      if (!next || target === self) continue;
      if (state.get(target) === "active") {
        const cycle = [...stack.slice(stack.indexOf(target)), target].join(" → ");
        problems.add(
          manifest.locate(["spec", ...reference.path, REF_KEY]),
          `reference cycle ${cycle}: the objects cannot be created in any order; remove one reference`,
        );
      } else if (!state.has(target)) {
        visit(next);
      }
    }
    stack.pop();
    state.set(self, "done");
  };
  for (const manifest of manifests) if (!state.has(key(manifest.kind, manifest.name))) visit(manifest);
}

/** Checks every reference of every manifest against the loaded set (see the module documentation). */
export function validateReferences(manifests: readonly Manifest[], problems: Problems): void {
  const known = new Map<string, Manifest>();
  for (const manifest of manifests) {
    if (!known.has(key(manifest.kind, manifest.name))) known.set(key(manifest.kind, manifest.name), manifest);
  }
  for (const manifest of manifests) checkTargets(manifest, known, problems);
  checkCycles(manifests, known, problems);
}

/** Reports every kind+name defined more than once, at each definition, naming the others. */
export function validateUniqueNames(manifests: readonly Manifest[], problems: Problems): void {
  const groups = new Map<string, Manifest[]>();
  for (const manifest of manifests) {
    const id = key(manifest.kind, manifest.name);
    groups.set(id, [...(groups.get(id) ?? []), manifest]);
  }
  for (const [id, group] of groups) {
    if (group.length < 2) continue;
    const places = group.map((manifest) => manifest.locate(["metadata", "name"]));
    group.forEach((_, i) => {
      const others = places.filter((_, j) => j !== i).map(formatLocation).join(", ");
      problems.add(
        places[i],
        `duplicate ${id}: also defined at ${others}; metadata.name must be unique per kind`,
      );
    });
  }
}
