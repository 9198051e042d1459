/**
 * Error envelopes and JSON responses of the emulated platform, one builder per envelope family.
 *
 * Shapes follow `shared/reference/dynatrace-api.md` §3: the query family nests `details` with an
 * `errorType`; the platform family nests `details` with `errorRef` and `constraintViolations`; the storage
 * family has an `errorDetails` array; the classic family has top-level `constraintViolations`.
 *
 * @module
 */

import type { ErrorFamily } from "./types.ts";

/** A violated constraint, as the platform reports it. */
export interface ConstraintViolation {
  /** Where: a JSON path in the body, or a parameter name. */
  path: string;
  /** What is wrong. */
  message: string;
  /** Where the offending value sits (classic family only). */
  parameterLocation?: "PAYLOAD_BODY" | "QUERY" | "PATH" | "HEADER";
}

/** Optional parts of an error envelope. */
export interface ErrorExtras {
  /** Violated constraints (400s). */
  constraintViolations?: ConstraintViolation[];
  /** Query family: the error type, e.g. `UNKNOWN_DATA_OBJECT`. */
  errorType?: string;
  /** Extra fields merged into `details` (query/platform) or `errorDetails[0]` (storage). */
  details?: Record<string, unknown>;
  /**
   * Query family: entries of a top-level `error.errorDetails` array, e.g. the `{"@type":"media-type"}` entry of a
   * 415 (reference §13.1). The storage family derives its own `errorDetails` from `details` instead.
   */
  errorDetails?: Record<string, unknown>[];
  /** Seconds to wait before retrying (429, 503): sent as `Retry-After` and `error.retryAfterSeconds`. */
  retryAfterSeconds?: number;
  /** Additional response headers. */
  headers?: Record<string, string>;
}

/** A JSON response with the given status. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

/** An empty response (204, 202 without body). */
export function empty(status: number, headers: Record<string, string> = {}): Response {
  return new Response(null, { status, headers });
}

function errorRef(): string {
  return crypto.randomUUID();
}

/** Builds the error body of a family, without headers. */
export function errorBody(
  family: ErrorFamily,
  status: number,
  message: string,
  extras: ErrorExtras = {},
): Record<string, unknown> {
  const violations = extras.constraintViolations;
  const error: Record<string, unknown> = { code: status, message };
  switch (family) {
    case "query": {
      const details: Record<string, unknown> = {
        errorType: extras.errorType ?? message,
        exceptionType: status >= 500 ? "INTERNAL" : "DQL-REQUEST",
        errorMessage: message,
        errorMessageFormat: message,
        errorMessageFormatSpecifierTypes: [],
        arguments: [],
        ...extras.details,
      };
      if (violations) details.constraintViolations = violations;
      error.details = details;
      if (extras.errorDetails) error.errorDetails = extras.errorDetails;
      break;
    }
    case "platform": {
      const details: Record<string, unknown> = { errorRef: errorRef(), ...extras.details };
      if (violations) details.constraintViolations = violations;
      error.details = details;
      break;
    }
    case "storage": {
      // The storage services answer plain errors with an empty `errorDetails` array (storage-management and
      // filter-segments specs); an entry appears only when there is something to say about a parameter or body.
      if (violations) {
        error.errorDetails = violations.map((v) =>
          v.parameterLocation === "PAYLOAD_BODY"
            ? { "@type": "request-body", message: v.message, bodyDescriptor: v.path }
            : { message: v.message, parameterDescriptor: v.path }
        );
      } else if (extras.details && Object.keys(extras.details).length > 0) {
        error.errorDetails = [{ message, ...extras.details }];
      } else {
        error.errorDetails = [];
      }
      break;
    }
    case "classic": {
      error.constraintViolations = (violations ?? []).map((v) => ({
        path: v.path,
        message: v.message,
        parameterLocation: v.parameterLocation ?? "PAYLOAD_BODY",
        location: null,
      }));
      break;
    }
  }
  if (extras.retryAfterSeconds !== undefined) error.retryAfterSeconds = extras.retryAfterSeconds;
  return { error };
}

/** An error response in the envelope of the given family. */
export function errorResponse(
  family: ErrorFamily,
  status: number,
  message: string,
  extras: ErrorExtras = {},
): Response {
  const headers: Record<string, string> = { ...extras.headers };
  if (extras.retryAfterSeconds !== undefined) headers["retry-after"] = String(extras.retryAfterSeconds);
  return json(status, errorBody(family, status, message, extras), headers);
}

/**
 * An error raised by the API gateway in front of the services (401, 403 missing scopes, 429): the
 * `dynatrace-response-source: API Gateway` header makes the SDK throw its `ApiGatewayError`, and the body
 * carries `details.errorCode`, `errorRef`, `traceId` and, for scope errors, `missingScopes`.
 */
export function gatewayErrorResponse(
  status: number,
  message: string,
  details: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Response {
  const error: Record<string, unknown> = {
    code: status,
    message,
    details: { errorRef: errorRef(), traceId: crypto.randomUUID().replaceAll("-", ""), ...details },
  };
  return json(status, { error }, { "dynatrace-response-source": "API Gateway", ...headers });
}

/** The 405 every platform service answers for a known path with an unsupported method. */
export function methodNotAllowed(allowed: string[]): Response {
  return json(405, { error: { code: 405, message: "Http method not supported", errorDetails: [] } }, {
    allow: allowed.join(", "),
  });
}
