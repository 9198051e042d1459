/**
 * Source text → YAML documents with positions. JSON is parsed by the same YAML parser (JSON is YAML 1.2), so a
 * problem in a `.json` file has a line and column exactly like one in a `.yaml` file.
 *
 * @module
 */

import {
  type Document,
  isAlias,
  isCollection,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseAllDocuments,
  visit,
  type YAMLError,
} from "yaml";
import type { Problems } from "./problems.ts";
import type { SourceLocation } from "./types.ts";

/** A path into a parsed value: map keys and list indices. */
export type ValuePath = readonly (string | number)[];

/** One parsed YAML/JSON document that had no syntax errors and is not empty. */
export interface ParsedDocument {
  /** The file as shown in messages. */
  file: string;
  /** 0-based index of the document within its file (`---` separated). */
  index: number;
  /** The document. */
  doc: Document;
  /** Positions of the whole file. */
  lines: LineCounter;
}

/** The position of a node, or undefined when it was created in memory (templating) and has no range. */
export function nodeLocation(file: string, lines: LineCounter, node: unknown): SourceLocation | undefined {
  const range = (node as Node | null | undefined)?.range;
  if (!range) return undefined;
  const { line, col } = lines.linePos(range[0]);
  return { file, line, column: col };
}

/** The start of a file: where problems about the file as a whole are reported. */
export function fileStart(file: string): SourceLocation {
  return { file, line: 1, column: 1 };
}

function yamlProblem(file: string, error: YAMLError): { location: SourceLocation; message: string } {
  const pos = error.linePos?.[0];
  // yaml appends " at line L, column C:" and a code frame; the position is given in front instead.
  const summary = error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
  return {
    location: { file, line: pos?.line ?? 1, column: pos?.col ?? 1 },
    message: `invalid syntax: ${summary}`,
  };
}

/** True for an empty document (`---` alone, or only comments). */
function isEmptyDocument(doc: Document): boolean {
  const contents = doc.contents;
  return contents === null || (isScalar(contents) && contents.value === null && !contents.tag);
}

/**
 * Parses every document of a file. Syntax errors and warnings (e.g. unknown tags) become problems and their
 * documents are dropped; empty documents are skipped silently. Every other document is returned, so a
 * multi-document file is never truncated.
 */
export function parseSource(file: string, text: string, problems: Problems): ParsedDocument[] {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: true });
  const parsed: ParsedDocument[] = [];
  // parseAllDocuments returns an EmptyStream (not an array) for a file without documents.
  if (!Array.isArray(docs)) return parsed;
  docs.forEach((doc, index) => {
    const issues = [...doc.errors, ...doc.warnings];
    for (const issue of issues) {
      const { location, message } = yamlProblem(file, issue);
      problems.add(location, message);
    }
    if (issues.length > 0 || isEmptyDocument(doc)) return;
    if (checkKeys(file, lines, doc, problems)) parsed.push({ file, index, doc, lines });
  });
  return parsed;
}

/**
 * Keys the parser accepts as different but that collide once converted to JSON (`1` and `"1"`): the second
 * would silently replace the first, so it is a problem. Returns false when one was found.
 */
function checkKeys(file: string, lines: LineCounter, doc: Document, problems: Problems): boolean {
  let ok = true;
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const text = keyText(pair.key);
        if (text === undefined) continue;
        if (seen.has(text)) {
          ok = false;
          problems.add(
            nodeLocation(file, lines, pair.key) ?? fileStart(file),
            `invalid syntax: duplicate key "${text}" (keys are compared as JSON strings)`,
          );
        }
        seen.add(text);
      }
    },
  });
  return ok;
}

const values = new WeakMap<Document, unknown>();

/**
 * The document as plain data, converted once (the loader needs it twice: to find content files first, then to
 * build manifests). Throws when the document aliases excessively ("billion laughs").
 */
export function documentValue(document: ParsedDocument): unknown {
  if (!values.has(document.doc)) values.set(document.doc, document.doc.toJS());
  return values.get(document.doc);
}

/** Resolves an alias to the node it points at. */
export function deref(doc: Document, node: unknown): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

/** The string form of a map key as `toJS` would produce it. */
export function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

/**
 * Finds nodes by value path inside one document and reports their positions. A missing step falls back to the
 * deepest node found, so "spec.title is required" points at `spec`.
 */
export class NodeLocator implements Locatable {
  /** Creates a locator for `root` (a document's contents or a list item) of `doc`. */
  constructor(
    readonly file: string,
    readonly lines: LineCounter,
    readonly doc: Document,
    readonly root: unknown,
  ) {}

  /** The node at `path`, or undefined when a step is missing. */
  node(path: ValuePath): unknown {
    let node = deref(this.doc, this.root);
    for (const step of path) {
      const next = this.#child(node, step);
      if (next === undefined) return undefined;
      node = deref(this.doc, next.value);
    }
    return node;
  }

  /** The position of `path`, falling back to the deepest existing node (the root at worst). */
  locate(path: ValuePath): SourceLocation {
    let node = deref(this.doc, this.root);
    let best = this.at(node);
    for (const step of path) {
      const next = this.#child(node, step);
      if (next === undefined) break;
      best = this.at(next.anchor) ?? best;
      node = deref(this.doc, next.value);
    }
    return best ?? { file: this.file, line: 1, column: 1 };
  }

  /** The position of the key of the last step of `path` (for "unknown field" problems); else like locate. */
  locateKey(path: ValuePath): SourceLocation {
    const parent = this.node(path.slice(0, -1));
    if (isMap(parent) && path.length > 0) {
      const pair = parent.items.find((item) => keyText(item.key) === String(path[path.length - 1]));
      const where = pair && this.at(pair.key);
      if (where) return where;
    }
    return this.locate(path);
  }

  /** The position of a node of this document, if it has one. */
  at(node: unknown): SourceLocation | undefined {
    return nodeLocation(this.file, this.lines, node);
  }

  /**
   * One step down. `anchor` is where a problem about the child is shown: the value for scalars and flow
   * collections, the key for block collections and empty values, because `tasks:` is where a reader looks, not
   * the first line below it.
   */
  #child(node: unknown, step: string | number): { value: unknown; anchor: unknown } | undefined {
    if (isMap(node)) {
      const pair = node.items.find((item) => keyText(item.key) === String(step));
      if (!pair) return undefined;
      const value = deref(this.doc, pair.value);
      const blockish = (isCollection(value) && !value.flow) || value === null ||
        (isScalar(value) && value.value === null && !(value as { source?: string }).source);
      return { value: pair.value, anchor: blockish && pair.key ? pair.key : pair.value ?? pair.key };
    }
    if (isSeq(node) && typeof step === "number") {
      const item = node.items[step];
      return item === undefined ? undefined : { value: item, anchor: item };
    }
    return undefined;
  }
}

/** Anything that maps value paths to positions. */
export interface Locatable {
  /** The position of a path. */
  locate(path: ValuePath): SourceLocation;
}

/** Where a part of a manifest's value tree comes from: a prefix of manifest paths mapped into a document. */
export interface Mount {
  /** Manifest path prefix, e.g. `["spec", "content"]`. */
  prefix: ValuePath;
  /** The document (or other locator) holding it. */
  locator: Locatable;
  /** The path inside that document that the prefix maps to. */
  base: ValuePath;
}

function startsWith(path: ValuePath, prefix: ValuePath): boolean {
  return prefix.length <= path.length && prefix.every((step, i) => String(path[i]) === String(step));
}

/**
 * Maps manifest paths to source positions across documents: a raw payload's `spec` is the document root, an
 * inlined content file's `spec.content` is another file. The longest matching mount wins.
 */
export class ManifestLocator implements Locatable {
  readonly #mounts: Mount[] = [];

  /** Adds a mount; later mounts with the same prefix replace earlier ones. */
  mount(prefix: ValuePath, locator: Locatable, base: ValuePath = []): this {
    const existing = this.#mounts.findIndex((m) =>
      m.prefix.length === prefix.length && startsWith(prefix, m.prefix)
    );
    if (existing >= 0) this.#mounts.splice(existing, 1);
    this.#mounts.push({ prefix, locator, base });
    return this;
  }

  /** The position of a manifest path. */
  locate(path: ValuePath): SourceLocation {
    let best: Mount | undefined;
    for (const mount of this.#mounts) {
      if (startsWith(path, mount.prefix) && (!best || mount.prefix.length > best.prefix.length)) best = mount;
    }
    if (!best) return { file: "-", line: 1, column: 1 };
    return best.locator.locate([...best.base, ...path.slice(best.prefix.length)]);
  }
}
