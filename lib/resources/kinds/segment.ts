/**
 * Filter segments (`/platform/storage/filter-segments/v1`).
 *
 * On the wire an include's `filter` is a stringified JSON filter tree; people read and write filter text (the
 * DQL-like `key = "value" AND ...` syntax of `lib/resources/segment_filter`). Objects of the kind (`get`,
 * `describe`, `edit`) therefore show filter text, and every write converts it back to the tree (a filter that
 * already is tree JSON passes through). The typed functions (`getSegment`, ...) return the wire form. Updates replace the segment (PUT) locked on the integer
 * `optimistic-locking-version`, so a field removed in the editor is removed on the server too.
 *
 * @module
 */

import type { PlatformClient } from "../../client/mod.ts";
import { filterAstToDql, filterDqlToWire } from "../segment_filter/mod.ts";
import type { DescribeSection, KindContext, ListOptions, RemoteObject, ResourceKind } from "../types.ts";
import { str } from "./text.ts";

/** Base path of the filter-segment API. */
const SEGMENTS_API = "/platform/storage/filter-segments/v1";

/** One include of a segment: which data object it filters, and how. */
export interface SegmentInclude {
  /** `logs`, `spans`, `events`, ... or `_all_data_object`. */
  dataObject: string;
  /** On the wire a stringified filter AST; in the editable form DQL. */
  filter: string;
  /** Restrict the include to these fields. */
  applyTo?: string[];
  /** A relationship to another data object. */
  relationship?: { name: string; target: string };
}

/** A filter segment as the API returns it. */
export interface Segment {
  /** 11-character id. */
  uid: string;
  /** Name. */
  name: string;
  /** Description. */
  description?: string;
  /** Visible to everybody. */
  isPublic: boolean;
  /** Owner user id. */
  owner?: string;
  /** Integer version, the lock of updates. */
  version?: number;
  /** Provided by Dynatrace (read-only). */
  isReadyMade?: boolean;
  /** Client-side identity. */
  externalId?: string;
  /** Variable definition. */
  variables?: { type: string; value: string };
  /** Includes (only from `get`, lists omit them). */
  includes?: SegmentInclude[];
  /** What the caller may do. */
  allowedOperations?: string[];
  /** Fields the API may add later. */
  [field: string]: unknown;
}

const SERVER_FIELDS = ["uid", "version", "owner", "isReadyMade", "allowedOperations"];
const LIST_FIELDS = ["VARIABLES", "EXTERNALID", "RESOURCECONTEXT"];
const GET_FIELDS = ["INCLUDES", "VARIABLES", "EXTERNALID", "RESOURCECONTEXT"];
const enc = encodeURIComponent;

function ref(object: Partial<Segment>) {
  const name = object.name ?? object.uid;
  return {
    kind: "segment",
    ...(name ? { name } : {}),
    ...(typeof object.owner === "string" ? { owner: object.owner } : {}),
  };
}

/** Converts an include filter for display: filter tree JSON → filter text (unreadable trees are shown as they are). */
function segmentFilterToDql(filter: string): string {
  if (typeof filter !== "string") return "";
  try {
    return filterAstToDql(filter);
  } catch {
    return filter;
  }
}

/**
 * Converts an include filter for the wire: filter text → filter tree JSON; tree JSON and blank filters pass
 * through. Bad filter text is a `validation_error` located at `where` (line and column).
 */
function segmentFilterToWire(filter: string, where = "filter"): string {
  return typeof filter === "string" ? filterDqlToWire(filter, where) : filter;
}

function mapIncludes(
  object: Record<string, unknown>,
  convert: (filter: string, where: string) => string,
): unknown {
  if (!Array.isArray(object.includes)) return object.includes;
  return object.includes.map((include, i) => {
    if (typeof include !== "object" || include === null || typeof include.filter !== "string") return include;
    return { ...include, filter: convert(include.filter, `includes[${i}].filter`) };
  });
}

/** The editable form: server fields (uid, version, owner, ...) dropped, include filters as filter text. */
export function segmentToEditable(object: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) if (!SERVER_FIELDS.includes(key)) out[key] = value;
  if (out.includes !== undefined) out.includes = mapIncludes(out, segmentFilterToDql);
  return out;
}

/**
 * A segment with its include filters as filter text: the form the `segment` kind shows (`get -o yaml`,
 * `describe`) and accepts back. Filters that cannot be rendered stay filter-tree JSON, which writes pass on.
 */
export function segmentWithFilterText<T extends Record<string, unknown>>(segment: T): T {
  return segment.includes === undefined
    ? segment
    : { ...segment, includes: mapIncludes(segment, segmentFilterToDql) };
}

/** The wire body of a payload: server fields dropped, include filters as AST JSON. */
export function segmentToWire(payload: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(payload)) if (!SERVER_FIELDS.includes(key)) out[key] = value;
  if (out.includes !== undefined) out.includes = mapIncludes(out, segmentFilterToWire);
  return out;
}

/** Lists the segments visible to the caller (without includes; `get` has them). */
export async function* listSegments(
  client: PlatformClient,
  options: { signal?: AbortSignal } = {},
): AsyncGenerator<Segment> {
  const body = await client.request<{ filterSegments?: Segment[] }>({
    path: `${SEGMENTS_API}/filter-segments`,
    query: { "add-fields": LIST_FIELDS },
    signal: options.signal,
    resource: { kind: "segment" },
  });
  yield* body?.filterSegments ?? [];
}

/** Reads one segment with its includes (filters as on the wire: AST JSON). */
export function getSegment(client: PlatformClient, uid: string, signal?: AbortSignal): Promise<Segment> {
  return client.request<Segment>({
    path: `${SEGMENTS_API}/filter-segments/${enc(uid)}`,
    query: { "add-fields": GET_FIELDS },
    signal,
    resource: { kind: "segment", name: uid },
  });
}

/** Creates a segment; include filters may be DQL. `isPublic` defaults to false. */
export async function createSegment(
  client: PlatformClient,
  payload: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<Segment> {
  const body = segmentToWire(payload);
  body.isPublic ??= false;
  const created = await client.request<Segment>({
    method: "POST",
    path: `${SEGMENTS_API}/filter-segments`,
    json: body,
    signal,
    resource: ref(body as Partial<Segment>),
  });
  // The create answers with the detailed segment; read it again only if a server left the includes out.
  return created?.uid && created.includes === undefined
    ? await getSegment(client, created.uid, signal)
    : created;
}

/**
 * Replaces segment `current` with `payload` (include filters may be DQL), locked on `current.version`; a
 * concurrent change is a `conflict`. Name and visibility default to the current ones. Returns it as re-read.
 */
export async function updateSegment(
  client: PlatformClient,
  current: Segment,
  payload: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<Segment> {
  const body = segmentToWire(payload);
  await client.request({
    method: "PUT",
    path: `${SEGMENTS_API}/filter-segments/${enc(current.uid)}`,
    query: { "optimistic-locking-version": current.version },
    json: {
      ...body,
      uid: current.uid,
      owner: current.owner,
      name: body.name ?? current.name,
      isPublic: body.isPublic ?? current.isPublic,
    },
    signal,
    resource: ref(current),
  });
  return await getSegment(client, current.uid, signal);
}

/** Deletes segment `current`. */
export async function deleteSegment(client: PlatformClient, current: Segment, signal?: AbortSignal) {
  await client.request({
    method: "DELETE",
    path: `${SEGMENTS_API}/filter-segments/${enc(current.uid)}`,
    signal,
    resource: ref(current),
  });
}

function describeSegment(_context: KindContext, object: RemoteObject): Promise<DescribeSection[]> {
  const sections: DescribeSection[] = [];
  if (Array.isArray(object.includes)) {
    sections.push({
      title: "Includes",
      table: {
        columns: ["DATA OBJECT", "FILTER", "APPLY TO"],
        rows: (object.includes as SegmentInclude[]).map((include) => [
          str(include.dataObject),
          segmentFilterToDql(include.filter),
          (include.applyTo ?? []).join(", "),
        ]),
      },
    });
  }
  const variables = object.variables as Segment["variables"] | undefined;
  if (variables) {
    sections.push({
      title: "Variables",
      fields: [["Type", str(variables.type)], ["Value", str(variables.value)]],
    });
  }
  return Promise.resolve(sections);
}

/** The `segment` kind. */
export const segmentKind: ResourceKind = {
  name: "segment",
  plural: "segments",
  aliases: ["seg", "filter-segment", "filter-segments"],
  description: "Filter segments (include filters shown and edited as DQL)",
  manifestKind: "Segment",
  idField: "uid",
  nameField: "name",
  looksLikeId: (text) => /^[A-Za-z0-9]{11}$/.test(text),
  serverFields: SERVER_FIELDS,
  locking: "version-param",
  owner: (object) => (typeof object.owner === "string" && object.owner !== "" ? object.owner : undefined),
  filter: {
    style: "search",
    help: "a plain search in segment names (case-insensitive)",
  },
  columns: [
    { header: "uid", value: (o) => str(o.uid) },
    { header: "name", value: (o) => str(o.name) },
    { header: "public", value: (o) => str(o.isPublic) },
    { header: "owner", value: (o) => str(o.owner) },
    { header: "description", value: (o) => str(o.description), wide: true },
    { header: "external-id", value: (o) => str(o.externalId), wide: true },
    { header: "ready-made", value: (o) => str(o.isReadyMade), wide: true },
    { header: "version", value: (o) => str(o.version), wide: true },
  ],
  listFlags: ["owner"],
  list: (context: KindContext, options: ListOptions) => {
    const items = listSegments(context.client, { signal: context.signal });
    const needle = options.filter?.toLowerCase();
    if (!options.owner && !needle) return items;
    return (async function* () {
      for await (const item of items) {
        if (options.owner && item.owner !== options.owner) continue;
        if (needle && !String(item.name).toLowerCase().includes(needle)) continue;
        yield item;
      }
    })();
  },
  // Objects of the kind carry filter text; the typed functions above keep the wire form.
  get: async (context, id) => segmentWithFilterText(await getSegment(context.client, id, context.signal)),
  create: async (context, payload) =>
    segmentWithFilterText(await createSegment(context.client, payload, context.signal)),
  update: async (context, current, payload) =>
    segmentWithFilterText(await updateSegment(context.client, current as Segment, payload, context.signal)),
  delete: (context, current) => deleteSegment(context.client, current as Segment, context.signal),
  toEditable: segmentToEditable,
  describe: describeSegment,
};
