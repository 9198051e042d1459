/**
 * The one error type of dtctl and its mapping to process exit codes.
 *
 * Every failure the library raises on purpose is a {@link DtctlError}: it carries a stable machine-readable
 * `code` (used by the agent envelope and by scripts), a human message, an optional hint saying what to do, and
 * free-form context. The CLI maps the code to an exit code with {@link exitCodeFor}; nothing else decides exit
 * codes, so the library, the CLI and the actions agree.
 *
 * @module
 */

/** Process exit codes, as documented in the README. */
export const ExitCode = {
  /** Success. */
  ok: 0,
  /** Any failure without a more specific code. */
  error: 1,
  /** Bad command line: unknown command or flag, missing argument, invalid value. */
  usage: 2,
  /** Authentication failed (HTTP 401) or credentials are missing. */
  auth: 3,
  /** The resource does not exist (HTTP 404). */
  notFound: 4,
  /** Permission denied (HTTP 403, missing scopes, safety level). */
  permission: 5,
  /** Conflict (HTTP 409): somebody else changed the resource, or it already exists. */
  conflict: 6,
} as const;

/** A process exit code of dtctl. */
export type ExitCodeValue = typeof ExitCode[keyof typeof ExitCode];

/**
 * Stable error codes. They appear in the agent envelope (`-A`) and never change meaning between releases.
 */
export type ErrorCode =
  | "error"
  | "usage_error"
  | "unknown_command"
  | "bad_request"
  | "validation_error"
  | "auth_required"
  | "permission_denied"
  | "insufficient_scope"
  | "safety_blocked"
  | "not_found"
  | "conflict"
  | "rate_limited"
  | "server_error"
  | "network_error"
  | "timeout"
  | "aborted"
  | "config_error"
  | "context_error";

const exitCodes: Record<ErrorCode, ExitCodeValue> = {
  error: ExitCode.error,
  usage_error: ExitCode.usage,
  unknown_command: ExitCode.usage,
  bad_request: ExitCode.error,
  validation_error: ExitCode.error,
  auth_required: ExitCode.auth,
  permission_denied: ExitCode.permission,
  insufficient_scope: ExitCode.permission,
  safety_blocked: ExitCode.permission,
  not_found: ExitCode.notFound,
  conflict: ExitCode.conflict,
  rate_limited: ExitCode.error,
  server_error: ExitCode.error,
  network_error: ExitCode.error,
  timeout: ExitCode.error,
  aborted: ExitCode.error,
  config_error: ExitCode.error,
  context_error: ExitCode.error,
};

/** Options accepted by the {@link DtctlError} constructor. */
export interface DtctlErrorOptions {
  /** What the user can do about it, printed as `Hint: ...`. */
  hint?: string;
  /** Structured context (file, line, flag, field, status, ...) for the agent envelope and `-v`. */
  details?: Record<string, unknown>;
  /** The underlying error, shown with `-v`. */
  cause?: unknown;
  /**
   * True for errors caused by the user's input or environment rather than by a bug: the CLI prints them
   * without a stack trace unless `-v` is given. Defaults to true.
   */
  userError?: boolean;
}

/** The error type of dtctl: a stable code, a message, a hint and context. */
export class DtctlError extends Error {
  /** Stable machine-readable code. */
  readonly code: ErrorCode;
  /** What the user can do about it. */
  readonly hint?: string;
  /** Structured context for machines and `-v`. */
  readonly details: Record<string, unknown>;
  /** Whether this error is the user's to fix (no stack trace by default). */
  readonly userError: boolean;

  /** Creates an error with a stable code and a message saying what went wrong and where. */
  constructor(code: ErrorCode, message: string, options: DtctlErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "DtctlError";
    this.code = code;
    this.hint = options.hint;
    this.details = options.details ?? {};
    this.userError = options.userError ?? true;
  }

  /** The process exit code for this error. */
  get exitCode(): ExitCodeValue {
    return exitCodeFor(this.code);
  }
}

/** Maps an error code to the documented process exit code. */
export function exitCodeFor(code: ErrorCode): ExitCodeValue {
  return exitCodes[code] ?? ExitCode.error;
}

/** Maps any thrown value to an exit code: a {@link DtctlError}'s own, else 1. */
export function exitCodeOf(error: unknown): ExitCodeValue {
  return error instanceof DtctlError ? error.exitCode : ExitCode.error;
}

/** True when the value is a {@link DtctlError} with the given code. */
export function isDtctlError(error: unknown, code?: ErrorCode): error is DtctlError {
  return error instanceof DtctlError && (code === undefined || error.code === code);
}

/** Shorthand for a usage error (exit 2), e.g. a bad flag value. */
export function usageError(message: string, options: DtctlErrorOptions = {}): DtctlError {
  return new DtctlError("usage_error", message, options);
}
