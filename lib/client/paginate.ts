/**
 * The three pagination styles of the platform (`shared/reference/dynatrace-api.md` §2), as one async iterator.
 *
 * Each style has a trap that the real API punishes: classic settings reject any parameter next to
 * `nextPageKey`, SLO rejects `page-size` next to `page-key`, and a server bug repeating a key would loop forever.
 *
 * @module
 */

import { DtctlError } from "../errors/mod.ts";
import type { ResourceRef } from "./api_error.ts";
import type { QueryValue } from "./url.ts";

/** How to page through a list endpoint. */
export interface PageOptions {
  /**
   * - `page-key`: documents, SLOs: first `page-size` + filters, then `page-key=<nextPageKey>` (other parameters
   *   kept unless listed in {@link dropOnPageKey}).
   * - `next-page-key`: classic settings: first `pageSize` + filters, then ONLY `nextPageKey`.
   * - `offset`: Automation: `limit`/`offset` until `count` items are fetched or a page is empty.
   */
  style: "page-key" | "next-page-key" | "offset";
  /** Path from the environment root, e.g. `/platform/document/v1/documents`. */
  path: string;
  /** Filters and other parameters of the first request. */
  query?: Record<string, QueryValue>;
  /** How array parameters are written (see the request option of the same name). */
  arrayFormat?: "repeat" | "comma";
  /** The response field holding the items: `documents`, `slos`, `items`, `results`. */
  itemsField: string;
  /** Items per page; omitted → the server's default. */
  pageSize?: number;
  /** Name of the page size parameter; default `page-size`, `pageSize` or `limit` by style. */
  pageSizeParam?: string;
  /** `page-key` style: parameters to drop once a page key is sent (SLO: `["page-size"]`). */
  dropOnPageKey?: string[];
  /** Aborts the iteration. */
  signal?: AbortSignal;
  /** Extra headers for every page request. */
  headers?: Record<string, string>;
  /** Per-request timeout in ms. */
  timeoutMs?: number;
  /** What is being listed, for error messages. */
  resource?: ResourceRef;
}

/** The request function a paginator drives (the client's `request`). */
export type PageRequest = (options: {
  method: "GET";
  path: string;
  query: Record<string, QueryValue>;
  arrayFormat?: "repeat" | "comma";
  signal?: AbortSignal;
  headers?: Record<string, string>;
  timeoutMs?: number;
  resource?: ResourceRef;
  operation: "read";
}) => Promise<unknown>;

const DEFAULT_SIZE_PARAM = { "page-key": "page-size", "next-page-key": "pageSize", offset: "limit" } as const;

function shorten(key: string): string {
  return key.length > 40 ? `${key.slice(0, 40)}…` : key;
}

/** Iterates over all items of a paged list, fetching pages lazily. */
export async function* paginate<T>(request: PageRequest, options: PageOptions): AsyncGenerator<T> {
  const sizeParam = options.pageSizeParam ?? DEFAULT_SIZE_PARAM[options.style];
  const base: Record<string, QueryValue> = { ...options.query };
  if (options.pageSize !== undefined) base[sizeParam] = options.pageSize;
  const seenKeys = new Set<string>();
  const fetchPage = async (query: Record<string, QueryValue>) => {
    const body = await request({
      method: "GET",
      path: options.path,
      query,
      arrayFormat: options.arrayFormat,
      signal: options.signal,
      headers: options.headers,
      timeoutMs: options.timeoutMs,
      resource: options.resource,
      operation: "read",
    });
    const record = typeof body === "object" && body !== null ? body as Record<string, unknown> : undefined;
    const items = record?.[options.itemsField];
    if (!Array.isArray(items)) {
      // Treating a malformed page as "no items" could make a later apply create duplicates or prune everything.
      throw new DtctlError(
        "server_error",
        `Unexpected response from GET ${options.path}: expected an array in field "${options.itemsField}".`,
        { hint: "The server or a proxy returned an unexpected body; retry, and report it if it persists." },
      );
    }
    return { record: record!, items: items as T[] };
  };
  const nextKey = (record: Record<string, unknown>): string | undefined => {
    const key = record.nextPageKey;
    if (typeof key !== "string" || key === "") return undefined;
    if (seenKeys.has(key)) {
      throw new DtctlError(
        "server_error",
        `Pagination of GET ${options.path} did not advance: the server returned page key "${
          shorten(key)
        }" twice.`,
        { hint: "This is a server bug; narrow the list with a filter, or retry later." },
      );
    }
    seenKeys.add(key);
    return key;
  };

  if (options.style === "offset") {
    let offset = typeof base.offset === "number" ? base.offset : 0;
    let fetched = 0;
    let previousFirst: string | undefined;
    for (;;) {
      const { record, items } = await fetchPage({ ...base, offset });
      if (items.length === 0) return;
      // A server that ignores `offset` would hand out the first page forever.
      const first = JSON.stringify(items[0]);
      if (first === previousFirst) {
        throw new DtctlError(
          "server_error",
          `Pagination of GET ${options.path} did not advance: offset ${offset} returned the same page again.`,
          { hint: "This is a server bug; narrow the list with a filter, or retry later." },
        );
      }
      previousFirst = first;
      yield* items;
      fetched += items.length;
      offset += items.length;
      const count = typeof record.count === "number" ? record.count : undefined;
      if (count !== undefined && fetched >= count) return;
      if (count === undefined && options.pageSize !== undefined && items.length < options.pageSize) return;
    }
  }

  let { record, items } = await fetchPage(base);
  yield* items;
  for (let key = nextKey(record); key !== undefined; key = nextKey(record)) {
    let query: Record<string, QueryValue>;
    if (options.style === "next-page-key") {
      // Classic settings answer 400 to any other parameter next to nextPageKey.
      query = { nextPageKey: key };
    } else {
      query = { ...base };
      for (const name of options.dropOnPageKey ?? []) delete query[name];
      query["page-key"] = key;
    }
    ({ record, items } = await fetchPage(query));
    yield* items;
  }
}
