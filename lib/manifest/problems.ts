/**
 * Problem collection for manifests and the project file: every check records a {@link ManifestProblem} and
 * carries on, and the loader throws one {@link ManifestError} with all of them, so a user fixes a repository
 * in one round instead of one error per run.
 *
 * @module
 */

import { DtctlError } from "../errors/mod.ts";
import type { ManifestProblem, SourceLocation } from "./types.ts";

/** `file:line:column`, the form editors and CI annotations turn into links. */
export function formatLocation(location: SourceLocation): string {
  return `${location.file}:${location.line}:${location.column}`;
}

/** `file:line:column: message`. */
export function formatProblem(problem: ManifestProblem): string {
  return `${formatLocation(problem.location)}: ${problem.message}`;
}

// Code-point order, not locale order, so the output is the same on every machine.
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders problems by file, line, column, then message. */
export function compareProblems(a: ManifestProblem, b: ManifestProblem): number {
  return compareText(a.location.file, b.location.file) ||
    a.location.line - b.location.line ||
    a.location.column - b.location.column ||
    compareText(a.message, b.message);
}

/** Sorts problems (see {@link compareProblems}) and drops exact duplicates. */
export function sortProblems(problems: readonly ManifestProblem[]): ManifestProblem[] {
  const sorted = [...problems].sort(compareProblems);
  return sorted.filter((problem, i) => i === 0 || compareProblems(sorted[i - 1], problem) !== 0);
}

/**
 * The error for invalid manifests or an invalid project file: code `validation_error` (exit 1), every problem
 * in `problems` (sorted by file, line, column) and a message with one `file:line:column: message` line each.
 */
export class ManifestError extends DtctlError {
  /** All problems, sorted by file, line and column. */
  readonly problems: ManifestProblem[];

  /** Creates the error from the problems found; they are sorted and de-duplicated here. */
  constructor(problems: readonly ManifestProblem[], hint?: string) {
    const sorted = sortProblems(problems);
    const lines = sorted.map(formatProblem);
    // A single problem reads best on its own; several get a count first so the total is visible in CI logs.
    const message = lines.length === 1
      ? lines[0]
      : `${lines.length} problems found:\n${lines.map((line) => `  ${line}`).join("\n")}`;
    super("validation_error", message, {
      hint: hint ?? "Fix each problem at the position shown; nothing was changed.",
      details: {
        problems: sorted.map((problem) => ({ ...problem.location, message: problem.message })),
      },
    });
    this.name = "ManifestError";
    this.problems = sorted;
  }
}

/** Accumulates problems; the loader throws them together at the end. */
export class Problems {
  readonly #items: ManifestProblem[] = [];

  /** Records a problem. */
  add(location: SourceLocation, message: string): void {
    this.#items.push({ location, message });
  }

  /** The number of problems so far. */
  get size(): number {
    return this.#items.length;
  }

  /** The problems so far (unsorted). */
  list(): ManifestProblem[] {
    return [...this.#items];
  }

  /** Throws a {@link ManifestError} when any problem was recorded. */
  throwIfAny(hint?: string): void {
    if (this.#items.length > 0) throw new ManifestError(this.#items, hint);
  }
}
