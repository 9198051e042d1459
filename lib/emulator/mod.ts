/**
 * The local Dynatrace platform emulator: one `(Request) => Promise<Response>` handler, served by
 * `dtctl serve` ({@link serveEmulator}) or used in-process by the `local` context ({@link createLocalFetch}).
 *
 * @module
 */

export {
  ConnectionDropped,
  createEmulator,
  type Emulator,
  type EmulatorOptions,
  type EmulatorToken,
  type FaultRule,
  type FaultSettings,
  type RequestLogEntry,
  type SeedData,
} from "./handler.ts";
export { createLocalFetch, localDataDir, type LocalFetch, type LocalFetchOptions } from "./local.ts";
export { DEFAULT_PORT, type ServedEmulator, serveEmulator, type ServeOptions } from "./serve.ts";
export { FileStore, type ManagedStore, MemoryStore, type StateSnapshot } from "./store.ts";
export type { EmulatorService, SeedOptions } from "./service.ts";
export { ALL_SERVICES } from "./services/mod.ts";
export { COLLEAGUE_USER, DEFAULT_USER } from "./users.ts";
export type { Clock, EmulatorStore, EmulatorUser, ErrorFamily, Route, RouteContext } from "./types.ts";
export { HttpError } from "./http/errors.ts";
