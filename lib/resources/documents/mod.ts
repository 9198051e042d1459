/**
 * Documents (dashboards, notebooks, any other type) and the trash: the Document API as typed functions and the
 * factory the document kinds share.
 *
 * @module
 */

export * from "./api.ts";
export * from "./kind.ts";
