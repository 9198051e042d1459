/**
 * `Document` manifests ⇄ documents of any other type (`launchpad`, app types such as `acme:config`); rules in
 * `documents.ts`. Export leaves dashboards and notebooks to their own kinds.
 *
 * @module
 */

import { documentKind } from "../../resources/kinds/document.ts";
import type { ManagedKind } from "../adapter.ts";
import { defineManagedDocument } from "./documents.ts";

/** The `Document` managed kind. */
export const documentManagedKind: ManagedKind = defineManagedDocument({
  manifestKind: "Document",
  resource: documentKind,
});
