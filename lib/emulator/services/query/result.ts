/**
 * Builds the `result` of a finished query: record limits and their notifications, wire encoding, and
 * `metadata.grail`.
 *
 * @module
 */

import { encodeRecords, encodeValue } from "./encode.ts";
import {
  type QueryAnalysis,
  type QueryEngineResult,
  type QueryNotification,
  spanPosition,
} from "./engine.ts";
import type { ExecuteRequest } from "./request.ts";
import type { DqlRecord, Timeframe } from "./values.ts";

/** The wire form of a notification. */
export function wireNotification(notification: QueryNotification): Record<string, unknown> {
  return {
    severity: notification.severity,
    notificationType: notification.notificationType,
    message: notification.message,
    messageFormat: notification.messageFormat ?? notification.message,
    messageFormatSpecifierTypes: notification.arguments?.map(() => "INPUT_QUERY_PART") ?? [],
    arguments: notification.arguments ?? [],
    ...(notification.syntaxPosition ? { syntaxPosition: notification.syntaxPosition } : {}),
  };
}

/** The INFO notification Grail adds when a query has no `limit` of its own. */
export function limitAddedNotification(query: string): QueryNotification {
  const start = query.length - query.trimStart().length;
  const end = query.trimEnd().length;
  return {
    severity: "INFO",
    notificationType: "LIMIT_ADDED",
    message: "Added a limit to protect resources",
    syntaxPosition: spanPosition(query, start, end),
  };
}

/** Everything the result is built from. */
export interface ResultInputs {
  /** The validated request. */
  request: ExecuteRequest;
  /** The engine's analysis of the query. */
  analysis: QueryAnalysis;
  /** The engine's output. */
  output: QueryEngineResult;
  /** The query id. */
  queryId: string;
  /** The analysis timeframe used when the query set none. */
  timeframe: Timeframe;
  /** Simulated execution time. */
  executionTimeMilliseconds: number;
  /** Record limit when the request set none. */
  defaultMaxResultRecords: number;
  /** Whether `metadata.metrics` is requested (`enrich=metric-metadata`). */
  enrichMetrics: boolean;
}

/** The `result` object of a SUCCEEDED query. */
export function buildResult(inputs: ResultInputs): Record<string, unknown> {
  const { request, analysis, output } = inputs;
  const notifications: QueryNotification[] = [];
  if (!analysis.hasLimit) notifications.push(limitAddedNotification(request.query));
  notifications.push(...analysis.notifications, ...(output.notifications ?? []));
  let records: DqlRecord[] = output.records;
  const maxRecords = request.maxResultRecords ?? inputs.defaultMaxResultRecords;
  if (records.length > maxRecords || output.truncated) {
    records = records.slice(0, maxRecords);
    notifications.push({
      severity: "WARN",
      notificationType: "RESULT_LIMIT_RECORDS",
      message: `Your result has been limited to ${maxRecords}.`,
      messageFormat: "Your result has been limited to %1$s.",
      arguments: [String(maxRecords)],
    });
  }
  if (request.maxResultBytes !== undefined) {
    const limited = limitBytes(records, request.maxResultBytes);
    if (limited.length < records.length) {
      records = limited;
      notifications.push({
        severity: "WARN",
        notificationType: "RESULT_LIMIT_BYTES",
        message: `Your result has been limited to ${request.maxResultBytes} bytes.`,
        messageFormat: "Your result has been limited to %1$s bytes.",
        arguments: [String(request.maxResultBytes)],
      });
    }
  }
  const encoded = encodeRecords(records, output.columns);
  const timeframe = output.analysisTimeframe ?? inputs.timeframe;
  const grail: Record<string, unknown> = {
    canonicalQuery: analysis.canonicalQuery,
    timezone: request.timezone,
    query: request.query,
    scannedRecords: output.scannedRecords ?? 0,
    dqlVersion: "V1_0",
    scannedBytes: output.scannedBytes ?? 0,
    scannedDataPoints: output.scannedDataPoints ?? 0,
    analysisTimeframe: { start: timeframe.start.toString(), end: timeframe.end.toString() },
    locale: request.locale,
    executionTimeMilliseconds: inputs.executionTimeMilliseconds,
    notifications: notifications.map(wireNotification),
    queryId: inputs.queryId,
    sampled: false,
  };
  if (request.includeContributions) grail.contributions = { buckets: output.contributions ?? [] };
  const metadata: Record<string, unknown> = { grail };
  // The interim engine reads no metrics, so enrichment has nothing to describe.
  if (inputs.enrichMetrics) metadata.metrics = [];
  return {
    records: encoded.records,
    ...(request.includeTypes ? { types: encoded.types } : {}),
    metadata,
  };
}

/** Keeps records while the serialised size is below `maxBytes`; the record crossing the limit is kept whole. */
function limitBytes(records: DqlRecord[], maxBytes: number): DqlRecord[] {
  let total = 0;
  for (let i = 0; i < records.length; i++) {
    if (total >= maxBytes) return records.slice(0, i);
    total += JSON.stringify(encodeValue(records[i])).length;
  }
  return records;
}
