/**
 * `dtctl export`: live objects → manifests that diff as unchanged (see `export.ts`).
 *
 * @module
 */

export {
  escapeTemplates,
  type ExportedObject,
  type ExportEnvelope,
  exportEnvelope,
  exportManifests,
  type ExportOptions,
  type ExportResult,
  orderSpec,
  renderExportSummary,
  type SkippedObject,
  stackNameFromDir,
} from "./export.ts";
