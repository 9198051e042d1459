/**
 * The document trash: list, inspect, restore and purge.
 *
 * @module
 */

import { empty, json } from "../../envelope.ts";
import { notFound } from "../../http/errors.ts";
import { boolParam } from "../../http/params.ts";
import { applyFilter } from "../../shared/platform_filter.ts";
import { pageOf, requestedPage } from "../../shared/paging.ts";
import type { Route, RouteContext } from "../../types.ts";
import { byId, TRASH_FILTER } from "./fields.ts";
import { directShares, type DocumentRecord, documents, environmentShares } from "./model.ts";
import { trashDetails, trashEntry } from "./render.ts";
import { type DocContext, docContext, dropSnapshots } from "./repo.ts";
import { DOCUMENT_BASE } from "./model.ts";

/** The trash holds what the caller owns or deleted (everything with admin-access). */
function visibleInTrash(dc: DocContext, doc: DocumentRecord): boolean {
  if (doc.deletedTime === undefined) return false;
  const userId = dc.ctx.user.userId;
  return dc.admin || doc.owner === userId || doc.deletedBy === userId;
}

function trashed(dc: DocContext): DocumentRecord {
  const doc = documents(dc.ctx.store).get(dc.ctx.params.id);
  if (!doc || !visibleInTrash(dc, doc)) {
    throw notFound(`Document '${dc.ctx.params.id}' not found in the trash.`);
  }
  return doc;
}

function listTrash(ctx: RouteContext): Response {
  const dc = docContext(ctx);
  const page = requestedPage(ctx.url, "trash", { defaultPageSize: 20, maxPageSize: 1000 });
  const visible = [...documents(ctx.store).values()].filter((doc) => visibleInTrash(dc, doc)).sort(byId);
  const { items, nextPageKey, totalCount } = pageOf(applyFilter(visible, page.filter, TRASH_FILTER), page);
  return json(200, { documents: items.map(trashEntry), ...(nextPageKey ? { nextPageKey } : {}), totalCount });
}

function getTrashed(ctx: RouteContext): Response {
  return json(200, trashDetails(trashed(docContext(ctx))));
}

function purge(ctx: RouteContext): Response {
  const dc = docContext(ctx);
  const doc = trashed(dc);
  documents(ctx.store).delete(doc.id);
  dropSnapshots(dc, doc.id);
  for (const [id, share] of directShares(ctx.store)) {
    if (share.documentId === doc.id) directShares(ctx.store).delete(id);
  }
  for (const [id, share] of environmentShares(ctx.store)) {
    if (share.documentId === doc.id) environmentShares(ctx.store).delete(id);
  }
  return empty(204);
}

function restore(ctx: RouteContext): Response {
  // `force` is accepted for compatibility; ids are unique, so a restore never collides.
  boolParam(ctx.url, "force");
  const doc = trashed(docContext(ctx));
  delete doc.deletedBy;
  delete doc.deletedTime;
  return empty(204);
}

const base = `${DOCUMENT_BASE}/trash/documents`;

/** Routes of the trash. */
export const trashRoutes: Route[] = [
  {
    method: "GET",
    path: base,
    family: "platform",
    scopes: ["document:trash.documents:read"],
    handle: listTrash,
  },
  {
    method: "GET",
    path: `${base}/:id`,
    family: "platform",
    scopes: ["document:trash.documents:read"],
    handle: getTrashed,
  },
  {
    method: "DELETE",
    path: `${base}/:id`,
    family: "platform",
    scopes: ["document:trash.documents:delete"],
    handle: purge,
  },
  {
    method: "POST",
    path: `${base}/:id/restore`,
    family: "platform",
    scopes: ["document:trash.documents:restore"],
    handle: restore,
  },
];
