/**
 * The interim DQL engine: `data record(…), …` and `fetch <table> [, from:] [, to:]` followed by any number of
 * `| limit n`. Every other query is rejected with a Grail-shaped error naming what is not supported, so a
 * caller never mistakes an unsupported query for an empty result. A full DQL engine replaces this module
 * through the {@link QueryEngine} interface.
 *
 * @module
 */

import { encodeValue } from "../encode.ts";
import {
  type QueryAnalysis,
  type QueryEngine,
  type QueryEngineResult,
  QueryError,
  type QueryExecuteOptions,
  spanPosition,
  type TableSource,
} from "../engine.ts";
import { type DqlRecord, type DqlValue, Duration, isRecord, Timeframe, Timestamp } from "../values.ts";
import { evaluate } from "./evaluate.ts";
import { tokenize } from "./lexer.ts";
import { autocomplete } from "./autocomplete.ts";
import { canonicalCommand, type Command, type Expr, parsePipeline } from "./parser.ts";
import { parseTree } from "./tree.ts";

/** Every DQL command name (`dql.md` §5). */
const DQL_COMMANDS_CASED = [
  "fetch",
  "data",
  "timeseries",
  "filter",
  "filterOut",
  "fields",
  "fieldsAdd",
  "fieldsRemove",
  "fieldsKeep",
  "fieldsRename",
  "summarize",
  "sort",
  "limit",
  "dedup",
  "expand",
  "append",
  "join",
  "lookup",
  "parse",
  "makeTimeseries",
  "search",
  "describe",
  "fieldsFlatten",
  "fieldsSnapshot",
  "fieldsSummary",
  "jsonExtract",
  "joinNested",
  "load",
  "metrics",
  "smartscapeNodes",
  "smartscapeEdges",
  "traverse",
  "failIf",
  "experimentalSave",
];

/** The same, lower-cased, to tell "unsupported here" from "no such command". */
const DQL_COMMANDS = new Set(DQL_COMMANDS_CASED.map((name) => name.toLowerCase()));

/** Commands whose parameters the interim engine parses; any other command is rejected by name. */
const SUPPORTED = new Set(["data", "fetch", "limit"]);

type Source =
  | { kind: "data"; records: Expr[]; json?: { text: string; start: number; end: number } }
  | { kind: "fetch"; table: string; from?: Expr; to?: Expr };

interface Plan {
  source: Source;
  limits: number[];
  canonicalQuery: string;
  hasLimit: boolean;
}

/** Creates the interim engine. */
export function createInterimEngine(): QueryEngine {
  return {
    analyze(query: string, context: { tables: TableSource }): QueryAnalysis {
      const plan = planQuery(query, context.tables);
      return { canonicalQuery: plan.canonicalQuery, hasLimit: plan.hasLimit, notifications: [] };
    },
    execute(query: string, options: QueryExecuteOptions): Promise<QueryEngineResult> {
      // Async by contract; the interim engine itself is synchronous, so errors surface as rejections.
      return Promise.resolve().then(() => run(query, options));
    },
    parse: (query) => parseTree(query) as unknown as Record<string, unknown>,
    autocomplete: (query, cursor, context) =>
      autocomplete(query, cursor, [...DQL_COMMANDS_CASED], context.tables),
  };
}

function planQuery(query: string, tables: TableSource): Plan {
  const commands = parsePipeline(query, tokenize(query), (name) => SUPPORTED.has(name.toLowerCase()));
  const [first, ...rest] = commands;
  const source = planSource(query, first, tables);
  const limits: number[] = [];
  for (const command of rest) {
    const name = command.name.toLowerCase();
    if (name === "data" || name === "fetch") {
      misplaced(query, command, `\`${command.name}\` can only start a query.`);
    }
    if (name !== "limit") unsupported(query, command);
    limits.push(limitOf(query, command));
  }
  return {
    source,
    limits,
    canonicalQuery: commands.map(canonicalCommand).join("\n| "),
    hasLimit: rest.length > 0,
  };
}

function unsupported(query: string, command: Command): never {
  const known = DQL_COMMANDS.has(command.name.toLowerCase());
  const message = known
    ? `The command \`${command.name}\` isn't supported by the emulator's interim DQL engine (supported: data, fetch, limit).`
    : `\`${command.name}\` isn't a valid command.`;
  throw new QueryError("SYNTAX_ERROR", message, {
    position: spanPosition(query, command.nameToken.start, command.nameToken.end),
    arguments: [command.name],
  });
}

function misplaced(query: string, command: Command, message: string): never {
  throw new QueryError("SYNTAX_ERROR", message, {
    position: spanPosition(query, command.nameToken.start, command.nameToken.end),
  });
}

/** DQL commands that start a pipeline; any other known command in first place is misplaced. */
const SOURCE_COMMANDS = new Set([
  "data",
  "fetch",
  "timeseries",
  "describe",
  "load",
  "metrics",
  "smartscapenodes",
  "smartscapeedges",
]);

function planSource(query: string, command: Command, tables: TableSource): Source {
  const name = command.name.toLowerCase();
  if (DQL_COMMANDS.has(name) && !SOURCE_COMMANDS.has(name)) {
    misplaced(
      query,
      command,
      `A query must start with a data source command such as \`fetch\` or \`data\`, not \`${command.name}\`.`,
    );
  }
  const fail = (message: string, start: number, end: number): never => {
    throw new QueryError("SYNTAX_ERROR", message, { position: spanPosition(query, start, end) });
  };
  if (name === "data") {
    const records: Expr[] = [];
    let json: { text: string; start: number; end: number } | undefined;
    for (const param of command.params) {
      if (param.named && param.name === "json" && param.value.kind === "string") {
        json = { text: param.value.value, start: param.value.start, end: param.value.end };
      } else if (param.name !== undefined) {
        fail(`\`data\` has no parameter \`${param.name}\`.`, param.start, param.end);
      } else {
        records.push(param.value);
      }
    }
    if (records.length > 0 && json) {
      fail("`data` takes either records or `json:`, not both.", command.start, command.end);
    }
    const source: Source = { kind: "data", records, json };
    // Evaluate once now so errors in the literals surface at analysis time, as Grail reports them.
    dataRecords(query, source, new Timestamp(0n));
    return source;
  }
  if (name === "fetch") {
    const [target, ...params] = command.params;
    if (!target || target.name !== undefined || target.value.kind !== "field") {
      return fail("`fetch` needs a data object, e.g. `fetch logs`.", command.nameToken.start, command.end);
    }
    const table = target.value.name;
    if (!tables.has(table)) {
      throw new QueryError("UNKNOWN_DATA_OBJECT", `${table} isn't a valid data object.`, {
        messageFormat: "%1$s isn't a valid data object.",
        formatSpecifierTypes: ["INPUT_QUERY_PART"],
        arguments: [table],
        position: spanPosition(query, target.start, target.end),
      });
    }
    const source: Source = { kind: "fetch", table };
    for (const param of params) {
      if (!param.named || (param.name !== "from" && param.name !== "to")) {
        const what = param.name === undefined ? "A second data object" : `The parameter \`${param.name}\``;
        fail(
          `${what} isn't supported by the emulator's interim DQL engine (supported: from, to).`,
          param.start,
          param.end,
        );
      }
      if (source[param.name as "from" | "to"]) {
        fail(`\`${param.name}\` is given twice.`, param.start, param.end);
      }
      source[param.name as "from" | "to"] = param.value;
      timeBound(query, param.value, new Timestamp(0n));
    }
    return source;
  }
  return unsupported(query, command);
}

function limitOf(query: string, command: Command): number {
  const [param, ...extra] = command.params;
  if (
    !param || extra.length > 0 || param.name !== undefined || param.value.kind !== "long" ||
    param.value.value < 0n
  ) {
    throw new QueryError("SYNTAX_ERROR", "`limit` needs one non-negative whole number, e.g. `limit 10`.", {
      position: spanPosition(query, command.start, command.end),
    });
  }
  return Number(param.value.value);
}

function dataRecords(query: string, source: Extract<Source, { kind: "data" }>, now: Timestamp): DqlRecord[] {
  if (source.json) return jsonRecords(query, source.json);
  return source.records.map((expr) => {
    const value = evaluate(expr, { query, now });
    if (!isRecord(value)) {
      throw new QueryError("SYNTAX_ERROR", "`data` expects records, e.g. `data record(a = 1)`.", {
        position: spanPosition(query, expr.start, expr.end),
      });
    }
    return value;
  });
}

function jsonRecords(query: string, json: { text: string; start: number; end: number }): DqlRecord[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json.text);
  } catch (error) {
    throw new QueryError(
      "SYNTAX_ERROR",
      `The JSON of \`data json:\` is invalid: ${(error as Error).message}`,
      {
        position: spanPosition(query, json.start, json.end),
      },
    );
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  return list.map((item) => {
    const value = fromJson(item);
    if (!isRecord(value)) {
      throw new QueryError("SYNTAX_ERROR", "`data json:` expects JSON objects.", {
        position: spanPosition(query, json.start, json.end),
      });
    }
    return value;
  });
}

/** JSON to DQL values: whole numbers become longs, other numbers doubles. */
function fromJson(value: unknown): DqlValue {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(fromJson);
  const record: DqlRecord = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) record[key] = fromJson(inner);
  return record;
}

/** A `from:`/`to:` value: a duration is an offset from now, a timestamp or an ISO string is absolute. */
function timeBound(query: string, expr: Expr, now: Timestamp): Timestamp {
  const value = evaluate(expr, { query, now });
  if (value instanceof Duration) return new Timestamp(now.nanos + value.nanos);
  if (value instanceof Timestamp) return value;
  if (typeof value === "string") {
    const parsed = Timestamp.parse(value);
    if (parsed) return parsed;
  }
  throw new QueryError(
    "INVALID_TIMEFRAME",
    "The timeframe bound must be a duration, a timestamp or an ISO string.",
    {
      position: spanPosition(query, expr.start, expr.end),
    },
  );
}

function run(query: string, options: QueryExecuteOptions): QueryEngineResult {
  const plan = planQuery(query, options.tables);
  let records: DqlRecord[];
  const result: QueryEngineResult = { records: [], scannedRecords: 0, scannedBytes: 0, scannedDataPoints: 0 };
  if (plan.source.kind === "data") {
    records = dataRecords(query, plan.source, options.now);
  } else {
    const { from, to, table } = plan.source;
    let timeframe = options.timeframe;
    if (from || to) {
      const end = to ? timeBound(query, to, options.now) : options.now;
      const start = from ? timeBound(query, from, options.now) : options.timeframe.start;
      if (start.nanos > end.nanos) {
        const at = from ?? to!;
        throw new QueryError("INVALID_TIMEFRAME", "The timeframe's start is after its end.", {
          position: spanPosition(query, at.start, at.end),
        });
      }
      timeframe = new Timeframe(start, end);
      result.analysisTimeframe = timeframe;
    }
    records = options.tables.records(table).filter((record) => {
      const at = record.timestamp;
      return at instanceof Timestamp && at.nanos >= timeframe.start.nanos && at.nanos < timeframe.end.nanos;
    });
    // Grail returns fetched records newest first.
    records.sort((a, b) => {
      const x = (a.timestamp as Timestamp).nanos;
      const y = (b.timestamp as Timestamp).nanos;
      return x === y ? 0 : x > y ? -1 : 1;
    });
    result.scannedRecords = records.length;
    result.scannedBytes = records.reduce(
      (sum, record) => sum + JSON.stringify(encodeValue(record)).length,
      0,
    );
    result.contributions = contributions(table, records);
  }
  for (const limit of plan.limits) records = records.slice(0, limit);
  result.records = records;
  return result;
}

/** Scan figures per bucket: each record names its bucket in `dt.system.bucket`. */
function contributions(table: string, records: DqlRecord[]): NonNullable<QueryEngineResult["contributions"]> {
  const bytes = new Map<string, number>();
  for (const record of records) {
    const bucket = typeof record["dt.system.bucket"] === "string"
      ? record["dt.system.bucket"]
      : `default_${table}`;
    bytes.set(bucket, (bytes.get(bucket) ?? 0) + JSON.stringify(encodeValue(record)).length);
  }
  return [...bytes].map(([name, scannedBytes]) => ({ name, table, scannedBytes, matchedRecordsRatio: 1 }));
}
