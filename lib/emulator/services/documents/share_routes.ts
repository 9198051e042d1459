/**
 * Direct shares (named recipients) and environment shares (claimable links) of documents.
 *
 * @module
 */

import { empty, json } from "../../envelope.ts";
import { readJsonObject } from "../../http/body.ts";
import { badRequest, conflict, forbidden, HttpError, notFound } from "../../http/errors.ts";
import { isObject, stringField } from "../../http/validate.ts";
import { randomUuid } from "../../random.ts";
import { applyFilter, type FilterSchema } from "../../shared/platform_filter.ts";
import { pageOf, requestedPage } from "../../shared/paging.ts";
import type { Route, RouteContext } from "../../types.ts";
import {
  type DirectShareRecord,
  directShares,
  type DocumentRecord,
  type EnvironmentShareRecord,
  environmentShares,
} from "./model.ts";
import { activeDocument, type DocContext, docContext, permissions } from "./repo.ts";
import { DOCUMENT_BASE } from "./model.ts";

type Recipient = DirectShareRecord["recipients"][number];

/** Share management needs ownership, or write access to a reshareable document. */
function canManageShares(dc: DocContext, doc: DocumentRecord): boolean {
  if (dc.admin || doc.owner === dc.ctx.user.userId) return true;
  return doc.isReshareable && permissions(dc, doc).includes("write");
}

function shareDocument(dc: DocContext, documentId: string): DocumentRecord {
  const doc = activeDocument(dc, documentId);
  if (!canManageShares(dc, doc)) throw forbidden(`You cannot manage shares of document '${documentId}'.`);
  return doc;
}

function accessField(body: Record<string, unknown>): "read" | "read-write" {
  const access = stringField(body, "access", { required: true });
  if (access !== "read" && access !== "read-write") {
    throw badRequest("'access' must be 'read' or 'read-write'.", "access");
  }
  return access;
}

function recipientsField(body: Record<string, unknown>): Recipient[] {
  const list = body.recipients;
  if (!Array.isArray(list)) throw badRequest("'recipients' must be an array.", "recipients");
  return list.map((item, i) => {
    if (!isObject(item)) throw badRequest("A recipient must be an object.", `recipients[${i}]`);
    const id = stringField(item, "id", { required: true, min: 1 }, `recipients[${i}].id`)!;
    const type = stringField(item, "type", { required: true }, `recipients[${i}].type`);
    if (type !== "user" && type !== "group") {
      throw badRequest("A recipient's 'type' must be 'user' or 'group'.", `recipients[${i}].type`);
    }
    return { id, type };
  });
}

function accessList(access: "read" | "read-write"): string[] {
  return access === "read-write" ? ["read", "write"] : ["read"];
}

function renderDirect(share: DirectShareRecord): Record<string, unknown> {
  return {
    id: share.id,
    documentId: share.documentId,
    access: accessList(share.access),
    userCount: share.recipients.filter((r) => r.type === "user").length,
    groupCount: share.recipients.filter((r) => r.type === "group").length,
  };
}

function renderEnvironment(share: EnvironmentShareRecord): Record<string, unknown> {
  return {
    id: share.id,
    documentId: share.documentId,
    access: accessList(share.access),
    claimCount: share.claimers.length,
  };
}

const SHARE_FILTER: FilterSchema<{ documentId: string }> = {
  documentId: { type: "string", get: (s) => s.documentId },
};

/** Shares whose document the caller may manage. */
function manageable<T extends { documentId: string }>(dc: DocContext, shares: Iterable<T>): T[] {
  return [...shares].filter((share) => {
    try {
      return canManageShares(dc, activeDocument(dc, share.documentId));
    } catch (error) {
      if (error instanceof HttpError) return false;
      throw error;
    }
  }).sort((a, b) =>
    (a.documentId + (a as { id?: string }).id) < (b.documentId + (b as { id?: string }).id) ? -1 : 1
  );
}

function findDirect(dc: DocContext): DirectShareRecord {
  const share = directShares(dc.ctx.store).get(dc.ctx.params.id);
  if (!share || manageable(dc, [share]).length === 0) {
    throw notFound(`Share '${dc.ctx.params.id}' not found.`);
  }
  return share;
}

function findEnvironment(dc: DocContext): EnvironmentShareRecord {
  const share = environmentShares(dc.ctx.store).get(dc.ctx.params.id);
  if (!share) throw notFound(`Share '${dc.ctx.params.id}' not found.`);
  return share;
}

function listDirect(ctx: RouteContext): Response {
  const dc = docContext(ctx);
  const page = requestedPage(ctx.url, "direct-shares", { defaultPageSize: 20, maxPageSize: 1000 });
  const shares = applyFilter<DirectShareRecord>(
    manageable(dc, directShares(ctx.store).values()),
    page.filter,
    SHARE_FILTER,
  );
  const { items, nextPageKey, totalCount } = pageOf(shares, page);
  return json(200, {
    "direct-shares": items.map(renderDirect),
    ...(nextPageKey ? { nextPageKey } : {}),
    totalCount,
  });
}

async function createDirect(ctx: RouteContext): Promise<Response> {
  const body = await readJsonObject(ctx.request);
  const documentId = stringField(body, "documentId", { required: true, min: 1 })!;
  const access = accessField(body);
  const recipients = recipientsField(body);
  const dc = docContext(ctx);
  shareDocument(dc, documentId);
  const all = directShares(ctx.store);
  if ([...all.values()].some((s) => s.documentId === documentId && s.access === access)) {
    throw conflict(`A '${access}' share of document '${documentId}' already exists.`, {
      details: { errorCode: "ShareAlreadyExists" },
    });
  }
  const share: DirectShareRecord = { id: randomUuid(ctx.random), documentId, access, recipients };
  all.set(share.id, share);
  return json(201, renderDirect(share));
}

function getDirect(ctx: RouteContext): Response {
  return json(200, renderDirect(findDirect(docContext(ctx))));
}

function deleteDirect(ctx: RouteContext): Response {
  const share = findDirect(docContext(ctx));
  directShares(ctx.store).delete(share.id);
  return empty(204);
}

function listRecipients(ctx: RouteContext): Response {
  const share = findDirect(docContext(ctx));
  const page = requestedPage(ctx.url, `recipients:${share.id}`, { defaultPageSize: 20, maxPageSize: 1000 });
  const { items, nextPageKey, totalCount } = pageOf(share.recipients, page);
  return json(200, { recipients: items, ...(nextPageKey ? { nextPageKey } : {}), totalCount });
}

async function changeRecipients(ctx: RouteContext, add: boolean): Promise<Response> {
  const recipients = recipientsField(await readJsonObject(ctx.request));
  const share = findDirect(docContext(ctx));
  const key = (r: Recipient) => `${r.type}:${r.id}`;
  const current = new Map(share.recipients.map((r) => [key(r), r]));
  for (const r of recipients) add ? current.set(key(r), r) : current.delete(key(r));
  share.recipients = [...current.values()];
  return empty(204);
}

function listEnvironment(ctx: RouteContext): Response {
  const dc = docContext(ctx);
  const page = requestedPage(ctx.url, "environment-shares", { defaultPageSize: 20, maxPageSize: 1000 });
  const shares = applyFilter<EnvironmentShareRecord>(
    manageable(dc, environmentShares(ctx.store).values()),
    page.filter,
    SHARE_FILTER,
  );
  const { items, nextPageKey, totalCount } = pageOf(shares, page);
  return json(200, {
    "environment-shares": items.map(renderEnvironment),
    ...(nextPageKey ? { nextPageKey } : {}),
    totalCount,
  });
}

async function createEnvironment(ctx: RouteContext): Promise<Response> {
  const body = await readJsonObject(ctx.request);
  const documentId = stringField(body, "documentId", { required: true, min: 1 })!;
  const access = accessField(body);
  const dc = docContext(ctx);
  shareDocument(dc, documentId);
  const all = environmentShares(ctx.store);
  if ([...all.values()].some((s) => s.documentId === documentId && s.access === access)) {
    throw conflict(`A '${access}' environment share of document '${documentId}' already exists.`, {
      details: { errorCode: "ShareAlreadyExists" },
    });
  }
  const share: EnvironmentShareRecord = { id: randomUuid(ctx.random), documentId, access, claimers: [] };
  all.set(share.id, share);
  return json(201, renderEnvironment(share));
}

function getEnvironment(ctx: RouteContext): Response {
  return json(200, renderEnvironment(findEnvironment(docContext(ctx))));
}

function deleteEnvironment(ctx: RouteContext): Response {
  const dc = docContext(ctx);
  const share = findEnvironment(dc);
  shareDocument(dc, share.documentId);
  environmentShares(ctx.store).delete(share.id);
  return empty(204);
}

function claimEnvironment(ctx: RouteContext): Response {
  const dc = docContext(ctx);
  const share = findEnvironment(dc);
  const doc = activeDocument(dc, share.documentId);
  if (doc.owner === ctx.user.userId) {
    throw badRequest("The owner of a document cannot claim its share.", "id", {
      details: { errorCode: "ClaimingOwnedShareNotAllowed" },
    });
  }
  if (!share.claimers.includes(ctx.user.userId)) share.claimers.push(ctx.user.userId);
  return json(200, { documentId: doc.id, documentType: doc.type, access: accessList(share.access) });
}

function listClaimers(ctx: RouteContext): Response {
  const dc = docContext(ctx);
  const share = findEnvironment(dc);
  shareDocument(dc, share.documentId);
  const page = requestedPage(ctx.url, `claimers:${share.id}`, { defaultPageSize: 20, maxPageSize: 1000 });
  const { items, nextPageKey, totalCount } = pageOf(share.claimers, page);
  return json(200, { claimers: items, ...(nextPageKey ? { nextPageKey } : {}), totalCount });
}

const read = ["document:direct-shares:read"];
const write = ["document:direct-shares:write"];
const del = ["document:direct-shares:delete"];
const eread = ["document:environment-shares:read"];
const ewrite = ["document:environment-shares:write"];
const edel = ["document:environment-shares:delete"];
const d = `${DOCUMENT_BASE}/direct-shares`;
const e = `${DOCUMENT_BASE}/environment-shares`;

/** Routes of document shares. */
export const shareRoutes: Route[] = [
  { method: "GET", path: d, family: "platform", scopes: read, handle: listDirect },
  { method: "POST", path: d, family: "platform", scopes: write, handle: createDirect },
  { method: "GET", path: `${d}/:id`, family: "platform", scopes: read, handle: getDirect },
  { method: "DELETE", path: `${d}/:id`, family: "platform", scopes: del, handle: deleteDirect },
  { method: "GET", path: `${d}/:id/recipients`, family: "platform", scopes: read, handle: listRecipients },
  {
    method: "POST",
    path: `${d}/:id/recipients/add`,
    family: "platform",
    scopes: write,
    handle: (ctx) => changeRecipients(ctx, true),
  },
  {
    method: "POST",
    path: `${d}/:id/recipients/remove`,
    family: "platform",
    scopes: write,
    handle: (ctx) => changeRecipients(ctx, false),
  },
  { method: "GET", path: e, family: "platform", scopes: eread, handle: listEnvironment },
  { method: "POST", path: e, family: "platform", scopes: ewrite, handle: createEnvironment },
  { method: "GET", path: `${e}/:id`, family: "platform", scopes: eread, handle: getEnvironment },
  { method: "DELETE", path: `${e}/:id`, family: "platform", scopes: edel, handle: deleteEnvironment },
  {
    method: "PUT",
    path: `${e}/:id/claim`,
    family: "platform",
    scopes: ["document:environment-shares:claim"],
    handle: claimEnvironment,
  },
  { method: "GET", path: `${e}/:id/claimers`, family: "platform", scopes: eread, handle: listClaimers },
];
