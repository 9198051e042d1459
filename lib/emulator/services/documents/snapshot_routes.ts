/**
 * Document snapshots: list, read, delete and restore.
 *
 * @module
 */

import { empty, json } from "../../envelope.ts";
import { badRequest, forbidden } from "../../http/errors.ts";
import { pageOf, requestedPage } from "../../shared/paging.ts";
import type { Route, RouteContext } from "../../types.ts";
import { snapshotKey, snapshots } from "./model.ts";
import { fullMeta, snapshotMeta } from "./render.ts";
import {
  checkNotLocked,
  type DocContext,
  docContext,
  findSnapshot,
  permittedDocument,
  renderContext,
  snapshotsOf,
  takeSnapshot,
  touch,
} from "./repo.ts";
import { DOCUMENT_BASE } from "./model.ts";

function versionParam(ctx: RouteContext): number {
  const raw = ctx.params.version;
  if (!/^\d{1,9}$/.test(raw)) {
    throw badRequest(`Snapshot version '${raw}' must be a positive integer.`, "snapshotVersion");
  }
  return Number(raw);
}

/** Snapshots are managed by the document's owner only. */
function ownedDocument(dc: DocContext) {
  const doc = permittedDocument(dc, dc.ctx.params.id, "read");
  if (!dc.admin && doc.owner !== dc.ctx.user.userId) {
    throw forbidden(`Only the owner of document '${doc.id}' can manage its snapshots.`);
  }
  return doc;
}

function listSnapshots(ctx: RouteContext): Response {
  const dc = docContext(ctx);
  const doc = ownedDocument(dc);
  const page = requestedPage(ctx.url, `snapshots:${doc.id}`, { defaultPageSize: 20, maxPageSize: 1000 });
  // Newest first, as the platform lists them.
  const all = snapshotsOf(dc, doc.id).reverse();
  const { items, nextPageKey, totalCount } = pageOf(all, page);
  return json(200, {
    snapshots: items.map(snapshotMeta),
    ...(nextPageKey ? { nextPageKey } : {}),
    totalCount,
  });
}

function getSnapshot(ctx: RouteContext): Response {
  const dc = docContext(ctx);
  const doc = ownedDocument(dc);
  return json(200, snapshotMeta(findSnapshot(dc, doc, versionParam(ctx))));
}

function deleteSnapshot(ctx: RouteContext): Response {
  const dc = docContext(ctx);
  const doc = ownedDocument(dc);
  const snapshot = findSnapshot(dc, doc, versionParam(ctx));
  snapshots(ctx.store).delete(snapshotKey(doc.id, snapshot.snapshotVersion));
  return empty(204);
}

function restoreSnapshot(ctx: RouteContext): Response {
  const dc = docContext(ctx);
  const doc = ownedDocument(dc);
  const snapshot = findSnapshot(dc, doc, versionParam(ctx));
  checkNotLocked(dc, doc);
  // Keep the state being replaced restorable, unless a snapshot already holds this exact version.
  const covered = snapshotsOf(dc, doc.id).some((s) => s.documentVersion === doc.version);
  const created = covered
    ? undefined
    : takeSnapshot(dc, doc, `Before restoring snapshot ${snapshot.snapshotVersion}`);
  doc.name = snapshot.name;
  doc.type = snapshot.type;
  doc.description = snapshot.documentDescription;
  doc.content = snapshot.content;
  doc.contentType = snapshot.contentType;
  touch(dc, doc);
  return json(200, {
    documentMetadata: fullMeta(doc, renderContext(dc, doc)),
    ...(created ? { createdSnapshot: { snapshotVersion: created.snapshotVersion } } : {}),
  });
}

const read = ["document:documents:read"];
const write = ["document:documents:write"];
const del = ["document:documents:delete"];
const base = `${DOCUMENT_BASE}/documents/:id/snapshots`;

/** Routes of document snapshots. */
export const snapshotRoutes: Route[] = [
  { method: "GET", path: base, family: "platform", scopes: read, handle: listSnapshots },
  { method: "GET", path: `${base}/:version`, family: "platform", scopes: read, handle: getSnapshot },
  { method: "DELETE", path: `${base}/:version`, family: "platform", scopes: del, handle: deleteSnapshot },
  {
    method: "POST",
    path: `${base}/:version:restore`,
    family: "platform",
    scopes: write,
    handle: restoreSnapshot,
  },
];
