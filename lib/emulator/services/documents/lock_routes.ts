/**
 * Document locks and ownership transfer.
 *
 * @module
 */

import { empty, json } from "../../envelope.ts";
import { readJsonObject } from "../../http/body.ts";
import { badRequest, conflict, forbidden } from "../../http/errors.ts";
import { boolParam } from "../../http/params.ts";
import { intField } from "../../http/validate.ts";
import { isoTime } from "../../time.ts";
import type { Route, RouteContext } from "../../types.ts";
import { checkNotLocked, docContext, permittedDocument } from "./repo.ts";
import { DOCUMENT_BASE } from "./model.ts";

/** Default and largest lock duration. */
const DEFAULT_LOCK_SECONDS = 300;
const MAX_LOCK_SECONDS = 3600;

function inspectLock(ctx: RouteContext): Response {
  const dc = docContext(ctx);
  const doc = permittedDocument(dc, ctx.params.id, "read");
  const lock = doc.lock && Date.parse(doc.lock.lockedUntil) > ctx.clock.now() ? doc.lock : undefined;
  return json(200, {
    isLocked: lock !== undefined,
    ...(lock ? { lockedBy: lock.lockedBy } : {}),
    isLockedByAnotherUser: lock !== undefined && lock.lockedBy !== ctx.user.userId,
    documentVersion: doc.version,
  });
}

async function acquireLock(ctx: RouteContext): Promise<Response> {
  const body = await readJsonObject(ctx.request);
  const documentVersion = intField(body, "documentVersion", { required: true, min: 1 })!;
  const seconds = intField(body, "lockDurationInSeconds", { min: 1, max: MAX_LOCK_SECONDS }) ??
    DEFAULT_LOCK_SECONDS;
  const dc = docContext(ctx);
  const doc = permittedDocument(dc, ctx.params.id, "write");
  checkNotLocked(dc, doc);
  if (documentVersion !== doc.version) {
    throw conflict(`Document '${doc.id}' is at version ${doc.version}, not ${documentVersion}.`);
  }
  const lockedUntil = isoTime(ctx.clock.now() + seconds * 1000);
  doc.lock = { lockedBy: ctx.user.userId, lockedUntil };
  return json(200, { documentVersion: doc.version, lockedUntil });
}

function releaseLock(ctx: RouteContext): Response {
  const dc = docContext(ctx);
  const doc = permittedDocument(dc, ctx.params.id, "write");
  checkNotLocked(dc, doc);
  delete doc.lock;
  return empty(200);
}

async function transferOwner(ctx: RouteContext): Promise<Response> {
  boolParam(ctx.url, "send-notification");
  const body = await readJsonObject(ctx.request);
  // The SDK model names the field `newOwnerId`; older docs say `newOwner`.
  const newOwner = body.newOwnerId ?? body.newOwner;
  if (typeof newOwner !== "string" || newOwner === "") {
    throw badRequest("'newOwnerId' must be a user id.", "newOwnerId");
  }
  const dc = docContext(ctx);
  const doc = permittedDocument(dc, ctx.params.id, "read");
  if (!dc.admin && doc.owner !== ctx.user.userId) throw forbidden("Only the owner can transfer a document.");
  if (ctx.users && !ctx.users.some((u) => u.userId === newOwner)) {
    throw badRequest(`Unknown user '${newOwner}'.`, "newOwnerId");
  }
  checkNotLocked(dc, doc);
  doc.owner = newOwner;
  return empty(204);
}

const base = `${DOCUMENT_BASE}/documents/:id`;

/** Routes of locks and ownership transfer. */
export const lockRoutes: Route[] = [
  {
    method: "GET",
    path: `${base}:inspect-lock`,
    family: "platform",
    scopes: ["document:documents:read"],
    handle: inspectLock,
  },
  {
    method: "POST",
    path: `${base}:acquire-lock`,
    family: "platform",
    scopes: ["document:documents:write"],
    handle: acquireLock,
  },
  {
    method: "POST",
    path: `${base}:release-lock`,
    family: "platform",
    scopes: ["document:documents:write"],
    handle: releaseLock,
  },
  {
    method: "POST",
    path: `${base}:transfer-owner`,
    family: "platform",
    scopes: ["document:documents:write"],
    handle: transferOwner,
  },
];
