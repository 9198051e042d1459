/**
 * The emulated Grail query service and its engine contract.
 *
 * @module
 */

export { createQueryService, QUERY_SERVICE_NAME, queryService, type QueryServiceOptions } from "./service.ts";
export type {
  AutocompleteResult,
  AutocompleteSuggestion,
  QueryAnalysis,
  QueryEngine,
  QueryEngineResult,
  QueryErrorOptions,
  QueryExecuteOptions,
  QueryNotification,
  SourcePosition,
  SyntaxPosition,
  TableSource,
} from "./engine.ts";
export { positionAt, QueryError, spanPosition } from "./engine.ts";
export { createInterimEngine } from "./interim/engine.ts";
export { DEFAULT_QUERY_SETTINGS, DELAY_QUERY_OPTION, type QuerySettings } from "./options.ts";
export { bucketTypes, encodeRecords, encodeValue, fieldTypeOf } from "./encode.ts";
export type { EncodedRecords, WireFieldType, WireRangedTypes, WireValue } from "./encode.ts";
export { KNOWN_DATA_OBJECTS, storeTables, TABLES_COLLECTION, writeTable } from "./tables.ts";
export { seedTables } from "./seed.ts";
export {
  type DqlRecord,
  type DqlValue,
  Duration,
  isRecord,
  Timeframe,
  Timestamp,
  type WireTypeName,
} from "./values.ts";
