/**
 * HTTP error responses of the platform, normalised into one error type.
 *
 * Dynatrace services answer with four different error envelopes (`shared/reference/dynatrace-api.md` §3), gateways
 * and proxies add bare `{message}` bodies and HTML pages, and some errors have no body at all. {@link parseApiError}
 * accepts all of them so the CLI can always say which request failed, why, and what to do.
 *
 * @module
 */

import { DtctlError, type ErrorCode } from "../errors/mod.ts";
import { redactText } from "../redact/mod.ts";
import { retryAfterMs } from "./retry.ts";

/** A violated constraint reported by the server: where (JSON path or parameter) and what. */
export interface ConstraintViolation {
  /** JSON path in the body, or the parameter name; empty when the server gave none. */
  path: string;
  /** What is wrong. */
  message: string;
}

/** The resource a request is about, used in messages (`workflow "x" not found`) and by the safety guard. */
export interface ResourceRef {
  /** Kind, e.g. `workflow`, `document`. */
  kind: string;
  /** Name or id as the user knows it. */
  name?: string;
  /** Owner (user or group id), when known; the safety guard uses it. */
  owner?: string;
}

/** Fields of an {@link ApiError} besides code and message. */
export interface ApiErrorInit {
  /** HTTP status. */
  status: number;
  /** Request method. */
  method: string;
  /** Request URL (secrets redacted). */
  url: string;
  /** Request id for support: response header or `errorRef`. */
  requestId?: string;
  /** The platform's error reference (`details.errorRef`). */
  errorRef?: string;
  /** The envelope's `error.code` (usually the status, sometimes a string). */
  apiCode?: string | number;
  /** Violated constraints from any envelope family. */
  constraintViolations?: ConstraintViolation[];
  /** Scopes the token lacks (403 from the API gateway or the query service). */
  missingScopes?: string[];
  /** Seconds the server asked to wait before retrying. */
  retryAfterSeconds?: number;
  /** The parsed body (or the text when it was not JSON). */
  raw?: unknown;
  /** What to do about it. */
  hint?: string;
  /** The underlying error. */
  cause?: unknown;
}

/** An HTTP error response from the platform, with everything the server said about it. */
export class ApiError extends DtctlError {
  /** HTTP status. */
  readonly status: number;
  /** Request method. */
  readonly method: string;
  /** Request URL (secrets redacted). */
  readonly url: string;
  /** Request id to quote to support. */
  readonly requestId?: string;
  /** The platform's error reference. */
  readonly errorRef?: string;
  /** The envelope's `error.code`. */
  readonly apiCode?: string | number;
  /** Violated constraints. */
  readonly constraintViolations: ConstraintViolation[];
  /** Scopes the token lacks. */
  readonly missingScopes: string[];
  /** Seconds the server asked to wait before retrying (header first, then body). */
  readonly retryAfterSeconds?: number;
  /** The parsed response body, or its text when it was not JSON. */
  readonly raw: unknown;

  /** Creates an API error; most code should use {@link parseApiError} instead. */
  constructor(code: ErrorCode, message: string, init: ApiErrorInit) {
    const constraintViolations = init.constraintViolations ?? [];
    const missingScopes = init.missingScopes ?? [];
    super(code, message, {
      hint: init.hint,
      cause: init.cause,
      details: {
        status: init.status,
        method: init.method,
        url: init.url,
        ...(init.requestId === undefined ? {} : { requestId: init.requestId }),
        ...(init.errorRef === undefined ? {} : { errorRef: init.errorRef }),
        ...(init.apiCode === undefined ? {} : { apiCode: init.apiCode }),
        ...(constraintViolations.length ? { constraintViolations } : {}),
        ...(missingScopes.length ? { missingScopes } : {}),
        ...(init.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: init.retryAfterSeconds }),
      },
    });
    this.name = "ApiError";
    this.status = init.status;
    this.method = init.method;
    this.url = init.url;
    this.requestId = init.requestId;
    this.errorRef = init.errorRef;
    this.apiCode = init.apiCode;
    this.constraintViolations = constraintViolations;
    this.missingScopes = missingScopes;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.raw = init.raw;
  }
}

/** Input of {@link parseApiError}: the response as received and the request it answers. */
export interface ParseApiErrorInput {
  /** HTTP status. */
  status: number;
  /** Response headers. */
  headers: Headers;
  /** The response body as text (may be empty, HTML, or not JSON at all). */
  bodyText: string;
  /** Request method. */
  method: string;
  /** Request URL. */
  url: string;
  /** What the request was about, for the message. */
  resource?: ResourceRef;
  /** Known secrets to keep out of the message (the server may echo request data). */
  secrets?: readonly string[];
}

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  410: "Gone",
  412: "Precondition Failed",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
  507: "Insufficient Storage",
};

const MAX_DETAIL_CHARS = 1024;

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v.trim() !== "" ? v : undefined;
}

function num(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v) && v >= 0) return v;
  if (typeof v === "string" && /^\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  return undefined;
}

function violationsFrom(v: unknown): ConstraintViolation[] {
  if (!Array.isArray(v)) return [];
  const out: ConstraintViolation[] = [];
  for (const item of v) {
    if (isObj(item)) {
      const message = str(item.message) ?? str(item.errorMessage) ?? "";
      const path = str(item.path) ?? str(item.parameterDescriptor) ?? str(item.bodyDescriptor) ?? "";
      if (message || path) out.push({ path, message });
    } else if (typeof item === "string") {
      out.push({ path: "", message: item });
    }
  }
  return out;
}

function stringsFrom(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === "string" && s !== "") : [];
}

/** The useful text of a non-JSON body: an HTML page's title, else its text without tags, shortened. */
function summariseText(text: string): string {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text)?.[1];
  const plain = (title ?? text.replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>|<[^>]+>/gi, " "))
    .replace(/\s+/g, " ")
    .trim();
  return plain.length > 200 ? `${plain.slice(0, 200)}…` : plain;
}

interface Envelope {
  message?: string;
  apiCode?: string | number;
  errorRef?: string;
  violations: ConstraintViolation[];
  missingScopes: string[];
  retryAfterSeconds?: number;
  extra: string[];
}

/** Reads any of the four envelope families (and bare `{message}`) from a parsed body. */
function readEnvelope(body: unknown): Envelope {
  const env: Envelope = { violations: [], missingScopes: [], extra: [] };
  if (!isObj(body)) return env;
  const err = isObj(body.error) ? body.error : body;
  env.message = str(err.message) ?? str(body.message) ??
    (typeof body.error === "string" ? body.error : undefined);
  const code = err.code;
  if (typeof code === "number" || typeof code === "string") env.apiCode = code;
  env.retryAfterSeconds = num(err.retryAfterSeconds) ?? num(body.retryAfterSeconds);
  // Classic family: violations directly under `error`.
  env.violations.push(...violationsFrom(err.constraintViolations));
  env.missingScopes.push(...stringsFrom(err.missingScopes));
  // Storage family: `errorDetails` is an array of {message, parameterDescriptor?, bodyDescriptor?}.
  env.violations.push(...violationsFrom(err.errorDetails));
  const details = err.details;
  if (typeof details === "string" && details.trim() !== "") {
    env.extra.push(details.trim());
  } else if (isObj(details)) {
    // Query and platform families (and the API gateway variant) nest everything under `details`.
    env.errorRef = str(details.errorRef);
    env.violations.push(...violationsFrom(details.constraintViolations));
    env.missingScopes.push(...stringsFrom(details.missingScopes));
    env.retryAfterSeconds ??= num(details.retryAfterSeconds);
    const errorMessage = str(details.errorMessage);
    if (errorMessage && errorMessage !== env.message) env.extra.push(errorMessage);
    const errorType = str(details.errorType) ?? str(details.errorCode);
    if (errorType && errorType !== env.message) env.extra.push(`(${errorType})`);
    const position = details.syntaxErrorPosition;
    if (isObj(position) && isObj(position.start)) {
      const line = num(position.start.line);
      const column = num(position.start.column);
      if (line !== undefined && column !== undefined) env.extra.push(`at line ${line}, column ${column}`);
    }
    const missingPermissions = stringsFrom(details.missingPermissions);
    if (missingPermissions.length) env.extra.push(`missing permissions: ${missingPermissions.join(", ")}`);
  }
  env.missingScopes = [...new Set(env.missingScopes)];
  return env;
}

function codeFor(status: number, env: Envelope): ErrorCode {
  if (status === 401) return "auth_required";
  if (status === 403) return env.missingScopes.length ? "insufficient_scope" : "permission_denied";
  if (status === 404) return "not_found";
  if (status === 409 || status === 412) return "conflict";
  if (status === 429) return "rate_limited";
  if (status >= 500) return "server_error";
  if (status >= 400) return env.violations.length ? "validation_error" : "bad_request";
  return "error";
}

function describe(resource: ResourceRef | undefined): string | undefined {
  if (!resource) return undefined;
  return resource.name === undefined ? resource.kind : `${resource.kind} "${resource.name}"`;
}

function headline(status: number, resource: ResourceRef | undefined): string {
  const what = describe(resource);
  switch (status) {
    case 401:
      return what ? `Authentication failed while accessing ${what}` : "Authentication failed";
    case 403:
      return what ? `Permission denied for ${what}` : "Permission denied";
    case 404:
      return what ? `${what} not found` : "Not found";
    case 409:
    case 412:
      return what ? `Conflict on ${what}` : "Conflict";
    case 429:
      return "Rate limited by the environment";
    default:
      return what ? `Request for ${what} failed` : "Request failed";
  }
}

function hintFor(status: number, env: Envelope, requestId: string | undefined): string | undefined {
  const support = requestId ? ` Quote request id ${requestId} if you contact support.` : "";
  if (status === 401) {
    return "Check that the token is valid, not expired or revoked, and belongs to this environment " +
      "(platform tokens start with dt0s16.; OAuth access tokens expire after a few minutes).";
  }
  if (status === 403) {
    return env.missingScopes.length
      ? `The token lacks the scope(s) ${env.missingScopes.join(", ")}: create a token that has them.`
      : "The token or user lacks the permission for this operation: check the token scopes and the IAM policies.";
  }
  if (status === 404) return "Check the name or id, and that the environment URL is the right one.";
  if (status === 409 || status === 412) {
    return "Someone else changed the resource (or it already exists): re-read it and retry.";
  }
  if (status === 429) {
    return "The environment is throttling requests: retry later, or lower the concurrency or rate.";
  }
  if (status >= 500) return `The server failed; retry later.${support}`;
  if (env.violations.length) return "Fix the listed fields and retry.";
  return support.trim() || undefined;
}

/**
 * Builds an {@link ApiError} from an error response of any service.
 *
 * The message names the request (method and path), the resource when given, the status and the server's own
 * message and violations; the hint says what to do for that status. Secrets echoed by the server are redacted.
 */
export function parseApiError(input: ParseApiErrorInput): ApiError {
  const { status, headers, method } = input;
  const secrets = input.secrets ?? [];
  const url = redactText(input.url, secrets);
  const text = input.bodyText;
  let raw: unknown = text.trim() === "" ? undefined : text;
  let parsed = false;
  if (text.trim() !== "") {
    try {
      raw = JSON.parse(text);
      parsed = true;
    } catch {
      // Not JSON (an HTML error page from a proxy, plain text): summarised below.
    }
  }
  const env = readEnvelope(parsed ? raw : undefined);
  if (!parsed && text.trim() !== "") env.message = summariseText(text);

  const requestId = str(headers.get("x-request-id")) ?? str(headers.get("dynatrace-request-id")) ??
    env.errorRef;
  const headerWaitMs = retryAfterMs(headers.get("retry-after"), Date.now());
  const headerWait = headerWaitMs === undefined ? undefined : headerWaitMs / 1000;
  const retryAfterSeconds = headerWait ?? env.retryAfterSeconds;

  let path = url;
  try {
    const u = new URL(url);
    path = u.pathname + u.search;
  } catch {
    // Keep whatever we were given.
  }
  const statusText = STATUS_TEXT[status] ?? "";
  const serverParts = [env.message, ...env.extra].filter((p): p is string => !!p);
  let serverSays = serverParts.join(" ");
  if (env.violations.length) {
    const list = env.violations.map((v) => (v.path ? `${v.path}: ${v.message}` : v.message)).join("; ");
    serverSays = serverSays ? `${serverSays} [${list}]` : list;
  }
  if (serverSays.length > MAX_DETAIL_CHARS) serverSays = `${serverSays.slice(0, MAX_DETAIL_CHARS)}…`;
  let message = `${headline(status, input.resource)}: ${method} ${path} returned ${status}` +
    (statusText ? ` ${statusText}` : "");
  message += serverSays ? `: ${serverSays}` : text.trim() === "" ? " (empty response body)" : "";
  if (requestId) message += ` (request id ${requestId})`;
  message = redactText(message, secrets);

  // The server may echo request data (a header, a field value) in violations too.
  const constraintViolations = env.violations.map((v) => ({
    path: redactText(v.path, secrets),
    message: redactText(v.message, secrets),
  }));
  return new ApiError(codeFor(status, env), message, {
    status,
    method,
    url,
    requestId,
    errorRef: env.errorRef,
    apiCode: env.apiCode,
    constraintViolations,
    missingScopes: env.missingScopes,
    retryAfterSeconds,
    raw,
    hint: hintFor(status, env, requestId),
  });
}
