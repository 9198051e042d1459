/**
 * Request-scoped helpers of the document service: lookups with the platform's 403/404/409 rules.
 *
 * @module
 */

import { conflict, forbidden, notFound } from "../../http/errors.ts";
import { boolParam } from "../../http/params.ts";
import { nowIso } from "../../time.ts";
import type { RouteContext } from "../../types.ts";
import { type Permission, permissionsOf, type ShareIndex, shareIndex } from "./access.ts";
import { type DocumentRecord, documents, snapshotKey, type SnapshotRecord, snapshots } from "./model.ts";
import type { RenderContext } from "./render.ts";

/** A request against the document service, with the caller's sharing view. */
export interface DocContext {
  /** The route context. */
  ctx: RouteContext;
  /** `admin-access=true`: the caller acts as owner of every document. */
  admin: boolean;
  /** Share facts per document, from the caller's point of view. */
  shares: ShareIndex;
}

/** Wraps a route context. */
export function docContext(ctx: RouteContext): DocContext {
  return {
    ctx,
    admin: boolParam(ctx.url, "admin-access") ?? false,
    shares: shareIndex(ctx.store, ctx.user.userId),
  };
}

/** The caller's permissions on a document. */
export function permissions(dc: DocContext, doc: DocumentRecord): Permission[] {
  return permissionsOf(doc, dc.ctx.user.userId, dc.admin, dc.shares);
}

/** Rendering context for a document. */
export function renderContext(
  dc: DocContext,
  doc: DocumentRecord,
  fields = new Set<string>(),
): RenderContext {
  return { userId: dc.ctx.user.userId, access: permissions(dc, doc), shares: dc.shares(doc.id), fields };
}

/** An active (not trashed) document; 404 otherwise. */
export function activeDocument(dc: DocContext, id: string): DocumentRecord {
  const doc = documents(dc.ctx.store).get(id);
  if (!doc || doc.deletedTime !== undefined) throw notFound(`Document '${id}' not found.`);
  return doc;
}

/** An active document the caller holds `permission` on; 404 when absent, 403 when not permitted. */
export function permittedDocument(dc: DocContext, id: string, permission: Permission): DocumentRecord {
  const doc = activeDocument(dc, id);
  if (!permissions(dc, doc).includes(permission)) {
    throw forbidden(`You lack '${permission}' access to document '${id}'.`);
  }
  return doc;
}

/** 409 unless the document is at the version the request expects (`optimistic-locking-version`). */
export function checkVersion(doc: DocumentRecord, expected: number): void {
  if (expected !== doc.version) {
    throw conflict(
      `Optimistic locking failed: document '${doc.id}' is at version ${doc.version}, the request expected ${expected}.`,
    );
  }
}

/** 409 when another user holds an unexpired lock on the document. */
export function checkNotLocked(dc: DocContext, doc: DocumentRecord): void {
  const lock = doc.lock;
  if (!lock) return;
  if (Date.parse(lock.lockedUntil) <= dc.ctx.clock.now()) {
    delete doc.lock;
    return;
  }
  if (lock.lockedBy !== dc.ctx.user.userId) {
    throw conflict(`Document '${doc.id}' is locked by another user until ${lock.lockedUntil}.`);
  }
}

/** Records a change by the caller: version +1 and modification info. */
export function touch(dc: DocContext, doc: DocumentRecord): void {
  const now = nowIso(dc.ctx.clock);
  doc.version += 1;
  doc.lastModifiedBy = dc.ctx.user.userId;
  doc.lastModifiedTime = now;
  doc.lastAccessedTime[dc.ctx.user.userId] = now;
}

/** Stores a snapshot of the document's current state and returns it. */
export function takeSnapshot(
  dc: DocContext,
  doc: DocumentRecord,
  description: string | null,
): SnapshotRecord {
  const snapshot: SnapshotRecord = {
    documentId: doc.id,
    snapshotVersion: doc.nextSnapshotVersion,
    documentVersion: doc.version,
    description,
    createdBy: dc.ctx.user.userId,
    createdTime: nowIso(dc.ctx.clock),
    name: doc.name,
    type: doc.type,
    documentDescription: doc.description,
    content: doc.content,
    contentType: doc.contentType,
  };
  doc.nextSnapshotVersion += 1;
  snapshots(dc.ctx.store).set(snapshotKey(doc.id, snapshot.snapshotVersion), snapshot);
  return snapshot;
}

/** A snapshot of a document; 404 when absent. */
export function findSnapshot(dc: DocContext, doc: DocumentRecord, version: number): SnapshotRecord {
  const snapshot = snapshots(dc.ctx.store).get(snapshotKey(doc.id, version));
  if (!snapshot) throw notFound(`Snapshot ${version} of document '${doc.id}' not found.`);
  return snapshot;
}

/** Every snapshot of a document, oldest first. */
export function snapshotsOf(dc: DocContext, documentId: string): SnapshotRecord[] {
  return [...snapshots(dc.ctx.store).values()]
    .filter((s) => s.documentId === documentId)
    .sort((a, b) => a.snapshotVersion - b.snapshotVersion);
}

/** Deletes a document's snapshots (when it is purged). */
export function dropSnapshots(dc: DocContext, documentId: string): void {
  for (const snapshot of snapshotsOf(dc, documentId)) {
    snapshots(dc.ctx.store).delete(snapshotKey(documentId, snapshot.snapshotVersion));
  }
}
