/**
 * The contract between the emulator core and each emulated platform service.
 *
 * @module
 */

import type { Random } from "./random.ts";
import type { Clock, EmulatorStore, EmulatorUser, ErrorFamily, Route } from "./types.ts";

/** What a service's `seed` receives. */
export interface SeedOptions {
  /** Seed demo content (dashboards, notebooks, ...) in addition to what every tenant has built in. */
  demo: boolean;
  /** The current time. */
  clock: Clock;
  /** The default user, owner of seeded content. */
  user: EmulatorUser;
  /** Every user of the tenant. */
  users?: readonly EmulatorUser[];
  /** The emulator's seeded random source, for generated ids. */
  random?: Random;
}

/** One emulated platform service: its routes and how it fills a fresh tenant. */
export interface EmulatorService {
  /** Stable name (also the key of its options in `EmulatorOptions.serviceOptions`). */
  name: string;
  /** The endpoints, with paths from the URL root. */
  routes: Route[];
  /**
   * Fills a fresh (or just reset) tenant. With `demo: false` only what every real tenant has built in (e.g. the
   * `default_*` buckets); with `demo: true` also demo content. Must only add records that are absent.
   */
  seed?(store: EmulatorStore, options: SeedOptions): void;
}

/** Builds the routes of one service: every path under `base`, errors in the service's envelope family. */
export function routeBuilder(
  base: string,
  family: ErrorFamily,
): (method: string, path: string, handle: Route["handle"], scopes?: string[]) => Route {
  return (method, path, handle, scopes) => ({
    method,
    path: `${base}${path}`,
    family,
    ...(scopes ? { scopes } : {}),
    handle,
  });
}
