/**
 * The agent envelope (`-A/--agent`): one JSON object on stdout per invocation, success or failure, so that
 * scripts and AI agents never parse human text.
 *
 * @module
 */

import { DtctlError, type ErrorCode, exitCodeOf } from "../errors/mod.ts";
import { redactValue } from "../redact/mod.ts";

/** Version of the envelope layout; bumped only on incompatible changes. */
export const ENVELOPE_VERSION = "1";

/** The error part of an envelope. */
export interface EnvelopeError {
  /** Stable error code (see `ErrorCode`). */
  code: ErrorCode;
  /** Human message. */
  message: string;
  /** What to do about it. */
  hint?: string;
  /** The process exit code that accompanies this error. */
  exit_code: number;
  /** Structured context: file, line, flag, HTTP status, request id, missing scopes, ... */
  details?: Record<string, unknown>;
}

/** The agent envelope. */
export interface Envelope {
  /** True on success. */
  ok: boolean;
  /** Layout version. */
  envelope_version: string;
  /** The command's result on success, else null. */
  result: unknown;
  /** The error on failure, else null. */
  error: EnvelopeError | null;
  /** What ran: verb and resource, warnings. */
  context?: Record<string, unknown>;
}

/** A success envelope around a command result. */
export function successEnvelope(result: unknown, context?: Record<string, unknown>): Envelope {
  return {
    ok: true,
    envelope_version: ENVELOPE_VERSION,
    result,
    error: null,
    ...(context ? { context } : {}),
  };
}

/** A failure envelope for any thrown value; unexpected errors become code `error`. Secrets are redacted. */
export function errorEnvelope(error: unknown, context?: Record<string, unknown>): Envelope {
  const failure: EnvelopeError = error instanceof DtctlError
    ? {
      code: error.code,
      message: error.message,
      exit_code: error.exitCode,
      ...(error.hint ? { hint: error.hint } : {}),
      ...(Object.keys(error.details).length > 0 ? { details: error.details } : {}),
    }
    : {
      code: "error",
      message: error instanceof Error ? error.message : String(error),
      exit_code: exitCodeOf(error),
    };
  return redactValue({
    ok: false,
    envelope_version: ENVELOPE_VERSION,
    result: null,
    error: failure,
    ...(context ? { context } : {}),
  });
}
