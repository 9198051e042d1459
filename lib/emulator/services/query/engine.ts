/**
 * The pluggable query-engine contract of the Grail query service.
 *
 * The HTTP side (execute/poll/cancel, TTLs, wire encoding, metadata) lives in the service; everything that
 * understands DQL lives behind {@link QueryEngine}. The interim engine answers `data` and `fetch … | limit`;
 * a full DQL engine replaces it later without touching the service. Engines speak typed values
 * (`values.ts`) so the encoder can tell long from double from timestamp, and report problems as
 * {@link QueryError}s, which the service turns into the query error envelope.
 *
 * @module
 */

import type { DqlRecord, Timeframe, Timestamp } from "./values.ts";

/** A place in the query text: `index` 0-based, `line` and `column` 1-based (as in Grail's error example). */
export interface SourcePosition {
  /** Offset in the query string. */
  index: number;
  /** Line number, from 1. */
  line: number;
  /** Column number, from 1. */
  column: number;
}

/** A span of the query text; `end` is the last character, inclusive. */
export interface SyntaxPosition {
  /** First character. */
  start: SourcePosition;
  /** Last character (inclusive). */
  end: SourcePosition;
}

/** A notification in `metadata.grail.notifications` or a verify response. */
export interface QueryNotification {
  /** `INFO`, `WARN` or `ERROR`. */
  severity: "INFO" | "WARN" | "ERROR";
  /** E.g. `LIMIT_ADDED`, `RESULT_LIMIT_RECORDS`, `SYNTAX_ERROR`. */
  notificationType: string;
  /** Human-readable text. */
  message: string;
  /** The message with `%1$s`-style placeholders. */
  messageFormat?: string;
  /** Placeholder values. */
  arguments?: string[];
  /** Where in the query the notification applies. */
  syntaxPosition?: SyntaxPosition;
}

/** Options of {@link QueryError}. */
export interface QueryErrorOptions {
  /** HTTP status (default 400). */
  status?: number;
  /** `errorMessageFormat` (default: the message). */
  messageFormat?: string;
  /** `arguments`. */
  arguments?: string[];
  /** `errorMessageFormatSpecifierTypes`. */
  formatSpecifierTypes?: string[];
  /** `syntaxErrorPosition`. */
  position?: SyntaxPosition;
  /** `exceptionType` (default `DQL-SYNTAX-ERROR`). */
  exceptionType?: string;
}

/** A query the engine rejects, with the fields of the query error envelope. */
export class QueryError extends Error {
  /** `details.errorType`, e.g. `UNKNOWN_DATA_OBJECT`, `SYNTAX_ERROR`. */
  readonly errorType: string;
  /** HTTP status. */
  readonly status: number;
  /** `details.errorMessageFormat`. */
  readonly messageFormat: string;
  /** `details.arguments`. */
  readonly arguments: string[];
  /** `details.errorMessageFormatSpecifierTypes`. */
  readonly formatSpecifierTypes: string[];
  /** `details.syntaxErrorPosition`. */
  readonly position?: SyntaxPosition;
  /** `details.exceptionType`. */
  readonly exceptionType: string;

  /** Creates a query error of the given Grail error type. */
  constructor(errorType: string, message: string, options: QueryErrorOptions = {}) {
    super(message);
    this.name = "QueryError";
    this.errorType = errorType;
    this.status = options.status ?? 400;
    this.messageFormat = options.messageFormat ?? message;
    this.arguments = options.arguments ?? [];
    this.formatSpecifierTypes = options.formatSpecifierTypes ?? [];
    this.position = options.position;
    this.exceptionType = options.exceptionType ?? "DQL-SYNTAX-ERROR";
  }
}

/** The data objects (tables) a query can read. */
export interface TableSource {
  /** Names of all known data objects, including empty ones. */
  names(): string[];
  /** True when `fetch <name>` is valid. */
  has(name: string): boolean;
  /** The records of a data object, in storage order; empty for unknown names. */
  records(name: string): DqlRecord[];
}

/** What an engine learns from a query without running it. */
export interface QueryAnalysis {
  /** One command per line, continuation lines starting with `| `. */
  canonicalQuery: string;
  /** True when the query ends its pipeline with an explicit `limit` (else Grail adds one: `LIMIT_ADDED`). */
  hasLimit: boolean;
  /** Warnings found while analysing (e.g. deprecated syntax). */
  notifications: QueryNotification[];
}

/** Inputs of {@link QueryEngine.execute}. */
export interface QueryExecuteOptions {
  /**
   * The analysis timeframe used when the query sets none: the request's `defaultTimeframeStart/End`, else the
   * last two hours. Timestamps rather than `Date`s so nanoseconds in the request survive.
   */
  timeframe: Timeframe;
  /** The current time, for `now()` and relative `from:`/`to:`. */
  now: Timestamp;
  /** The request's soft record limit; the engine may stop early once it has more (and set `truncated`). */
  maxResultRecords?: number;
  /** The data objects. */
  tables: TableSource;
  /** Request time zone (IANA name or offset); `Z` when unset. */
  timezone: string;
  /** Request locale; `und` when unset. */
  locale: string;
}

/** The outcome of {@link QueryEngine.execute}. */
export interface QueryEngineResult {
  /** The result records, as typed values. */
  records: DqlRecord[];
  /** Column order when it differs from the records' own key order (e.g. after `fields`). */
  columns?: string[];
  /** The timeframe actually analysed, when the query set its own (`from:`, `to:`). */
  analysisTimeframe?: Timeframe;
  /** Notifications from execution (sampling, scan limits, …). */
  notifications?: QueryNotification[];
  /** Records read from storage. */
  scannedRecords?: number;
  /** Bytes read from storage. */
  scannedBytes?: number;
  /** Metric data points read. */
  scannedDataPoints?: number;
  /** True when the engine stopped early because of `maxResultRecords`. */
  truncated?: boolean;
  /** Per-bucket scan figures, for `includeContributions`. */
  contributions?: Array<{ name: string; table: string; scannedBytes: number; matchedRecordsRatio: number }>;
}

/** One completion proposal (`AutocompleteSuggestion` in the SDK). */
export interface AutocompleteSuggestion {
  /** The full text to insert. */
  suggestion: string;
  /** How many characters before the cursor the suggestion replaces. */
  alreadyTypedCharacters: number;
  /** The suggestion split into typed parts (`type` is an SDK `TokenType`, e.g. `COMMAND_NAME`). */
  parts: Array<{ suggestion: string; type: string; info?: string; synopsis?: string }>;
}

/** The `query:autocomplete` answer. */
export interface AutocompleteResult {
  /** True when nothing has to be inserted at the cursor for the query to be complete. */
  optional: boolean;
  /** Proposals, best first. */
  suggestions: AutocompleteSuggestion[];
}

/** A DQL engine: validates, explains and runs queries over a {@link TableSource}. */
export interface QueryEngine {
  /** Parses and checks a query (syntax, data objects) without running it; throws {@link QueryError}. */
  analyze(query: string, context: { tables: TableSource }): QueryAnalysis;
  /** Runs a query; throws {@link QueryError} for invalid queries and runtime failures. */
  execute(query: string, options: QueryExecuteOptions): Promise<QueryEngineResult>;
  /** The `query:parse` node tree (SDK `DQLNode`); throws {@link QueryError} on syntax errors. */
  parse(query: string): Record<string, unknown>;
  /** Completions at `cursor` (an offset into `query`). */
  autocomplete(query: string, cursor: number, context: { tables: TableSource }): AutocompleteResult;
}

/** The position of `[start, end)` in `text` (end exclusive), as an inclusive {@link SyntaxPosition}. */
export function spanPosition(text: string, start: number, end: number): SyntaxPosition {
  return { start: positionAt(text, start), end: positionAt(text, Math.max(start, end - 1)) };
}

/** Line and column (1-based) of an offset. */
export function positionAt(text: string, index: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < index && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
  }
  return { index, line, column: index - lineStart + 1 };
}
