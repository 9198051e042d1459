/**
 * Document CRUD: list, create, read (multipart, metadata, content), update and delete to the trash.
 *
 * Write handlers read the whole request body before they look at state, and then check and change state
 * without awaiting, so two concurrent writes can never both pass the same optimistic-locking check.
 *
 * @module
 */

import { empty, json } from "../../envelope.ts";
import { readJsonObject, readMultipart } from "../../http/body.ts";
import { badRequest, conflict, forbidden, HttpError } from "../../http/errors.ts";
import { boolParam, intParam, listParam, lockingVersion } from "../../http/params.ts";
import { isUuid, randomUuid } from "../../random.ts";
import { applyFilter } from "../../shared/platform_filter.ts";
import { pageOf, requestedPage } from "../../shared/paging.ts";
import { sortComparator } from "../../shared/sort.ts";
import { nowIso } from "../../time.ts";
import type { Route, RouteContext } from "../../types.ts";
import { byId, DOCUMENT_FILTER, documentSort } from "./fields.ts";
import { DOCUMENT_BASE, type DocumentRecord, documents, fromBase64, toBase64 } from "./model.ts";
import { booleanPart, contentPart, contentResponse, documentMultipart, textPart } from "./multipart.ts";
import { addFields, atSnapshot, fullMeta, LIST_ADD_FIELDS, listMeta, SINGLE_ADD_FIELDS } from "./render.ts";
import {
  activeDocument,
  checkNotLocked,
  checkVersion,
  type DocContext,
  docContext,
  findSnapshot,
  permissions,
  permittedDocument,
  renderContext,
  takeSnapshot,
  touch,
} from "./repo.ts";

/** User-given document ids. */
const ID_PATTERN = /^[A-Za-z0-9-]{1,100}$/;

function listDocuments(ctx: RouteContext): Response {
  const dc = docContext(ctx);
  const fields = addFields(listParam(ctx.url, "add-fields"), LIST_ADD_FIELDS);
  const page = requestedPage(ctx.url, "documents", { defaultPageSize: 20, maxPageSize: 1000 });
  const visible = [...documents(ctx.store).values()]
    .filter((doc) => doc.deletedTime === undefined && permissions(dc, doc).includes("read"));
  const matching = applyFilter(visible, page.filter, DOCUMENT_FILTER);
  matching.sort(sortComparator(page.sort, documentSort(ctx.user.userId), byId));
  const { items, nextPageKey, totalCount } = pageOf(matching, page);
  return json(200, {
    documents: items.map((doc) => listMeta(doc, renderContext(dc, doc, fields))),
    ...(nextPageKey ? { nextPageKey } : {}),
    totalCount,
  });
}

async function createDocument(ctx: RouteContext): Promise<Response> {
  const form = await readMultipart(ctx.request);
  const name = await textPart(form, "name", { required: true, min: 1, max: 128 });
  const type = await textPart(form, "type", { required: true, min: 1, max: 128 });
  const description = await textPart(form, "description", { max: 256 });
  const content = (await contentPart(form, true))!;
  const id = await textPart(form, "id");
  const externalId = await textPart(form, "externalId", { min: 1, max: 500 });
  const isPrivate = await booleanPart(form, "isPrivate");
  const isReshareable = await booleanPart(form, "isReshareable");
  if (id !== undefined) {
    if (!ID_PATTERN.test(id)) throw badRequest(`Document id '${id}' must match ${ID_PATTERN.source}.`, "id");
    if (isUuid(id)) {
      throw badRequest(`Document id '${id}' must not be a UUID; UUIDs are reserved for generated ids.`, "id");
    }
  }
  const all = documents(ctx.store);
  if (id !== undefined && all.has(id)) {
    throw conflict(
      `A document with id '${id}' already exists${all.get(id)!.deletedTime ? " in the trash" : ""}.`,
    );
  }
  if (externalId !== undefined && [...all.values()].some((d) => d.externalId === externalId)) {
    throw conflict(`A document with externalId '${externalId}' already exists.`, {
      details: { errorCode: "ExternalIdAlreadyExists" },
    });
  }
  let newId = id;
  while (newId === undefined || all.has(newId)) newId = randomUuid(ctx.random);
  const now = nowIso(ctx.clock);
  const userId = ctx.user.userId;
  const doc: DocumentRecord = {
    id: newId,
    externalId: externalId ?? null,
    name: name!,
    type: type!,
    description: description ?? null,
    version: 1,
    owner: userId,
    isPrivate: isPrivate ?? true,
    isReshareable: isReshareable ?? true,
    originAppId: null,
    originExtensionId: null,
    createdBy: userId,
    createdTime: now,
    lastModifiedBy: userId,
    lastModifiedTime: now,
    lastModifyingAppId: null,
    lastAccessedTime: { [userId]: now },
    labels: [],
    content: toBase64(content.bytes),
    contentType: content.type,
    nextSnapshotVersion: 1,
  };
  all.set(doc.id, doc);
  const dc = docContext(ctx);
  return json(201, fullMeta(doc, renderContext(dc, doc)));
}

function readView(dc: DocContext): { doc: DocumentRecord; fields: Set<string> } {
  const doc = permittedDocument(dc, dc.ctx.params.id, "read");
  const fields = addFields(listParam(dc.ctx.url, "add-fields"), SINGLE_ADD_FIELDS);
  const snapshotVersion = intParam(dc.ctx.url, "snapshot-version", { min: 1 });
  const view = snapshotVersion === undefined ? doc : atSnapshot(doc, findSnapshot(dc, doc, snapshotVersion));
  return { doc: view, fields };
}

function getDocument(ctx: RouteContext): Response {
  const dc = docContext(ctx);
  const { doc, fields } = readView(dc);
  return documentMultipart(
    fullMeta(doc, renderContext(dc, doc, fields)),
    fromBase64(doc.content),
    doc.contentType,
    doc.id,
  );
}

function getMetadata(ctx: RouteContext): Response {
  const dc = docContext(ctx);
  const { doc, fields } = readView(dc);
  return json(200, fullMeta(doc, renderContext(dc, doc, fields)));
}

function getContent(ctx: RouteContext): Response {
  const dc = docContext(ctx);
  const { doc } = readView(dc);
  const filename = ctx.url.searchParams.get("filename")?.trim() || doc.name;
  return contentResponse(fromBase64(doc.content), doc.contentType, filename);
}

/** The parts of a PATCH, read before any state is touched. */
interface DocumentPatch {
  name?: string;
  type?: string;
  description?: string;
  content?: { bytes: Uint8Array; type: string };
  isPrivate?: boolean;
  isReshareable?: boolean;
  snapshotDescription?: string;
  labels?: string[];
}

async function readPatch(form: FormData, allowed: readonly string[]): Promise<DocumentPatch> {
  const present = [...new Set(form.keys())].filter((key) => allowed.includes(key));
  if (present.length === 0) {
    throw badRequest(`The request must contain at least one of the parts ${allowed.join(", ")}.`, "body");
  }
  const labels = form.getAll("labels");
  return {
    name: await textPart(form, "name", { min: 1, max: 128 }),
    type: await textPart(form, "type", { min: 1, max: 128 }),
    description: await textPart(form, "description", { max: 256 }),
    content: await contentPart(form, false),
    isPrivate: await booleanPart(form, "isPrivate"),
    isReshareable: await booleanPart(form, "isReshareable"),
    snapshotDescription: await textPart(form, "snapshotDescription", { max: 256 }),
    labels: labels.length > 0 && allowed.includes("labels")
      ? await Promise.all(labels.map((l) => typeof l === "string" ? l : l.text()))
      : undefined,
  };
}

function applyPatch(dc: DocContext, doc: DocumentRecord, patch: DocumentPatch): void {
  const owner = dc.admin || doc.owner === dc.ctx.user.userId;
  if ((patch.isPrivate !== undefined || patch.isReshareable !== undefined) && !owner) {
    throw forbidden("Only the owner can change the visibility of a document.");
  }
  if (patch.name !== undefined) doc.name = patch.name;
  if (patch.type !== undefined) doc.type = patch.type;
  if (patch.description !== undefined) doc.description = patch.description;
  if (patch.content !== undefined) {
    doc.content = toBase64(patch.content.bytes);
    doc.contentType = patch.content.type;
  }
  if (patch.isPrivate !== undefined) doc.isPrivate = patch.isPrivate;
  if (patch.isReshareable !== undefined) doc.isReshareable = patch.isReshareable;
  if (patch.labels !== undefined) doc.labels = [...new Set(patch.labels)];
  touch(dc, doc);
}

const PATCH_PARTS = [
  "name",
  "type",
  "description",
  "content",
  "isPrivate",
  "isReshareable",
  "snapshotDescription",
  "labels",
] as const;

/** Loads a document for a write: permission, optimistic lock and user lock. */
function writable(dc: DocContext, expectedVersion: number): DocumentRecord {
  const doc = permittedDocument(dc, dc.ctx.params.id, "write");
  checkVersion(doc, expectedVersion);
  checkNotLocked(dc, doc);
  return doc;
}

async function updateDocument(ctx: RouteContext): Promise<Response> {
  const expected = lockingVersion(ctx.url);
  const createSnapshot = boolParam(ctx.url, "create-snapshot") ?? false;
  const patch = await readPatch(await readMultipart(ctx.request), PATCH_PARTS);
  const dc = docContext(ctx);
  const doc = writable(dc, expected);
  applyPatch(dc, doc, patch);
  const snapshot = createSnapshot ? takeSnapshot(dc, doc, patch.snapshotDescription ?? null) : undefined;
  return json(200, {
    documentMetadata: fullMeta(doc, renderContext(dc, doc)),
    ...(snapshot ? { createdSnapshot: { snapshotVersion: snapshot.snapshotVersion } } : {}),
  });
}

async function updateMetadata(ctx: RouteContext): Promise<Response> {
  const expected = lockingVersion(ctx.url);
  const patch = await readPatch(await readMultipart(ctx.request), ["name", "type"]);
  const dc = docContext(ctx);
  const doc = writable(dc, expected);
  applyPatch(dc, doc, { name: patch.name, type: patch.type });
  return json(200, fullMeta(doc, renderContext(dc, doc)));
}

async function updateContent(ctx: RouteContext): Promise<Response> {
  const expected = lockingVersion(ctx.url);
  const content = (await contentPart(await readMultipart(ctx.request), true))!;
  const dc = docContext(ctx);
  const doc = writable(dc, expected);
  applyPatch(dc, doc, { content });
  return json(200, fullMeta(doc, renderContext(dc, doc)));
}

function moveToTrash(dc: DocContext, doc: DocumentRecord): void {
  doc.deletedBy = dc.ctx.user.userId;
  doc.deletedTime = nowIso(dc.ctx.clock);
  delete doc.lock;
}

function deleteDocument(ctx: RouteContext): Response {
  const expected = lockingVersion(ctx.url);
  const dc = docContext(ctx);
  const doc = permittedDocument(dc, ctx.params.id, "delete");
  checkVersion(doc, expected);
  checkNotLocked(dc, doc);
  moveToTrash(dc, doc);
  return empty(204);
}

async function bulkDelete(ctx: RouteContext): Promise<Response> {
  const body = await readJsonObject(ctx.request);
  const ids = body.ids;
  if (!Array.isArray(ids) || ids.length === 0 || ids.some((id) => typeof id !== "string")) {
    throw badRequest("'ids' must be a non-empty array of document ids.", "ids");
  }
  if (ids.length > 1000) throw badRequest("At most 1000 ids can be deleted at once.", "ids");
  const dc = docContext(ctx);
  const results = (ids as string[]).map((id) => {
    try {
      const doc = activeDocument(dc, id);
      if (!permissions(dc, doc).includes("delete")) {
        throw forbidden(`You lack 'delete' access to document '${id}'.`);
      }
      checkNotLocked(dc, doc);
      moveToTrash(dc, doc);
      return { id, code: 200 };
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      return { id, code: error.status, error: { code: error.status, message: error.message } };
    }
  });
  return json(200, { documents: results });
}

const read = ["document:documents:read"];
const write = ["document:documents:write"];
const del = ["document:documents:delete"];

/** Routes of document CRUD. */
export const documentRoutes: Route[] = [
  {
    method: "GET",
    path: `${DOCUMENT_BASE}/documents`,
    family: "platform",
    scopes: read,
    handle: listDocuments,
  },
  {
    method: "POST",
    path: `${DOCUMENT_BASE}/documents`,
    family: "platform",
    scopes: write,
    handle: createDocument,
  },
  {
    method: "POST",
    path: `${DOCUMENT_BASE}/documents:delete`,
    family: "platform",
    scopes: del,
    handle: bulkDelete,
  },
  {
    method: "GET",
    path: `${DOCUMENT_BASE}/documents/:id`,
    family: "platform",
    scopes: read,
    handle: getDocument,
  },
  {
    method: "PATCH",
    path: `${DOCUMENT_BASE}/documents/:id`,
    family: "platform",
    scopes: write,
    handle: updateDocument,
  },
  {
    method: "DELETE",
    path: `${DOCUMENT_BASE}/documents/:id`,
    family: "platform",
    scopes: del,
    handle: deleteDocument,
  },
  {
    method: "GET",
    path: `${DOCUMENT_BASE}/documents/:id/metadata`,
    family: "platform",
    scopes: read,
    handle: getMetadata,
  },
  {
    method: "PATCH",
    path: `${DOCUMENT_BASE}/documents/:id/metadata`,
    family: "platform",
    scopes: write,
    handle: updateMetadata,
  },
  {
    method: "GET",
    path: `${DOCUMENT_BASE}/documents/:id/content`,
    family: "platform",
    scopes: read,
    handle: getContent,
  },
  {
    method: "PUT",
    path: `${DOCUMENT_BASE}/documents/:id/content`,
    family: "platform",
    scopes: write,
    handle: updateContent,
  },
];
