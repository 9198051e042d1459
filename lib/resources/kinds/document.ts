/**
 * Documents of any type (`launchpad`, app-specific types like `acme:config`, and dashboards and notebooks
 * too); `--type` narrows the list.
 *
 * @module
 */

import { defineDocumentKind, type DocumentObject } from "../documents/kind.ts";
import { kindApi } from "../registry.ts";
import type { ResourceKind } from "../types.ts";

/** The `document` kind. */
export const documentKind: ResourceKind = defineDocumentKind({
  name: "document",
  plural: "documents",
  aliases: ["doc", "docs"],
  description: "Documents of any type (--type dashboard|notebook|launchpad|...)",
  manifestKind: "Document",
  contentSections: (content) => [{
    title: "Content",
    fields: [[
      "Size",
      `${(typeof content === "string" ? content : JSON.stringify(content) ?? "").length} characters`,
    ]],
  }],
});

/** A document: metadata plus content. */
export type Document = DocumentObject;

const api = kindApi<Document>(documentKind);

/** Lists documents (metadata, without content); `options.type` narrows to one type. */
export const listDocumentObjects = api.list;
/** Reads a document by name or id, with its content. */
export const getDocumentObject = api.get;
/** Creates a document from `{name, type, description?, isPrivate?, labels?, id?, content}`. */
export const createDocumentObject = api.create;
/**
 * Updates a document to `payload`, its full editable form (`editableOf`), at the version `current` was read
 * (conflict when someone saved in between). Only what changed is sent.
 */
export const updateDocumentObject = api.update;
/** Moves a document to the trash. */
export const deleteDocumentObject = api.delete;
