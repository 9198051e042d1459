/**
 * Settings object endpoints: list, bulk create/upsert, get, update, delete.
 *
 * @module
 */

import { empty, json } from "../../envelope.ts";
import { readJson, readJsonObject } from "../../http/body.ts";
import { HttpError } from "../../http/errors.ts";
import { boolParam, intParam } from "../../http/params.ts";
import { isObject } from "../../http/validate.ts";
import type { Route, RouteContext } from "../../types.ts";
import {
  checkedValue,
  checkUnique,
  ItemError,
  newUpdateToken,
  type StoredObject,
  upsert,
  violation,
  Workspace,
} from "./objects.ts";
import { findSchema } from "./schemas.ts";
import { objectView, pick, queryError, requestedFields, singleObjectView } from "./views.ts";
import { routeBuilder } from "../../service.ts";

const MAX_PAGE_SIZE = 500;
const DEFAULT_PAGE_SIZE = 100;

interface ListState {
  offset: number;
  pageSize: number;
  schemaIds: string[];
  scopes: string[];
  externalIds: string[];
  fields: string[];
  sort?: string;
}

const csv = (raw: string | null) => (raw ?? "").split(",").map((v) => v.trim()).filter(Boolean);

function encodeKey(state: ListState): string {
  return btoa(JSON.stringify(state)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function decodeKey(key: string): ListState {
  try {
    const padded = key.replaceAll("-", "+").replaceAll("_", "/").padEnd(Math.ceil(key.length / 4) * 4, "=");
    const state = JSON.parse(atob(padded));
    if (Number.isInteger(state.offset) && Number.isInteger(state.pageSize) && Array.isArray(state.fields)) {
      return state;
    }
  } catch {
    // Fall through: any undecodable key is the same client error.
  }
  throw queryError("The nextPageKey is invalid.", "nextPageKey");
}

/** The list request: from `nextPageKey` alone, or from the first-page parameters. */
function listState(url: URL): ListState {
  const params = url.searchParams;
  const key = params.get("nextPageKey");
  if (key !== null) {
    const others = [...params.keys()].filter((name) => name !== "nextPageKey");
    if (others.length > 0) {
      throw queryError(
        `With nextPageKey no other query parameters are allowed (got ${others.join(", ")}).`,
        others[0],
      );
    }
    return decodeKey(key);
  }
  const schemaIds = csv(params.get("schemaIds"));
  const scopes = csv(params.get("scopes"));
  if (schemaIds.length === 0 && scopes.length === 0) {
    throw queryError("The first page needs 'schemaIds' or 'scopes'.", "schemaIds");
  }
  for (const schemaId of schemaIds) {
    if (!findSchema(schemaId)) throw new HttpError(404, `Schema '${schemaId}' not found.`);
  }
  if (params.has("filter")) {
    throw queryError("The emulator does not support 'filter' on settings lists.", "filter");
  }
  const sort = params.get("sort") ?? undefined;
  if (sort !== undefined && !/^-?(created|modified|objectId|scope|summary)$/.test(sort)) {
    throw queryError(
      `Unsupported sort '${sort}' (emulator: created, modified, objectId, scope, summary; '-' descends).`,
      "sort",
    );
  }
  return {
    offset: 0,
    pageSize: intParam(url, "pageSize", { min: 1, max: MAX_PAGE_SIZE }) ?? DEFAULT_PAGE_SIZE,
    schemaIds,
    scopes,
    externalIds: csv(params.get("externalIds")),
    fields: requestedFields(params.get("fields")),
    sort,
  };
}

function list(context: RouteContext): Response {
  const state = listState(context.url);
  const workspace = new Workspace(context.store);
  const position = (o: StoredObject) => {
    const at = workspace.order(o.schemaId, o.scope).indexOf(o.objectId);
    return at === -1 ? o.created : at;
  };
  const views = new Map<string, Record<string, unknown>>();
  const view = (o: StoredObject) => {
    if (!views.has(o.objectId)) views.set(o.objectId, objectView(o, workspace));
    return views.get(o.objectId)!;
  };
  const items = [...workspace.objects.values()].filter((o) =>
    (state.schemaIds.length === 0 || state.schemaIds.includes(o.schemaId)) &&
    (state.scopes.length === 0 || state.scopes.includes(o.scope)) &&
    (state.externalIds.length === 0 ||
      (o.externalId !== undefined && state.externalIds.includes(o.externalId)))
  );
  items.sort((a, b) => {
    if (state.sort) {
      const key = state.sort.replace(/^-/, "");
      const x = String(view(a)[key] ?? "");
      const y = String(view(b)[key] ?? "");
      const numeric = key === "created" || key === "modified";
      const c = numeric ? Number(x) - Number(y) : x.localeCompare(y);
      if (c !== 0) return state.sort.startsWith("-") ? -c : c;
    }
    // Without a sort: grouped by schema and scope, in each group's order (ordered schemas) or by creation.
    return a.schemaId.localeCompare(b.schemaId) || a.scope.localeCompare(b.scope) ||
      position(a) - position(b) ||
      a.objectId.localeCompare(b.objectId);
  });
  const page = items.slice(state.offset, state.offset + state.pageSize);
  const next = state.offset + state.pageSize;
  return json(200, {
    items: page.map((o) => pick(view(o), state.fields)),
    totalCount: items.length,
    pageSize: state.pageSize,
    ...(next < items.length ? { nextPageKey: encodeKey({ ...state, offset: next }) } : {}),
  });
}

function itemResult(error: ItemError, value: unknown): { code: number } & Record<string, unknown> {
  return {
    code: error.code,
    error: {
      code: error.code,
      message: error.message,
      constraintViolations: error.violations.map((v) => ({
        ...v,
        parameterLocation: v.parameterLocation ?? "PAYLOAD_BODY",
        location: null,
      })),
    },
    ...(value !== undefined ? { invalidValue: value } : {}),
  };
}

/** 200 all ok, 207 mixed, else the most common failure status (first seen wins a tie). */
export function bulkStatus(codes: number[]): number {
  if (codes.every((code) => code < 300)) return 200;
  if (codes.some((code) => code < 300)) return 207;
  const counts = new Map<number, number>();
  for (const code of codes) counts.set(code, (counts.get(code) ?? 0) + 1);
  let best = codes[0];
  for (const code of codes) if (counts.get(code)! > counts.get(best)!) best = code;
  return best;
}

async function create(context: RouteContext): Promise<Response> {
  const body = await readJson(context.request);
  if (!Array.isArray(body) || body.length === 0) {
    throw new HttpError(400, "The request body must be a non-empty array of settings objects.", {
      constraintViolations: [{
        path: "body",
        message: "must be a non-empty array",
        parameterLocation: "PAYLOAD_BODY",
      }],
    });
  }
  const validateOnly = boolParam(context.url, "validateOnly") ?? false;
  const workspace = new Workspace(context.store);
  const writer = { user: context.user, now: context.clock.now(), random: context.random };
  const results = body.map((item): { code: number } & Record<string, unknown> => {
    try {
      const { objectId, created } = upsert(workspace, item, writer);
      // A validate-only create has no object to name.
      return validateOnly && created ? { code: 200 } : { code: 200, objectId };
    } catch (error) {
      if (error instanceof ItemError) return itemResult(error, isObject(item) ? item.value : undefined);
      throw error;
    }
  });
  if (!validateOnly) workspace.commit();
  return json(bulkStatus(results.map((r) => r.code)), results);
}

function findObject(context: RouteContext, workspace: Workspace): StoredObject {
  const object = workspace.objects.get(context.params.objectId);
  if (!object) throw new HttpError(404, `Settings object with ID '${context.params.objectId}' not found.`);
  return object;
}

function get(context: RouteContext): Response {
  const workspace = new Workspace(context.store);
  return json(200, singleObjectView(findObject(context, workspace), workspace));
}

function checkToken(object: StoredObject, token: unknown): void {
  if (token === undefined || token === null || token === "") return;
  if (token !== object.updateToken) {
    throw new HttpError(409, "Update token is outdated: the object was changed since it was read.", {
      constraintViolations: [{
        path: "updateToken",
        message: "is outdated",
        parameterLocation: "PAYLOAD_BODY",
      }],
    });
  }
}

function asHttp(error: unknown): never {
  if (error instanceof ItemError) {
    throw new HttpError(error.code, error.message, { constraintViolations: error.violations });
  }
  throw error;
}

async function update(context: RouteContext): Promise<Response> {
  const workspace = new Workspace(context.store);
  const current = findObject(context, workspace);
  const body = await readJsonObject(context.request);
  checkToken(current, body.updateToken);
  const schema = findSchema(current.schemaId)!;
  try {
    if ((body.insertAfter != null || body.insertBefore != null) && !schema.ordered) {
      throw new ItemError(
        400,
        `Schema '${schema.schemaId}' is not ordered; insertAfter/insertBefore are not allowed.`,
        [
          violation(
            body.insertAfter != null ? "insertAfter" : "insertBefore",
            "only allowed for ordered schemas",
          ),
        ],
      );
    }
    const value = checkedValue(schema, body.value);
    const object: StoredObject = {
      ...current,
      value,
      ...(typeof body.schemaVersion === "string" ? { schemaVersion: body.schemaVersion } : {}),
      modified: context.clock.now(),
      modifiedBy: context.user.userId,
      author: context.user.userName,
      updateToken: newUpdateToken(context.random),
    };
    checkUnique(workspace, schema, object);
    workspace.objects.set(object.objectId, object);
    if (schema.ordered) {
      let after = body.insertAfter;
      if (body.insertBefore != null) {
        const ids = workspace.order(object.schemaId, object.scope).filter((id) => id !== object.objectId);
        const at = ids.indexOf(String(body.insertBefore));
        if (at === -1) {
          throw new ItemError(400, "'insertBefore' names no other object of this schema and scope.", [
            violation("insertBefore", "unknown object"),
          ]);
        }
        after = at === 0 ? "" : ids[at - 1];
      }
      workspace.place(object, after, false);
    }
  } catch (error) {
    asHttp(error);
  }
  if (!(boolParam(context.url, "validateOnly") ?? false)) workspace.commit();
  return json(200, { code: 200, objectId: current.objectId });
}

function remove(context: RouteContext): Response {
  const workspace = new Workspace(context.store);
  const object = findObject(context, workspace);
  checkToken(object, context.url.searchParams.get("updateToken"));
  workspace.remove(object);
  workspace.commit();
  return empty(204);
}

/** The object routes under one prefix (`/api/v2/settings` or its platform alias). */
export function objectRoutes(prefix: string): Route[] {
  const route = routeBuilder(prefix, "classic");
  const read = ["settings:objects:read"];
  const write = ["settings:objects:write"];
  return [
    route("GET", "/objects", list, read),
    route("POST", "/objects", create, write),
    route("GET", "/objects/:objectId", get, read),
    route("PUT", "/objects/:objectId", update, write),
    route("DELETE", "/objects/:objectId", remove, write),
  ];
}
