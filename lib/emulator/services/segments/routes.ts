/**
 * Filter-segment endpoints (storage envelope family).
 *
 * @module
 */

import { empty, json } from "../../envelope.ts";
import { readJsonObject } from "../../http/body.ts";
import { bodyError, conflict, forbidden, notFound } from "../../http/errors.ts";
import { lockingVersion } from "../../http/params.ts";
import { stringField } from "../../http/validate.ts";
import { randomBase62 } from "../../random.ts";
import type { Route, RouteContext } from "../../types.ts";
import { ENTITY_MODEL } from "./entity_model.ts";
import {
  parseSegmentBody,
  renderSegment,
  segmentAddFields,
  type SegmentFields,
  type SegmentRecord,
  segments,
  SEGMENTS_BASE,
} from "./model.ts";

const LIST_FIELDS = ["VARIABLES", "EXTERNALID", "RESOURCECONTEXT"] as const;
const LEAN_FIELDS = ["VARIABLES", "EXTERNALID", "RESOURCECONTEXT", "OWNER"] as const;
const GET_FIELDS = ["INCLUDES", "VARIABLES", "EXTERNALID", "RESOURCECONTEXT"] as const;

const STALE_MESSAGE =
  "Optimistic locking failed. Seems like the affected object has been modified by another operation in the meantime.";

function visible(segment: SegmentRecord, userId: string): boolean {
  return segment.isReadyMade || segment.isPublic || segment.owner === userId;
}

function visibleSegments(ctx: RouteContext): SegmentRecord[] {
  return [...segments(ctx.store).values()]
    .filter((s) => visible(s, ctx.user.userId))
    .sort((a, b) => a.name.localeCompare(b.name) || (a.uid < b.uid ? -1 : 1));
}

function findSegment(ctx: RouteContext): SegmentRecord {
  const segment = segments(ctx.store).get(ctx.params.uid);
  if (!segment || !visible(segment, ctx.user.userId)) throw notFound("Filter-segment not found");
  return segment;
}

/** A segment the caller may change: ready-made ones and other users' are read-only (403). */
function writableSegment(ctx: RouteContext): SegmentRecord {
  const segment = findSegment(ctx);
  if (segment.isReadyMade) throw forbidden("Ready-made filter-segments are read-only.");
  if (segment.owner !== ctx.user.userId) throw forbidden("Required permissions not met");
  return segment;
}

function checkExternalId(ctx: RouteContext, externalId: string | null | undefined, uid?: string): void {
  if (!externalId) return;
  const clash = [...segments(ctx.store).values()].some((s) => s.externalId === externalId && s.uid !== uid);
  if (clash) throw conflict(`A filter-segment with externalId '${externalId}' already exists.`);
}

function list(ctx: RouteContext): Response {
  const fields = segmentAddFields(ctx.url, LIST_FIELDS);
  const items = visibleSegments(ctx).map((s) => renderSegment(s, ctx.user.userId, fields));
  return json(200, { filterSegments: items, totalCount: items.length });
}

function listLean(ctx: RouteContext): Response {
  const fields = segmentAddFields(ctx.url, LEAN_FIELDS);
  return json(200, {
    filterSegments: visibleSegments(ctx).map((s) =>
      renderSegment(s, ctx.user.userId, fields, { lean: true })
    ),
  });
}

function get(ctx: RouteContext): Response {
  const fields = segmentAddFields(ctx.url, GET_FIELDS);
  return json(200, renderSegment(findSegment(ctx), ctx.user.userId, fields));
}

const ALL_FIELDS = new Set<string>(GET_FIELDS);

async function create(ctx: RouteContext): Promise<Response> {
  const fields = parseSegmentBody(await readJsonObject(ctx.request), false);
  checkExternalId(ctx, fields.externalId);
  const all = segments(ctx.store);
  let uid = randomBase62(ctx.random, 11);
  while (all.has(uid)) uid = randomBase62(ctx.random, 11);
  const segment: SegmentRecord = {
    uid,
    name: fields.name!,
    description: fields.description ?? null,
    isPublic: fields.isPublic!,
    owner: ctx.user.userId,
    externalId: fields.externalId ?? null,
    variables: fields.variables ?? null,
    includes: fields.includes ?? [],
    version: 1,
    isReadyMade: false,
  };
  all.set(uid, segment);
  return json(201, renderSegment(segment, ctx.user.userId, ALL_FIELDS));
}

function apply(segment: SegmentRecord, fields: SegmentFields): void {
  if (fields.name !== undefined) segment.name = fields.name;
  if (fields.description !== undefined) segment.description = fields.description;
  if (fields.isPublic !== undefined) segment.isPublic = fields.isPublic;
  if (fields.externalId !== undefined) segment.externalId = fields.externalId;
  if (fields.variables !== undefined) segment.variables = fields.variables;
  if (fields.includes !== undefined) segment.includes = fields.includes;
  segment.version += 1;
}

async function replace(ctx: RouteContext): Promise<Response> {
  const expected = lockingVersion(ctx.url);
  const body = await readJsonObject(ctx.request);
  const uid = stringField(body, "uid", { required: true });
  if (uid !== ctx.params.uid) {
    throw bodyError(`Body uid '${uid}' does not match the path uid '${ctx.params.uid}'.`, "uid");
  }
  stringField(body, "owner", { required: true, min: 1 });
  const fields = parseSegmentBody(body, false);
  const segment = writableSegment(ctx);
  if (segment.version !== expected) throw conflict(STALE_MESSAGE);
  checkExternalId(ctx, fields.externalId, segment.uid);
  // PUT replaces: optional fields that are absent are removed. The owner stays (ownership is not edited here).
  apply(segment, {
    description: null,
    externalId: null,
    variables: null,
    includes: [],
    ...fields,
  });
  return empty(200);
}

async function patch(ctx: RouteContext): Promise<Response> {
  const expected = lockingVersion(ctx.url);
  const fields = parseSegmentBody(await readJsonObject(ctx.request), true);
  const segment = writableSegment(ctx);
  if (segment.version !== expected) throw conflict(STALE_MESSAGE);
  checkExternalId(ctx, fields.externalId, segment.uid);
  apply(segment, fields);
  return empty(200);
}

function remove(ctx: RouteContext): Response {
  const segment = findSegment(ctx);
  if (segment.isReadyMade) throw forbidden("Ready-made filter-segments are read-only.");
  if (segment.owner !== ctx.user.userId) throw forbidden("Required permissions not met");
  segments(ctx.store).delete(segment.uid);
  return empty(204);
}

const read = ["storage:filter-segments:read"];
const write = ["storage:filter-segments:write"];
const base = `${SEGMENTS_BASE}/filter-segments`;

/** Routes of the filter-segment service. */
export const segmentRoutes: Route[] = [
  { method: "GET", path: base, family: "storage", scopes: read, handle: list },
  { method: "POST", path: base, family: "storage", scopes: write, handle: create },
  {
    method: "GET",
    path: `${SEGMENTS_BASE}/filter-segments:lean`,
    family: "storage",
    scopes: read,
    handle: listLean,
  },
  { method: "GET", path: `${base}/:uid`, family: "storage", scopes: read, handle: get },
  { method: "PUT", path: `${base}/:uid`, family: "storage", scopes: write, handle: replace },
  { method: "PATCH", path: `${base}/:uid`, family: "storage", scopes: write, handle: patch },
  {
    method: "DELETE",
    path: `${base}/:uid`,
    family: "storage",
    scopes: ["storage:filter-segments:delete"],
    handle: remove,
  },
  {
    method: "GET",
    path: `${SEGMENTS_BASE}/filter-segments-entity-model`,
    family: "storage",
    scopes: read,
    handle: () => json(200, ENTITY_MODEL),
  },
];
