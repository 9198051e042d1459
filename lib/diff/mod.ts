/**
 * Deterministic structural diffs for the plan: canonical form, semantic equality, field changes (JSON
 * Pointer), JSON Patch (RFC 6902) and unified diffs of canonical YAML.
 *
 * @module
 */

export { canonicalize, compareCodePoints, isPlainRecord, sameScalar, semanticEqual } from "./canonical.ts";
export { comparePointers, escapePointerSegment, formatPointer, parsePointer } from "./pointer.ts";
export { diffObjects } from "./fields.ts";
export { applyJsonPatch, jsonPatch } from "./patch.ts";
export { toCanonicalYaml, unifiedDiff } from "./unified.ts";
export type { UnifiedDiffOptions } from "./unified.ts";
