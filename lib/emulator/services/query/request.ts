/**
 * Reading and validating query-service request bodies (`ExecuteRequest`, `VerifyRequest`, …). Unknown
 * properties are tolerated: dtctl sends `pollingPromiseSeconds`, which is not in the API model.
 *
 * @module
 */

import { HttpError } from "../../http/errors.ts";
import { readJson } from "../../http/body.ts";
import { isObject } from "../../http/validate.ts";
import { Timeframe, Timestamp } from "./values.ts";

/** The execute options the service honours. */
export interface ExecuteRequest {
  /** The DQL text. */
  query: string;
  /** Default analysis timeframe (only when both ends were given). */
  defaultTimeframe?: Timeframe;
  /** Request time zone, `Z` when unset. */
  timezone: string;
  /** Request locale, `und` when unset. */
  locale: string;
  /** Soft record limit. */
  maxResultRecords?: number;
  /** Soft byte limit over the serialised records. */
  maxResultBytes?: number;
  /** How long execute may block, in ms (default 0: answer at once). */
  requestTimeoutMilliseconds: number;
  /** Whether `types` is included (default true). */
  includeTypes: boolean;
  /** Whether `contributions` is included. */
  includeContributions: boolean;
  /** Internal string options. */
  queryOptions: Record<string, string>;
}

/** A 400 in the query envelope with one constraint violation on a body property. */
export function invalidRequest(message: string, property: string): HttpError {
  return new HttpError(400, "INVALID_REQUEST", {
    errorType: "INVALID_REQUEST",
    details: {
      exceptionType: "DQL-REQUEST",
      errorMessage: message,
      errorMessageFormat: message,
      constraintViolations: [
        { path: property, parameterDescriptor: property, parameterLocation: "PAYLOAD_BODY", message },
      ],
    },
  });
}

/** The body as an object; malformed JSON is a 400 in the query envelope. */
export async function readBody(request: Request): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = await readJson(request);
  } catch (error) {
    if (error instanceof HttpError && error.status === 400) throw invalidRequest(error.message, "body");
    throw error;
  }
  if (!isObject(body)) throw invalidRequest("The request body must be a JSON object.", "body");
  return body;
}

/** The mandatory non-empty `query` property. */
export function queryText(body: Record<string, unknown>): string {
  const query = body.query;
  if (query === undefined || query === null) throw invalidRequest("must not be null", "query");
  if (typeof query !== "string") throw invalidRequest("must be a string", "query");
  if (query.trim() === "") throw invalidRequest("must not be blank", "query");
  return query;
}

function optionalInt(body: Record<string, unknown>, key: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value)) throw invalidRequest("must be an integer", key);
  if (value < min || value > max) throw invalidRequest(`must be between ${min} and ${max}`, key);
  return value;
}

function optionalBoolean(body: Record<string, unknown>, key: string): boolean | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw invalidRequest("must be a boolean", key);
  return value;
}

function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw invalidRequest("must be a string", key);
  return value;
}

/** Validates an IANA zone name, `UTC`/`Z`, or a `±hh:mm` offset. */
export function timezoneOf(body: Record<string, unknown>): string {
  const zone = optionalString(body, "timezone");
  if (zone === undefined || zone === "" || zone === "Z" || zone === "UTC") return "Z";
  if (/^[+-]\d{2}:?\d{2}$/.test(zone)) return zone;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
  } catch {
    throw invalidRequest(`unknown time zone '${zone}'`, "timezone");
  }
  return zone;
}

/** Reads and validates an execute body. */
export function executeRequest(body: Record<string, unknown>): ExecuteRequest {
  const query = queryText(body);
  const start = optionalString(body, "defaultTimeframeStart");
  const end = optionalString(body, "defaultTimeframeEnd");
  let defaultTimeframe: Timeframe | undefined;
  // The API uses the defaults only when both ends are given; one alone is ignored.
  if (start !== undefined && end !== undefined) {
    const from = Timestamp.parse(start);
    const to = Timestamp.parse(end);
    if (!from) throw invalidRequest(`'${start}' is not an RFC3339 timestamp`, "defaultTimeframeStart");
    if (!to) throw invalidRequest(`'${end}' is not an RFC3339 timestamp`, "defaultTimeframeEnd");
    if (from.nanos > to.nanos) {
      throw invalidRequest("must not be after defaultTimeframeEnd", "defaultTimeframeStart");
    }
    defaultTimeframe = new Timeframe(from, to);
  }
  const options = body.queryOptions;
  if (options !== undefined && options !== null && !isObject(options)) {
    throw invalidRequest("must be an object of strings", "queryOptions");
  }
  const queryOptions: Record<string, string> = {};
  for (const [key, value] of Object.entries(options ?? {})) {
    if (typeof value === "string") queryOptions[key] = value;
  }
  return {
    query,
    defaultTimeframe,
    timezone: timezoneOf(body),
    locale: optionalString(body, "locale") || "und",
    maxResultRecords: optionalInt(body, "maxResultRecords", 0),
    maxResultBytes: optionalInt(body, "maxResultBytes", 0),
    requestTimeoutMilliseconds: optionalInt(body, "requestTimeoutMilliseconds", 0) ?? 0,
    includeTypes: optionalBoolean(body, "includeTypes") ?? true,
    includeContributions: optionalBoolean(body, "includeContributions") ?? false,
    queryOptions,
  };
}
