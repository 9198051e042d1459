/**
 * The filter-segment service (`/platform/storage/filter-segments/v1`).
 *
 * @module
 */

import type { EmulatorService } from "../../service.ts";
import { segmentRoutes } from "./routes.ts";
import { seedSegments } from "./seed.ts";

export { type SegmentRecord, SEGMENTS_BASE } from "./model.ts";
export { equalsFilter } from "./seed.ts";

/** The emulated filter-segment service. */
export const segmentsService: EmulatorService = {
  name: "segments",
  routes: segmentRoutes,
  seed: seedSegments,
};
