/**
 * Human rendering of errors on stderr: `Error: message`, then `  Hint: ...`. User errors show no stack
 * trace unless verbose; unexpected errors (bugs) always show one, because the user will need it for a report.
 *
 * @module
 */

import { DtctlError } from "../errors/mod.ts";
import { redactText } from "../redact/mod.ts";
import type { Palette } from "./color.ts";

/** Options of {@link renderError}. */
export interface RenderErrorOptions {
  /** `-v` given: add details, causes and stack traces. */
  verbose: boolean;
  /** Styling. */
  palette: Palette;
}

/** Renders an error for a person; the result ends with a newline and never contains secrets. */
export function renderError(error: unknown, options: RenderErrorOptions): string {
  const { palette, verbose } = options;
  const lines: string[] = [];
  if (error instanceof DtctlError) {
    lines.push(`${palette.red("Error:")} ${error.message}`);
    if (error.hint) lines.push(`  ${palette.yellow("Hint:")} ${error.hint}`);
    if (verbose) {
      for (const [key, value] of Object.entries(error.details)) {
        lines.push(
          `  ${palette.dim(`${key}:`)} ${typeof value === "string" ? value : JSON.stringify(value)}`,
        );
      }
      appendStack(lines, error, palette);
    } else if (!error.userError) {
      appendStack(lines, error, palette);
    }
  } else {
    const message = error instanceof Error ? error.message : String(error);
    lines.push(`${palette.red("Error:")} ${message}`);
    lines.push(
      `  ${palette.yellow("Hint:")} this is a bug in dtctl; please report it with the output of -v.`,
    );
    if (error instanceof Error) appendStack(lines, error, palette);
  }
  return redactText(lines.join("\n")) + "\n";
}

function appendStack(lines: string[], error: Error, palette: Palette): void {
  if (error.stack) lines.push(palette.dim(error.stack));
  let cause = error.cause;
  while (cause instanceof Error) {
    lines.push(palette.dim(`Caused by: ${cause.stack ?? cause.message}`));
    cause = cause.cause;
  }
}
