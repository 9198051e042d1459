/**
 * Unified diffs of the canonical YAML renderings: what reviewers read in the terminal and in PR comments.
 *
 * @module
 */

import { formatPatch, OMIT_HEADERS, structuredPatch } from "diff";
import { stringify } from "yaml";
import { canonicalize, semanticEqual } from "./canonical.ts";

/** Options of {@link unifiedDiff}. */
export interface UnifiedDiffOptions {
  /** Unchanged lines around each change (default 3, as GNU diff and git). */
  context?: number;
}

/**
 * The canonical YAML rendering of a value: sorted keys, no line folding (a folded long string would show as a
 * multi-line change when one word changes) and no anchors/aliases (a reviewer must see each value where it is).
 */
export function toCanonicalYaml(value: unknown): string {
  return stringify(canonicalize(value), { lineWidth: 0, aliasDuplicateObjects: false });
}

// Control characters in a label would forge or break header lines; they are written as JSON escapes.
// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/g;

function headerName(prefix: string, label: string): string {
  return `${prefix}/${label.replace(CONTROL, (c) => JSON.stringify(c).slice(1, -1))}`;
}

/**
 * A unified diff (jsdiff) from `before` (live) to `after` (desired), as canonical YAML.
 *
 * Headers are `--- live/<label>` and `+++ desired/<label>`; an absent side (`undefined`: create or delete) is
 * `/dev/null`, as in git. Labels are written as they are (no git-style C quoting, which would turn a non-ASCII
 * name into octal escapes in a PR comment); only control characters are escaped.
 *
 * @returns The diff ending in a newline, or `""` when the values are semantically equal.
 */
export function unifiedDiff(
  label: string,
  before: unknown | undefined,
  after: unknown | undefined,
  options: UnifiedDiffOptions = {},
): string {
  if (semanticEqual(before, after)) return "";
  const oldName = before === undefined ? "/dev/null" : headerName("live", label);
  const newName = after === undefined ? "/dev/null" : headerName("desired", label);
  const patch = structuredPatch(
    oldName,
    newName,
    before === undefined ? "" : toCanonicalYaml(before),
    after === undefined ? "" : toCanonicalYaml(after),
    undefined,
    undefined,
    { context: options.context ?? 3 },
  );
  // Values that differ only where YAML cannot tell (none known today) would give no hunks.
  if (patch.hunks.length === 0) return "";
  return `--- ${oldName}\n+++ ${newName}\n${formatPatch(patch, OMIT_HEADERS)}`;
}
