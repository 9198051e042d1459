/**
 * Every emulated platform service, in mount order. Add a service with one import and one list entry.
 *
 * @module
 */

import type { EmulatorService } from "../service.ts";
import { bucketsService } from "./buckets/mod.ts";
import { documentsService } from "./documents/mod.ts";
import { metadataService } from "./metadata/mod.ts";
import { segmentsService } from "./segments/mod.ts";
import { queryService } from "./query/mod.ts";
import { automationService } from "./automation/mod.ts";
import { sloService } from "./slo/mod.ts";
import { settingsService } from "./settings/mod.ts";

/** The services `createEmulator` mounts by default. */
export const ALL_SERVICES: EmulatorService[] = [
  documentsService,
  metadataService,
  segmentsService,
  bucketsService,
  queryService,
  automationService,
  sloService,
  settingsService,
];
