/**
 * Manifest names and the small string helpers around them.
 *
 * **Name rule** (`metadata.name`): 1–128 characters of lower-case letters, digits, `.`, `_` and `-`, starting
 * and ending with a letter or digit (`^[a-z0-9]([a-z0-9._-]{0,126}[a-z0-9])?$`). It is a DNS-label-like key
 * that is safe in file names, URLs, document ids, settings external ids and bucket names alike, and it is
 * compared exactly (no case folding), so one object never has two spellings.
 *
 * @module
 */

import { editDistance } from "../errors/suggest.ts";

/** The `metadata.name` rule (see the module documentation). */
export const NAME_PATTERN = /^[a-z0-9]([a-z0-9._-]{0,126}[a-z0-9])?$/;

/** The longest allowed name. */
export const NAME_MAX_LENGTH = 128;

/** True when `name` satisfies the name rule. */
export function isValidName(name: string): boolean {
  return NAME_PATTERN.test(name);
}

/**
 * Turns a title into a name: accents removed (NFKD), lower-cased, every run of other characters replaced by
 * `-`, leading and trailing separators trimmed, cut to 128 characters. Returns undefined when nothing is left
 * (a title of only punctuation or non-Latin script).
 */
export function slugify(text: string): string | undefined {
  const slug = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[^a-z0-9]+/, "")
    .slice(0, NAME_MAX_LENGTH)
    .replace(/[^a-z0-9]+$/, "");
  return slug === "" ? undefined : slug;
}

/**
 * The closest candidate to a misspelt word: same letters in another case, or at most two edits (one for words
 * of up to four characters, where two edits would match almost anything). Undefined when nothing is close.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  const sameCase = candidates.find((candidate) => candidate.toLowerCase() === lower);
  if (sameCase) return sameCase;
  const limit = word.length <= 4 ? 1 : 2;
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance <= limit && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

/** ` Did you mean "X"?` or the empty string. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const match = closest(word, candidates);
  return match === undefined ? "" : ` Did you mean "${match}"?`;
}
