/**
 * The plan as a GitHub pull-request comment body (docs: shared GitHub Actions conventions, section 2): a hidden
 * versioned marker to find and update the same comment, heading, status, the greppable summary line, a deletion
 * warning outside any `<details>`, a table of changed resources, and per resource a `<details>` block with the
 * unified diff. Secrets are redacted here, because runner masking never covers API-posted comments, and the body
 * is kept under GitHub's size limit by truncating diffs by structure, never blindly.
 *
 * @module
 */

import { DtctlError } from "../errors/mod.ts";
import { redactText } from "../redact/mod.ts";
import { redactDiff } from "./render_redact.ts";
import { ACTION_SYMBOL, escapeUnsafeChars, resourceLabel, truncateText } from "./render_text.ts";
import { formatSummaryCounts, hasChanges, summarize } from "./summary.ts";
import type { Plan, PlanEntry } from "./types.ts";

/** Options of {@link renderPlanMarkdown}. */
export interface RenderMarkdownOptions {
  /** Heading text (default `dtctl plan: <stack> → <environment>`). */
  title?: string;
  /**
   * Size budget in UTF-8 bytes (default 65,000; GitHub rejects bodies over 65,536 characters). Bytes, because
   * whether GitHub counts UTF-16 units or code points is unknown and a byte count bounds both. At least 1,000.
   */
  maxLength?: number;
  /** Text of the hidden marker, without `<!--`/`-->` (default from {@link defaultMarkerText}). */
  marker?: string;
  /** Known secret values (tokens, client secrets) to remove in any encoding, on top of the pattern rules. */
  secrets?: readonly string[];
  /** Markdown appended at the end (commit, run link, time), redacted and counted in the budget. */
  footer?: string;
  /** Where the reader finds what truncation left out; shown in the truncation notes. */
  truncationHint?: string;
}

/** Default {@link RenderMarkdownOptions.maxLength}. */
export const DEFAULT_MARKDOWN_MAX_LENGTH = 65_000;

/** Smallest accepted {@link RenderMarkdownOptions.maxLength}: the marker, heading and summary must fit. */
export const MIN_MARKDOWN_MAX_LENGTH = 1_000;

const DEFAULT_TRUNCATION_HINT = "Run `dtctl diff` locally or see the job summary for the full plan.";

// Heading text beyond this is noise and eats the budget of the diffs.
const TITLE_WIDTH = 200;

// A diff line is cut mid-line only when at least this many bytes of it can be shown; less reads as noise.
const MIN_PARTIAL_LINE = 40;

// Below this many bytes of a diff, showing the diff is not worth dropping another resource's diff for.
const MIN_SHOWN_DIFF = 600;

// With this few changed resources every diff is expanded; deletions are expanded always.
const EXPAND_ALL_UP_TO = 3;

/** UTF-8 length of a string, without allocating (lone surrogates count 3 bytes, as TextEncoder writes U+FFFD). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

// The longest prefix of `text` within `maxBytes` UTF-8 bytes that does not split a code point.
function cutUtf8(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const point of text) {
    const size = utf8Length(point);
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += point.length;
  }
  return text.slice(0, end);
}

function htmlEscape(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll(
    '"',
    "&quot;",
  );
}

function longestRun(text: string, char: string): number {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === char ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  return longest;
}

/**
 * A Markdown code span that shows `text` literally: backticks inside get a longer delimiter (CommonMark), `|`
 * is escaped because GFM splits table cells before it parses code spans.
 */
function code(text: string, inTable = false): string {
  const fence = "`".repeat(longestRun(text, "`") + 1);
  const pad = text.startsWith("`") || text.endsWith("`") || text.trim() === "" ? " " : "";
  const span = `${fence}${pad}${text}${pad}${fence}`;
  return inTable ? span.replaceAll("|", "\\|") : span;
}

// Marker values: everything that is not plainly safe inside an HTML comment and a `key=value` list is
// percent-encoded, so a stack or URL can never end the comment (`-->`, `--!>`) or split a field; `--` (as in
// punycode hosts, `xn--`) is broken up because markers are kept free of it.
function markerValue(value: string): string {
  return value.replace(/[^A-Za-z0-9._~:/@+-]/gu, (c) => {
    try {
      return encodeURIComponent(c);
    } catch {
      return "%EF%BF%BD";
    }
  }).replaceAll("--", "-%2D");
}

/**
 * The default marker text for a plan: `dtctl:v1 kind=plan env=<environment> target=<stack>`. Versioned and
 * independent of the heading, so changing the heading never orphans a comment.
 */
export function defaultMarkerText(plan: Pick<Plan, "stack" | "environment">): string {
  return `dtctl:v1 kind=plan env=${markerValue(plan.environment)} target=${markerValue(plan.stack)}`;
}

/**
 * The hidden marker line (`<!-- … -->`) that {@link renderPlanMarkdown} writes first, for the Action to find
 * the comment to update. Redacted like the rest of the body, so a credential in the environment URL cannot
 * leak through it.
 *
 * @throws DtctlError `usage_error` when a custom marker could end the HTML comment or span lines.
 */
export function planMarker(plan: Pick<Plan, "stack" | "environment">, marker?: string): string {
  const text = marker ?? defaultMarkerText(plan);
  if (/[<>\r\n]|--/.test(text)) {
    throw new DtctlError("usage_error", `Invalid comment marker ${JSON.stringify(text)}.`, {
      hint: 'Use one line without "<", ">" or "--", e.g. "dtctl:v1 kind=plan env=prod target=shop".',
      details: { marker: text },
    });
  }
  return `<!-- ${redactText(text)} -->`;
}

/** One changed resource's `<details>` block, with its diff split into lines for truncation. */
interface Block {
  entry: PlanEntry;
  open: string;
  fence: string;
  lines: string[];
  /** `prefix[k]`: UTF-8 bytes of the first k lines, each with its newline. */
  prefix: number[];
}

/** How much of one diff to show. */
interface Shown {
  lines: number;
  partial?: string;
  /** The whole diff fits. */
  full: boolean;
}

function isHeaderLine(line: string, index: number): boolean {
  return line.startsWith("@@") || (index < 2 && (line.startsWith("--- ") || line.startsWith("+++ ")));
}

function shownFor(block: Block, cap: number): Shown {
  const n = block.lines.length;
  if (block.prefix[n] <= cap) return { lines: n, full: true };
  // Largest k with prefix[k] <= cap.
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (block.prefix[mid] <= cap) lo = mid;
    else hi = mid - 1;
  }
  const room = cap - block.prefix[lo] - utf8Length(" …\n");
  // File and hunk headers without any of their lines are noise: a shown prefix never ends in one.
  if (room < MIN_PARTIAL_LINE) {
    while (lo > 0 && isHeaderLine(block.lines[lo - 1], lo - 1)) lo--;
  }
  if (lo < n && room >= MIN_PARTIAL_LINE) {
    return { lines: lo, partial: `${cutUtf8(block.lines[lo], room)} …`, full: false };
  }
  return { lines: lo, full: false };
}

function blockParts(block: Block, shown: Shown, hint: string): { head: string; tail: string } {
  const n = block.lines.length;
  if (shown.lines === 0 && shown.partial === undefined) {
    return {
      head:
        `${block.open}\n\n_Diff omitted (${n} lines) to fit GitHub's comment size limit. ${hint}_\n\n</details>\n`,
      tail: "",
    };
  }
  const note = shown.full
    ? ""
    : shown.partial === undefined
    ? `_… diff truncated: ${shown.lines} of ${n} lines shown. ${hint}_\n\n`
    : `_… diff truncated: ${shown.lines + 1} of ${n} lines shown, the last one cut. ${hint}_\n\n`;
  return {
    head: `${block.open}\n\n${block.fence}diff\n`,
    tail: `${shown.partial === undefined ? "" : `${shown.partial}\n`}${block.fence}\n\n${note}</details>\n`,
  };
}

function blockSize(block: Block, cap: number, hint: string): number {
  const shown = shownFor(block, cap);
  const { head, tail } = blockParts(block, shown, hint);
  return utf8Length(head) + block.prefix[shown.lines] + utf8Length(tail);
}

function renderBlock(block: Block, cap: number, hint: string): string {
  const shown = shownFor(block, cap);
  const { head, tail } = blockParts(block, shown, hint);
  const body = block.lines.slice(0, shown.lines).map((line) => `${line}\n`).join("");
  return `${head}${body}${tail}`;
}

/** The knobs the size fitting turns, from "everything" down to "names only". */
interface Layout {
  /** How many diff blocks are shown: the first n in priority order (deletions first, then plan order). */
  blocks: number;
  /** Byte cap of each shown diff (Infinity: whole diffs). One cap for all, so small diffs stay whole. */
  cap: number;
  /** Table rows shown. */
  rows: number;
  /** Deletion warning items shown. */
  deletions: number;
}

/**
 * Renders a plan as a pull-request comment body.
 *
 * Layout: the hidden marker (first line), `## <title>`, a status (✅ no changes / 📝 changes), the summary line
 * `**Plan:** N to create, N to update, N to delete, N unchanged`, a `> [!WARNING]` listing every deletion
 * (outside any `<details>`, so truncation never hides it), a table of changed resources (action, kind, name), and
 * per changed resource a `<details>` block with its unified diff in a `diff` fence (longer than any backtick run
 * in the diff, so content cannot close it). Deletions are always expanded; small plans entirely.
 *
 * Secrets never appear: names, ids, title, footer and diffs go through {@link redactDiff} / `redactText` (secret-
 * named YAML keys, token-shaped strings, `options.secrets`), and the whole body through `redactText` once more.
 *
 * Size: the body never exceeds `maxLength` UTF-8 bytes. When it would, diffs are capped at one common byte count
 * (so the largest are cut first and small ones stay whole; each cut diff says so); when even a useful minimum per
 * diff does not fit, diff blocks are dropped from the end of the plan, deletions' last; then the table and
 * finally the deletion list are shortened with counts. A note says what was left out. Marker, heading, summary
 * and footer always stay.
 *
 * @throws DtctlError `usage_error` for a `maxLength` below {@link MIN_MARKDOWN_MAX_LENGTH} or an invalid marker.
 */
export function renderPlanMarkdown(plan: Plan, options: RenderMarkdownOptions = {}): string {
  const maxLength = options.maxLength ?? DEFAULT_MARKDOWN_MAX_LENGTH;
  if (!Number.isInteger(maxLength) || maxLength < MIN_MARKDOWN_MAX_LENGTH) {
    throw new DtctlError("usage_error", `Invalid markdown size limit ${maxLength}.`, {
      hint: `Give a whole number of bytes of at least ${MIN_MARKDOWN_MAX_LENGTH} (GitHub's limit is 65536).`,
      details: { maxLength },
    });
  }
  const secrets = options.secrets ?? [];
  const clean = (text: string) => escapeUnsafeChars(redactText(text, secrets));
  const hint = clean(options.truncationHint ?? DEFAULT_TRUNCATION_HINT);
  const changed = plan.entries.filter((entry) => entry.action !== "unchanged");
  const deletions = changed.filter((entry) => entry.action === "delete");
  const changes = hasChanges(plan);

  const marker = planMarker(plan, options.marker);
  const title = truncateText(
    clean(options.title ?? `dtctl plan: ${plan.stack} → ${plan.environment}`),
    TITLE_WIDTH,
  );
  const head = [
    marker,
    `## ${htmlEscape(title)}`,
    "",
    changes ? "📝 Changes to apply." : "✅ No changes. The environment matches the configuration.",
    "",
    `**Plan:** ${formatSummaryCounts(summarize(plan.entries))}`,
    "",
  ].join("\n");
  const footer = options.footer === undefined
    ? ""
    : `${redactText(options.footer, secrets).replace(/\n*$/, "")}\n`;

  const label = (entry: PlanEntry) => clean(resourceLabel(entry));
  const idText = (entry: PlanEntry) => entry.id === undefined ? "" : clean(entry.id);

  const warning = (shown: number): string => {
    if (deletions.length === 0) return "";
    const noun = deletions.length === 1 ? "resource" : "resources";
    const items = deletions.slice(0, shown).map((entry) => {
      const id = idText(entry);
      return `> - ${code(label(entry))}${id === "" ? "" : ` (id ${code(id)})`}\n`;
    });
    const rest = deletions.length - shown;
    const more = rest > 0 ? `> - … and ${rest} more (omitted to fit GitHub's comment size limit)\n` : "";
    return `> [!WARNING]\n> ${deletions.length} ${noun} will be deleted:\n>\n${items.join("")}${more}`;
  };

  const table = (shown: number): string => {
    if (changed.length === 0) return "";
    if (shown === 0) {
      return `_The list of ${changed.length} changed resources was omitted to fit GitHub's comment size limit._\n`;
    }
    const rows = changed.slice(0, shown).map((entry) =>
      `| ${code(`${ACTION_SYMBOL[entry.action]} ${entry.action}`, true)} | ${
        code(clean(entry.kind), true)
      } | ${code(clean(entry.name), true)} |\n`
    );
    const rest = changed.length - shown;
    const more = rest > 0
      ? `\n_… and ${rest} more changed resources (omitted to fit GitHub's comment size limit)._\n`
      : "";
    return `| Action | Kind | Name |\n| --- | --- | --- |\n${rows.join("")}${more}`;
  };

  const expandAll = changed.length <= EXPAND_ALL_UP_TO;
  const blocks: Block[] = changed.filter((entry) => entry.diff !== "").map((entry) => {
    const lines = redactDiff(entry.diff, secrets).replace(/\n$/, "").split("\n").map(escapeUnsafeChars);
    const diff = lines.join("\n");
    const prefix = [0];
    for (const line of lines) prefix.push(prefix[prefix.length - 1] + utf8Length(line) + 1);
    const id = idText(entry);
    const summary = `<code>${ACTION_SYMBOL[entry.action]}</code> ${entry.action} <code>${
      htmlEscape(label(entry))
    }</code>${id === "" ? "" : ` (id <code>${htmlEscape(id)}</code>)`}`;
    const open = expandAll || entry.action === "delete" ? "<details open>" : "<details>";
    return {
      entry,
      open: `${open}<summary>${summary}</summary>`,
      fence: "`".repeat(Math.max(3, longestRun(diff, "`") + 1)),
      lines,
      prefix,
    };
  });

  // Which blocks survive longest: deletions (destructive, reviewers must see them), then plan order.
  const priority = [
    ...blocks.filter((b) => b.entry.action === "delete"),
    ...blocks.filter((b) => b.entry.action !== "delete"),
  ];
  const shownBlocks = (l: Layout) => {
    const shown = new Set(priority.slice(0, l.blocks));
    return blocks.filter((b) => shown.has(b));
  };
  const totalBytes = (b: Block) => b.prefix[b.lines.length];
  const full: Layout = {
    blocks: blocks.length,
    cap: Infinity,
    rows: changed.length,
    deletions: deletions.length,
  };
  const isFull = (l: Layout) =>
    l.blocks === blocks.length && l.rows === changed.length && l.deletions === deletions.length &&
    blocks.every((b) => totalBytes(b) <= l.cap);
  const note = (l: Layout): string => {
    if (isFull(l)) return "";
    const partial = l.blocks < blocks.length
      ? `: diffs are shown for ${l.blocks} of ${blocks.length} changed resources`
      : "";
    return `> [!NOTE]\n> This comment was shortened to fit GitHub's comment size limit${partial}. ${hint}\n`;
  };

  // Body order: head, deletion warning, table, diff blocks, note, footer; one blank line between.
  const lead = (l: Layout) => [head, warning(l.deletions), table(l.rows)].filter((s) => s !== "");
  const trail = (l: Layout) => [note(l), footer].filter((s) => s !== "");
  const size = (l: Layout): number => {
    const parts = [...lead(l), ...trail(l)].map(utf8Length);
    for (const block of shownBlocks(l)) parts.push(blockSize(block, l.cap, hint));
    return parts.reduce((a, b) => a + b, 0) + parts.length - 1;
  };
  const render = (l: Layout): string => {
    const details = shownBlocks(l).map((block) => renderBlock(block, l.cap, hint));
    return [...lead(l), ...details, ...trail(l)].join("\n");
  };
  const fits = (l: Layout) => size(l) <= maxLength;

  // Largest value in [low, high] for which `layout(value)` fits, given that `layout(low)` fits. Size grows with
  // each knob (up to the digits in notes); the final check below catches any step where it does not.
  const largest = (low: number, high: number, layout: (value: number) => Layout): number => {
    let lo = low;
    let hi = high;
    while (lo < hi) {
      const mid = lo + Math.ceil((hi - lo) / 2);
      if (fits(layout(mid))) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const longest = blocks.reduce((m, b) => Math.max(m, totalBytes(b)), 0);

  const candidates: (() => Layout | undefined)[] = [
    () => full,
    () => {
      // As many blocks as fit with a useful minimum each, then as much of each as fits.
      const withBlocks = (n: number): Layout => ({ ...full, blocks: n, cap: MIN_SHOWN_DIFF });
      if (blocks.length === 0 || !fits(withBlocks(1))) return undefined;
      const n = largest(1, blocks.length, withBlocks);
      const withCap = (cap: number): Layout => ({ ...full, blocks: n, cap });
      return withCap(largest(MIN_SHOWN_DIFF, Math.max(MIN_SHOWN_DIFF, longest), withCap));
    },
    () => {
      const withRows = (rows: number): Layout => ({ ...full, blocks: 0, rows });
      if (!fits(withRows(0))) return undefined;
      return withRows(largest(0, changed.length, withRows));
    },
    () => {
      const withItems = (shown: number): Layout => ({ ...full, blocks: 0, rows: 0, deletions: shown });
      if (!fits(withItems(0))) return undefined;
      return withItems(largest(0, deletions.length, withItems));
    },
  ];
  for (const candidate of candidates) {
    const layout = candidate();
    if (layout === undefined) continue;
    const body = redactText(render(layout), secrets);
    if (utf8Length(body) <= maxLength) return body;
  }
  // Only a huge title, marker or footer gets here: keep the start (marker first) and say it was cut.
  const cut = "\n\n_… comment truncated to fit GitHub's comment size limit._\n";
  const minimal = redactText(render({ blocks: 0, cap: 0, rows: 0, deletions: 0 }), secrets);
  return `${cutUtf8(minimal, maxLength - utf8Length(cut))}${cut}`;
}
