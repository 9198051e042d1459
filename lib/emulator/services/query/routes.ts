/**
 * Route handlers of the Grail query service: execute, poll, cancel, verify, parse, autocomplete.
 *
 * @module
 */

import { errorBody } from "../../envelope.ts";
import { HttpError } from "../../http/errors.ts";
import { randomUuid } from "../../random.ts";
import type { Route, RouteContext } from "../../types.ts";
import { type QueryAnalysis, type QueryEngine, QueryError } from "./engine.ts";
import { jobProgress, jobs, jobState, type QueryJob, remainingTtl, runningJobs, sweepJobs } from "./jobs.ts";
import { DELAY_QUERY_OPTION, type QuerySettings, resolveSettings } from "./options.ts";
import { executeRequest, invalidRequest, queryText, readBody } from "./request.ts";
import { buildResult, limitAddedNotification, wireNotification } from "./result.ts";
import { storeTables } from "./tables.ts";
import { Timeframe, Timestamp } from "./values.ts";
import { delayedEmpty, delayedJson } from "./wait.ts";
import { routeBuilder } from "../../service.ts";

const BASE = "/platform/storage/query/v1";
const TWO_HOURS_MS = 2 * 3_600_000;
const MAX_POLL_TIMEOUT_MS = 60_000;

/** The query-family error for an engine error. */
export function queryErrorResponse(error: QueryError, query: string, queryId: string): HttpError {
  return new HttpError(error.status, error.errorType, {
    errorType: error.errorType,
    details: {
      exceptionType: error.exceptionType,
      errorMessage: error.message,
      errorMessageFormat: error.messageFormat,
      errorMessageFormatSpecifierTypes: error.formatSpecifierTypes,
      arguments: error.arguments,
      queryId,
      queryString: query,
      ...(error.position ? { syntaxErrorPosition: error.position } : {}),
    },
  });
}

function queryFamilyError(status: number, errorType: string, message: string): HttpError {
  return new HttpError(status, errorType, {
    errorType,
    details: { exceptionType: "DQL-REQUEST", errorMessage: message, errorMessageFormat: message },
  });
}

function requestToken(context: RouteContext): string {
  const token = context.url.searchParams.get("request-token");
  if (token === null || token === "") {
    throw new HttpError(400, "INVALID_REQUEST", {
      errorType: "INVALID_REQUEST",
      details: {
        exceptionType: "DQL-REQUEST",
        errorMessage: "The request-token parameter is required.",
        constraintViolations: [{
          path: "request-token",
          parameterDescriptor: "request-token",
          parameterLocation: "QUERY",
          message: "must not be null",
        }],
      },
    });
  }
  return token;
}

function gone(): HttpError {
  return queryFamilyError(
    410,
    "QUERY_GONE",
    "The query for the given request-token is not available anymore.",
  );
}

/** 16 random bytes as standard base64, the shape of Grail request tokens. */
function newRequestToken(random: () => number): string {
  const bytes = Array.from({ length: 16 }, () => String.fromCharCode(Math.floor(random() * 256)));
  return btoa(bytes.join(""));
}

/** The body (or error) a job answers with at time `at`, delivered after `waitMs`. */
function jobResponse(
  job: QueryJob,
  at: number,
  waitMs: number,
  settings: QuerySettings,
  withToken: boolean,
): Response {
  const token = withToken ? { requestToken: job.requestToken } : {};
  const state = jobState(job, at);
  if (state === "RUNNING") {
    const body = { state, progress: jobProgress(job, at), ...token, ttlSeconds: remainingTtl(job, at) };
    return delayedJson(withToken ? 202 : 200, body, waitMs);
  }
  if (state === "GONE" || job.outcome.kind === "gone") throw gone();
  if (job.outcome.kind === "error") {
    if (settings.failedPollAs === "state" && !withToken) {
      return delayedJson(200, { state: "FAILED", progress: 100, ttlSeconds: remainingTtl(job, at) }, waitMs);
    }
    const { status, message, extras } = job.outcome;
    return delayedJson(status, errorBody("query", status, message, extras), waitMs);
  }
  const body = {
    state: "SUCCEEDED",
    progress: 100,
    ...token,
    ttlSeconds: remainingTtl(job, at),
    result: job.outcome.result,
  };
  return delayedJson(200, body, waitMs);
}

function delayFor(settings: QuerySettings, queryOptions: Record<string, string>): number {
  const forced = queryOptions[DELAY_QUERY_OPTION];
  if (forced === undefined) return settings.delayMs;
  const value = Number(forced);
  if (!Number.isFinite(value) || value < 0) {
    throw invalidRequest(`'${forced}' is not a delay in ms`, "queryOptions");
  }
  return value;
}

/** Builds the routes of the query service around an engine and default settings. */
export function queryRoutes(engine: QueryEngine, defaults: QuerySettings): Route[] {
  const settingsOf = (context: RouteContext) => resolveSettings(defaults, context.options);

  const execute = async (context: RouteContext): Promise<Response> => {
    const settings = settingsOf(context);
    const now = context.clock.now();
    sweepJobs(context.store, now);
    const request = executeRequest(await readBody(context.request));
    const queryId = randomUuid(context.random);
    if (
      settings.maxConcurrentQueries > 0 && runningJobs(context.store, now) >= settings.maxConcurrentQueries
    ) {
      throw new HttpError(429, "BUSY_SCHEDULER_TENANT", {
        errorType: "BUSY_SCHEDULER_TENANT",
        retryAfterSeconds: 1,
        details: { exceptionType: "DQL-REQUEST", errorMessage: "Too many queries are running; retry later." },
      });
    }
    const tables = storeTables(context.store);
    let analysis: QueryAnalysis;
    try {
      analysis = engine.analyze(request.query, { tables });
    } catch (error) {
      if (error instanceof QueryError) throw queryErrorResponse(error, request.query, queryId);
      throw error;
    }
    const delayMs = delayFor(settings, request.queryOptions);
    const nowTs = Timestamp.fromMillis(now);
    const timeframe = request.defaultTimeframe ??
      new Timeframe(Timestamp.fromMillis(now - TWO_HOURS_MS), nowTs);
    const job: QueryJob = {
      requestToken: newRequestToken(context.random),
      queryId,
      query: request.query,
      startedAt: now,
      doneAt: now + delayMs,
      ttlSeconds: settings.ttlSeconds,
      outcome: { kind: "gone" },
    };
    try {
      const output = await engine.execute(request.query, {
        timeframe,
        now: nowTs,
        maxResultRecords: request.maxResultRecords ?? settings.defaultMaxResultRecords,
        tables,
        timezone: request.timezone,
        locale: request.locale,
      });
      job.outcome = {
        kind: "result",
        result: buildResult({
          request,
          analysis,
          output,
          queryId,
          timeframe,
          executionTimeMilliseconds: delayMs,
          defaultMaxResultRecords: settings.defaultMaxResultRecords,
          enrichMetrics: context.url.searchParams.get("enrich") === "metric-metadata",
        }),
      };
    } catch (error) {
      if (!(error instanceof QueryError)) throw error;
      const http = queryErrorResponse(error, request.query, queryId);
      job.outcome = { kind: "error", status: http.status, message: http.message, extras: http.extras };
    }
    jobs(context.store).set(job.requestToken, job);
    context.store.markDirty();
    const waitMs = Math.min(request.requestTimeoutMilliseconds, delayMs);
    return jobResponse(job, now + waitMs, waitMs, settings, true);
  };

  const poll = (context: RouteContext): Response => {
    const settings = settingsOf(context);
    const now = context.clock.now();
    sweepJobs(context.store, now);
    const token = requestToken(context);
    const raw = context.url.searchParams.get("request-timeout-milliseconds");
    let timeout = 0;
    if (raw !== null && raw !== "") {
      timeout = Number(raw);
      if (!/^\d+$/.test(raw) || timeout > MAX_POLL_TIMEOUT_MS) {
        throw queryFamilyError(
          400,
          "INVALID_REQUEST",
          `request-timeout-milliseconds must be 0..${MAX_POLL_TIMEOUT_MS}.`,
        );
      }
    }
    const job = jobs(context.store).get(token);
    if (!job) throw queryFamilyError(404, "QUERY_NOT_FOUND", "No query exists for the given request-token.");
    if (jobState(job, now) === "GONE") throw gone();
    // Wait as a long poll does: until the result is ready or the client's timeout passes.
    const waitMs = now < job.doneAt ? Math.min(timeout, job.doneAt - now) : 0;
    return jobResponse(job, now + waitMs, waitMs, settings, false);
  };

  const cancel = (context: RouteContext): Response => {
    const settings = settingsOf(context);
    const now = context.clock.now();
    sweepJobs(context.store, now);
    const token = requestToken(context);
    const job = jobs(context.store).get(token);
    if (!job) throw gone();
    const state = jobState(job, now);
    if (state === "GONE") throw gone();
    if (state === "RUNNING") {
      // Keep the job as a tombstone until its natural expiry so later polls see 410 QUERY_GONE, not 404.
      jobs(context.store).set(token, { ...job, cancelledAt: now, doneAt: now, outcome: { kind: "gone" } });
      context.store.markDirty();
      return delayedEmpty(202, 0);
    }
    return jobResponse(job, now, 0, { ...settings, failedPollAs: "error" }, false);
  };

  const verify = async (context: RouteContext): Promise<Response> => {
    const settings = settingsOf(context);
    const body = await readBody(context.request);
    const query = queryText(body);
    try {
      const analysis = engine.analyze(query, { tables: storeTables(context.store) });
      const notifications = [
        ...(analysis.hasLimit ? [] : [limitAddedNotification(query)]),
        ...analysis.notifications,
      ].map(wireNotification);
      const canonical = body.generateCanonicalQuery === true
        ? { canonicalQuery: analysis.canonicalQuery }
        : {};
      return delayedJson(200, { valid: true, ...canonical, notifications }, 0);
    } catch (error) {
      if (!(error instanceof QueryError)) throw error;
      if (settings.verifyErrorsAs === "error") {
        throw queryErrorResponse(error, query, randomUuid(context.random));
      }
      const notification = wireNotification({
        severity: "ERROR",
        notificationType: error.errorType,
        message: error.message,
        messageFormat: error.messageFormat,
        arguments: error.arguments,
        syntaxPosition: error.position,
      });
      return delayedJson(200, { valid: false, notifications: [notification] }, 0);
    }
  };

  const parse = async (context: RouteContext): Promise<Response> => {
    const query = queryText(await readBody(context.request));
    try {
      return delayedJson(200, engine.parse(query), 0);
    } catch (error) {
      if (error instanceof QueryError) throw queryErrorResponse(error, query, randomUuid(context.random));
      throw error;
    }
  };

  const autocomplete = async (context: RouteContext): Promise<Response> => {
    const body = await readBody(context.request);
    const query = queryText(body);
    const cursor = body.cursorPosition ?? query.length;
    if (typeof cursor !== "number" || !Number.isInteger(cursor) || cursor < 0 || cursor > query.length) {
      throw invalidRequest(`must be between 0 and ${query.length}`, "cursorPosition");
    }
    const result = engine.autocomplete(query, cursor, { tables: storeTables(context.store) });
    const max = body.maxDataSuggestions;
    const suggestions = typeof max === "number" && max >= 0
      ? result.suggestions.slice(0, max)
      : result.suggestions;
    return delayedJson(200, { optional: result.optional, suggestions }, 0);
  };

  const route = routeBuilder(`${BASE}/`, "query");
  return [
    route("POST", "query:execute", execute, ["storage:buckets:read"]),
    route("GET", "query:poll", poll, ["storage:buckets:read"]),
    route("POST", "query:cancel", cancel, ["storage:buckets:read"]),
    route("POST", "query:verify", verify),
    route("POST", "query:parse", parse),
    route("POST", "query:autocomplete", autocomplete),
  ];
}
