/**
 * Platform service-level objectives (`/platform/slo/v1`): list, get, create, update, delete and evaluate.
 *
 * Locking is the SLO API's opaque `optimistic-locking-version` string (never decoded, unlike the Go dtctl), on
 * updates and deletes. Lists page with `page-key`, dropping `page-size` once a key is sent (the API answers 400
 * to both). Template-based SLOs keep their `sliReference` through every round trip.
 *
 * @module
 */

import type { PlatformClient } from "../../client/mod.ts";
import { DtctlError } from "../../errors/mod.ts";
import { filterLiteral } from "../documents/api.ts";
import type { DescribeSection, KindContext, ListOptions, RemoteObject, ResourceKind } from "../types.ts";
import { str } from "./text.ts";

/** Base path of the platform SLO API. */
const SLO_API = "/platform/slo/v1";

/** The one criterion of an SLO. */
export interface SloCriterion {
  /** Start of the evaluation window, e.g. `now-7d`. */
  timeframeFrom: string;
  /** End of the evaluation window, default `now`. */
  timeframeTo?: string;
  /** Target in percent. */
  target: number;
  /** Warning threshold in percent (above the target). */
  warning?: number;
}

/** A platform SLO as the API returns it. */
export interface Slo {
  /** Server-generated id. */
  id: string;
  /** Opaque version, regenerated on every write. */
  version: string;
  /** Name (1..200 characters). */
  name: string;
  /** Description. */
  description?: string;
  /** Client-side identity, unique per environment. */
  externalId?: string;
  /** `key:value` or plain tags. */
  tags?: string[];
  /** Exactly one criterion. */
  criteria: SloCriterion[];
  /** A custom DQL indicator (exclusive with `sliReference`). */
  customSli?: { indicator: string; filterSegments?: unknown[] };
  /** A template-based indicator (exclusive with `customSli`). */
  sliReference?: { templateId: string; variables?: Array<{ name: string; value: string }> };
  /** Fields the API may add later. */
  [field: string]: unknown;
}

/** The writable fields of an SLO (what create and update send). */
export type SloConfig = Omit<Slo, "id" | "version">;

/** One evaluated criterion. */
export interface SloEvaluationResult {
  /** The evaluated window, e.g. `now-7d - now`. */
  criteria: string;
  /** Grade of the value against target and warning. */
  status: "SUCCESS" | "WARNING" | "FAILURE" | "ERROR" | string;
  /** SLI value in percent. */
  value?: number;
  /** Value minus target, in percentage points. */
  errorBudget?: number;
  /** Why the evaluation failed. */
  message?: string;
}

/** The result of {@link evaluateSlo}. */
export interface SloEvaluation {
  /** The SLO as evaluated. */
  definition?: Slo;
  /** One result per criterion. */
  evaluationResults: SloEvaluationResult[];
  /** What was run. */
  metadata?: { evaluatedSliQuery?: string; [field: string]: unknown };
}

/** Options of {@link evaluateSlo}. */
export interface EvaluateSloOptions {
  /** Evaluate over this window instead of the criterion's (RFC 3339 strings). */
  customTimeframe?: { start: string; end: string };
  /** Filter segments applied to the SLI. */
  filterSegments?: unknown[];
  /** Overall time limit in ms (default 120 000). */
  timeoutMs?: number;
  /** How long one request may wait on the server for the result, in ms (default 10 000, max 60 000). */
  requestTimeoutMs?: number;
  /** Cancels the evaluation (it is also cancelled on the server, best effort). */
  signal?: AbortSignal;
}

/** Options of {@link listSlos}. */
export interface ListSlosOptions {
  /** Platform filter expression (`name contains 'x'`, `tag.key == 'team'`). */
  filter?: string;
  /** Sort field (`name`, `-name`). */
  sort?: string;
  /** Page size (max 500). */
  pageSize?: number;
  /** Only SLOs with every one of these tags (`key`, `key=value` or `key:value`). */
  tags?: string[];
  /** Cancels the listing. */
  signal?: AbortSignal;
}

/** Fields only the server sets: dropped from writes, and a manifest may not set them. */
export const SLO_SERVER_FIELDS = ["id", "version"];
const enc = encodeURIComponent;

function sloRef(name?: string) {
  return { kind: "slo", ...(name === undefined ? {} : { name }) };
}

/** True when the SLO has every tag asked for: `key` matches `key` and `key:*`; `key=value` matches `key:value`. */
export function sloHasTags(slo: Pick<Slo, "tags">, wanted: readonly string[]): boolean {
  const tags = slo.tags ?? [];
  return wanted.every((label) => {
    const [key, ...rest] = label.split(/[=:]/);
    if (rest.length === 0) return tags.some((tag) => tag === key || tag.startsWith(`${key}:`));
    return tags.includes(`${key}:${rest.join(":")}`);
  });
}

/** Lists SLOs lazily, page by page. */
export async function* listSlos(client: PlatformClient, options: ListSlosOptions = {}): AsyncGenerator<Slo> {
  const pages = client.paginate<Slo>({
    style: "page-key",
    path: `${SLO_API}/slos`,
    query: { filter: options.filter, sort: options.sort },
    itemsField: "slos",
    pageSize: options.pageSize,
    // The SLO API answers 400 to page-size next to page-key.
    dropOnPageKey: ["page-size"],
    signal: options.signal,
    resource: sloRef(),
  });
  for await (const slo of pages) {
    if (!options.tags?.length || sloHasTags(slo, options.tags)) yield slo;
  }
}

/** Reads one SLO; `not_found` names it. */
export function getSlo(client: PlatformClient, id: string, signal?: AbortSignal): Promise<Slo> {
  return client.request<Slo>({ path: `${SLO_API}/slos/${enc(id)}`, signal, resource: sloRef(id) });
}

/** The writable part of an SLO: server fields (`id`, `version`) removed. */
function sloConfig(slo: Record<string, unknown>): SloConfig {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(slo)) {
    if (!SLO_SERVER_FIELDS.includes(key)) out[key] = value;
  }
  return out as SloConfig;
}

/** Creates an SLO (server fields in the payload are ignored); returns it with its new id and version. */
export function createSlo(
  client: PlatformClient,
  payload: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<Slo> {
  const body = sloConfig(payload);
  return client.request<Slo>({
    method: "POST",
    path: `${SLO_API}/slos`,
    json: body,
    signal,
    resource: sloRef(typeof body.name === "string" ? body.name : undefined),
  });
}

/**
 * Replaces SLO `current` with `payload`, locked on `current.version`: a concurrent change is a `conflict`.
 * Returns the updated SLO (re-read when the server answers without a body, as the spec allows).
 */
export async function updateSlo(
  client: PlatformClient,
  current: Pick<Slo, "id" | "version" | "name">,
  payload: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<Slo> {
  const updated = await client.request<Slo | undefined>({
    method: "PUT",
    path: `${SLO_API}/slos/${enc(current.id)}`,
    query: { "optimistic-locking-version": current.version },
    json: sloConfig(payload),
    signal,
    resource: sloRef(current.name ?? current.id),
  });
  return updated && typeof updated === "object" && "id" in updated
    ? updated
    : await getSlo(client, current.id, signal);
}

/** Deletes SLO `current`, locked on its version. */
export async function deleteSlo(
  client: PlatformClient,
  current: Pick<Slo, "id" | "version" | "name">,
  signal?: AbortSignal,
): Promise<void> {
  await client.request({
    method: "DELETE",
    path: `${SLO_API}/slos/${enc(current.id)}`,
    query: { "optimistic-locking-version": current.version },
    signal,
    resource: sloRef(current.name ?? current.id),
  });
}

function isPending(body: unknown): body is { evaluationToken: string } {
  return typeof body === "object" && body !== null &&
    typeof (body as Record<string, unknown>).evaluationToken === "string" &&
    !Array.isArray((body as Record<string, unknown>).evaluationResults);
}

/**
 * Evaluates an SLO now (or over `customTimeframe`): starts the evaluation and long-polls until it is done.
 * The result's `status` is per criterion; an SLI the server cannot compute is `ERROR` with a `message`.
 */
export async function evaluateSlo(
  client: PlatformClient,
  id: string,
  options: EvaluateSloOptions = {},
): Promise<SloEvaluation> {
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  const longPoll = Math.min(options.requestTimeoutMs ?? 10_000, 60_000);
  const wait = () => Math.max(0, Math.min(longPoll, deadline - Date.now()));
  let body = await client.request<unknown>({
    method: "POST",
    path: `${SLO_API}/slos/evaluation:start`,
    json: {
      id,
      requestTimeoutMilliseconds: wait(),
      ...(options.customTimeframe ? { customTimeframe: options.customTimeframe } : {}),
      ...(options.filterSegments ? { filterSegments: options.filterSegments } : {}),
    },
    // Evaluating changes nothing: no safety check, and it may be retried.
    operation: "read",
    signal: options.signal,
    resource: sloRef(id),
  });
  while (isPending(body)) {
    const token = body.evaluationToken;
    if (Date.now() >= deadline || options.signal?.aborted) {
      await client.request({
        method: "POST",
        path: `${SLO_API}/slos/evaluation:cancel`,
        query: { "evaluation-token": token },
        operation: "read",
      }).catch(() => undefined);
      if (options.signal?.aborted) {
        throw new DtctlError("aborted", `The evaluation of slo "${id}" was aborted.`);
      }
      throw new DtctlError("timeout", `The evaluation of slo "${id}" did not finish in time.`, {
        hint: "Retry, or allow more time (--timeout).",
        details: { id, timeoutMs: options.timeoutMs ?? 120_000 },
      });
    }
    body = await client.request<unknown>({
      path: `${SLO_API}/slos/evaluation:poll`,
      query: { "evaluation-token": token, "request-timeout-milliseconds": wait() },
      signal: options.signal,
      resource: sloRef(id),
    });
  }
  const result = body as SloEvaluation;
  if (!result || !Array.isArray(result.evaluationResults)) {
    throw new DtctlError("server_error", `The evaluation of slo "${id}" returned no evaluationResults.`, {
      hint: "The server or a proxy returned an unexpected body; retry, and report it if it persists.",
    });
  }
  return result;
}

/** Lists the objective templates (built-in SLI definitions an SLO can reference). */
export function listSloTemplates(
  client: PlatformClient,
  options: { filter?: string; signal?: AbortSignal } = {},
): AsyncIterable<Record<string, unknown>> {
  return client.paginate<Record<string, unknown>>({
    style: "page-key",
    path: `${SLO_API}/objective-templates`,
    query: { filter: options.filter },
    itemsField: "items",
    dropOnPageKey: ["page-size"],
    signal: options.signal,
    resource: { kind: "slo-template" },
  });
}

function criterion(object: RemoteObject): Partial<SloCriterion> {
  const criteria = object.criteria;
  return Array.isArray(criteria) && typeof criteria[0] === "object" && criteria[0] !== null
    ? criteria[0] as Partial<SloCriterion>
    : {};
}

function timeframe(object: RemoteObject): string {
  const c = criterion(object);
  if (!c.timeframeFrom) return "";
  return `${c.timeframeFrom} - ${c.timeframeTo ?? "now"}`;
}

function sliText(object: RemoteObject): string {
  const custom = object.customSli as Slo["customSli"] | undefined;
  if (custom?.indicator) return custom.indicator;
  const reference = object.sliReference as Slo["sliReference"] | undefined;
  return reference?.templateId ? `template ${reference.templateId}` : "";
}

function tags(object: RemoteObject): string[] {
  return Array.isArray(object.tags) ? object.tags.map(String) : [];
}

async function describeSlo(_context: KindContext, object: RemoteObject): Promise<DescribeSection[]> {
  // Target, warning, timeframe and tags are columns already; the indicator needs more room.
  const sections: DescribeSection[] = [];
  const custom = object.customSli as Slo["customSli"] | undefined;
  const reference = object.sliReference as Slo["sliReference"] | undefined;
  if (custom) {
    sections.push({
      title: "SLI",
      fields: [
        ["Type", "custom DQL"],
        ["Query", custom.indicator ?? ""],
        ...(custom.filterSegments?.length
          ? [["Segments", String(custom.filterSegments.length)] as [string, string]]
          : []),
      ],
    });
  } else if (reference) {
    sections.push({
      title: "SLI",
      fields: [["Type", "template"], ["Template", reference.templateId ?? ""]],
      table: {
        columns: ["VARIABLE", "VALUE"],
        rows: (reference.variables ?? []).map((v) => [v.name, v.value]),
      },
    });
  }
  return await Promise.resolve(sections);
}

/** The `slo` kind. */
export const sloKind: ResourceKind = {
  name: "slo",
  plural: "slos",
  aliases: [],
  description: "Service-level objectives (platform SLO API)",
  manifestKind: "SLO",
  idField: "id",
  nameField: "name",
  // Server ids are URL-safe strings without spaces; names usually have spaces. An id-like name still resolves
  // by name after the id lookup misses.
  looksLikeId: (text) => /^[A-Za-z0-9_-]{9,40}$/.test(text) && /[0-9A-Z]/.test(text.slice(1)),
  serverFields: SLO_SERVER_FIELDS,
  locking: "version-param",
  // Name resolution asks the server for that name only.
  nameQuery: (name, options) => ({ ...options, filter: `name == ${filterLiteral(name)}` }),
  filter: {
    style: "grammar",
    help: "the SLO API filter, e.g. \"name contains 'checkout'\" or \"tag.key == 'team'\"",
  },
  columns: [
    { header: "id", value: (o) => str(o.id) },
    { header: "name", value: (o) => str(o.name) },
    { header: "target", value: (o) => str(criterion(o).target) },
    { header: "warning", value: (o) => str(criterion(o).warning) },
    { header: "timeframe", value: timeframe },
    { header: "tags", value: (o) => tags(o).join(","), wide: true },
    { header: "external-id", value: (o) => str(o.externalId), wide: true },
    { header: "indicator", value: sliText, wide: true },
  ],
  // Labels select SLO tags (`-l team=shop`).
  listFlags: ["labels"],
  list: (context: KindContext, options: ListOptions) =>
    listSlos(context.client, {
      filter: options.filter,
      pageSize: options.chunkSize,
      tags: options.labels,
      signal: context.signal,
    }),
  get: (context, id) => getSlo(context.client, id, context.signal),
  create: (context, payload) => createSlo(context.client, payload, context.signal),
  update: (context, current, payload) =>
    updateSlo(context.client, current as unknown as Slo, payload, context.signal),
  delete: (context, current) => deleteSlo(context.client, current as unknown as Slo, context.signal),
  describe: describeSlo,
};
