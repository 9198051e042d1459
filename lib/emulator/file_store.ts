/**
 * Emulator state persisted in a directory (`state.json`), safe for several processes at once.
 *
 * Every transaction is: take the directory's lock file → reload `state.json` if another process changed it →
 * run the request → write the state if it changed → release the lock. Writes go to a temporary file that is
 * flushed and renamed over `state.json`, so a process killed mid-write leaves the previous state intact (and
 * a stray temporary file, which loading ignores).
 *
 * Change detection reads only the head of `state.json`: the file starts with a random `revision` written on
 * every save, which is cheaper than parsing and safer than comparing modification times.
 *
 * @module
 */

import { join } from "node:path";
import { DtctlError } from "../errors/mod.ts";
import { acquireLock, type LockOptions } from "./file_lock.ts";
import { Mutex } from "./core/mutex.ts";
import { MemoryStore } from "./memory_store.ts";

/** Options of {@link FileStore.open}. */
export interface FileStoreOptions extends LockOptions {}

/** Name of the state file inside the directory. */
export const STATE_FILE = "state.json";
/** Name of the lock file inside the directory. */
export const LOCK_FILE = "state.lock";

const TEMP_SUFFIX = ".tmp";
/** Temporary files older than this were left by a killed writer and may be removed. */
const ORPHAN_TEMP_MS = 60_000;

/** Emulator state kept in `<dir>/state.json`. */
export class FileStore extends MemoryStore {
  /** The state directory. */
  readonly dir: string;
  /** Path of `state.json`. */
  readonly statePath: string;
  /** Path of the lock file. */
  readonly lockPath: string;
  readonly #options: FileStoreOptions;
  readonly #mutex = new Mutex();
  /** Revision of the state last loaded or saved; `null` when nothing was read from disk yet. */
  #revision: string | null = null;

  private constructor(dir: string, options: FileStoreOptions) {
    super();
    this.dir = dir;
    this.statePath = join(dir, STATE_FILE);
    this.lockPath = join(dir, LOCK_FILE);
    this.#options = options;
  }

  /** Opens (creating the directory if needed) and loads the state in `dir`. */
  static async open(dir: string, options: FileStoreOptions = {}): Promise<FileStore> {
    try {
      await Deno.mkdir(dir, { recursive: true });
    } catch (error) {
      throw unusableDir(dir, error);
    }
    const store = new FileStore(dir, options);
    try {
      await store.transaction(() => store.#removeOrphanTemps());
    } catch (error) {
      if (error instanceof DtctlError) throw error;
      throw unusableDir(dir, error);
    }
    return store;
  }

  /** Whether `state.json` exists (false for a fresh directory). */
  async exists(): Promise<boolean> {
    try {
      await Deno.stat(this.statePath);
      return true;
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return false;
      throw error;
    }
  }

  /**
   * Runs `fn` under the directory lock against the latest state and persists what it changed. One
   * transaction at a time per store; other processes wait for the lock file.
   */
  override transaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.#mutex.run(async () => {
      const lock = await acquireLock(this.lockPath, this.#options);
      try {
        await this.#reloadIfChanged();
        let result: T;
        try {
          result = await fn();
        } catch (error) {
          // Force a reload next time so partial changes of the failed unit of work are discarded.
          this.#revision = null;
          this.clearDirty();
          throw error;
        }
        if (this.dirty) await this.#persist();
        return result;
      } finally {
        await lock.release();
      }
    });
  }

  /** Writes the state now, under the lock (for changes made outside a transaction, e.g. seeding). */
  flush(): Promise<void> {
    return this.transaction(() => Promise.resolve());
  }

  async #readRevision(): Promise<string | undefined> {
    let file: Deno.FsFile;
    try {
      file = await Deno.open(this.statePath, { read: true });
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return undefined;
      throw error;
    }
    try {
      const head = new Uint8Array(256);
      const n = await file.read(head) ?? 0;
      const text = new TextDecoder().decode(head.subarray(0, n));
      return /^\{"revision":"([^"]+)"/.exec(text)?.[1] ?? "";
    } finally {
      file.close();
    }
  }

  async #reloadIfChanged(): Promise<void> {
    const revision = await this.#readRevision();
    if (revision === undefined) {
      // No file: another process (or the user) removed it, or the directory is fresh.
      if (this.#revision !== null) {
        this.load({ format: 1, collections: {} });
        this.#revision = null;
      }
      return;
    }
    if (revision !== "" && revision === this.#revision) return;
    const text = await Deno.readTextFile(this.statePath);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
      this.load(parsed);
    } catch (error) {
      throw new DtctlError("config_error", `The local platform state ${this.statePath} is unreadable.`, {
        hint: `Move or delete ${this.statePath} to start from fresh demo data.`,
        details: { path: this.statePath, reason: (error as Error).message },
        cause: error,
      });
    }
    this.#revision = revision;
  }

  async #persist(): Promise<void> {
    const revision = crypto.randomUUID();
    const snapshot = this.toJSON();
    // `revision` first: #readRevision only reads the head of the file.
    const text = JSON.stringify({ revision, format: snapshot.format, collections: snapshot.collections });
    const temp = `${this.statePath}.${Deno.pid}.${crypto.randomUUID().slice(0, 8)}${TEMP_SUFFIX}`;
    const file = await Deno.open(temp, { write: true, createNew: true });
    try {
      const bytes = new TextEncoder().encode(text);
      let written = 0;
      while (written < bytes.length) written += await file.write(bytes.subarray(written));
      await file.sync();
    } finally {
      file.close();
    }
    await Deno.rename(temp, this.statePath);
    this.#revision = revision;
    this.clearDirty();
  }

  async #removeOrphanTemps(): Promise<void> {
    for await (const entry of Deno.readDir(this.dir)) {
      if (!entry.isFile || !entry.name.startsWith(`${STATE_FILE}.`) || !entry.name.endsWith(TEMP_SUFFIX)) {
        continue;
      }
      const path = join(this.dir, entry.name);
      try {
        const info = await Deno.stat(path);
        if (Date.now() - (info.mtime?.getTime() ?? 0) > ORPHAN_TEMP_MS) await Deno.remove(path);
      } catch {
        // Another process may have removed or renamed it meanwhile; nothing to clean then.
      }
    }
  }
}

/**
 * The error for a state directory that cannot be created or used (a user's mistake, not a bug: no stack
 * trace, and not mistaken for a network failure by the HTTP client).
 */
function unusableDir(dir: string, error: unknown): DtctlError {
  const reason = error instanceof Error ? error.message : String(error);
  return new DtctlError(
    "config_error",
    `The local platform state directory ${dir} cannot be used: ${reason}`,
    {
      hint: "Point DTCTL_LOCAL_DIR (or `dtctl serve --data`) at a writable directory.",
      details: { dir },
      cause: error,
    },
  );
}
