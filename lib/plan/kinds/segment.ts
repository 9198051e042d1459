/**
 * `Segment` manifests ⇄ filter segments.
 *
 * **Identity**: `externalId` = `dtctl:<stack>:Segment:<name>` (or an explicit `spec.externalId`): the list
 * (`add-fields=EXTERNALID`) is matched exactly, then the match is read with its includes; `dtctl.io/id` pins a
 * segment uid (GET).
 *
 * **Canonical form** (both sides): `externalId`, `name`, `isPublic`, `includes`, and other spec fields;
 * include filters are compared as normalised filter text (`normalizeFilterDql`: whitespace, keyword case,
 * redundant parentheses, quoting and implicit AND do not count), whether written as text or as a filter tree;
 * - materialised defaults: `isPublic: false` (the loader fills it too);
 * - empty means absent: `description`, `variables`, `includes`, and per include `filter`, `applyTo`,
 *   `relationship`;
 * - dropped: `uid`, `version`, `owner`, `isReadyMade`, `allowedOperations`, `resourceContext`.
 *
 * @module
 */

import { isDtctlError } from "../../errors/mod.ts";
import { KIND_RULES } from "../../manifest/kinds.ts";
import type { Manifest } from "../../manifest/types.ts";
import {
  createSegment,
  deleteSegment,
  getSegment,
  listSegments,
  type Segment,
  segmentKind,
  updateSegment,
} from "../../resources/kinds/segment.ts";
import { filterAstToDql, normalizeFilterDql } from "../../resources/segment_filter/mod.ts";
import type { KindContext } from "../../resources/types.ts";
import type { Identity, ManagedKind } from "../adapter.ts";
import {
  externalIdentity,
  findPinnedOr,
  isObject,
  type Json,
  kindsBefore,
  manifestError,
  putIfPresent,
  readEachListed,
  readOrUndefined,
  requireExternalId,
  resolveReferences,
  singleMatch,
  text,
  withExternalId,
} from "./common.ts";
import { slugName } from "./names.ts";

/** Server and tenant-specific fields, and the fields handled on their own. */
const SKIPPED = [
  ...KIND_RULES.Segment.serverFields,
  ...KIND_RULES.Segment.exportFields,
  "externalId",
  "description",
  "variables",
  "includes",
  "isPublic",
];
const INCLUDE_OPTIONAL = ["filter", "applyTo", "relationship"];

/** An include with its filter in the given form (`normalizeFilterDql` to compare, `filterAstToDql` to show). */
function canonicalInclude(
  include: unknown,
  index: number,
  filter: (text: string, where: string) => string,
): unknown {
  if (!isObject(include)) return include;
  const out: Json = {};
  for (const [key, value] of Object.entries(include)) {
    if (INCLUDE_OPTIONAL.includes(key)) putIfPresent(out, key, value);
    else if (value !== undefined && value !== null) out[key] = value;
  }
  if (typeof out.filter === "string") {
    const converted = filter(out.filter, `includes[${index}].filter`);
    if (converted === "") delete out.filter;
    else out.filter = converted;
  }
  return out;
}

/** The canonical form of a segment (spec or live) without its external id. */
function canonicalSegment(source: Json, filter: (text: string, where: string) => string): Json {
  const out: Json = {
    name: source.name,
    isPublic: typeof source.isPublic === "boolean" ? source.isPublic : false,
  };
  for (const [key, value] of Object.entries(source)) {
    if (!SKIPPED.includes(key) && value !== undefined && value !== null) out[key] = value;
  }
  putIfPresent(out, "description", source.description);
  putIfPresent(out, "variables", source.variables);
  if (Array.isArray(source.includes) && source.includes.length > 0) {
    out.includes = source.includes.map((include, i) => canonicalInclude(include, i, filter));
  }
  return out;
}

async function findByExternalId(context: KindContext, identity: Identity): Promise<Segment | undefined> {
  const matches: Segment[] = [];
  for await (const segment of listSegments(context.client, { signal: context.signal })) {
    if (segment.externalId === identity.externalId) matches.push(segment);
  }
  const match = singleMatch(matches, "segment", identity, (segment) => segment.uid);
  // The list has no includes: read the match in full. It may have gone in between (404 → absent).
  return match && await readOrUndefined(() => getSegment(context.client, match.uid, context.signal));
}

/** The `Segment` managed kind. */
export const segmentManagedKind: ManagedKind = {
  manifestKind: "Segment",
  resource: segmentKind,
  dependsOn: kindsBefore("Segment"),

  identify: (manifest: Manifest, stack: string) => externalIdentity(manifest, stack),

  find(context, identity) {
    return findPinnedOr(
      identity,
      (id) => getSegment(context.client, id, context.signal),
      () => findByExternalId(context, identity),
    );
  },

  desired(manifest, _stack, identity, references) {
    const spec = resolveReferences(manifest.spec, references);
    try {
      return withExternalId(identity.externalId, canonicalSegment(spec, normalizeFilterDql));
    } catch (error) {
      if (!isDtctlError(error, "validation_error")) throw error;
      const field = `${String(error.details.field ?? "")} ${error.message}`;
      const index = /includes\[(\d+)\]/.exec(field)?.[1];
      throw manifestError(
        manifest,
        index === undefined ? ["spec", "includes"] : ["spec", "includes", Number(index), "filter"],
        error.message,
        error.hint,
      );
    }
  },

  normalize: (live) => withExternalId(live.externalId, canonicalSegment(live, normalizeFilterDql)),

  version: (live) => text(live.version),
  idOf: (live) => text(live.uid),

  create(context, desired) {
    requireExternalId(desired, "segment");
    return createSegment(context.client, desired, context.signal);
  },
  update: (context, live, desired) => updateSegment(context.client, live as Segment, desired, context.signal),
  delete: (context, live) => deleteSegment(context.client, live as Segment, context.signal),

  list: (context) =>
    readEachListed(
      listSegments(context.client, { signal: context.signal }),
      (item) => getSegment(context.client, item.uid, context.signal),
    ),

  readOnly: (live) => (live.isReadyMade === true ? "ready-made segment" : undefined),

  toManifest(live) {
    // The readable form keeps the author's style; comparisons normalise it anyway.
    const spec = withExternalId(
      live.externalId,
      canonicalSegment(live, (filter, at) => filterAstToDql(filter, at)),
    );
    return { name: slugName(live.name, "segment", live.uid), spec };
  },
};
