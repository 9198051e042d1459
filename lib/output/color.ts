/**
 * The colour rule shared by every printer: colour only when `NO_COLOR` is unset (any value, even empty,
 * disables it), neither `--plain` nor `--no-color` is given, and stdout is a TTY or `FORCE_COLOR=1`.
 *
 * @module
 */

/** Inputs of the colour decision. */
export interface ColorSettings {
  /** The process environment. */
  env: Record<string, string | undefined>;
  /** `--plain` was given. */
  plain?: boolean;
  /** `--no-color` was given. */
  noColor?: boolean;
  /** stdout is a terminal. */
  isTTY: boolean;
}

/** Decides whether output may carry ANSI colour. */
export function shouldUseColor(settings: ColorSettings): boolean {
  if (settings.env.NO_COLOR !== undefined) return false;
  if (settings.plain || settings.noColor) return false;
  return settings.isTTY || settings.env.FORCE_COLOR === "1";
}

/** ANSI styling functions that are the identity when colour is off. */
export interface Palette {
  /** Errors and deletions. */
  red(text: string): string;
  /** Success and additions. */
  green(text: string): string;
  /** Warnings and modifications. */
  yellow(text: string): string;
  /** Identifiers and links. */
  cyan(text: string): string;
  /** Headings. */
  bold(text: string): string;
  /** Secondary information. */
  dim(text: string): string;
}

function style(enabled: boolean, open: number, close: number): (text: string) => string {
  return enabled ? (text) => `\x1b[${open}m${text}\x1b[${close}m` : (text) => text;
}

/** A palette that colours when `enabled`, and returns text unchanged otherwise. */
export function createPalette(enabled: boolean): Palette {
  return {
    red: style(enabled, 31, 39),
    green: style(enabled, 32, 39),
    yellow: style(enabled, 33, 39),
    cyan: style(enabled, 36, 39),
    bold: style(enabled, 1, 22),
    dim: style(enabled, 2, 22),
  };
}
