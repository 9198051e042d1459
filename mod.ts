/**
 * dtctl: typed functions for the Dynatrace platform.
 *
 * @module
 */

export * from "./lib/errors/mod.ts";
export * from "./lib/client/mod.ts";
export * from "./lib/config/mod.ts";
export * from "./lib/connect/mod.ts";
export { renderTable } from "./lib/output/table.ts";
export { createPalette, type Palette, shouldUseColor } from "./lib/output/color.ts";
export type { Column, TableOptions } from "./lib/output/table.ts";
export { redactText, redactValue } from "./lib/redact/mod.ts";
export * from "./lib/resources/mod.ts";
export { evaluateJsonPath, type JsonPathTemplate, parseJsonPath } from "./lib/output/jsonpath.ts";
export {
  OUTPUT_FORMATS,
  type OutputSpec,
  parseOutputSpec,
  type PrintOptions,
  renderObjects,
  WatchPrinter,
} from "./lib/output/printers.ts";
export {
  documentId,
  externalId,
  KIND_ORDER,
  lookupManagedKind,
  MANAGED_KINDS,
  managedKind,
  WORKFLOW_NAMESPACE,
  workflowId,
} from "./lib/plan/kinds/mod.ts";
export {
  type ExportedObject,
  exportManifests,
  type ExportOptions,
  type ExportResult,
  renderExportSummary,
  type SkippedObject,
} from "./lib/export/mod.ts";
export * from "./lib/plan/mod.ts";
export * from "./lib/apply/mod.ts";
export * from "./lib/inventory/mod.ts";
export {
  connectProjectEnvironment,
  type ProjectConnectOptions,
  projectCredentials,
  resolveProjectEnvironment,
} from "./lib/connect/project.ts";
export * from "./lib/manifest/mod.ts";
