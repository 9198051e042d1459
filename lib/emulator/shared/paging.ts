/**
 * Page-key paging of the platform's list endpoints (documents, trash, snapshots, shares).
 *
 * The page key is opaque to clients: base64url JSON holding the list it belongs to, the offset, page size,
 * filter and sort of the first request. With a page key, the key's filter/sort/size win over other parameters
 * (clients such as dtctl send them again; the platform accepts that).
 *
 * @module
 */

import { badRequest } from "../http/errors.ts";
import { intParam } from "../http/params.ts";

/** Where a page starts and what it lists. */
export interface PageState {
  /** The list the key belongs to (a key of one list is rejected by another). */
  list: string;
  /** Index of the first item. */
  offset: number;
  /** Items per page. */
  pageSize: number;
  /** Filter of the first request. */
  filter?: string;
  /** Sort of the first request. */
  sort?: string;
}

/** Limits of a list endpoint. */
export interface PagingLimits {
  /** Page size without `page-size`. */
  defaultPageSize: number;
  /** Largest `page-size`. */
  maxPageSize: number;
}

/** One page of a list. */
export interface Page<T> {
  /** Items of the page. */
  items: T[];
  /** Key of the next page, absent on the last page. */
  nextPageKey?: string;
  /** Number of items of the whole list. */
  totalCount: number;
}

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): string {
  const padded = text.replaceAll("-", "+").replaceAll("_", "/").padEnd(Math.ceil(text.length / 4) * 4, "=");
  const binary = atob(padded);
  return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

/** Encodes a page state as an opaque key. */
export function encodePageKey(state: PageState): string {
  return toBase64Url(
    JSON.stringify({ l: state.list, o: state.offset, s: state.pageSize, f: state.filter, r: state.sort }),
  );
}

/** Decodes a page key of `list`; anything else is a 400. */
export function decodePageKey(key: string, list: string): PageState {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(fromBase64Url(key));
  } catch {
    throw badRequest("Invalid page-key.", "page-key");
  }
  const ok = raw !== null && typeof raw === "object" && raw.l === list && Number.isInteger(raw.o) &&
    (raw.o as number) >= 0 && Number.isInteger(raw.s) && (raw.s as number) >= 1 &&
    (raw.f === undefined || typeof raw.f === "string") && (raw.r === undefined || typeof raw.r === "string");
  if (!ok) throw badRequest("Invalid page-key.", "page-key");
  return {
    list,
    offset: raw.o as number,
    pageSize: raw.s as number,
    filter: raw.f as string | undefined,
    sort: raw.r as string | undefined,
  };
}

/**
 * The page a request asks for: from `page-key` if present, else from `page` (1-based), `page-size`, `filter` and
 * `sort`. `page` together with `page-key` is a 400.
 */
export function requestedPage(url: URL, list: string, limits: PagingLimits): PageState {
  const key = url.searchParams.get("page-key");
  const pageSize = intParam(url, "page-size", { min: 1, max: limits.maxPageSize }) ?? limits.defaultPageSize;
  const page = intParam(url, "page", { min: 1 });
  if (key !== null && key !== "") {
    if (page !== undefined) throw badRequest("'page' and 'page-key' cannot be combined.", "page");
    return decodePageKey(key, list);
  }
  return {
    list,
    offset: ((page ?? 1) - 1) * pageSize,
    pageSize,
    filter: url.searchParams.get("filter") ?? undefined,
    sort: url.searchParams.get("sort") ?? undefined,
  };
}

/** Cuts one page out of the full (filtered, sorted) list. */
export function pageOf<T>(items: T[], state: PageState): Page<T> {
  const slice = items.slice(state.offset, state.offset + state.pageSize);
  const next = state.offset + state.pageSize;
  return {
    items: slice,
    totalCount: items.length,
    ...(next < items.length ? { nextPageKey: encodePageKey({ ...state, offset: next }) } : {}),
  };
}
