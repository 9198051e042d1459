/**
 * The managed kinds of configuration as code: one {@link ManagedKind} per manifest kind, in dependency order.
 *
 * Identity rules, in short (details in each kind's file and in `common.ts`):
 *
 * | kind | found by | derived from stack + `metadata.name` |
 * | --- | --- | --- |
 * | Workflow | `id` (GET) | UUIDv5 of `<stack>/<name>` in a fixed dtctl namespace |
 * | Dashboard, Notebook, Document | `id` (GET) | `dtctl-<stack>-<name>-<16 hex of sha256("<stack>/<kind>/<name>")>` |
 * | SLO, Setting, AnomalyDetector, Segment | `externalId` (list) | `dtctl:<stack>:<kind>:<name>` |
 * | Bucket | `bucketName` (GET) | `spec.bucketName` (defaults to `metadata.name`; not namespaced) |
 *
 * The `dtctl.io/id` annotation pins any kind to an existing object's server id (`dtctl export` writes it).
 *
 * @module
 */

import { usageError } from "../../errors/mod.ts";
import type { ManagedKind } from "../adapter.ts";
import { anomalyDetectorManagedKind } from "./anomaly_detector.ts";
import { bucketManagedKind } from "./bucket.ts";
import { KIND_ORDER } from "./common.ts";
import { dashboardManagedKind } from "./dashboard.ts";
import { documentManagedKind } from "./document.ts";
import { notebookManagedKind } from "./notebook.ts";
import { segmentManagedKind } from "./segment.ts";
import { settingManagedKind } from "./setting.ts";
import { sloManagedKind } from "./slo.ts";
import { workflowManagedKind } from "./workflow.ts";

/** Every managed kind, dependencies first (apply in this order, delete in reverse). */
export const MANAGED_KINDS: ManagedKind[] = [
  bucketManagedKind,
  segmentManagedKind,
  settingManagedKind,
  anomalyDetectorManagedKind,
  sloManagedKind,
  workflowManagedKind,
  documentManagedKind,
  notebookManagedKind,
  dashboardManagedKind,
];

/** The managed kind of a manifest kind (`Workflow`, ...); an unknown kind is a usage error. */
export function managedKind(manifestKind: string): ManagedKind {
  const kind = MANAGED_KINDS.find((k) => k.manifestKind === manifestKind);
  if (kind) return kind;
  throw usageError(`unknown manifest kind "${manifestKind}"`, {
    hint: `known kinds: ${KIND_ORDER.join(", ")}`,
    details: { kind: manifestKind },
  });
}

/**
 * The managed kind for a name as people type it: a manifest kind in any case (`slo`, `Workflow`), or a
 * resource kind's name, plural or alias (`workflows`, `wf`, `db`, `anomaly-detectors`). Undefined when none.
 */
export function lookupManagedKind(text: string): ManagedKind | undefined {
  const wanted = text.trim().toLowerCase();
  return MANAGED_KINDS.find((kind) =>
    kind.manifestKind.toLowerCase() === wanted ||
    [kind.resource.name, kind.resource.plural, ...kind.resource.aliases].some((n) =>
      n.toLowerCase() === wanted
    )
  );
}

export type { Identity, ManagedKind } from "../adapter.ts";
export { anomalyDetectorManagedKind } from "./anomaly_detector.ts";
export { bucketManagedKind, isBuiltinBucket } from "./bucket.ts";
export { DOCUMENT_ID_PATTERN } from "../../resources/documents/kind.ts";
export {
  documentId,
  externalId,
  KIND_ORDER,
  resolveReferences,
  unknownReference,
  WORKFLOW_NAMESPACE,
  workflowId,
} from "./common.ts";
export { dashboardManagedKind } from "./dashboard.ts";
export { documentManagedKind } from "./document.ts";
export { defineManagedDocument, type ManagedDocumentSpec } from "./documents.ts";
export { slugName } from "./names.ts";
export { notebookManagedKind } from "./notebook.ts";
export { segmentManagedKind } from "./segment.ts";
export { settingManagedKind } from "./setting.ts";
export { sloManagedKind } from "./slo.ts";
export { workflowManagedKind } from "./workflow.ts";
