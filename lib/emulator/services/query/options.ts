/**
 * Tunables of the query service. Factory options set the defaults; the emulator's per-service options
 * (`serviceOptions.query`, changeable at run time) override them per request.
 *
 * @module
 */

/** Runtime-tunable behaviour of the query service. */
export interface QuerySettings {
  /** Simulated execution time of every query in ms (default 0: done at once). */
  delayMs: number;
  /** Seconds a finished result stays available for polls (default 300). */
  ttlSeconds: number;
  /** How a query that fails after it started answers polls: a 4xx envelope (default) or 200 `state: FAILED`. */
  failedPollAs: "error" | "state";
  /** How verify reports invalid queries: 200 `valid: false` with notifications (default) or a 400 envelope. */
  verifyErrorsAs: "notifications" | "error";
  /** Running queries admitted at once; more answer 429 `BUSY_SCHEDULER_TENANT` (0 = unlimited, default). */
  maxConcurrentQueries: number;
  /** `maxResultRecords` when the request sets none (default 1000, as Notebooks send). */
  defaultMaxResultRecords: number;
}

/** Defaults of {@link QuerySettings}. */
export const DEFAULT_QUERY_SETTINGS: QuerySettings = {
  delayMs: 0,
  ttlSeconds: 300,
  failedPollAs: "error",
  verifyErrorsAs: "notifications",
  maxConcurrentQueries: 0,
  defaultMaxResultRecords: 1000,
};

/**
 * Per-request override of the simulated execution time: `queryOptions: {"emulator.delayMs": "1500"}` in the
 * execute body. `queryOptions` is a free-form string map of the real API, so SDK clients can send it.
 */
export const DELAY_QUERY_OPTION = "emulator.delayMs";

/** Merges runtime options over the defaults, ignoring values of the wrong type. */
export function resolveSettings(
  base: QuerySettings,
  runtime: Readonly<Record<string, unknown>> = {},
): QuerySettings {
  const merged = { ...base };
  const number = (key: keyof QuerySettings) => {
    const value = runtime[key];
    if (typeof value === "number" && Number.isFinite(value) && value >= 0) {
      (merged as Record<string, unknown>)[key] = value;
    }
  };
  number("delayMs");
  number("ttlSeconds");
  number("maxConcurrentQueries");
  number("defaultMaxResultRecords");
  if (runtime.failedPollAs === "error" || runtime.failedPollAs === "state") {
    merged.failedPollAs = runtime.failedPollAs;
  }
  if (runtime.verifyErrorsAs === "notifications" || runtime.verifyErrorsAs === "error") {
    merged.verifyErrorsAs = runtime.verifyErrorsAs;
  }
  return merged;
}
