/**
 * The Grail query service (`/platform/storage/query/v1`) as an emulator service.
 *
 * @module
 */

import type { EmulatorService } from "../../service.ts";
import type { QueryEngine } from "./engine.ts";
import { createInterimEngine } from "./interim/engine.ts";
import { DEFAULT_QUERY_SETTINGS, type QuerySettings } from "./options.ts";
import { queryRoutes } from "./routes.ts";
import { seedTables } from "./seed.ts";
import { TABLES_COLLECTION } from "./tables.ts";

/** Options of {@link createQueryService}. */
export interface QueryServiceOptions extends Partial<QuerySettings> {
  /** The DQL engine (default: the interim engine). */
  engine?: QueryEngine;
}

/** The service name, also the key of its runtime options in `EmulatorOptions.serviceOptions`. */
export const QUERY_SERVICE_NAME = "query";

/**
 * Creates the query service. Settings given here are defaults; `serviceOptions.query` of the emulator
 * overrides them at run time (e.g. `{delayMs: 500, ttlSeconds: 2}`).
 */
export function createQueryService(options: QueryServiceOptions = {}): EmulatorService {
  const { engine = createInterimEngine(), ...settings } = options;
  return {
    name: QUERY_SERVICE_NAME,
    routes: queryRoutes(engine, { ...DEFAULT_QUERY_SETTINGS, ...settings }),
    seed(store, { demo, clock }) {
      // Sample records are demo content; a fresh tenant's data objects exist but are empty.
      if (demo && store.collection(TABLES_COLLECTION).size === 0) seedTables(store, clock.now());
    },
  };
}

/** The query service with the interim engine and default settings. */
export const queryService: EmulatorService = createQueryService();
