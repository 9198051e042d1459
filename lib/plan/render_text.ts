/**
 * The human rendering of a plan (`dtctl diff`, `dtctl plan`, `dtctl apply --dry-run`), modelled on Terraform:
 * one line per resource, its field changes indented below, optionally the unified diff, and a summary line.
 *
 * @module
 */

import { canonicalize } from "../diff/canonical.ts";
import type { Palette } from "../output/color.ts";
import { redactText } from "../redact/mod.ts";
import { redactChange, redactDiff } from "./render_redact.ts";
import { formatSummaryCounts, hasChanges, summarize } from "./summary.ts";
import type { FieldChange, Plan, PlanAction, PlanEntry } from "./types.ts";

/** Options of {@link renderPlanText}. */
export interface RenderTextOptions {
  /** Colours; pass `createPalette(false)` for plain text. All styling goes through it. */
  palette: Palette;
  /** Also list resources that stay as they are (`=` lines). Default false. */
  showUnchanged?: boolean;
  /** Print each changed resource's unified diff below its field changes. Default false. */
  showDiff?: boolean;
  /**
   * Hide secrets (secret-named fields, token-shaped strings, `secrets`). Default false: the terminal user owns
   * the values; turn it on where output is shared (CI logs).
   */
  redact?: boolean;
  /** Known secret values to remove; implies `redact`. */
  secrets?: readonly string[];
  /** Longest rendered value in code points before it is cut with `…` (default 60). */
  valueWidth?: number;
}

/** The symbol Terraform users expect for each action. */
export const ACTION_SYMBOL: Record<PlanAction, string> = {
  create: "+",
  update: "~",
  delete: "-",
  unchanged: "=",
};

const OP_SYMBOL: Record<FieldChange["op"], string> = { add: "+", remove: "-", replace: "~" };

// C0/C1 controls (ANSI escapes could repaint the terminal, a newline could forge a plan line) and bidi
// overrides ("Trojan Source": text that displays differently from what it is) are shown as escapes, never
// interpreted. Tab is harmless and common in YAML block scalars.
// deno-lint-ignore no-control-regex
const UNSAFE_CHARS = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Replaces control and bidi-override characters with `\uXXXX` so names and values print as what they are. */
export function escapeUnsafeChars(text: string): string {
  return text.replace(UNSAFE_CHARS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * Cuts text to at most `width` code points, ending in `…` when cut. Counts code points, not UTF-16 units, so an
 * emoji is never split into a lone surrogate.
 */
export function truncateText(text: string, width: number): string {
  if (text.length <= width) return text;
  const points = Array.from(text);
  if (points.length <= width) return text;
  return `${points.slice(0, Math.max(0, width - 1)).join("")}…`;
}

/** A value as compact canonical JSON (how field changes show values), cut to `width` code points. */
export function formatValue(value: unknown, width: number): string {
  const json = value === undefined ? "undefined" : JSON.stringify(canonicalize(value));
  return truncateText(json, width);
}

// Characters of the common start kept before the first difference, so the reader sees where it is.
const DIFFERENCE_CONTEXT = 12;

/**
 * Both sides of a replacement as compact JSON cut to `width`. When both share a long start (a long script or
 * query edited near its end), the shared start is elided with `…` so the cut does not hide the difference:
 * `"…og('deployed');\n}"` → `"…og('deployed', new Date());\n}"`.
 */
export function formatReplacement(before: unknown, after: unknown, width: number): [string, string] {
  const a = Array.from(before === undefined ? "undefined" : JSON.stringify(canonicalize(before)));
  const b = Array.from(after === undefined ? "undefined" : JSON.stringify(canonicalize(after)));
  if (a.length <= width && b.length <= width) return [a.join(""), b.join("")];
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  const start = common - DIFFERENCE_CONTEXT;
  // Elide only when a plain cut would hide the first difference (or leave it without context), and only between
  // values of the same JSON type (same first character), where a shared start means something.
  if (common < width - DIFFERENCE_CONTEXT || start <= 2 || a[0] !== b[0]) {
    return [truncateText(a.join(""), width), truncateText(b.join(""), width)];
  }
  const elide = (points: string[]) => truncateText(`${points[0]}…${points.slice(start).join("")}`, width);
  return [elide(a), elide(b)];
}

/** `Kind/name`, as the plan, diff headers and PR comment name a resource. */
export function resourceLabel(entry: Pick<PlanEntry, "kind" | "name">): string {
  return `${entry.kind}/${entry.name}`;
}

function actionColor(palette: Palette, action: PlanAction): (text: string) => string {
  switch (action) {
    case "create":
      return palette.green;
    case "update":
      return palette.yellow;
    case "delete":
      return palette.red;
    case "unchanged":
      return palette.dim;
  }
}

function colorDiffLine(palette: Palette, line: string): string {
  if (line.startsWith("+++ ") || line.startsWith("--- ")) return palette.bold(line);
  if (line.startsWith("+")) return palette.green(line);
  if (line.startsWith("-")) return palette.red(line);
  if (line.startsWith("@@")) return palette.cyan(line);
  return line;
}

function renderChange(change: FieldChange, palette: Palette, width: number): string {
  const symbol = OP_SYMBOL[change.op];
  const color = change.op === "add" ? palette.green : change.op === "remove" ? palette.red : palette.yellow;
  // "" (the whole document) would print as nothing; "/" would mean the member named "".
  const path = change.path === "" ? "(whole object)" : escapeUnsafeChars(change.path);
  let value: string;
  if (change.op === "add") value = palette.green(formatValue(change.after, width));
  else if (change.op === "remove") value = palette.red(formatValue(change.before, width));
  else {
    const [before, after] = formatReplacement(change.before, change.after, width);
    value = `${palette.red(before)} → ${palette.green(after)}`;
  }
  return `    ${color(symbol)} ${path}: ${value}`;
}

/**
 * Renders a plan for humans.
 *
 * Per resource: `<symbol> Kind/name (id <id>)` with `+` create, `~` update, `-` delete and `=` unchanged (only
 * with `showUnchanged`); below it the field changes (`~ /tasks/a/input/x: "old" → "new"`, values as compact
 * JSON cut at `valueWidth`); with `showDiff` the unified diff. The last line is `Plan: N to create, N to update,
 * N to delete, N unchanged.` or `No changes. The environment matches the configuration.` The summary is counted
 * from the entries, so it cannot disagree with the list. Deterministic; colours only through the palette.
 */
export function renderPlanText(plan: Plan, options: RenderTextOptions): string {
  const { palette } = options;
  const width = Math.max(8, options.valueWidth ?? 60);
  const redact = options.redact === true || options.secrets !== undefined;
  const secrets = options.secrets ?? [];
  const clean = (text: string) => escapeUnsafeChars(redact ? redactText(text, secrets) : text);
  const lines: string[] = [];
  for (const entry of plan.entries) {
    if (entry.action === "unchanged" && !options.showUnchanged) continue;
    const color = actionColor(palette, entry.action);
    const id = entry.id === undefined ? "" : ` ${palette.dim(`(id ${clean(entry.id)})`)}`;
    lines.push(`${color(`${ACTION_SYMBOL[entry.action]} ${clean(resourceLabel(entry))}`)}${id}`);
    // For a create or delete the root change repeats what the resource line says.
    const whole = entry.action === "create" || entry.action === "delete";
    for (const change of entry.changes) {
      if (whole && change.path === "") continue;
      lines.push(renderChange(redact ? redactChange(change, secrets) : change, palette, width));
    }
    if (options.showDiff && entry.diff !== "") {
      const diff = redact ? redactDiff(entry.diff, secrets) : entry.diff;
      for (const line of diff.replace(/\n$/, "").split("\n")) {
        lines.push(`    ${colorDiffLine(palette, escapeUnsafeChars(line))}`);
      }
      lines.push("");
    }
  }
  if (lines.length > 0 && lines[lines.length - 1] !== "") lines.push("");
  if (hasChanges(plan)) {
    lines.push(`${palette.bold("Plan:")} ${formatSummaryCounts(summarize(plan.entries))}.`);
  } else {
    lines.push(`${palette.green(palette.bold("No changes."))} The environment matches the configuration.`);
  }
  return `${lines.join("\n")}\n`;
}
