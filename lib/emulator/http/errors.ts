/**
 * Errors a route handler throws to answer with an error envelope.
 *
 * Handlers throw {@link HttpError} instead of building responses by hand; the core renders it in the envelope
 * family of the route, so one service cannot answer in another family's shape by mistake.
 *
 * @module
 */

import type { ConstraintViolation, ErrorExtras } from "../envelope.ts";

/** An HTTP error that the emulator core renders in the route's envelope family. */
export class HttpError extends Error {
  /** HTTP status. */
  readonly status: number;
  /** Envelope extras (constraint violations, details, headers, retry-after). */
  readonly extras: ErrorExtras;

  /** Creates an error answered with `status` and `message`. */
  constructor(status: number, message: string, extras: ErrorExtras = {}) {
    super(message);
    this.name = "HttpError";
    this.status = status;
    this.extras = extras;
  }
}

/** 400 with one constraint violation naming the offending parameter or body path. */
export function badRequest(message: string, path?: string, extras: ErrorExtras = {}): HttpError {
  const violations: ConstraintViolation[] | undefined = path === undefined
    ? extras.constraintViolations
    : [...(extras.constraintViolations ?? []), { path, message }];
  return new HttpError(400, message, { ...extras, constraintViolations: violations });
}

/** 400 about a query parameter. */
export function queryError(message: string, name: string): HttpError {
  return new HttpError(400, message, {
    constraintViolations: [{ path: name, message, parameterLocation: "QUERY" }],
  });
}

/** 400 about a field of the request body, named by its JSON path. */
export function bodyError(message: string, path: string): HttpError {
  return new HttpError(400, message, {
    constraintViolations: [{ path, message, parameterLocation: "PAYLOAD_BODY" }],
  });
}

/** 403. */
export function forbidden(message: string, extras: ErrorExtras = {}): HttpError {
  return new HttpError(403, message, extras);
}

/** 404. */
export function notFound(message: string, extras: ErrorExtras = {}): HttpError {
  return new HttpError(404, message, extras);
}

/** 409. */
export function conflict(message: string, extras: ErrorExtras = {}): HttpError {
  return new HttpError(409, message, extras);
}
