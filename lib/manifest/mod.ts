/**
 * Configuration as code: the project file, manifests (envelopes and raw Go-dtctl payloads), templating on
 * parsed values, content files, per-kind validation and references between manifests. Everything is checked
 * before anything is written, and every problem names file:line:column.
 *
 * @module
 */

export * from "./types.ts";
export { compareProblems, formatLocation, formatProblem, ManifestError, sortProblems } from "./problems.ts";
export {
  environmentValues,
  findProjectFile,
  loadProject,
  type LoadProjectOptions,
  parseProject,
  selectEnvironment,
  STACK_NAME_PATTERN,
} from "./project.ts";
export { type LoadedManifests, loadManifests, type LoadManifestsOptions } from "./load.ts";
export type { ReadStdin } from "./input.ts";
export { hasPlaceholder, type RenderResult, renderString, type TemplateScope } from "./template.ts";
export {
  ANOMALY_DETECTOR_SCHEMA,
  isManifestKind,
  KIND_RULES,
  type KindRules,
  MANIFEST_KINDS,
  type ManifestKind,
  type SpecReporter,
  validateSpec,
} from "./kinds.ts";
export { isValidName, NAME_PATTERN, slugify } from "./names.ts";
export {
  collectReferences,
  isReference,
  type ManifestReference,
  parseReference,
  REF_KEY,
} from "./references.ts";
export { FILE_KEY, isFileReference } from "./content.ts";
export type { ValuePath } from "./source.ts";
export { type Detection, detectKind } from "./raw.ts";
export { IGNORE_FILE, MANIFEST_EXTENSIONS, PROJECT_FILE_NAMES } from "./files.ts";
