/**
 * Plan renderings: text for humans, Markdown for pull-request comments, canonical JSON for machines (saved
 * plans, the GitHub Actions).
 *
 * @module
 */

import { canonicalize } from "../diff/canonical.ts";
import type { Plan } from "./types.ts";

export {
  ACTION_SYMBOL,
  escapeUnsafeChars,
  formatReplacement,
  formatValue,
  renderPlanText,
  resourceLabel,
  truncateText,
} from "./render_text.ts";
export type { RenderTextOptions } from "./render_text.ts";
export {
  DEFAULT_MARKDOWN_MAX_LENGTH,
  defaultMarkerText,
  MIN_MARKDOWN_MAX_LENGTH,
  planMarker,
  renderPlanMarkdown,
  utf8Length,
} from "./render_markdown.ts";
export type { RenderMarkdownOptions } from "./render_markdown.ts";
export { redactChange, redactDiff, yamlSecretVariants } from "./render_redact.ts";

/**
 * The plan as canonical JSON: keys sorted by code point, `undefined` members dropped, two-space indentation and a
 * final newline. Entries keep their (apply) order. Byte-identical for equal plans, so saved plans diff cleanly and
 * the Actions can compare them. Not redacted: a saved plan must carry the exact desired objects apply sends.
 */
export function renderPlanJson(plan: Plan): string {
  return `${JSON.stringify(canonicalize(plan), null, 2)}\n`;
}
