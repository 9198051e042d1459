/**
 * The Grail bucket-definition service (`/platform/storage/management/v1`).
 *
 * Options (`serviceOptions.buckets`): `transitionDelayMs` (how long creating/updating/deleting take, default 0),
 * `listDelayMs` (how long a new bucket stays invisible, default 0), `tenantId` (for "Unknown bucket" messages).
 *
 * @module
 */

import type { EmulatorService } from "../../service.ts";
import { bucketRoutes } from "./routes.ts";
import { seedBuckets } from "./seed.ts";

export { type BucketRecord, BUCKETS_BASE } from "./model.ts";
export { DEFAULT_BUCKETS } from "./seed.ts";

/** The emulated bucket service. */
export const bucketsService: EmulatorService = {
  name: "buckets",
  routes: bucketRoutes,
  seed: seedBuckets,
};
