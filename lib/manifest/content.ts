/**
 * Content files: a Dashboard, Notebook or Document may keep its content in a sibling JSON file, so the JSON
 * exported from the UI stays diffable as it is:
 *
 * ```yaml
 * spec:
 *   content:
 *     $file: ./overview.json    # relative to the manifest file (to the working directory for stdin)
 * ```
 *
 * The form is exactly a mapping with the single key `$file` at `spec.content`, whose value is a path ending in
 * `.json`. The file is parsed (with positions), templated like the manifest, and inlined as `spec.content`.
 * A missing or unparsable file is a problem at the `$file` value; `$file` anywhere else is a problem. A file
 * used as content is not loaded as a manifest itself, also when a scanned directory contains it.
 *
 * @module
 */

import { realpath } from "node:fs/promises";
import { dirname, relative, resolve } from "node:path";
import { displayPath } from "./files.ts";
import { type LoadedInput, loadInput } from "./input.ts";
import { describePath, isObject } from "./kinds.ts";
import { formatProblem, type Problems } from "./problems.ts";
import { NodeLocator, type ValuePath } from "./source.ts";
import type { TemplateScope } from "./template.ts";
import type { SourceLocation } from "./types.ts";

/** The key of a content-file reference. */
export const FILE_KEY = "$file";

/** True for `{ $file: ... }` (a mapping whose only key is `$file`). */
export function isFileReference(value: unknown): value is { $file: unknown } {
  return isObject(value) && Object.keys(value).length === 1 && FILE_KEY in value;
}

/** Absolute path of a content reference written in `manifestFile` (undefined for stdin: relative to `cwd`). */
export function contentPath(reference: string, manifestFile: string | undefined, cwd: string): string {
  return resolve(manifestFile === undefined ? cwd : dirname(manifestFile), reference);
}

/** The reference's path when it is well-formed (a string ending in `.json`), else undefined. */
export function contentReference(value: unknown): string | undefined {
  if (!isFileReference(value)) return undefined;
  const path = value[FILE_KEY];
  return typeof path === "string" && path.toLowerCase().endsWith(".json") ? path : undefined;
}

/** Reports every `$file` mapping in `spec` except at `spec.content` when the kind allows it. */
export function checkMisplacedFileReferences(
  spec: unknown,
  allowContent: boolean,
  report: (path: ValuePath, message: string) => void,
): void {
  const walk = (value: unknown, path: ValuePath) => {
    if (isFileReference(value)) {
      const allowed = allowContent && path.length === 1 && path[0] === "content";
      if (!allowed) {
        report(
          [...path, FILE_KEY],
          `${
            describePath(["spec", ...path])
          }: $file is only supported at spec.content of a Dashboard, Notebook or Document`,
        );
      }
      return;
    }
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...path, i]));
    else if (isObject(value)) { for (const [key, item] of Object.entries(value)) walk(item, [...path, key]); }
  };
  walk(spec, []);
}

/** Content files already read, by absolute path (discovered inputs are seeded here, so nothing is read twice). */
export type ContentCache = Map<string, Promise<LoadedInput>>;

/** True when `path`, lexically and with symbolic links resolved, is inside one of `roots`. */
async function insideAny(path: string, roots: readonly string[]): Promise<boolean> {
  const within = (file: string, root: string) => {
    const rel = relative(root, file);
    return rel !== "" && !rel.startsWith("..") && !rel.startsWith("/");
  };
  const real = async (file: string) => {
    try {
      return await realpath(file);
    } catch {
      return file; // missing files are reported as such by the caller
    }
  };
  const [realPath, ...realRoots] = await Promise.all([real(path), ...roots.map(real)]);
  return roots.some((root, i) => within(resolve(path), resolve(root)) && within(realPath, realRoots[i]));
}

/** A resolved content file. */
export interface ResolvedContent {
  /** The parsed, templated value. */
  value: unknown;
  /** Positions inside the content file. */
  locator: NodeLocator;
  /** The file as shown in messages. */
  display: string;
}

/**
 * Reads, parses and templates the content file of a reference at `where`. Problems: a malformed reference, a
 * missing file, a syntax error (all at `where`); missing template values (in the content file).
 */
export async function resolveContent(options: {
  reference: unknown;
  where: SourceLocation;
  manifestFile: string | undefined;
  cwd: string;
  contentRoot: string;
  scope: TemplateScope;
  cache: ContentCache;
  problems: Problems;
}): Promise<ResolvedContent | undefined> {
  const { where, problems } = options;
  const path = contentReference(options.reference);
  if (path === undefined) {
    problems.add(where, `$file must be a path to a .json file, e.g. "$file: ./content.json"`);
    return undefined;
  }
  const absolute = contentPath(path, options.manifestFile, options.cwd);
  const display = displayPath(options.cwd, absolute);
  const roots = [
    options.contentRoot,
    options.manifestFile === undefined ? options.cwd : dirname(options.manifestFile),
  ];
  if (!(await insideAny(absolute, roots))) {
    // Manifests may come from pull requests: a reference must not pull files of the machine into a dashboard.
    problems.add(
      where,
      `content file ${path} is outside the project (${
        displayPath(options.cwd, resolve(options.contentRoot))
      }); ` +
        "keep content files inside the repository",
    );
    return undefined;
  }
  let pending = options.cache.get(absolute);
  if (!pending) {
    pending = loadInput({ display, absolute }, options.scope, undefined);
    options.cache.set(absolute, pending);
  }
  const loaded = await pending;
  if (loaded.syntax.length > 0) {
    const first = loaded.syntax[0];
    const reason = first.message === "no such file or directory"
      ? `content file ${path} does not exist (looked for ${display})`
      : `content file ${path} is not valid JSON: ${formatProblem(first)}`;
    problems.add(where, reason);
    return undefined;
  }
  for (const problem of loaded.template) problems.add(problem.location, problem.message);
  if (loaded.documents.length !== 1) {
    problems.add(
      where,
      loaded.documents.length === 0
        ? `content file ${path} is empty`
        : `content file ${path} holds ${loaded.documents.length} documents; it must hold one JSON value`,
    );
    return undefined;
  }
  const [document] = loaded.documents;
  return {
    value: document.doc.toJS(),
    locator: new NodeLocator(document.file, document.lines, document.doc, document.doc.contents),
    display,
  };
}
