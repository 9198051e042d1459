/**
 * Templating on parsed values, never on text: `${{ values.a.b }}` and `${{ env.NAME }}` placeholders inside
 * string scalars of an already parsed document are replaced, so a value holding quotes, newlines or `}}` can
 * never break the YAML or JSON around it (the Go dtctl ran `text/template` over the JSON text and rendered
 * missing keys as `<no value>`).
 *
 * Rules:
 * - A scalar that is exactly one placeholder takes the value with its type (number, boolean, null, object,
 *   list): `retentionDays: ${{ values.days }}` gives a number.
 * - A placeholder inside a longer string is stringified: strings as they are, anything else as JSON
 *   (`null` → `null`, objects → compact JSON).
 * - `$${{` is a literal `${{` and starts no placeholder.
 * - Values are looked up in `values` by dotted path (list items by index: `values.hosts.0`), environment
 *   variables by name (`env.NAME`, set but empty is the empty string). A missing value is a problem at the
 *   scalar's position naming the placeholder; so are unknown sources and unterminated placeholders.
 * - Substitution is one pass: text coming from a value is never scanned again.
 * - Only values are templated; a placeholder in a mapping key is a problem (keys are identities).
 *
 * @module
 */

import { type Document, isCollection, isPair, isScalar, isSeq, type Node, type Scalar, visit } from "yaml";
import type { Problems } from "./problems.ts";
import { nodeLocation, type ParsedDocument } from "./source.ts";

/** Where placeholder values come from. */
export interface TemplateScope {
  /** `${{ values.* }}`: project values merged with the selected environment's values. */
  values?: Record<string, unknown>;
  /** `${{ env.* }}`: environment variables. */
  env?: Record<string, string | undefined>;
}

/** The result of rendering one string: the new value, or the reasons it could not be rendered. */
export type RenderResult =
  | { ok: true; value: unknown; changed: boolean }
  | { ok: false; errors: string[] };

const OPEN = "${{";
const CLOSE = "}}";
const SEGMENT = /^[A-Za-z0-9_-]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

type Piece = { text: string } | { expression: string };

/** Splits text into literal pieces and placeholder expressions; `$${{` becomes a literal `${{`. */
function tokenize(text: string): { pieces: Piece[]; errors: string[] } {
  const pieces: Piece[] = [];
  const errors: string[] = [];
  let literal = "";
  let i = 0;
  while (i < text.length) {
    if (text.startsWith("$" + OPEN, i)) {
      literal += OPEN;
      i += OPEN.length + 1;
      continue;
    }
    if (text.startsWith(OPEN, i)) {
      const end = text.indexOf(CLOSE, i + OPEN.length);
      if (end < 0) {
        errors.push(
          `unterminated placeholder "${
            text.slice(i, i + 40)
          }": close it with "}}" (or write "$\${{" for a literal "\${{")`,
        );
        break;
      }
      if (literal !== "") pieces.push({ text: literal });
      literal = "";
      pieces.push({ expression: text.slice(i + OPEN.length, end).trim() });
      i = end + CLOSE.length;
      continue;
    }
    literal += text[i];
    i++;
  }
  if (literal !== "") pieces.push({ text: literal });
  return { pieces, errors };
}

/** True when the text holds at least one placeholder (escaped `$${{` does not count). */
export function hasPlaceholder(text: string): boolean {
  if (!text.includes(OPEN)) return false;
  const { pieces, errors } = tokenize(text);
  return errors.length > 0 || pieces.some((piece) => "expression" in piece);
}

function lookupValue(values: unknown, segments: string[]): { found: boolean; value?: unknown } {
  let current = values;
  for (const segment of segments) {
    if (Array.isArray(current) && /^\d+$/.test(segment) && Number(segment) < current.length) {
      current = current[Number(segment)];
    } else if (
      current !== null && typeof current === "object" && !Array.isArray(current) &&
      Object.hasOwn(current, segment)
    ) {
      current = (current as Record<string, unknown>)[segment];
    } else {
      return { found: false };
    }
  }
  // An undefined leaf (possible from programmatic values) has no YAML/JSON form, so it counts as missing.
  return current === undefined ? { found: false } : { found: true, value: current };
}

function resolve(expression: string, scope: TemplateScope): { value?: unknown; error?: string } {
  const shown = `\${{ ${expression} }}`;
  const [source, ...segments] = expression.split(".");
  if (source === "env") {
    const name = segments.join(".");
    if (segments.length !== 1 || !ENV_NAME.test(name)) {
      return { error: `invalid placeholder ${shown}: write \${{ env.NAME }} with a variable name` };
    }
    const value = scope.env?.[name];
    if (value === undefined) {
      return { error: `missing value for ${shown}: environment variable ${name} is not set` };
    }
    return { value };
  }
  if (source === "values") {
    if (segments.length === 0 || !segments.every((segment) => SEGMENT.test(segment))) {
      return {
        error: `invalid placeholder ${shown}: write \${{ values.a.b }} with names of letters, digits, _ or -`,
      };
    }
    const { found, value } = lookupValue(scope.values ?? {}, segments);
    if (!found) {
      return {
        error: `missing value for ${shown}: "${segments.join(".")}" is not defined in the template values ` +
          `(values: of dtctl.yaml or of the selected environment)`,
      };
    }
    return { value };
  }
  return { error: `unknown placeholder ${shown}: use \${{ values.NAME }} or \${{ env.NAME }}` };
}

function stringify(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value) ?? String(value);
}

/**
 * Renders one string. Text without placeholders comes back unchanged (`changed: false`), including text with
 * `$${{` escapes only when there is nothing to unescape.
 */
export function renderString(text: string, scope: TemplateScope): RenderResult {
  if (!text.includes(OPEN)) return { ok: true, value: text, changed: false };
  const { pieces, errors } = tokenize(text);
  const resolved = pieces.map((
    piece,
  ) => ("expression" in piece ? resolve(piece.expression, scope) : { value: piece.text }));
  for (const result of resolved) if (result.error) errors.push(result.error);
  if (errors.length > 0) return { ok: false, errors };
  if (pieces.length === 1 && "expression" in pieces[0]) {
    return { ok: true, value: resolved[0].value, changed: true };
  }
  return { ok: true, value: resolved.map((result) => stringify(result.value)).join(""), changed: true };
}

/**
 * Templates every string scalar of a parsed document in place; problems carry the scalar's position. Replaced
 * nodes keep the scalar's range, so later problems inside a substituted object still point at the placeholder.
 */
export function templateDocument(parsed: ParsedDocument, scope: TemplateScope, problems: Problems): void {
  const { doc, file, lines } = parsed;
  const replacements: { parent: unknown; key: number | "key" | "value" | null; node: Node }[] = [];
  visit(doc, {
    Scalar(key, node, path) {
      if (typeof node.value !== "string" || !node.value.includes(OPEN)) return;
      const where = nodeLocation(file, lines, node) ?? { file, line: 1, column: 1 };
      if (key === "key") {
        if (hasPlaceholder(node.value)) {
          problems.add(where, `placeholders are not supported in mapping keys ("${node.value}")`);
        }
        return;
      }
      const result = renderString(node.value, scope);
      if (!result.ok) {
        for (const error of result.errors) problems.add(where, error);
        return;
      }
      if (!result.changed) return;
      if (typeof result.value === "string") {
        node.value = result.value;
        return;
      }
      // Replacing through visit() would descend into the new node and template text that came from a value.
      const created = createValueNode(doc, result.value, node);
      replacements.push({ parent: path[path.length - 1], key, node: created });
    },
  });
  for (const { parent, key, node } of replacements) {
    if (isPair(parent)) parent.value = node;
    else if (isSeq(parent) && typeof key === "number") parent.items[key] = node;
    else if (key === null) doc.contents = node;
  }
}

function createValueNode(doc: Document, value: unknown, original: Scalar): Node {
  const node = doc.createNode(value) as Node;
  node.range = original.range;
  // The value sits where the placeholder was, on one line: locating inside it should point there, as for any
  // flow collection, not at the key above it.
  if (isCollection(node)) node.flow = true;
  if (isScalar(node) && value === null) node.source = "null";
  return node;
}
