/**
 * `AnomalyDetector` manifests ⇄ settings objects of `builtin:davis.anomaly-detectors` (scope `environment`).
 *
 * **Identity**: `externalId` = `dtctl:<stack>:AnomalyDetector:<name>` (or an explicit `spec.externalId`),
 * looked up within the schema; `dtctl.io/id` pins an object id (GET).
 *
 * **Canonical form** (both sides): `externalId` plus the flattened form with every default filled in, exactly
 * as `settingsValueToFlattened` gives it (`title`, `description` "", `enabled` true, `source` "dtctl",
 * `analyzer{name, input}` and `eventTemplate` as maps of strings in key order, `executionSettings` {}), whether
 * the manifest uses the flattened or the raw settings form (`value: {...}`); a value the flattened form cannot
 * hold stays `{value}` (raw, `null`/`[]` members dropped);
 * - unmanaged unless set: `executionSettings.actor` (the user the queries run as; tenant-specific);
 * - dropped: `objectId`, `scope`, `schemaVersion`, `updateToken`, `owner`, timestamps, authors, `summary`.
 *
 * @module
 */

import { isDtctlError } from "../../errors/mod.ts";
import type { Manifest } from "../../manifest/types.ts";
import { FLAT_FIELDS, settingsValueToFlattened } from "../../resources/anomaly_detector/mod.ts";
import {
  ANOMALY_DETECTOR_SCHEMA,
  anomalyDetectorKind,
  anomalyDetectorValue,
  createAnomalyDetector,
  deleteAnomalyDetector,
  getAnomalyDetector,
  listAnomalyDetectors,
  toAnomalyDetector,
  updateAnomalyDetector,
} from "../../resources/kinds/anomaly_detector.ts";
import type { KindContext, RemoteObject } from "../../resources/types.ts";
import type { ManagedKind } from "../adapter.ts";
import {
  dropUnmanaged,
  externalIdentity,
  findPinnedOr,
  isObject,
  type Json,
  kindsBefore,
  manifestError,
  requireExternalId,
  resolveReferences,
  text,
  withExternalId,
} from "./common.ts";
import { slugName } from "./names.ts";
import { canonicalValue, findSettingByExternalId } from "./setting.ts";

const UNMANAGED = ["executionSettings.actor"];

/** The canonical detector of a settings value: flattened with defaults, or `{value}` when it cannot be. */
function canonicalDetector(value: unknown): Json {
  try {
    return { ...settingsValueToFlattened(value) };
  } catch (error) {
    if (!isDtctlError(error, "validation_error")) throw error;
    return { value: canonicalValue(value) };
  }
}

/** The canonical detector of a live object (flattened by the registry kind, or kept raw as `{value}`). */
function liveDetector(live: RemoteObject): Json {
  if (isObject(live.value) && live.title === undefined) return canonicalDetector(live.value);
  const out: Json = {};
  for (const field of FLAT_FIELDS) if (live[field] !== undefined) out[field] = structuredClone(live[field]);
  return out;
}

/** The `AnomalyDetector` managed kind. */
export const anomalyDetectorManagedKind: ManagedKind = {
  manifestKind: "AnomalyDetector",
  resource: anomalyDetectorKind,
  dependsOn: kindsBefore("AnomalyDetector"),

  identify: (manifest: Manifest, stack: string) =>
    externalIdentity(manifest, stack, { schemaId: ANOMALY_DETECTOR_SCHEMA }),

  find(context: KindContext, identity) {
    return findPinnedOr(
      identity,
      (id) => getAnomalyDetector(context.client, id, context.signal),
      async () => {
        const live = await findSettingByExternalId(context, identity, "anomaly-detector");
        return live ? toAnomalyDetector(live) : undefined;
      },
    );
  },

  desired(manifest, _stack, identity, references) {
    const scope = manifest.spec.scope;
    if (scope !== undefined && scope !== "environment") {
      throw manifestError(manifest, ["spec", "scope"], "anomaly detectors live in scope environment only");
    }
    const spec = resolveReferences(manifest.spec, references);
    let value: Json;
    try {
      value = anomalyDetectorValue(spec) as unknown as Json;
    } catch (error) {
      if (!isDtctlError(error)) throw error;
      throw manifestError(manifest, ["spec"], error.message, error.hint);
    }
    return withExternalId(identity.externalId, canonicalDetector(value));
  },

  normalize: (live, desired) =>
    dropUnmanaged(withExternalId(live.externalId, liveDetector(live)), UNMANAGED, desired),

  version: (live) => text(live.updateToken),
  idOf: (live) => text(live.objectId),

  create(context, desired) {
    requireExternalId(desired, "anomaly detector");
    // Apply needs only the id of what it created: no read-back, one request per create.
    return createAnomalyDetector(context.client, desired, context.signal, { readBack: false });
  },
  update: (context, live, desired) => updateAnomalyDetector(context.client, live, desired, context.signal),
  delete: (context, live) => deleteAnomalyDetector(context.client, live, context.signal),

  list: (context) => listAnomalyDetectors(context.client, { signal: context.signal }),

  toManifest(live) {
    const detector = dropUnmanaged(liveDetector(live), UNMANAGED);
    const spec = detector.value === undefined ? detector : { schemaId: ANOMALY_DETECTOR_SCHEMA, ...detector };
    const title = live.title ?? (isObject(live.value) ? live.value.title : undefined);
    return {
      name: slugName(title, "anomaly-detector", live.objectId),
      spec: withExternalId(live.externalId, spec),
    };
  },
};
