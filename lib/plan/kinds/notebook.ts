/**
 * `Notebook` manifests ⇄ documents of type `notebook` (rules in `documents.ts`).
 *
 * @module
 */

import { notebookKind } from "../../resources/kinds/notebook.ts";
import type { ManagedKind } from "../adapter.ts";
import { defineManagedDocument } from "./documents.ts";

/** The `Notebook` managed kind. */
export const notebookManagedKind: ManagedKind = defineManagedDocument({
  manifestKind: "Notebook",
  resource: notebookKind,
  type: "notebook",
});
