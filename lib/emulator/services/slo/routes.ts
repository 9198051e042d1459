/**
 * SLO CRUD, list and objective-template endpoints.
 *
 * @module
 */

import { empty, json } from "../../envelope.ts";
import { readJsonObject } from "../../http/body.ts";
import { badRequest, HttpError } from "../../http/errors.ts";
import type { Route, RouteContext } from "../../types.ts";
import { pageOf, requestedPage } from "../../shared/paging.ts";
import { type FilterSchema, matchesFilter, parseFilter } from "../../shared/platform_filter.ts";
import { sortComparator, type SortSchema } from "../../shared/sort.ts";
import { checkExternalId, newSloId, newVersion, type Slo, slos, validateSlo } from "./model.ts";
import { findTemplate, OBJECTIVE_TEMPLATES, type ObjectiveTemplate } from "./templates.ts";
import { routeBuilder } from "../../service.ts";

/** Base path of the platform SLO API. */
export const SLO_BASE = "/platform/slo/v1";

const PAGING = { defaultPageSize: 100, maxPageSize: 500 };

const tagKey = (tag: string) => tag.split(":")[0];
const tagValue = (tag: string) => (tag.includes(":") ? tag.slice(tag.indexOf(":") + 1) : undefined);

const SLO_FILTER: FilterSchema<Slo> = {
  id: { type: "string", get: (s) => s.id },
  name: { type: "string", get: (s) => s.name },
  externalId: { type: "string", get: (s) => s.externalId },
  "tag.key": { type: "string[]", get: (s) => s.tags.map(tagKey) },
  "tag.value": { type: "string[]", get: (s) => s.tags.map(tagValue).filter((v) => v !== undefined) },
};
const SLO_SORT: SortSchema<Slo> = { name: { get: (s) => s.name } };

const TEMPLATE_FILTER: FilterSchema<ObjectiveTemplate> = {
  id: { type: "string", get: (t) => t.id },
  name: { type: "string", get: (t) => t.name },
  builtIn: { type: "boolean", get: (t) => t.builtIn },
  deprecated: { type: "boolean", get: (t) => t.deprecated },
  applicableScope: { type: "string", get: (t) => t.applicableScope },
};
const TEMPLATE_SORT: SortSchema<ObjectiveTemplate> = { name: { get: (t) => t.name } };

/** Filters, sorts and pages a list the platform way (`page-size`, `page`/`page-key`, `filter`, `sort`). */
function listPage<T extends { id: string }>(
  url: URL,
  list: string,
  items: T[],
  filterSchema: FilterSchema<T>,
  sortSchema: SortSchema<T>,
) {
  const state = requestedPage(url, list, PAGING);
  let matching = items;
  if (state.filter) {
    const filter = parseFilter(state.filter, filterSchema);
    matching = items.filter((item) => matchesFilter(filter, item, filterSchema));
  }
  const byId = (a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  matching = [...matching].sort(sortComparator(state.sort, sortSchema, byId));
  return pageOf(matching, state);
}

function findSlo(context: RouteContext): Slo {
  const slo = slos(context.store).get(context.params.id);
  if (!slo) throw new HttpError(404, `SLO with id '${context.params.id}' not found.`);
  return slo;
}

/** The required `optimistic-locking-version`, checked against the current version. */
function checkLock(context: RouteContext, slo: Slo): void {
  const given = context.url.searchParams.get("optimistic-locking-version");
  if (given === null || given === "") {
    throw badRequest(
      "Query parameter 'optimistic-locking-version' is required.",
      "optimistic-locking-version",
    );
  }
  if (given !== slo.version) {
    throw new HttpError(
      409,
      `Optimistic locking failed: the SLO has version '${slo.version}', the request named '${given}'.`,
    );
  }
}

function list(context: RouteContext): Response {
  const page = listPage(context.url, "slos", [...slos(context.store).values()], SLO_FILTER, SLO_SORT);
  return json(200, {
    slos: page.items,
    totalCount: page.totalCount,
    ...(page.nextPageKey ? { nextPageKey: page.nextPageKey } : {}),
  });
}

async function create(context: RouteContext): Promise<Response> {
  const fields = validateSlo(await readJsonObject(context.request));
  checkExternalId(context.store, fields.externalId);
  let id = newSloId(context.random);
  while (slos(context.store).has(id)) id = newSloId(context.random);
  const slo: Slo = { id, version: newVersion(context.random), ...fields };
  slos(context.store).set(id, slo);
  context.store.markDirty();
  return json(201, slo);
}

async function update(context: RouteContext): Promise<Response> {
  const current = findSlo(context);
  checkLock(context, current);
  const fields = validateSlo(await readJsonObject(context.request));
  checkExternalId(context.store, fields.externalId, current.id);
  const slo: Slo = { id: current.id, version: newVersion(context.random), ...fields };
  slos(context.store).set(slo.id, slo);
  context.store.markDirty();
  return json(200, slo);
}

function remove(context: RouteContext): Response {
  const slo = findSlo(context);
  checkLock(context, slo);
  slos(context.store).delete(slo.id);
  context.store.markDirty();
  return empty(204);
}

function listTemplates(context: RouteContext): Response {
  const page = listPage(
    context.url,
    "objective-templates",
    [...OBJECTIVE_TEMPLATES],
    TEMPLATE_FILTER,
    TEMPLATE_SORT,
  );
  return json(200, {
    items: page.items,
    totalCount: page.totalCount,
    ...(page.nextPageKey ? { nextPageKey: page.nextPageKey } : {}),
  });
}

function getTemplate(context: RouteContext): Response {
  const template = findTemplate(context.params.id);
  if (!template) throw new HttpError(404, `Objective template with id '${context.params.id}' not found.`);
  return json(200, template);
}

/** The CRUD, list and template routes. */
export function sloRoutes(): Route[] {
  const route = routeBuilder(SLO_BASE, "platform");
  const read = ["slo:slos:read"];
  const write = ["slo:slos:write"];
  return [
    route("GET", "/slos", list, read),
    route("POST", "/slos", create, write),
    route("GET", "/slos/:id", (context) => json(200, findSlo(context)), read),
    route("PUT", "/slos/:id", update, write),
    route("DELETE", "/slos/:id", remove, write),
    route("GET", "/objective-templates", listTemplates, ["slo:objective-templates:read"]),
    route("GET", "/objective-templates/:id", getTemplate, ["slo:objective-templates:read"]),
  ];
}
