/**
 * The document service (`/platform/document/v1`): documents, snapshots, trash, locks and shares.
 *
 * @module
 */

import type { EmulatorService } from "../../service.ts";
import { documentRoutes } from "./documents_routes.ts";
import { lockRoutes } from "./lock_routes.ts";
import { seedDocuments } from "./seed.ts";
import { shareRoutes } from "./share_routes.ts";
import { snapshotRoutes } from "./snapshot_routes.ts";
import { trashRoutes } from "./trash_routes.ts";

export { DOCUMENT_BASE } from "./model.ts";
export type { DocumentRecord } from "./model.ts";

/** The emulated document service. */
export const documentsService: EmulatorService = {
  name: "documents",
  routes: [...documentRoutes, ...snapshotRoutes, ...trashRoutes, ...lockRoutes, ...shareRoutes],
  seed: seedDocuments,
};
