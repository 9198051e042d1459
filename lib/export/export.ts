/**
 * `dtctl export`: live objects → a directory of manifests that `dtctl diff` shows as unchanged.
 *
 * Layout: `<dir>/<kind-plural>/<name>.yaml`, one envelope per object (`apiVersion: dtctl/v1`, keys in a fixed
 * order), with the `dtctl.io/id` annotation pinning the object's server id; dashboard, notebook and JSON
 * document content goes to a sibling `<name>.json` referenced as `content: { $file: ./<name>.json }`. A
 * `dtctl.yaml` project file is written when the directory has none. Names are slugs of the objects' titles,
 * made unique per kind with `-2`, `-3`, ... in order of (slug, id), so the same live state always gives the
 * same files.
 *
 * Nothing is written until everything was read, and nothing is overwritten without `force`: an existing target
 * file is a `conflict` listing them. Read-only objects (built-in buckets, ready-made segments, read-only
 * settings) are skipped with a note; objective templates are not SLOs and never listed.
 *
 * @module
 */

import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative, resolve } from "node:path";
import { parse } from "yaml";
import { canonicalize, compareCodePoints } from "../diff/mod.ts";
import { DtctlError, usageError } from "../errors/mod.ts";
import { MANIFEST_API_VERSION, PROJECT_FILE_NAMES, STACK_NAME_PATTERN } from "../manifest/mod.ts";
import { toYaml } from "../output/format.ts";
import { type ManagedKind, PINNED_ID_ANNOTATION } from "../plan/adapter.ts";
import { replaceDeep, setOwn } from "../plan/kinds/common.ts";
import { lookupManagedKind, MANAGED_KINDS } from "../plan/kinds/mod.ts";
import type { KindContext } from "../resources/types.ts";

/** Options of {@link exportManifests}. */
export interface ExportOptions {
  /** The client of the environment to export from. */
  context: KindContext;
  /** Target directory (created when missing), relative to `cwd`. */
  dir: string;
  /** The working directory (default: the process's). */
  cwd?: string;
  /** Kinds to export (manifest kinds or resource names/aliases: `Workflow`, `workflows`, `wf`); default all. */
  kinds?: string[];
  /** Stack name of a new project file (default: the directory name, slugified). */
  stack?: string;
  /** Overwrite existing files. */
  force?: boolean;
  /** Settings schemas to export (default: every schema but the anomaly-detector one). */
  settingsSchemas?: string[];
  /** The managed kinds (default: all built-in ones). */
  managedKinds?: readonly ManagedKind[];
}

/** One exported object. */
export interface ExportedObject {
  /** Manifest kind. */
  kind: string;
  /** `metadata.name`. */
  name: string;
  /** Server id (the pinned `dtctl.io/id`). */
  id: string;
  /** The manifest file, relative to the export directory (`/` separators). */
  file: string;
  /** The content file, when content was written beside. */
  contentFile?: string;
}

/** An object that was not exported, and why. */
export interface SkippedObject {
  /** Manifest kind. */
  kind: string;
  /** Server id. */
  id: string;
  /** Why (e.g. `built-in bucket`). */
  reason: string;
}

/** What {@link exportManifests} did. */
export interface ExportResult {
  /** The export directory (absolute). */
  dir: string;
  /** The stack of the project file (written or found). */
  stack: string;
  /** The project file, relative to the directory, and whether this export wrote it. */
  projectFile: { file: string; written: boolean };
  /** Exported objects, in kind order, then by name. */
  objects: ExportedObject[];
  /** Skipped objects, in kind order, then by id. */
  skipped: SkippedObject[];
  /** Exported objects per kind (every requested kind, also with 0). */
  counts: Record<string, number>;
}

const TEMPLATE_OPEN = "${{";

/**
 * A deep copy whose strings have every `${{` written as `$${{`, the loader's literal form, so text such as a
 * JavaScript template literal in a workflow script survives templating unchanged.
 */
export function escapeTemplates<T>(value: T): T {
  // A replacer function: in a replacement string `$$` would itself mean one `$`.
  const escape = (text: string) => text.replaceAll(TEMPLATE_OPEN, () => "$" + TEMPLATE_OPEN);
  return replaceDeep(value, (node) => typeof node === "string" ? escape(node) : undefined) as T;
}

/** A stack name from a directory name: lower-cased, runs of other characters as `-`, at most 63 characters. */
export function stackNameFromDir(dir: string): string {
  const slug = basename(resolve(dir))
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+/, "")
    .slice(0, 63)
    .replace(/-+$/, "");
  return slug === "" ? "default" : slug;
}

/** Spec keys shown first (in this order); the rest follow in code-point order, `content` last. */
const LEADING_KEYS = [
  "title",
  "name",
  "bucketName",
  "type",
  "description",
  "externalId",
  "schemaId",
  "scope",
  "table",
];

/** The spec with nested keys in code-point order and the top level in a readable fixed order. */
export function orderSpec(spec: Record<string, unknown>): Record<string, unknown> {
  const sorted = canonicalize(spec);
  const keys = Object.keys(sorted);
  const order = [
    ...LEADING_KEYS.filter((key) => keys.includes(key)),
    ...keys.filter((key) => !LEADING_KEYS.includes(key) && key !== "content"),
    ...(keys.includes("content") ? ["content"] : []),
  ];
  const out: Record<string, unknown> = {};
  for (const key of order) setOwn(out, key, sorted[key]);
  return out;
}

/** An exported manifest envelope. */
export interface ExportEnvelope {
  /** Always `dtctl/v1`. */
  apiVersion: string;
  /** Manifest kind. */
  kind: string;
  /** Name and the pin annotation. */
  metadata: { name: string; annotations: Record<string, string> };
  /** The spec, keys ordered. */
  spec: Record<string, unknown>;
}

/** The envelope of an exported object, keys in the documented order. */
export function exportEnvelope(
  kind: string,
  name: string,
  id: string,
  spec: Record<string, unknown>,
): ExportEnvelope {
  return {
    apiVersion: MANIFEST_API_VERSION,
    kind,
    metadata: { name, annotations: { [PINNED_ID_ANNOTATION]: id } },
    spec: orderSpec(escapeTemplates(spec)),
  };
}

function resolveKinds(names: readonly string[] | undefined, all: readonly ManagedKind[]): ManagedKind[] {
  if (!names || names.length === 0) return [...all];
  const wanted = new Set<ManagedKind>();
  for (const name of names) {
    const kind = lookupManagedKind(name);
    if (!kind || !all.includes(kind)) {
      throw usageError(`unknown kind "${name}" for export`, {
        hint: `export one or more of: ${
          all.map((k) => k.manifestKind).join(", ")
        } (or their plurals, e.g. workflows)`,
        details: { argument: "kinds", value: name },
      });
    }
    wanted.add(kind);
  }
  // Kind order, not argument order: the output is the same however the kinds were listed.
  return all.filter((kind) => wanted.has(kind));
}

async function exists(path: string): Promise<boolean> {
  return await stat(path).then(() => true, (error) => {
    if ((error as { code?: string }).code === "ENOENT") return false;
    throw error;
  });
}

interface Collected {
  kind: ManagedKind;
  base: string;
  id: string;
  spec: Record<string, unknown>;
  content?: unknown;
}

/** Makes names unique per kind: `x`, `x-2`, `x-3`, ... in order of (name, id). */
function assignNames(items: Collected[]): (Collected & { name: string })[] {
  const sorted = [...items].sort((a, b) =>
    compareCodePoints(a.base, b.base) || compareCodePoints(a.id, b.id)
  );
  const used = new Set<string>();
  return sorted.map((item) => {
    let name = item.base;
    for (let n = 2; used.has(name); n++) {
      const suffix = `-${n}`;
      name = `${item.base.slice(0, 128 - suffix.length).replace(/[^a-z0-9]+$/, "")}${suffix}`;
    }
    used.add(name);
    return { ...item, name };
  });
}

/**
 * Exports live objects into manifests (see the module documentation). Throws `conflict` (exit 6), writing
 * nothing, when a target file exists and `force` is not set.
 */
export async function exportManifests(options: ExportOptions): Promise<ExportResult> {
  const { context } = options;
  const all = options.managedKinds ?? MANAGED_KINDS;
  const kinds = resolveKinds(options.kinds, all);
  if (options.stack !== undefined && !STACK_NAME_PATTERN.test(options.stack)) {
    throw usageError(`--stack "${options.stack}" is invalid: 1-63 characters of a-z, 0-9 and '-'`, {
      details: { flag: "--stack", value: options.stack },
    });
  }
  const dir = resolve(options.cwd ?? Deno.cwd(), options.dir);
  const collected: Collected[] = [];
  const skipped: SkippedObject[] = [];
  for (const kind of kinds) {
    const type = kind.manifestKind === "Setting" && options.settingsSchemas?.length
      ? options.settingsSchemas.join(",")
      : undefined;
    const skippedOfKind: SkippedObject[] = [];
    for await (const live of kind.list(context, type === undefined ? {} : { type })) {
      const id = kind.idOf(live);
      const reason = kind.readOnly?.(live);
      if (reason !== undefined) {
        skippedOfKind.push({ kind: kind.manifestKind, id, reason });
        continue;
      }
      const manifest = kind.toManifest(live);
      collected.push({ kind, base: manifest.name, id, spec: manifest.spec, content: manifest.content });
    }
    skipped.push(...skippedOfKind.sort((a, b) => compareCodePoints(a.id, b.id)));
  }

  const files: { path: string; text: string }[] = [];
  const objects: ExportedObject[] = [];
  const counts: Record<string, number> = Object.fromEntries(kinds.map((k) => [k.manifestKind, 0]));
  for (const kind of kinds) {
    for (const item of assignNames(collected.filter((c) => c.kind === kind))) {
      const folder = kind.resource.plural;
      const file = `${folder}/${item.name}.yaml`;
      const spec = { ...item.spec };
      let contentFile: string | undefined;
      if (item.content !== undefined) {
        contentFile = `${folder}/${item.name}.json`;
        spec.content = { $file: `./${item.name}.json` };
        files.push({
          path: join(dir, contentFile),
          text: JSON.stringify(escapeTemplates(item.content), null, 2) + "\n",
        });
      }
      files.push({
        path: join(dir, file),
        text: toYaml(exportEnvelope(kind.manifestKind, item.name, item.id, spec)),
      });
      objects.push({
        kind: kind.manifestKind,
        name: item.name,
        id: item.id,
        file,
        ...(contentFile ? { contentFile } : {}),
      });
      counts[kind.manifestKind]++;
    }
  }

  let projectFile: ExportResult["projectFile"] | undefined;
  let stack = options.stack ?? stackNameFromDir(dir);
  for (const name of PROJECT_FILE_NAMES) {
    if (await exists(join(dir, name))) {
      projectFile = { file: name, written: false };
      stack = await existingStack(join(dir, name)) ?? stack;
      break;
    }
  }
  if (!projectFile) {
    projectFile = { file: PROJECT_FILE_NAMES[0], written: true };
    files.push({ path: join(dir, PROJECT_FILE_NAMES[0]), text: projectText(stack) });
  }

  if (!options.force) {
    const taken: string[] = [];
    for (const file of files) if (await exists(file.path)) taken.push(relative(dir, file.path));
    if (taken.length > 0) {
      throw new DtctlError(
        "conflict",
        `export would overwrite ${taken.length} existing file${taken.length === 1 ? "" : "s"} in ${dir}: ${
          taken.slice(0, 10).join(", ")
        }${taken.length > 10 ? `, and ${taken.length - 10} more` : ""}`,
        {
          hint: "Export into an empty directory, or pass --force to overwrite them.",
          details: { dir, files: taken },
        },
      );
    }
  }
  for (const file of files) {
    await mkdir(dirname(file.path), { recursive: true });
    await writeFile(file.path, file.text);
  }
  return { dir, stack, projectFile, objects, skipped, counts };
}

function projectText(stack: string): string {
  return [
    "# Written by dtctl export. The stack is part of every object's identity: objects exported here are",
    "# pinned by their dtctl.io/id annotation; objects you add are found by stack + kind + metadata.name.",
    `apiVersion: ${MANIFEST_API_VERSION}`,
    "kind: Project",
    `stack: ${stack}`,
    "paths: [.]",
    "",
  ].join("\n");
}

async function existingStack(file: string): Promise<string | undefined> {
  try {
    const value = parse(await readFile(file, "utf8")) as { stack?: unknown } | null;
    return typeof value?.stack === "string" ? value.stack : undefined;
  } catch {
    // An unreadable project file is the user's to fix; export only reports the stack it would use.
    return undefined;
  }
}

/** The human summary of an export: counts per kind, skipped objects, the project file. */
export function renderExportSummary(result: ExportResult): string {
  const lines: string[] = [];
  const width = Math.max(...Object.keys(result.counts).map((k) => k.length), 4);
  for (const [kind, count] of Object.entries(result.counts)) {
    const skipped = result.skipped.filter((s) => s.kind === kind).length;
    lines.push(`  ${kind.padEnd(width)}  ${count} exported${skipped ? `, ${skipped} skipped` : ""}`);
  }
  const total = result.objects.length;
  const text = [`Exported ${total} object${total === 1 ? "" : "s"} to ${result.dir}:`, ...lines];
  if (result.skipped.length > 0) {
    text.push("Skipped (not managed as code):");
    for (const s of result.skipped) text.push(`  ${s.kind} ${s.id}: ${s.reason}`);
  }
  text.push(
    result.projectFile.written
      ? `Wrote ${result.projectFile.file} (stack: ${result.stack}).`
      : `Kept ${result.projectFile.file} (stack: ${result.stack}).`,
  );
  text.push(`Compare with the live state: dtctl diff --project ${join(result.dir, result.projectFile.file)}`);
  return text.join("\n") + "\n";
}
