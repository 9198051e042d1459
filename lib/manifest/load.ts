/**
 * `loadManifests`: everything between `-f` paths and a validated list of manifests. All inputs are read,
 * parsed, templated, converted and validated before anything is returned, and all problems are thrown
 * together as one {@link ManifestError}, so nothing is ever written on the strength of a half-read repository.
 *
 * @module
 */

import { usageError } from "../errors/mod.ts";
import { buildManifest, documentItems } from "./build.ts";
import { type ContentCache, contentPath, contentReference } from "./content.ts";
import { discoverFiles, type InputFile } from "./files.ts";
import { type LoadedInput, loadInput, type ReadStdin } from "./input.ts";
import { isObject, type ManifestKind } from "./kinds.ts";
import { Problems } from "./problems.ts";
import { detectKind } from "./raw.ts";
import { validateReferences, validateUniqueNames } from "./references.ts";
import { documentValue } from "./source.ts";
import type { TemplateScope } from "./template.ts";
import type { Manifest } from "./types.ts";

/** Options of {@link loadManifests}. */
export interface LoadManifestsOptions {
  /** Files, directories and `-` (stdin), relative to `cwd`. */
  paths: string[];
  /** The working directory: relative paths and shown file names are relative to it. */
  cwd: string;
  /** Reads standard input for `-`. */
  readStdin?: ReadStdin;
  /** `${{ values.* }}`: the project's values merged with the selected environment's. */
  values?: Record<string, unknown>;
  /** `${{ env.* }}`: the environment variables. */
  env?: Record<string, string | undefined>;
  /**
   * Directory `$file` content files must stay inside (besides the manifest's own directory tree): the project
   * root when there is a project file. Defaults to `cwd`.
   */
  contentRoot?: string;
}

/** The result of {@link loadManifests}. */
export interface LoadedManifests {
  /** Manifests in load order: file order, then document order, then list order. */
  manifests: Manifest[];
  /**
   * Files read, as shown in messages: the manifest files in load order (`-` for stdin), then the content files
   * that were inlined, each once.
   */
  files: string[];
}

/** How many files are read at once: enough to hide latency, few enough to stay clear of open-file limits. */
const READ_CONCURRENCY = 16;

async function readAll(
  inputs: readonly InputFile[],
  scope: TemplateScope,
  readStdin: ReadStdin | undefined,
  cache: ContentCache,
): Promise<LoadedInput[]> {
  const results: Promise<LoadedInput>[] = new Array(inputs.length);
  let next = 0;
  const worker = async () => {
    while (next < inputs.length) {
      const i = next++;
      results[i] = loadInput(inputs[i], scope, readStdin);
      const absolute = inputs[i].absolute;
      // Seeding the cache lets a content file that is also a scanned file be parsed once.
      if (absolute !== undefined) cache.set(absolute, results[i]);
      await results[i];
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, inputs.length) }, worker));
  return await Promise.all(results);
}

/** Absolute paths of the files referenced as content by envelope documents: those are not manifests. */
function contentFiles(inputs: readonly LoadedInput[], cwd: string): Set<string> {
  const files = new Set<string>();
  for (const input of inputs) {
    for (const document of input.documents) {
      let value: unknown;
      try {
        value = documentValue(document);
      } catch {
        continue; // reported when the document is built
      }
      for (const item of Array.isArray(value) ? value : [value]) {
        if (!isObject(item) || item.apiVersion === undefined || !isObject(item.spec)) continue;
        const path = contentReference(item.spec.content);
        if (path !== undefined) files.add(contentPath(path, input.absolute, cwd));
      }
    }
  }
  return files;
}

function firstListKind(value: unknown): ManifestKind | undefined {
  if (!isObject(value) || value.apiVersion !== undefined) return undefined;
  const detection = detectKind(value);
  return "kind" in detection ? detection.kind : undefined;
}

/**
 * Loads, templates and validates manifests from files, directories and stdin (see the module documentation of
 * each step: `files.ts`, `source.ts`, `template.ts`, `envelope.ts`, `raw.ts`, `content.ts`, `kinds.ts`,
 * `references.ts`). Throws one `ManifestError` with every problem, sorted by file, line and column.
 */
export async function loadManifests(options: LoadManifestsOptions): Promise<LoadedManifests> {
  if (options.paths.length === 0) {
    throw usageError("no manifest paths given", {
      hint: "Pass files or directories with -f, or - for stdin.",
    });
  }
  const problems = new Problems();
  const scope: TemplateScope = { values: options.values ?? {}, env: options.env ?? {} };
  const cache: ContentCache = new Map();
  const inputs = await discoverFiles(options.paths, options.cwd, problems);
  const loaded = await readAll(inputs, scope, options.readStdin, cache);
  const excluded = contentFiles(loaded, options.cwd);
  const manifests: Manifest[] = [];
  const files: string[] = [];
  const used: string[] = [];
  for (const input of loaded) {
    if (input.absolute !== undefined && excluded.has(input.absolute)) continue;
    files.push(input.display);
    for (const problem of [...input.syntax, ...input.template]) {
      problems.add(problem.location, problem.message);
    }
    const items = input.documents.flatMap((document) => documentItems(document, problems));
    const alone = input.documents.length === 1 && items.length === 1 && items[0].listIndex === undefined;
    // dtctl's array rule: elements detection cannot place take the kind of the list's first element.
    const listKinds = new Map(
      items.filter((item) => item.listIndex === 0).map((item) => [item.document, firstListKind(item.value)]),
    );
    for (const item of items) {
      const manifest = await buildManifest(item, {
        absolute: input.absolute,
        cwd: options.cwd,
        contentRoot: options.contentRoot ?? options.cwd,
        scope,
        cache,
        problems,
        listKind: item.listIndex === undefined ? undefined : listKinds.get(item.document),
        alone,
        onContentFile: (display) => {
          if (!used.includes(display)) used.push(display);
        },
      });
      if (manifest) manifests.push(manifest);
    }
  }
  validateUniqueNames(manifests, problems);
  validateReferences(manifests, problems);
  problems.throwIfAny();
  return { manifests, files: [...files, ...used] };
}
