/**
 * Lexical rules of the filter-field syntax shared by the parser and the renderers, so that whatever the
 * renderers write the parser reads back to the same tree.
 *
 * @module
 */

const KEY_CHAR = /^[\p{L}\p{N}_.\-]$/u;

/** True for a character allowed in an unquoted key (letters, digits, `_`, `.`, `-`). */
export function isKeyChar(ch: string): boolean {
  return KEY_CHAR.test(ch);
}

/** True for the whitespace that separates tokens. */
export function isSpace(ch: string): boolean {
  return ch === " " || ch === "\t" || ch === "\n" || ch === "\r";
}

/** Characters that end an unquoted value. */
export function endsBareValue(ch: string): boolean {
  return isSpace(ch) || ch === "(" || ch === ")" || ch === "," || ch === '"' || ch === "`";
}

// Words with a meaning of their own are quoted when they are keys or values, so no reader (ours or the
// platform's) can take them for an operator.
const RESERVED = new Set(["and", "or", "not", "in"]);

/** True for `and`, `or`, `not`, `in` in any letter case. */
export function isReservedWord(word: string): boolean {
  return RESERVED.has(word.toLowerCase());
}

/** True when `key` can be written without backticks. */
export function isBareKey(key: string): boolean {
  if (key === "" || isReservedWord(key)) return false;
  for (const ch of key) if (!isKeyChar(ch)) return false;
  return true;
}

/** The key as written: bare when possible, else in backticks with `` ` `` and `\` escaped. */
export function writeKey(key: string): string {
  return isBareKey(key) ? key : "`" + key.replace(/[\\`]/g, "\\$&") + "`";
}

const BARE_VALUE = /^[^\s()",`'\\]+$/u;

/**
 * True when `value` can be written without quotes and reads back as the same exact value: no separators,
 * quotes or backslashes, no leading operator character and no `*` at either end (that would be a wildcard).
 */
export function isBareValue(value: string): boolean {
  if (!BARE_VALUE.test(value) || isReservedWord(value)) return false;
  if ("=!<>".includes(value[0])) return false;
  return !value.startsWith("*") && !value.endsWith("*");
}

function escapeChars(text: string): string {
  return text.replace(/[\\"]/g, "\\$&");
}

/**
 * The content of a double-quoted string for `value`: `\` and `"` escaped, and a `*` at either end written as
 * `\*` because only those positions are wildcards.
 */
export function escapeContent(value: string): string {
  if (value.length === 0) return "";
  if (value.length === 1) return value === "*" ? "\\*" : escapeChars(value);
  const head = value[0] === "*" ? "\\*" : escapeChars(value[0]);
  const last = value[value.length - 1];
  const tail = last === "*" ? "\\*" : escapeChars(last);
  return head + escapeChars(value.slice(1, -1)) + tail;
}

/** `value` as a double-quoted string. */
export function quoteValue(value: string): string {
  return `"${escapeContent(value)}"`;
}
