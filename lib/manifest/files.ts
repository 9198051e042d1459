/**
 * Which files a set of `-f` paths stands for.
 *
 * - `-` is standard input (read once, however often it is given).
 * - A file given by name is read whatever its extension.
 * - A directory is walked recursively for `.yaml`, `.yml` and `.json` files, in code-point order of the entry
 *   names at every level, so the order is the same on every machine and file system.
 * - Hidden entries (names starting with `.`) and project files (`dtctl.yaml`, `dtctl.yml`) are skipped.
 * - `.dtctlignore` files (gitignore syntax) apply to their directory and below: found at each scanned root and in
 *   any nested directory. Deeper files can re-include (`!pattern`) what a shallower one excluded, as in git;
 *   an ignored directory is not entered.
 * - A file reached twice (a directory and a file in it) is read once, at its first position.
 *
 * @module
 */

import { readdir, readFile, realpath, stat } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import ignore, { type Ignore } from "ignore";
import type { Problems } from "./problems.ts";
import { fileStart } from "./source.ts";

/** One input to read. */
export interface InputFile {
  /** The file as shown in messages: relative to the working directory when inside it, `-` for stdin. */
  display: string;
  /** Absolute path; undefined for stdin. */
  absolute?: string;
}

/** Extensions picked up when walking a directory. */
export const MANIFEST_EXTENSIONS = [".yaml", ".yml", ".json"] as const;

/** Names of the project file; never loaded as manifests from a directory scan. */
export const PROJECT_FILE_NAMES = ["dtctl.yaml", "dtctl.yml"] as const;

/** The name of ignore files. */
export const IGNORE_FILE = ".dtctlignore";

/** How a path is shown: relative to `cwd` with `/` separators when inside it, else absolute. */
export function displayPath(cwd: string, absolute: string): string {
  const rel = relative(cwd, absolute);
  if (rel === "") return ".";
  if (rel.startsWith("..") || isAbsolute(rel)) return absolute;
  return rel.split(sep).join("/");
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface IgnoreLevel {
  dir: string;
  rules: Ignore;
}

function toPosix(path: string): string {
  return path.split(sep).join("/");
}

/** Whether an entry is ignored: every level from the root down may ignore or re-include it. */
function isIgnored(levels: readonly IgnoreLevel[], absolute: string, isDir: boolean): boolean {
  let ignored = false;
  for (const level of levels) {
    const rel = toPosix(relative(level.dir, absolute)) + (isDir ? "/" : "");
    const result = level.rules.test(rel);
    if (result.ignored) ignored = true;
    else if (result.unignored) ignored = false;
  }
  return ignored;
}

async function readIgnore(dir: string): Promise<IgnoreLevel | undefined> {
  try {
    const text = await readFile(join(dir, IGNORE_FILE), "utf8");
    return { dir, rules: ignore().add(text) };
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return undefined;
    throw error;
  }
}

function isManifestFile(name: string): boolean {
  return MANIFEST_EXTENSIONS.some((ext) => name.endsWith(ext)) &&
    !(PROJECT_FILE_NAMES as readonly string[]).includes(name);
}

class Walker {
  readonly files: string[] = [];
  readonly #seenDirs = new Set<string>();

  constructor(readonly cwd: string, readonly problems: Problems) {}

  async walk(dir: string, levels: readonly IgnoreLevel[]): Promise<void> {
    // Symbolic links may loop back; each real directory is walked once.
    const real = await realpath(dir);
    if (this.#seenDirs.has(real)) return;
    this.#seenDirs.add(real);
    const own = await readIgnore(dir);
    const active = own ? [...levels, own] : levels;
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
      compareNames(a.name, b.name)
    );
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const path = join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const target = await stat(path).catch(() => undefined);
        if (!target) {
          this.problems.add(fileStart(displayPath(this.cwd, path)), "broken symbolic link");
          continue;
        }
        isDir = target.isDirectory();
        isFile = target.isFile();
      }
      if (isIgnored(active, path, isDir)) continue;
      if (isDir) await this.walk(path, active);
      else if (isFile && isManifestFile(entry.name)) this.files.push(path);
    }
  }
}

/**
 * Expands `-f` paths (relative to `cwd`) into the files to read, in a deterministic order. Missing paths and
 * unreadable directories become problems; the rest is still returned.
 */
export async function discoverFiles(
  paths: readonly string[],
  cwd: string,
  problems: Problems,
): Promise<InputFile[]> {
  const inputs: InputFile[] = [];
  const seen = new Set<string>();
  const add = (input: InputFile) => {
    const key = input.absolute ?? "-";
    if (seen.has(key)) return;
    seen.add(key);
    inputs.push(input);
  };
  for (const path of paths) {
    if (path === "-") {
      add({ display: "-" });
      continue;
    }
    const absolute = resolve(cwd, path);
    const info = await stat(absolute).catch((error) => error as { code?: string });
    if (!("isDirectory" in info)) {
      const reason = info.code === "ENOENT"
        ? "no such file or directory"
        : `cannot read it (${info.code ?? "error"})`;
      problems.add(fileStart(path), reason);
      continue;
    }
    if (!info.isDirectory()) {
      add({ display: displayPath(cwd, absolute), absolute });
      continue;
    }
    const walker = new Walker(cwd, problems);
    try {
      await walker.walk(absolute, []);
    } catch (error) {
      problems.add(
        fileStart(displayPath(cwd, absolute)),
        `cannot read the directory: ${(error as Error).message}`,
      );
    }
    for (const file of walker.files) add({ display: displayPath(cwd, file), absolute: file });
  }
  return inputs;
}
