/**
 * Emulator state: {@link MemoryStore} (in memory, JSON-serialisable) and {@link FileStore} (a directory shared
 * safely by several processes).
 *
 * @module
 */

export { type ManagedStore, MemoryStore, type StateSnapshot } from "./memory_store.ts";
export { FileStore, type FileStoreOptions, LOCK_FILE, STATE_FILE } from "./file_store.ts";
export { acquireLock, type FileLock, type LockOptions } from "./file_lock.ts";
