/**
 * API views of settings objects: the full object of `GET /objects/{id}` and the `fields` selection of lists.
 *
 * @module
 */

import { HttpError } from "../../http/errors.ts";
import type { StoredObject, Workspace } from "./objects.ts";
import { findSchema } from "./schemas.ts";
import { summaryOf } from "./validate.ts";

/** A 400 naming a query parameter (classic envelope, `parameterLocation: QUERY`). */
export function queryError(message: string, parameter: string): HttpError {
  return new HttpError(400, message, {
    constraintViolations: [{ path: parameter, message, parameterLocation: "QUERY" }],
  });
}

/** Every field a list can return. */
export const LIST_FIELDS = [
  "objectId",
  "summary",
  "searchSummary",
  "created",
  "modified",
  "createdBy",
  "modifiedBy",
  "author",
  "updateToken",
  "scope",
  "modificationInfo",
  "resourceContext",
  "owner",
  "schemaId",
  "schemaVersion",
  "externalId",
  "value",
] as const;

/** Fields of a list without `fields` (reference §9: roughly objectId and value; unverified). */
export const DEFAULT_LIST_FIELDS = ["objectId", "value"];

/** All fields of an object, in the order the API documents them. */
export function objectView(object: StoredObject, workspace: Workspace): Record<string, unknown> {
  const schema = findSchema(object.schemaId);
  const ordered = schema?.ordered ?? false;
  const first = ordered && workspace.order(object.schemaId, object.scope)[0] === object.objectId;
  const summary = schema ? summaryOf(schema, object.value) : "";
  return {
    objectId: object.objectId,
    summary,
    searchSummary: summary,
    created: object.created,
    modified: object.modified,
    createdBy: object.createdBy,
    modifiedBy: object.modifiedBy,
    author: object.author,
    updateToken: object.updateToken,
    scope: object.scope,
    modificationInfo: {
      deletable: true,
      modifiable: true,
      movable: ordered,
      first,
      modifiablePaths: [],
      nonModifiablePaths: [],
    },
    resourceContext: {
      operations: ["read", "write", "delete"],
      modifications: { modifiablePaths: [], nonModifiablePaths: [], movable: ordered, first },
    },
    ...(object.owner ? { owner: object.owner } : {}),
    schemaId: object.schemaId,
    schemaVersion: object.schemaVersion,
    ...(object.externalId !== undefined ? { externalId: object.externalId } : {}),
    value: object.value,
  };
}

/** The object as `GET /objects/{id}` returns it (no `modificationInfo`, which only lists carry). */
export function singleObjectView(object: StoredObject, workspace: Workspace): Record<string, unknown> {
  const { modificationInfo: _, ...view } = objectView(object, workspace);
  return view;
}

/** The `fields` parameter: a comma list replacing the default set; unknown names are a 400. */
export function requestedFields(raw: string | null): string[] {
  if (raw === null || raw.trim() === "") return DEFAULT_LIST_FIELDS;
  const fields = raw.split(",").map((f) => f.trim()).filter(Boolean);
  for (const field of fields) {
    if (!(LIST_FIELDS as readonly string[]).includes(field)) {
      throw queryError(`Unknown field '${field}'. Valid fields: ${LIST_FIELDS.join(", ")}.`, "fields");
    }
  }
  return fields;
}

/** Keeps only the requested fields. */
export function pick(view: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) if (field in view) out[field] = view[field];
  return out;
}
