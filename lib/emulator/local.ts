/**
 * The built-in `local` platform: the emulator run in-process over a state directory, injected as the HTTP
 * client's `fetch`. Every CLI process opens the same directory; the {@link FileStore} lock makes concurrent
 * processes safe, and each request sees what earlier processes wrote.
 *
 * @module
 */

import { join } from "node:path";
import { DtctlError } from "../errors/mod.ts";
import { createEmulator, type Emulator, type EmulatorOptions, type SeedData } from "./handler.ts";
import type { LockOptions } from "./file_lock.ts";
import { FileStore } from "./file_store.ts";

/** Options of {@link createLocalFetch}. */
export interface LocalFetchOptions {
  /** The state directory (see {@link localDataDir}). */
  dir: string;
  /** Data of a fresh directory (default `demo`). */
  seed?: SeedData;
  /** Lock tuning for the state directory. */
  lock?: LockOptions;
  /** Further emulator options (users, tokens, faults, service options...). */
  emulator?: Omit<EmulatorOptions, "store" | "data">;
}

/** A `fetch`-compatible function answered by the local platform. */
export type LocalFetch = (input: Request | URL | string, init?: RequestInit) => Promise<Response>;

/**
 * A `fetch` answered in-process by an emulator over `dir`. The directory is opened (and, when fresh, seeded)
 * on the first call; a failed open is retried on the next call.
 */
export function createLocalFetch(options: LocalFetchOptions): LocalFetch {
  let ready: Promise<Emulator> | undefined;
  const open = () => {
    ready ??= (async () => {
      const store = await FileStore.open(options.dir, options.lock);
      return createEmulator({ ...options.emulator, store, data: options.seed ?? "demo" });
    })().catch((error) => {
      ready = undefined;
      throw error;
    });
    return ready;
  };
  return async (input, init) => {
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    const emulator = await open();
    return await emulator.handle(request);
  };
}

/** Environment variables {@link localDataDir} reads. */
export type LocalDirEnv = Record<string, string | undefined>;

/**
 * The local platform's state directory: `DTCTL_LOCAL_DIR`, else `$XDG_DATA_HOME/dtctl/local`, else
 * `$HOME/.local/share/dtctl/local` (`%USERPROFILE%` stands in for `HOME` on Windows).
 */
export function localDataDir(env: LocalDirEnv = Deno.env.toObject()): string {
  if (env.DTCTL_LOCAL_DIR) return env.DTCTL_LOCAL_DIR;
  if (env.XDG_DATA_HOME) return join(env.XDG_DATA_HOME, "dtctl", "local");
  const home = env.HOME || env.USERPROFILE;
  if (home) return join(home, ".local", "share", "dtctl", "local");
  throw new DtctlError(
    "config_error",
    "Cannot locate the local platform's data directory: HOME is not set.",
    {
      hint: "Set DTCTL_LOCAL_DIR to a writable directory.",
    },
  );
}
