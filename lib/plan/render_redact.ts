/**
 * Redaction of plan renderings. `redactText` alone is not enough for plans: a diff is YAML, and a YAML line
 * such as `password: hunter2` has neither the JSON quotes nor the `=` that its key rules look for. So secret-named
 * YAML keys are handled here, mirroring `redactValue` (the whole value under a secret-named key is hidden), and
 * everything then goes through `redactText` for token-shaped strings and known secret values.
 *
 * @module
 */

import { stringify } from "yaml";
import type { FieldChange } from "./types.ts";
import { parsePointer } from "../diff/pointer.ts";
import { REDACTED, redactText, redactValue, SECRET_KEY_PATTERN } from "../redact/mod.ts";

// The body of a unified-diff content line (after the +/-/space prefix): indentation, sequence markers, a plain
// or quoted key, the colon, and the inline value if any.
const YAML_KEY_LINE =
  /^( *)((?:- +)*)("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s"'#-][^\n]*?|-[^\s\n][^\n]*?)(:)(?:( +)(.*))?$/;

// Inline values that reveal nothing, kept so "not set" stays visible (as redactValue keeps empty strings).
const EMPTY_VALUE = /^(?:""|''|null|~|\{\}|\[\])\s*$/;

// A block scalar header (`|`, `>-`, `|2+`): the value is on the following, more indented lines.
const BLOCK_SCALAR = /^[|>][-+0-9]*\s*(?:#.*)?$/;

function unquoteKey(key: string): string {
  if (key.startsWith('"')) {
    try {
      return JSON.parse(key) as string;
    } catch {
      return key.slice(1, -1);
    }
  }
  if (key.startsWith("'")) return key.slice(1, -1).replaceAll("''", "'");
  return key;
}

// Shorter lines of a multi-line secret are too likely to be ordinary text to be removed on their own.
const MIN_SECRET_LINE = 6;

/**
 * The spellings a known secret takes in canonical YAML, beyond those `redactText` knows: the inside of a double-
 * quoted scalar (YAML escapes differ from JSON's, e.g. `\x01`), of a single-quoted one (`''`), and each line of a
 * multi-line secret, which YAML writes as a block scalar with one line per line.
 */
export function yamlSecretVariants(secrets: readonly string[]): string[] {
  const variants = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== "string" || secret === "") continue;
    const scalar = stringify(secret, { lineWidth: 0 }).replace(/\n$/, "");
    if (scalar.startsWith('"') && scalar.endsWith('"')) variants.add(scalar.slice(1, -1));
    if (scalar.startsWith("'") && scalar.endsWith("'")) variants.add(scalar.slice(1, -1));
    for (const line of secret.split(/\r?\n/)) {
      if (line.trim().length >= MIN_SECRET_LINE) variants.add(line.trim());
    }
  }
  return [...variants].filter((v) => v.length > 0);
}

/**
 * Hides the values of secret-named keys in a unified diff of YAML documents (including nested mappings, lists
 * and block scalars under such a key, on either side of the diff), then applies `redactText` with the known
 * `secrets`. Line structure is kept, so hunk headers stay valid.
 */
export function redactDiff(diff: string, secrets: readonly string[] = []): string {
  if (diff === "") return diff;
  const lines = diff.split("\n");
  let inHunks = false;
  // Indentation of the secret key whose nested lines are being hidden, or -1.
  let hiddenBelow = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith("@@")) {
      inHunks = true;
      hiddenBelow = -1;
      continue;
    }
    const prefix = line[0];
    if (!inHunks || (prefix !== " " && prefix !== "+" && prefix !== "-")) continue;
    const body = line.slice(1);
    const indent = body.length - body.trimStart().length;
    if (hiddenBelow >= 0) {
      if (body.trim() === "") continue;
      // A sequence may sit at its key's own indentation (`key:` then `- item`) and still belong to it.
      if (indent > hiddenBelow || (indent === hiddenBelow && body.trimStart().startsWith("- "))) {
        lines[i] = `${prefix}${" ".repeat(indent)}${REDACTED}`;
        continue;
      }
      hiddenBelow = -1;
    }
    const match = YAML_KEY_LINE.exec(body);
    if (!match) continue;
    const [, spaces, dashes, key, , gap, value] = match;
    if (!SECRET_KEY_PATTERN.test(unquoteKey(key))) continue;
    const keyIndent = spaces.length + dashes.length;
    if (value === undefined || value.trim() === "" || BLOCK_SCALAR.test(value)) {
      hiddenBelow = keyIndent;
      continue;
    }
    if (EMPTY_VALUE.test(value)) continue;
    lines[i] = `${prefix}${spaces}${dashes}${key}:${gap}${REDACTED}`;
  }
  return redactText(lines.join("\n"), [...secrets, ...yamlSecretVariants(secrets)]);
}

/**
 * A field change with secrets hidden: values under a secret-named path segment become `***` (unless empty),
 * other values go through `redactValue`.
 */
export function redactChange(change: FieldChange, secrets: readonly string[] = []): FieldChange {
  const secretPath = parsePointer(change.path).some((segment) => SECRET_KEY_PATTERN.test(segment));
  const hide = (value: unknown): unknown => {
    if (secretPath && value !== undefined && value !== null && value !== "") return REDACTED;
    return redactValue(value, secrets);
  };
  const out: FieldChange = { path: redactText(change.path, secrets), op: change.op };
  if ("before" in change) out.before = hide(change.before);
  if ("after" in change) out.after = hide(change.after);
  return out;
}
