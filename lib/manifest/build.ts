/**
 * One parsed document item (a document, or an element of a top-level list) → one {@link Manifest}: an
 * envelope, or a raw Go-dtctl payload converted by kind detection. Content files are inlined, defaults filled
 * and the kind's required fields checked; every problem is recorded with its position.
 *
 * @module
 */

import { basename, extname } from "node:path";
import type { Node } from "yaml";
import {
  checkMisplacedFileReferences,
  type ContentCache,
  isFileReference,
  resolveContent,
} from "./content.ts";
import { parseEnvelope } from "./envelope.ts";
import { applyDefaults, isObject, KIND_RULES, type ManifestKind, validateSpec } from "./kinds.ts";
import type { Problems } from "./problems.ts";
import { convertRaw, detectKind } from "./raw.ts";
import { documentValue, ManifestLocator, NodeLocator, type ParsedDocument } from "./source.ts";
import type { TemplateScope } from "./template.ts";
import { type Manifest, MANIFEST_API_VERSION } from "./types.ts";

/** One object-to-be of a document: the whole document, or one element of a top-level list. */
export interface DocumentItem {
  /** The document. */
  document: ParsedDocument;
  /** The item's node (the document root or a list element). */
  node: unknown;
  /** The item's value. */
  value: unknown;
  /** Index within the top-level list; undefined when the document is the item. */
  listIndex?: number;
}

/** Splits a document into items; a top-level list yields one item per element (an empty list is a problem). */
export function documentItems(document: ParsedDocument, problems: Problems): DocumentItem[] {
  const { doc } = document;
  const root = doc.contents as Node | null;
  const locator = new NodeLocator(document.file, document.lines, doc, root);
  let value: unknown;
  try {
    value = documentValue(document);
  } catch (error) {
    // toJS refuses documents with excessive aliasing ("billion laughs").
    problems.add(locator.locate([]), `cannot read the document: ${(error as Error).message}`);
    return [];
  }
  if (!Array.isArray(value)) return [{ document, node: root, value }];
  if (value.length === 0) {
    problems.add(locator.locate([]), "empty list: nothing to load");
    return [];
  }
  return value.map((item, i) => ({ document, node: locator.node([i]), value: item, listIndex: i }));
}

/** What building needs besides the item. */
export interface BuildContext {
  /** Absolute path of the item's file; undefined for stdin. */
  absolute?: string;
  /** The working directory (content references from stdin are relative to it). */
  cwd: string;
  /** Directory content files must stay inside (see `LoadManifestsOptions.contentRoot`). */
  contentRoot: string;
  /** Template values and environment. */
  scope: TemplateScope;
  /** Content files read so far. */
  cache: ContentCache;
  /** Where problems go. */
  problems: Problems;
  /** Kind of the first element of the item's list, for elements detection cannot place (dtctl's array rule). */
  listKind?: ManifestKind;
  /** Whether the item is the only object of its file (the file name may then name a raw payload). */
  alone: boolean;
  /** Called with each content file that was inlined. */
  onContentFile(display: string): void;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return `a ${typeof value}`;
}

function manifestOf(
  parts: Omit<Manifest, "apiVersion" | "locate" | "source">,
  locator: ManifestLocator,
): Manifest {
  return {
    apiVersion: MANIFEST_API_VERSION,
    ...parts,
    source: locator.locate([]),
    locate: (path: readonly (string | number)[]) => locator.locate(path),
  };
}

/** Inlines content, fills defaults and checks required fields; shared by envelopes and raw payloads. */
async function finish(
  manifest: Manifest,
  locator: ManifestLocator,
  context: BuildContext,
  fromEnvelope: boolean,
) {
  const kind = manifest.kind as ManifestKind;
  const rules = KIND_RULES[kind];
  const { problems } = context;
  let contentFailed = false;
  if (fromEnvelope) {
    if (rules.contentFile && isFileReference(manifest.spec.content)) {
      const where = manifest.locate(["spec", "content", "$file"]);
      const resolved = await resolveContent({
        reference: manifest.spec.content,
        where,
        manifestFile: context.absolute,
        cwd: context.cwd,
        contentRoot: context.contentRoot,
        scope: context.scope,
        cache: context.cache,
        problems,
      });
      if (resolved) {
        manifest.spec.content = resolved.value;
        // Problems about the content as a whole (its type) belong at the reference; anything inside it, in the
        // content file.
        const inner = resolved.locator;
        locator.mount(["spec", "content"], {
          locate: (path) => (path.length === 0 ? where : inner.locate(path)),
        });
        context.onContentFile(resolved.display);
      } else {
        contentFailed = true;
      }
    }
    checkMisplacedFileReferences(
      manifest.spec,
      rules.contentFile === true,
      (path, message) => problems.add(manifest.locate(["spec", ...path]), message),
    );
  }
  for (const field of applyDefaults(kind, manifest.name, manifest.spec)) {
    // A defaulted field's problems belong where its value came from.
    locator.mount(["spec", field], locator, ["metadata", "name"]);
  }
  validateSpec(kind, manifest.spec, (path, message) => {
    if (contentFailed && path[0] === "content") return;
    problems.add(manifest.locate(["spec", ...path]), message);
  });
}

async function buildEnvelope(item: DocumentItem, context: BuildContext): Promise<Manifest | undefined> {
  const { document } = item;
  const nodes = new NodeLocator(document.file, document.lines, document.doc, item.node);
  const envelope = parseEnvelope(item.value as Record<string, unknown>, nodes, context.problems);
  if (!envelope) return undefined;
  const locator = new ManifestLocator().mount([], nodes);
  const manifest = manifestOf({ ...envelope, raw: false }, locator);
  await finish(manifest, locator, context, true);
  return manifest;
}

function fileName(context: BuildContext): string | undefined {
  if (!context.alone || context.absolute === undefined) return undefined;
  return basename(context.absolute, extname(context.absolute));
}

async function buildRaw(item: DocumentItem, context: BuildContext): Promise<Manifest | undefined> {
  const { document } = item;
  const payload = item.value as Record<string, unknown>;
  const nodes = new NodeLocator(document.file, document.lines, document.doc, item.node);
  let detection = detectKind(payload);
  if ("unknown" in detection && context.listKind !== undefined) detection = { kind: context.listKind };
  if ("unsupported" in detection) {
    context.problems.add(
      nodes.locate([]),
      `this looks like ${detection.unsupported} of the Go dtctl, which manifests do not support`,
    );
    return undefined;
  }
  if ("unknown" in detection) {
    context.problems.add(nodes.locate([]), "could not detect the resource type; add apiVersion/kind");
    return undefined;
  }
  const kind = detection.kind;
  const converted = convertRaw(kind, payload, fileName(context));
  if (!converted.name) {
    context.problems.add(
      nodes.locate([]),
      `could not derive a name for this ${kind} payload; wrap it in a manifest (apiVersion: ${MANIFEST_API_VERSION}, ` +
        `kind: ${kind}, metadata.name, spec)`,
    );
    return undefined;
  }
  const locator = new ManifestLocator();
  for (const mount of converted.mounts) locator.mount(mount.prefix, nodes, mount.base);
  locator.mount(["metadata", "name"], nodes, converted.name.path);
  const manifest = manifestOf(
    { kind, name: converted.name.value, labels: {}, annotations: {}, spec: converted.spec, raw: true },
    locator,
  );
  await finish(manifest, locator, context, false);
  return manifest;
}

/** Builds the manifest of one item, or records why it cannot be built. */
export async function buildManifest(
  item: DocumentItem,
  context: BuildContext,
): Promise<Manifest | undefined> {
  const { document, value } = item;
  const nodes = new NodeLocator(document.file, document.lines, document.doc, item.node);
  if (!isObject(value)) {
    context.problems.add(
      nodes.locate([]),
      `expected a manifest or an API payload (a mapping), not ${describe(value)}`,
    );
    return undefined;
  }
  if (value.apiVersion !== undefined) return await buildEnvelope(item, context);
  if (typeof value.kind === "string" && (value.spec !== undefined || value.metadata !== undefined)) {
    context.problems.add(
      nodes.locate([]),
      `apiVersion is missing: add "apiVersion: ${MANIFEST_API_VERSION}" to this ${value.kind} manifest`,
    );
    return undefined;
  }
  return await buildRaw(item, context);
}
