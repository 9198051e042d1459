/**
 * Atomic, private file replacement for the config file, which holds credentials.
 *
 * The file system is passed in so tests can make a step fail and prove that the original survives; production
 * code always uses `node:fs/promises`.
 *
 * @module
 */

import * as fs from "node:fs/promises";
import { randomUUID } from "node:crypto";
import { basename, dirname, join } from "node:path";

/** The part of a file handle that {@link writeFileAtomic} uses. */
export interface AtomicFileHandle {
  /** Writes the whole content. */
  writeFile(data: string, encoding: "utf8"): Promise<void>;
  /** Sets the permission bits. */
  chmod(mode: number): Promise<void>;
  /** Flushes data and metadata to disk. */
  sync(): Promise<void>;
  /** Closes the handle. */
  close(): Promise<void>;
}

/** The part of `node:fs/promises` that {@link writeFileAtomic} uses. */
export interface AtomicWriteFs {
  /** Resolves symlinks. */
  realpath(path: string): Promise<string>;
  /** Creates a directory. */
  mkdir(path: string, options: { recursive: true; mode: number }): Promise<unknown>;
  /** Opens a file. */
  open(path: string, flags: string, mode?: number): Promise<AtomicFileHandle>;
  /** Renames a file, replacing the target. */
  rename(from: string, to: string): Promise<void>;
  /** Removes a file. */
  rm(path: string, options: { force: true }): Promise<void>;
}

/** The real file system. */
export const nodeFs: AtomicWriteFs = fs;

/**
 * Replaces `path` with `data` so that readers see either the old or the new content, never a mix:
 * write a temp file (mode 0600) next to the target, fsync it, rename it over the target, fsync the directory.
 *
 * Missing directories are created with mode 0700. A symlinked target is followed, so a config managed by a
 * dotfile tool stays a link. On failure the temp file is removed and the original is untouched.
 */
export async function writeFileAtomic(
  path: string,
  data: string,
  fsys: AtomicWriteFs = nodeFs,
): Promise<void> {
  let target = path;
  try {
    target = await fsys.realpath(path);
  } catch (error) {
    if ((error as { code?: string }).code !== "ENOENT") throw error;
  }
  const dir = dirname(target);
  await fsys.mkdir(dir, { recursive: true, mode: 0o700 });
  // Same directory as the target: rename is only atomic within one file system.
  const temp = join(dir, `.${basename(target)}.${randomUUID()}.tmp`);
  const handle = await fsys.open(temp, "wx", 0o600);
  let renamed = false;
  try {
    try {
      await handle.writeFile(data, "utf8");
      // The umask can only narrow 0600, but an explicit chmod documents and guarantees the final mode.
      await handle.chmod(0o600);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fsys.rename(temp, target);
    renamed = true;
  } finally {
    if (!renamed) await fsys.rm(temp, { force: true }).catch(() => undefined);
  }
  await syncDirectory(dir, fsys);
}

async function syncDirectory(dir: string, fsys: AtomicWriteFs): Promise<void> {
  // Makes the rename itself durable. Not every platform can open or fsync a directory (Windows cannot), and
  // the data is already safe in the renamed file, so failures here are ignored.
  try {
    const handle = await fsys.open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort, see above
  }
}
