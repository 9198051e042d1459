/**
 * `Dashboard` manifests ⇄ documents of type `dashboard` (rules in `documents.ts`).
 *
 * @module
 */

import { dashboardKind } from "../../resources/kinds/dashboard.ts";
import type { ManagedKind } from "../adapter.ts";
import { defineManagedDocument } from "./documents.ts";

/** The `Dashboard` managed kind. */
export const dashboardManagedKind: ManagedKind = defineManagedDocument({
  manifestKind: "Dashboard",
  resource: dashboardKind,
  type: "dashboard",
});
