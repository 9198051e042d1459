/**
 * Filter and sort fields of the document and trash lists.
 *
 * @module
 */

import type { FilterSchema } from "../../shared/platform_filter.ts";
import type { SortSchema } from "../../shared/sort.ts";
import type { DocumentRecord } from "./model.ts";

/** Filterable document fields (`labels` is an emulator extension). */
export const DOCUMENT_FILTER: FilterSchema<DocumentRecord> = {
  id: { type: "string", get: (d) => d.id },
  name: { type: "string", get: (d) => d.name },
  type: { type: "string", get: (d) => d.type },
  version: { type: "number", get: (d) => d.version },
  owner: { type: "string", get: (d) => d.owner },
  "modificationInfo.createdTime": { type: "time", get: (d) => d.createdTime },
  "modificationInfo.createdBy": { type: "string", get: (d) => d.createdBy },
  "modificationInfo.lastModifiedTime": { type: "time", get: (d) => d.lastModifiedTime },
  "modificationInfo.lastModifiedBy": { type: "string", get: (d) => d.lastModifiedBy },
  originAppId: { type: "string", get: (d) => d.originAppId },
  originExtensionId: { type: "string", get: (d) => d.originExtensionId },
  labels: { type: "string[]", get: (d) => d.labels },
};

/** Sortable document fields; `userContext.lastAccessedTime` depends on the caller. */
export function documentSort(userId: string): SortSchema<DocumentRecord> {
  return {
    name: { get: (d) => d.name },
    type: { get: (d) => d.type },
    version: { get: (d) => d.version },
    owner: { get: (d) => d.owner },
    "modificationInfo.createdTime": { get: (d) => d.createdTime },
    "modificationInfo.createdBy": { get: (d) => d.createdBy },
    "modificationInfo.lastModifiedTime": { get: (d) => d.lastModifiedTime },
    "modificationInfo.lastModifiedBy": { get: (d) => d.lastModifiedBy },
    originAppId: { get: (d) => d.originAppId },
    originExtensionId: { get: (d) => d.originExtensionId },
    "userContext.lastAccessedTime": { get: (d) => d.lastAccessedTime[userId] ?? null },
  };
}

/** Filterable trash fields. */
export const TRASH_FILTER: FilterSchema<DocumentRecord> = {
  id: { type: "string", get: (d) => d.id },
  name: { type: "string", get: (d) => d.name },
  type: { type: "string", get: (d) => d.type },
  "deletionInfo.deletedTime": { type: "time", get: (d) => d.deletedTime },
  "deletionInfo.deletedBy": { type: "string", get: (d) => d.deletedBy },
};

/** Orders documents by id, the platform's default order. */
export function byId(a: DocumentRecord, b: DocumentRecord): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
