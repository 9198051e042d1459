/**
 * The document trash: deleted dashboards, notebooks and other documents. `get` lists and reads them, `delete`
 * removes them permanently, {@link restoreTrashed} brings them back with the same id and version.
 *
 * @module
 */

import {
  andFilters,
  filterLiteral,
  getTrashedDocument,
  listTrash,
  purgeTrashedDocument,
  restoreTrashedDocument,
  type TrashedDocument,
} from "../documents/api.ts";
import { looksLikeDocumentId } from "../documents/kind.ts";
import { kindApi, resolveObject } from "../registry.ts";
import type { KindContext, RemoteObject, ResourceKind } from "../types.ts";
import { str } from "./text.ts";

function deletion(object: RemoteObject, field: "deletedBy" | "deletedTime"): string {
  return str((object.deletionInfo as Record<string, unknown> | undefined)?.[field]);
}

/** The `trash` kind (read and delete permanently; restore with {@link restoreTrashed}). */
export const trashKind: ResourceKind = {
  name: "trash",
  plural: "trash",
  aliases: ["deleted", "trashed-document", "trashed-documents"],
  description: "Deleted documents in the trash (delete = permanently; restore brings them back)",
  idField: "id",
  nameField: "name",
  undelete: (context, nameOrId) => restoreTrashed(context, nameOrId),
  looksLikeId: looksLikeDocumentId,
  serverFields: ["deletionInfo", "version", "owner", "modificationInfo"],
  locking: "read-only",
  owner: (object) => (typeof object.owner === "string" ? object.owner : undefined),
  filter: {
    style: "grammar",
    help: "the Documents trash filter (fields id, name, type, deletionInfo.*), e.g. \"name contains 'old'\"",
  },
  columns: [
    { header: "id", value: (o) => str(o.id) },
    { header: "name", value: (o) => str(o.name) },
    { header: "type", value: (o) => str(o.type) },
    { header: "deleted", value: (o) => deletion(o, "deletedTime") },
    { header: "deleted-by", value: (o) => deletion(o, "deletedBy"), wide: true },
  ],
  listFlags: ["type"],
  list(context, options) {
    return listTrash(context.client, {
      type: options.type,
      filter: options.filter,
      pageSize: options.chunkSize,
      signal: context.signal,
    });
  },
  get: (context, id) => getTrashedDocument(context.client, id, context.signal),
  nameQuery: (name, options) => ({
    ...options,
    filter: andFilters(options.filter, `name == ${filterLiteral(name)}`),
  }),
  async delete(context, current) {
    // Permanent deletion must not act on a listed entry alone: the details carry the owner for the safety guard.
    const target = current.owner === undefined
      ? await getTrashedDocument(context.client, String(current.id), context.signal)
      : current;
    await purgeTrashedDocument(context.client, target as TrashedDocument, context.signal);
  },
  describe(_context, object) {
    return Promise.resolve([{
      title: "Document",
      fields: [
        ["Owner", str(object.owner)],
        ["Version", str(object.version)],
        [
          "Last modified",
          str((object.modificationInfo as Record<string, unknown> | undefined)?.lastModifiedTime),
        ],
        ["Restore with", `dtctl restore trash ${str(object.id)}`],
      ],
    }]);
  },
};

export type { TrashedDocument };

const api = kindApi<TrashedDocument>(trashKind);

/** Lists the trash. */
export const listTrashed = api.list;
/** Reads a trashed document by name or id. */
export const getTrashed = api.get;
/** Deletes a trashed document permanently. */
export const deleteTrashed = api.delete;

/** Restores a trashed document (given as an object, or by name or id) with its id and version. */
export async function restoreTrashed(
  context: KindContext,
  target: TrashedDocument | string,
): Promise<TrashedDocument> {
  const current = typeof target === "string"
    ? await resolveObject(context, trashKind, target) as TrashedDocument
    : target;
  const full = current.owner === undefined
    ? await getTrashedDocument(context.client, current.id, context.signal)
    : current;
  await restoreTrashedDocument(context.client, full, context.signal);
  return full;
}
