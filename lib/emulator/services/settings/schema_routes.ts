/**
 * Settings schema endpoints: the registry list and single schemas.
 *
 * @module
 */

import { json } from "../../envelope.ts";
import { HttpError } from "../../http/errors.ts";
import type { Route, RouteContext } from "../../types.ts";
import { BUILTIN_SCHEMAS, findSchema, schemaStub } from "./schemas.ts";
import { pick, queryError } from "./views.ts";

const STUB_FIELDS = [
  "schemaId",
  "displayName",
  "latestSchemaVersion",
  "multiObject",
  "ordered",
  "ownerBasedAccessControl",
  "maturity",
];

function list(context: RouteContext): Response {
  const raw = context.url.searchParams.get("fields");
  const fields = raw ? raw.split(",").map((f) => f.trim()).filter(Boolean) : STUB_FIELDS;
  const unknown = fields.find((field) => !STUB_FIELDS.includes(field));
  if (unknown) {
    throw queryError(`Unknown field '${unknown}'. Valid fields: ${STUB_FIELDS.join(", ")}.`, "fields");
  }
  const items = BUILTIN_SCHEMAS.map((schema) => pick(schemaStub(schema), fields));
  return json(200, { items, totalCount: items.length });
}

function get(context: RouteContext): Response {
  const schema = findSchema(context.params.schemaId);
  const version = context.url.searchParams.get("schemaVersion");
  if (!schema || (version !== null && version !== "" && version !== schema.version)) {
    throw new HttpError(
      404,
      `Schema '${context.params.schemaId}'${version ? ` in version ${version}` : ""} not found.`,
    );
  }
  return json(200, schema);
}

/** The schema routes under one prefix. */
export function schemaRoutes(prefix: string): Route[] {
  const scopes = ["settings:schemas:read"];
  return [
    { method: "GET", path: `${prefix}/schemas`, family: "classic", scopes, handle: list },
    { method: "GET", path: `${prefix}/schemas/:schemaId`, family: "classic", scopes, handle: get },
  ];
}
