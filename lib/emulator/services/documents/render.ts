/**
 * Rendering of document metadata (`DocumentMetaData`) for list and single-document responses.
 *
 * @module
 */

import { badRequest } from "../../http/errors.ts";
import type { Permission, ShareFacts } from "./access.ts";
import type { DocumentRecord, SnapshotRecord } from "./model.ts";

/** `add-fields` values accepted by the list endpoint. */
export const LIST_ADD_FIELDS = [
  "description",
  "userContext.lastAccessedTime",
  "originExtensionId",
  "shareInfo.isShared",
  "shareInfo.isSharedWithCurrentUser",
  "labels",
] as const;

/** `add-fields` values accepted by single-document reads. */
export const SINGLE_ADD_FIELDS = [
  "userContext.lastAccessedTime",
  "modificationInfo.lastModifyingAppId",
] as const;

/** Validates `add-fields` against the allowed set. */
export function addFields(values: string[], allowed: readonly string[]): Set<string> {
  for (const value of values) {
    if (!allowed.includes(value)) {
      throw badRequest(`Unknown add-fields value '${value}'. Allowed: ${allowed.join(", ")}.`, "add-fields");
    }
  }
  return new Set(values);
}

/** What a rendering needs besides the record. */
export interface RenderContext {
  /** The caller's user id. */
  userId: string;
  /** The caller's permissions on the document. */
  access: Permission[];
  /** Share facts of the document. */
  shares: ShareFacts;
  /** Requested additional fields. */
  fields: Set<string>;
}

function modificationInfo(doc: DocumentRecord, withAppId: boolean): Record<string, unknown> {
  return {
    createdBy: doc.createdBy,
    createdTime: doc.createdTime,
    lastModifiedBy: doc.lastModifiedBy,
    lastModifiedTime: doc.lastModifiedTime,
    ...(withAppId ? { lastModifyingAppId: doc.lastModifyingAppId } : {}),
  };
}

/** Metadata as the list endpoint renders it: the default set plus requested `add-fields`. */
export function listMeta(doc: DocumentRecord, ctx: RenderContext): Record<string, unknown> {
  const meta: Record<string, unknown> = {
    id: doc.id,
    externalId: doc.externalId,
    name: doc.name,
    type: doc.type,
    version: doc.version,
    owner: doc.owner,
    modificationInfo: modificationInfo(doc, false),
    access: ctx.access,
    isPrivate: doc.isPrivate,
    isReshareable: doc.isReshareable,
    originAppId: doc.originAppId,
  };
  if (ctx.fields.has("description")) meta.description = doc.description;
  if (ctx.fields.has("originExtensionId")) meta.originExtensionId = doc.originExtensionId;
  if (ctx.fields.has("userContext.lastAccessedTime")) {
    meta.userContext = { lastAccessedTime: doc.lastAccessedTime[ctx.userId] ?? null };
  }
  const shareInfo: Record<string, boolean> = {};
  if (ctx.fields.has("shareInfo.isShared")) shareInfo.isShared = ctx.shares.isShared;
  if (ctx.fields.has("shareInfo.isSharedWithCurrentUser")) {
    shareInfo.isSharedWithCurrentUser = ctx.shares.isSharedWithCurrentUser;
  }
  if (Object.keys(shareInfo).length > 0) meta.shareInfo = shareInfo;
  if (ctx.fields.has("labels")) meta.labels = doc.labels;
  return meta;
}

/** Metadata of a single-document read or write response: everything but the two opt-in fields. */
export function fullMeta(doc: DocumentRecord, ctx: RenderContext): Record<string, unknown> {
  const meta: Record<string, unknown> = {
    id: doc.id,
    externalId: doc.externalId,
    name: doc.name,
    type: doc.type,
    description: doc.description,
    version: doc.version,
    owner: doc.owner,
    modificationInfo: modificationInfo(doc, ctx.fields.has("modificationInfo.lastModifyingAppId")),
    access: ctx.access,
    isPrivate: doc.isPrivate,
    isReshareable: doc.isReshareable,
    originAppId: doc.originAppId,
    originExtensionId: doc.originExtensionId,
    shareInfo: { isShared: ctx.shares.isShared, isSharedWithCurrentUser: ctx.shares.isSharedWithCurrentUser },
    labels: doc.labels,
  };
  if (ctx.fields.has("userContext.lastAccessedTime")) {
    meta.userContext = { lastAccessedTime: doc.lastAccessedTime[ctx.userId] ?? null };
  }
  return meta;
}

/** The document as it was at a snapshot (metadata reads with `snapshot-version`). */
export function atSnapshot(doc: DocumentRecord, snapshot: SnapshotRecord): DocumentRecord {
  return {
    ...doc,
    name: snapshot.name,
    type: snapshot.type,
    description: snapshot.documentDescription,
    version: snapshot.documentVersion,
    content: snapshot.content,
    contentType: snapshot.contentType,
  };
}

/** Snapshot metadata (`SnapshotMetadata`). */
export function snapshotMeta(snapshot: SnapshotRecord): Record<string, unknown> {
  return {
    snapshotVersion: snapshot.snapshotVersion,
    documentVersion: snapshot.documentVersion,
    ...(snapshot.description === null ? {} : { description: snapshot.description }),
    modificationInfo: { createdBy: snapshot.createdBy, createdTime: snapshot.createdTime },
  };
}

/** Trash list entry (`TrashDocumentListEntry`). */
export function trashEntry(doc: DocumentRecord): Record<string, unknown> {
  return {
    id: doc.id,
    name: doc.name,
    type: doc.type,
    deletionInfo: { deletedBy: doc.deletedBy, deletedTime: doc.deletedTime },
  };
}

/** Trashed document details (`TrashDocument`). */
export function trashDetails(doc: DocumentRecord): Record<string, unknown> {
  return {
    id: doc.id,
    name: doc.name,
    type: doc.type,
    version: doc.version,
    owner: doc.owner,
    modificationInfo: modificationInfo(doc, false),
    deletionInfo: { deletedBy: doc.deletedBy, deletedTime: doc.deletedTime },
  };
}
