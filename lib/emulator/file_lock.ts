/**
 * A cross-process lock file for the emulator's state directory.
 *
 * The lock is a file created with `createNew` (atomic on every local file system), holding the owner's pid,
 * host and a random token. A lock whose owner is gone (same host, pid no longer running) or that is older than
 * `staleMs` is broken; breaking happens under a second, short-lived guard file and re-checks the content, so two
 * waiters that both find the same stale lock cannot delete a fresh lock taken in between. Waiting is bounded.
 *
 * @module
 */

import { DtctlError } from "../errors/mod.ts";

/** Tuning of {@link acquireLock}. */
export interface LockOptions {
  /** Give up after this long (default 15 s). */
  timeoutMs?: number;
  /** A lock older than this is considered abandoned even if its owner cannot be checked (default 30 s). */
  staleMs?: number;
}

/** A held lock. */
export interface FileLock {
  /** Releases the lock if it is still ours. */
  release(): Promise<void>;
}

interface LockContent {
  pid: number;
  hostname: string;
  token: string;
  acquiredAt: string;
}

/** A guard file older than this belongs to a breaker that crashed mid-break (breaking takes microseconds). */
const GUARD_STALE_MS = 5_000;
/** A lock file left empty (its creator died before writing) is abandoned after this long. */
const EMPTY_LOCK_STALE_MS = 2_000;

function hostname(): string {
  try {
    return Deno.hostname();
  } catch {
    return "unknown";
  }
}

/** Whether a process with this pid runs on this host; `true` when that cannot be determined. */
function pidAlive(pid: number): boolean {
  if (pid === Deno.pid) return true;
  if (Deno.build.os !== "linux") return true;
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch (error) {
    return !(error instanceof Deno.errors.NotFound);
  }
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

async function ageMs(path: string): Promise<number | undefined> {
  try {
    const info = await Deno.stat(path);
    return Date.now() - (info.mtime?.getTime() ?? Date.now());
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

function parseContent(text: string): LockContent | undefined {
  try {
    const value = JSON.parse(text);
    return typeof value?.pid === "number" && typeof value?.token === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}

function isStale(text: string, age: number, staleMs: number): boolean {
  const content = parseContent(text);
  if (!content) return age > (text.trim() === "" ? EMPTY_LOCK_STALE_MS : staleMs);
  if (content.hostname === hostname() && !pidAlive(content.pid)) return true;
  return age > staleMs;
}

async function tryCreate(path: string, content: string): Promise<boolean> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { createNew: true, write: true });
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) return false;
    throw error;
  }
  try {
    await file.write(new TextEncoder().encode(content));
  } finally {
    file.close();
  }
  return true;
}

async function removeIfExists(path: string): Promise<void> {
  try {
    await Deno.remove(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

/** Removes the lock at `path` if it still holds `staleText`, under a guard so only one waiter breaks it. */
async function breakLock(path: string, staleText: string): Promise<void> {
  const guard = `${path}.break`;
  if (!(await tryCreate(guard, String(Deno.pid)))) {
    const age = await ageMs(guard);
    if (age !== undefined && age > GUARD_STALE_MS) await removeIfExists(guard);
    return;
  }
  try {
    if ((await readText(path)) === staleText) await removeIfExists(path);
  } finally {
    await removeIfExists(guard);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Acquires the lock file at `path`, waiting (bounded) while another live process holds it. */
export async function acquireLock(path: string, options: LockOptions = {}): Promise<FileLock> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const staleMs = options.staleMs ?? 30_000;
  const token = crypto.randomUUID();
  const content: LockContent = {
    pid: Deno.pid,
    hostname: hostname(),
    token,
    acquiredAt: new Date().toISOString(),
  };
  const text = JSON.stringify(content);
  const deadline = Date.now() + timeoutMs;
  let delay = 2;
  while (true) {
    if (await tryCreate(path, text)) {
      return {
        release: async () => {
          // Only remove the lock if it is still ours: it may have been broken as stale and re-taken.
          if ((await readText(path)) === text) await removeIfExists(path);
        },
      };
    }
    const held = await readText(path);
    const age = await ageMs(path);
    if (held !== undefined && age !== undefined && isStale(held, age, staleMs)) {
      await breakLock(path, held);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new DtctlError("timeout", `Timed out after ${timeoutMs} ms waiting for the lock ${path}.`, {
        hint: `Another dtctl process is using the local platform. If none is running, delete ${path}.`,
        details: { path, holder: held },
      });
    }
    // Jittered exponential backoff keeps two waiters from retrying in lock-step.
    await sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 2, 50);
  }
}
