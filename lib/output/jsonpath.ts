/**
 * A kubectl-style JSONPath template engine for `-o jsonpath=TEMPLATE`.
 *
 * A template is literal text with actions in braces:
 *
 * ```
 * {.items[*].title}                          every title, separated by spaces
 * {range .items[*]}{.id}{"\t"}{.name}{"\n"}{end}
 * {.items[?(@.type=="dashboard")].name}      filters: == != < <= > >=, && || !, (…), existence
 * {..id}  {.tasks.*.action}  {.items[0]}  {.items[-1:]}  {.items[0:4:2]}  {['a','b']}
 * ```
 *
 * Paths start at the current node (`.`, `[`, `@`) or at the root (`$`); inside `range` the current node is the
 * iterated item. Strings print raw, numbers and booleans as JSON, objects and arrays as compact JSON, null and
 * missing values as nothing (kubectl's `--allow-missing-template-keys` default). Several results of one action
 * are joined by a space. In literal text and quoted strings `\n`, `\t`, `\r`, `\\`, `\{`, `\}` and quotes are
 * escapes.
 *
 * A syntax error is a `usage_error` naming the 1-based column, with the template and a caret under it.
 *
 * @module
 */

import { DtctlError } from "../errors/mod.ts";

/** A parsed template, ready to run against any number of values. */
export interface JsonPathTemplate {
  /** The template text as given. */
  readonly source: string;
  /** Renders the template against a value. */
  execute(data: unknown): string;
}

type Value = unknown;

type Step =
  | { t: "field"; names: string[] }
  | { t: "wildcard" }
  | { t: "descend" }
  | { t: "index"; indices: number[] }
  | { t: "slice"; start?: number; end?: number; step?: number }
  | { t: "filter"; expr: Expr };

interface Path {
  root: "$" | "@";
  steps: Step[];
}

type Operand = { t: "path"; path: Path } | { t: "value"; value: Value };

type CompareOp = "==" | "!=" | "<" | "<=" | ">" | ">=";

type Expr =
  | { t: "or" | "and"; left: Expr; right: Expr }
  | { t: "not"; expr: Expr }
  | { t: "compare"; op: CompareOp; left: Operand; right: Operand }
  | { t: "truthy"; operand: Operand };

type Node =
  | { t: "text"; value: string }
  | { t: "path"; path: Path }
  | { t: "range"; path: Path; body: Node[] };

/** Characters allowed in a bare field name after `.`. */
const NAME_CHAR = /[\p{L}\p{N}_\-]/u;

const ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  "\\": "\\",
  "{": "{",
  "}": "}",
  '"': '"',
  "'": "'",
};

/** Parses a template; throws DtctlError `usage_error` with the column of the first syntax error. */
export function parseJsonPath(template: string): JsonPathTemplate {
  const nodes = new Parser(template).parseTemplate();
  return {
    source: template,
    execute: (data) => render(nodes, data, data),
  };
}

/** Parses and runs a template in one go. */
export function evaluateJsonPath(template: string, data: unknown): string {
  return parseJsonPath(template).execute(data);
}

function syntaxError(template: string, index: number, reason: string): DtctlError {
  const column = index + 1;
  // Tabs and line breaks would shift the caret: show them as spaces of the same width.
  const shown = template.replace(/[\t\r\n]/g, " ");
  return new DtctlError(
    "usage_error",
    `invalid jsonpath template at column ${column}: ${reason}\n    ${shown}\n    ${" ".repeat(index)}^`,
    {
      hint: `templates look like {.items[*].id} or {range .items[*]}{.id}{"\\n"}{end} (kubectl JSONPath)`,
      details: { flag: "--output", template, column, reason },
    },
  );
}

class Parser {
  readonly #src: string;
  #i = 0;

  constructor(source: string) {
    this.#src = source;
  }

  #fail(reason: string, at = this.#i): never {
    throw syntaxError(this.#src, Math.min(at, this.#src.length), reason);
  }

  #peek(offset = 0): string {
    return this.#src[this.#i + offset] ?? "";
  }

  #skipSpaces(): void {
    while (this.#i < this.#src.length && /\s/.test(this.#src[this.#i])) this.#i++;
  }

  #expect(char: string, what: string): void {
    this.#skipSpaces();
    if (this.#peek() !== char) {
      this.#fail(
        this.#i >= this.#src.length
          ? `expected ${what}, found the end of the template`
          : `expected ${what}, found '${this.#peek()}'`,
      );
    }
    this.#i++;
  }

  parseTemplate(): Node[] {
    const stack: { nodes: Node[]; openedAt: number }[] = [{ nodes: [], openedAt: -1 }];
    let text = "";
    const flush = () => {
      if (text !== "") stack.at(-1)!.nodes.push({ t: "text", value: text });
      text = "";
    };
    while (this.#i < this.#src.length) {
      const c = this.#src[this.#i];
      if (c === "\\" && this.#i + 1 < this.#src.length && ESCAPES[this.#src[this.#i + 1]] !== undefined) {
        text += ESCAPES[this.#src[this.#i + 1]];
        this.#i += 2;
      } else if (c === "}") {
        this.#fail("unexpected '}' outside an action (write \\} for a literal brace)");
      } else if (c === "{") {
        flush();
        const open = this.#i;
        this.#i++;
        this.#skipSpaces();
        if (this.#i >= this.#src.length) this.#fail("unclosed '{'", open);
        if (this.#keyword("range")) {
          const path = this.#parsePath();
          this.#closeAction(open);
          const range: Node = { t: "range", path, body: [] };
          stack.at(-1)!.nodes.push(range);
          stack.push({ nodes: range.body, openedAt: open });
        } else if (this.#keyword("end")) {
          this.#closeAction(open);
          if (stack.length === 1) this.#fail("{end} without a matching {range}", open);
          stack.pop();
        } else if (this.#peek() === '"' || this.#peek() === "'") {
          stack.at(-1)!.nodes.push({ t: "text", value: this.#parseString() });
          this.#closeAction(open);
        } else {
          const path = this.#parsePath();
          this.#closeAction(open);
          stack.at(-1)!.nodes.push({ t: "path", path });
        }
      } else {
        text += c;
        this.#i++;
      }
    }
    flush();
    if (stack.length > 1) this.#fail("{range} without a matching {end}", stack.at(-1)!.openedAt);
    return stack[0].nodes;
  }

  /** Consumes `word` when it is a whole keyword (followed by a space or `}`). */
  #keyword(word: string): boolean {
    if (!this.#src.startsWith(word, this.#i)) return false;
    const next = this.#src[this.#i + word.length] ?? "";
    if (next !== "" && next !== "}" && !/\s/.test(next)) return false;
    this.#i += word.length;
    return true;
  }

  #closeAction(open: number): void {
    this.#skipSpaces();
    if (this.#i >= this.#src.length) this.#fail("unclosed '{'", open);
    if (this.#peek() !== "}") this.#fail(`unexpected '${this.#peek()}' in an action (expected '}')`);
    this.#i++;
  }

  #parseString(): string {
    const quote = this.#peek();
    const start = this.#i;
    this.#i++;
    let value = "";
    while (this.#i < this.#src.length) {
      const c = this.#src[this.#i];
      if (c === quote) {
        this.#i++;
        return value;
      }
      if (c === "\\") {
        const next = this.#src[this.#i + 1];
        if (next === undefined || ESCAPES[next] === undefined) this.#fail(`unknown escape '\\${next ?? ""}'`);
        value += ESCAPES[next];
        this.#i += 2;
        continue;
      }
      value += c;
      this.#i++;
    }
    this.#fail("unterminated string", start);
  }

  #parseName(): string {
    const start = this.#i;
    while (this.#i < this.#src.length && NAME_CHAR.test(this.#src[this.#i])) this.#i++;
    return this.#src.slice(start, this.#i);
  }

  #parsePath(): Path {
    this.#skipSpaces();
    let root: "$" | "@" = "@";
    const start = this.#i;
    if (this.#peek() === "$" || this.#peek() === "@") {
      root = this.#peek() as "$" | "@";
      this.#i++;
    } else if (this.#peek() !== "." && this.#peek() !== "[") {
      if (this.#i >= this.#src.length) this.#fail("expected a path such as .items[*].id");
      this.#fail(`expected a path starting with '.', '[', '$' or '@', found '${this.#peek()}'`);
    }
    const steps: Step[] = [];
    for (;;) {
      const c = this.#peek();
      if (c === "." && this.#peek(1) === ".") {
        this.#i += 2;
        steps.push({ t: "descend" });
        if (this.#peek() === "[") continue;
        if (this.#peek() === "*") {
          this.#i++;
          steps.push({ t: "wildcard" });
          continue;
        }
        const name = this.#parseName();
        if (name === "") this.#fail("expected a field name, '*' or '[' after '..'");
        steps.push({ t: "field", names: [name] });
      } else if (c === ".") {
        this.#i++;
        if (this.#peek() === "*") {
          this.#i++;
          steps.push({ t: "wildcard" });
          continue;
        }
        const name = this.#parseName();
        if (name === "") {
          // A lone "." (or "@.") is the current node itself.
          const next = this.#peek();
          if (steps.length === 0 && (next === "" || next === "}" || /\s/.test(next) || next === ")")) break;
          if (next === "[") continue;
          this.#fail(
            next === ""
              ? "expected a field name after '.'"
              : `expected a field name after '.', found '${next}'`,
          );
        }
        steps.push({ t: "field", names: [name] });
      } else if (c === "[") {
        steps.push(this.#parseBracket());
      } else {
        break;
      }
    }
    if (steps.length === 0 && root === "@" && this.#i === start) this.#fail("expected a path");
    return { root, steps };
  }

  #parseBracket(): Step {
    const open = this.#i;
    this.#i++;
    this.#skipSpaces();
    const c = this.#peek();
    if (c === "") this.#fail("unclosed '['", open);
    if (c === "*") {
      this.#i++;
      this.#expect("]", "']'");
      return { t: "wildcard" };
    }
    if (c === "?") {
      this.#i++;
      this.#expect("(", "'(' after '?'");
      const expr = this.#parseOr();
      this.#expect(")", "')' closing the filter");
      this.#expect("]", "']'");
      return { t: "filter", expr };
    }
    if (c === "'" || c === '"') {
      const names = [this.#parseString()];
      this.#skipSpaces();
      while (this.#peek() === ",") {
        this.#i++;
        this.#skipSpaces();
        if (this.#peek() !== "'" && this.#peek() !== '"') this.#fail("expected a quoted name after ','");
        names.push(this.#parseString());
        this.#skipSpaces();
      }
      this.#expect("]", "']'");
      return { t: "field", names };
    }
    if (c === ":" || c === "-" || /\d/.test(c)) {
      const first = this.#parseInt(true);
      this.#skipSpaces();
      if (this.#peek() === ":") {
        this.#i++;
        const end = this.#parseInt(true);
        let step: number | undefined;
        this.#skipSpaces();
        if (this.#peek() === ":") {
          this.#i++;
          const at = this.#i;
          step = this.#parseInt(true);
          if (step === 0) this.#fail("a slice step must not be 0", at);
        }
        this.#expect("]", "']'");
        return { t: "slice", start: first, end, step };
      }
      if (first === undefined) this.#fail("expected an index");
      const indices = [first];
      while (this.#peek() === ",") {
        this.#i++;
        const next = this.#parseInt(false);
        indices.push(next!);
        this.#skipSpaces();
      }
      this.#expect("]", "']'");
      return { t: "index", indices };
    }
    this.#fail(`expected an index, a slice, '*', a quoted name or a ?(filter) in '[...]', found '${c}'`);
  }

  #parseInt(optional: boolean): number | undefined {
    this.#skipSpaces();
    const match = /^-?\d+/.exec(this.#src.slice(this.#i));
    if (!match) {
      if (optional) return undefined;
      this.#fail(
        this.#i >= this.#src.length ? "expected a number" : `expected a number, found '${this.#peek()}'`,
      );
    }
    this.#i += match[0].length;
    return Number(match[0]);
  }

  #parseOr(): Expr {
    let left = this.#parseAnd();
    for (;;) {
      this.#skipSpaces();
      if (this.#src.startsWith("||", this.#i)) {
        this.#i += 2;
        left = { t: "or", left, right: this.#parseAnd() };
      } else return left;
    }
  }

  #parseAnd(): Expr {
    let left = this.#parseUnary();
    for (;;) {
      this.#skipSpaces();
      if (this.#src.startsWith("&&", this.#i)) {
        this.#i += 2;
        left = { t: "and", left, right: this.#parseUnary() };
      } else return left;
    }
  }

  #parseUnary(): Expr {
    this.#skipSpaces();
    if (this.#peek() === "!" && this.#peek(1) !== "=") {
      this.#i++;
      return { t: "not", expr: this.#parseUnary() };
    }
    if (this.#peek() === "(") {
      this.#i++;
      const expr = this.#parseOr();
      this.#expect(")", "')'");
      return expr;
    }
    const left = this.#parseOperand();
    this.#skipSpaces();
    const op = /^(==|!=|<=|>=|<|>|=~|=)/.exec(this.#src.slice(this.#i))?.[1];
    if (op === undefined) return { t: "truthy", operand: left };
    if (op === "=" || op === "=~") this.#fail(`unsupported operator '${op}' (use ==, !=, <, <=, > or >=)`);
    this.#i += op.length;
    return { t: "compare", op: op as CompareOp, left, right: this.#parseOperand() };
  }

  #parseOperand(): Operand {
    this.#skipSpaces();
    const c = this.#peek();
    if (c === "@" || c === "$") return { t: "path", path: this.#parsePath() };
    if (c === "'" || c === '"') return { t: "value", value: this.#parseString() };
    const number = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(this.#src.slice(this.#i));
    if (number) {
      this.#i += number[0].length;
      return { t: "value", value: Number(number[0]) };
    }
    for (const [word, value] of [["true", true], ["false", false], ["null", null]] as const) {
      if (this.#src.startsWith(word, this.#i) && !NAME_CHAR.test(this.#src[this.#i + word.length] ?? "")) {
        this.#i += word.length;
        return { t: "value", value };
      }
    }
    if (c === "") this.#fail("unterminated filter expression");
    this.#fail(`expected @.field, $.field, a quoted string, a number, true, false or null, found '${c}'`);
  }
}

function isRecord(value: Value): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function children(value: Value): Value[] {
  if (Array.isArray(value)) return value;
  if (isRecord(value)) return Object.values(value);
  return [];
}

function descendants(value: Value, out: Value[]): void {
  out.push(value);
  for (const child of children(value)) descendants(child, out);
}

function normalizeIndex(index: number, length: number): number {
  return index < 0 ? index + length : index;
}

function slice(array: Value[], step: Extract<Step, { t: "slice" }>): Value[] {
  const length = array.length;
  const by = step.step ?? 1;
  const out: Value[] = [];
  if (by > 0) {
    const start = Math.max(0, Math.min(length, normalizeIndex(step.start ?? 0, length)));
    const end = Math.max(0, Math.min(length, normalizeIndex(step.end ?? length, length)));
    for (let i = start; i < end; i += by) out.push(array[i]);
  } else {
    const start = Math.max(-1, Math.min(length - 1, normalizeIndex(step.start ?? length - 1, length)));
    const end = step.end === undefined
      ? -1
      : Math.max(-1, Math.min(length - 1, normalizeIndex(step.end, length)));
    for (let i = start; i > end; i += by) out.push(array[i]);
  }
  return out;
}

function applyStep(nodes: Value[], step: Step, root: Value): Value[] {
  const out: Value[] = [];
  for (const node of nodes) {
    switch (step.t) {
      case "field":
        if (isRecord(node)) {
          for (const name of step.names) if (Object.hasOwn(node, name)) out.push(node[name]);
        }
        break;
      case "wildcard":
        out.push(...children(node));
        break;
      case "descend":
        descendants(node, out);
        break;
      case "index":
        if (Array.isArray(node)) {
          for (const index of step.indices) {
            const i = normalizeIndex(index, node.length);
            if (i >= 0 && i < node.length) out.push(node[i]);
          }
        }
        break;
      case "slice":
        if (Array.isArray(node)) out.push(...slice(node, step));
        break;
      case "filter":
        for (const child of children(node)) if (test(step.expr, child, root)) out.push(child);
        break;
    }
  }
  return out;
}

function evaluatePath(path: Path, current: Value, root: Value): Value[] {
  let nodes = [path.root === "$" ? root : current];
  for (const step of path.steps) nodes = applyStep(nodes, step, root);
  return nodes;
}

function operandValue(operand: Operand, current: Value, root: Value): Value {
  return operand.t === "value" ? operand.value : evaluatePath(operand.path, current, root)[0];
}

function compare(op: CompareOp, left: Value, right: Value): boolean {
  const a = left === undefined ? null : left;
  const b = right === undefined ? null : right;
  if (op === "==" || op === "!=") {
    const equal = typeof a === "object" || typeof b === "object"
      ? JSON.stringify(a) === JSON.stringify(b)
      : a === b;
    return op === "==" ? equal : !equal;
  }
  if (
    !((typeof a === "number" && typeof b === "number") || (typeof a === "string" && typeof b === "string"))
  ) {
    return false;
  }
  switch (op) {
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
  }
}

function test(expr: Expr, current: Value, root: Value): boolean {
  switch (expr.t) {
    case "or":
      return test(expr.left, current, root) || test(expr.right, current, root);
    case "and":
      return test(expr.left, current, root) && test(expr.right, current, root);
    case "not":
      return !test(expr.expr, current, root);
    case "compare":
      return compare(
        expr.op,
        operandValue(expr.left, current, root),
        operandValue(expr.right, current, root),
      );
    case "truthy": {
      const value = operandValue(expr.operand, current, root);
      return value !== undefined && value !== null && value !== false;
    }
  }
}

function format(value: Value): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

function render(nodes: Node[], current: Value, root: Value): string {
  let out = "";
  for (const node of nodes) {
    switch (node.t) {
      case "text":
        out += node.value;
        break;
      case "path":
        out += evaluatePath(node.path, current, root).map(format).join(" ");
        break;
      case "range":
        for (const item of evaluatePath(node.path, current, root)) {
          // A range over a field holding an array iterates its elements, as kubectl does for {range .items}.
          const last = node.path.steps.at(-1);
          if ((last === undefined || last.t === "field") && Array.isArray(item)) {
            for (const element of item) out += render(node.body, element, root);
          } else {
            out += render(node.body, item, root);
          }
        }
        break;
    }
  }
  return out;
}
