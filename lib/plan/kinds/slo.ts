/**
 * `SLO` manifests ⇄ platform SLOs.
 *
 * **Identity**: `externalId` = `dtctl:<stack>:SLO:<name>` (or an explicit `spec.externalId`); SLO ids are
 * server-generated, so `find` asks for `filter=externalId == '...'` and matches exactly (falling back to
 * listing every SLO when a server rejects the filter field with 400); `dtctl.io/id` pins an SLO id (GET).
 *
 * **Canonical form** (both sides): `externalId`, `name`, `criteria`, `customSli` or `sliReference` (kept whole:
 * template SLOs round-trip), and other spec fields;
 * - materialised defaults: `criteria[0].timeframeTo: now`;
 * - empty means absent: `description`, `tags`, `criteria[0].warning`, `customSli.filterSegments`,
 *   `sliReference.variables`;
 * - dropped: `id`, `version`.
 *
 * @module
 */

import { ApiError } from "../../client/mod.ts";
import { KIND_RULES } from "../../manifest/kinds.ts";
import type { Manifest } from "../../manifest/types.ts";
import { filterLiteral } from "../../resources/documents/api.ts";
import {
  createSlo,
  deleteSlo,
  getSlo,
  listSlos,
  type Slo,
  sloKind,
  updateSlo,
} from "../../resources/kinds/slo.ts";
import type { KindContext } from "../../resources/types.ts";
import type { Identity, ManagedKind } from "../adapter.ts";
import {
  externalIdentity,
  findPinnedOr,
  isObject,
  type Json,
  kindsBefore,
  putIfPresent,
  requireExternalId,
  resolveReferences,
  singleMatch,
  text,
  withExternalId,
} from "./common.ts";
import { slugName } from "./names.ts";

/** Server fields, and the fields handled on their own. */
const SKIPPED = [
  ...KIND_RULES.SLO.serverFields,
  "externalId",
  "description",
  "tags",
  "criteria",
  "customSli",
  "sliReference",
];

function canonicalCriterion(criterion: unknown): unknown {
  if (!isObject(criterion)) return criterion;
  const out: Json = {};
  for (const [key, value] of Object.entries(criterion)) {
    if (value !== undefined && value !== null) out[key] = value;
  }
  out.timeframeTo ??= "now";
  return out;
}

function canonicalSli(sli: unknown, listField: string): unknown {
  if (!isObject(sli)) return sli;
  const out: Json = {};
  for (const [key, value] of Object.entries(sli)) {
    if (key === listField) putIfPresent(out, key, value);
    else if (value !== undefined && value !== null) out[key] = value;
  }
  return out;
}

/** The canonical form of an SLO (spec or live) without its external id. */
function canonicalSlo(source: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(source)) {
    if (!SKIPPED.includes(key) && value !== undefined && value !== null) out[key] = value;
  }
  putIfPresent(out, "description", source.description);
  putIfPresent(out, "tags", source.tags);
  out.criteria = Array.isArray(source.criteria) ? source.criteria.map(canonicalCriterion) : source.criteria;
  if (source.customSli !== undefined && source.customSli !== null) {
    out.customSli = canonicalSli(source.customSli, "filterSegments");
  }
  if (source.sliReference !== undefined && source.sliReference !== null) {
    out.sliReference = canonicalSli(source.sliReference, "variables");
  }
  return out;
}

async function findByExternalId(context: KindContext, identity: Identity): Promise<Slo | undefined> {
  const external = identity.externalId!;
  const collect = async (filter?: string) => {
    const matches: Slo[] = [];
    for await (const slo of listSlos(context.client, { filter, signal: context.signal })) {
      if (slo.externalId === external) matches.push(slo);
    }
    return matches;
  };
  let matches: Slo[];
  try {
    matches = await collect(`externalId == ${filterLiteral(external)}`);
  } catch (error) {
    // The SLO API documents filters on id, name and tags; a server that refuses externalId answers 400.
    if (!(error instanceof ApiError && error.status === 400)) throw error;
    matches = await collect();
  }
  return singleMatch(matches, "slo", identity, (slo) => slo.id);
}

/** The `SLO` managed kind. */
export const sloManagedKind: ManagedKind = {
  manifestKind: "SLO",
  resource: sloKind,
  dependsOn: kindsBefore("SLO"),

  identify: (manifest: Manifest, stack: string) => externalIdentity(manifest, stack),

  find(context, identity) {
    return findPinnedOr(
      identity,
      (id) => getSlo(context.client, id, context.signal),
      () => findByExternalId(context, identity),
    );
  },

  desired(manifest, _stack, identity, references) {
    const spec = resolveReferences(manifest.spec, references);
    return withExternalId(identity.externalId, canonicalSlo(spec));
  },

  normalize: (live) => withExternalId(live.externalId, canonicalSlo(live)),

  version: (live) => text(live.version),
  idOf: (live) => text(live.id),

  create(context, desired) {
    requireExternalId(desired, "SLO");
    return createSlo(context.client, desired, context.signal);
  },
  update: (context, live, desired) => updateSlo(context.client, live as Slo, desired, context.signal),
  delete: (context, live) => deleteSlo(context.client, live as Slo, context.signal),

  list: (context) => listSlos(context.client, { signal: context.signal }),

  toManifest: (live) => ({
    name: slugName(live.name, "slo", live.id),
    spec: withExternalId(live.externalId, canonicalSlo(live)),
  }),
};
