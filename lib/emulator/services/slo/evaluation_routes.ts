/**
 * SLO evaluation: `slos/evaluation:start`, `:poll` and `:cancel`.
 *
 * Evaluations finish after a configurable simulated delay (`serviceOptions.slo.evaluationDelayMs`, default 0).
 * Within `requestTimeoutMilliseconds` the start call answers 200 with the result; otherwise 202 with an
 * evaluation token to poll, exactly like the query service. State is a function of the clock (see the query
 * service's jobs), so the sequence is deterministic under an injected clock.
 *
 * @module
 */

import { json } from "../../envelope.ts";
import { readJsonObject } from "../../http/body.ts";
import { badRequest, HttpError, notFound } from "../../http/errors.ts";
import { isObject } from "../../http/validate.ts";
import type { EmulatorStore, Route, RouteContext } from "../../types.ts";
import type { QueryEngine } from "../query/engine.ts";
import { delayedEmpty, delayedJson } from "../query/wait.ts";
import { evaluateSlo } from "./evaluate.ts";
import { slos, urlSafeId } from "./model.ts";
import { SLO_BASE } from "./routes.ts";
import { routeBuilder } from "../../service.ts";

/** Store collection of evaluations that answered 202. */
export const EVALUATIONS = "slo.evaluations";

interface Evaluation {
  token: string;
  doneAt: number;
  expiresAt: number;
  ttlSeconds: number;
  result: Record<string, unknown>;
}

/** Runtime settings of the evaluation endpoints. */
export interface EvaluationSettings {
  /** Simulated evaluation time in ms. */
  evaluationDelayMs: number;
  /** Seconds a finished evaluation stays available. */
  evaluationTtlSeconds: number;
}

const evaluations = (store: EmulatorStore) => store.collection<Evaluation>(EVALUATIONS);

function settingsOf(defaults: EvaluationSettings, context: RouteContext): EvaluationSettings {
  const out = { ...defaults };
  for (const key of ["evaluationDelayMs", "evaluationTtlSeconds"] as const) {
    const value = context.options?.[key];
    if (typeof value === "number" && Number.isFinite(value) && value >= 0) out[key] = value;
  }
  return out;
}

function gone(): HttpError {
  return new HttpError(410, "The evaluation for the given evaluation-token is not available anymore.");
}

function tokenOf(context: RouteContext): string {
  const token = context.url.searchParams.get("evaluation-token");
  if (token === null || token === "") {
    throw badRequest("Query parameter 'evaluation-token' is required.", "evaluation-token");
  }
  return token;
}

function sweep(store: EmulatorStore, now: number): void {
  for (const [token, evaluation] of evaluations(store)) {
    if (now >= evaluation.expiresAt) {
      evaluations(store).delete(token);
      store.markDirty();
    }
  }
}

function customTimeframe(body: Record<string, unknown>): { start: number; end: number } | undefined {
  const custom = body.customTimeframe;
  if (custom === undefined || custom === null) return undefined;
  const start = isObject(custom) && typeof custom.start === "string" ? Date.parse(custom.start) : NaN;
  const end = isObject(custom) && typeof custom.end === "string" ? Date.parse(custom.end) : NaN;
  if (Number.isNaN(start) || Number.isNaN(end) || start > end) {
    throw badRequest(
      "'customTimeframe' needs RFC3339 'start' and 'end', start not after end.",
      "customTimeframe",
    );
  }
  return { start, end };
}

/** The evaluation routes. */
export function evaluationRoutes(engine: QueryEngine, defaults: EvaluationSettings): Route[] {
  const start = async (context: RouteContext): Promise<Response> => {
    const settings = settingsOf(defaults, context);
    const now = context.clock.now();
    sweep(context.store, now);
    const body = await readJsonObject(context.request);
    if (typeof body.id !== "string" || body.id === "") throw badRequest("'id' must not be blank.", "id");
    const timeout = body.requestTimeoutMilliseconds ?? 1000;
    if (typeof timeout !== "number" || !Number.isInteger(timeout) || timeout < 0 || timeout > 60_000) {
      throw badRequest(
        "'requestTimeoutMilliseconds' must be between 0 and 60000.",
        "requestTimeoutMilliseconds",
      );
    }
    const slo = slos(context.store).get(body.id);
    if (!slo) throw notFound(`SLO with id '${body.id}' not found.`);
    const evaluated = await evaluateSlo(slo, engine, context.store, now, customTimeframe(body));
    const result = {
      definition: slo,
      evaluationResults: evaluated.evaluationResults,
      metadata: { evaluatedSliQuery: evaluated.evaluatedSliQuery },
    };
    const delay = settings.evaluationDelayMs;
    if (delay <= timeout) return delayedJson(200, result, delay);
    const evaluation: Evaluation = {
      token: urlSafeId(context.random, 24),
      doneAt: now + delay,
      expiresAt: now + delay + settings.evaluationTtlSeconds * 1000,
      ttlSeconds: settings.evaluationTtlSeconds,
      result,
    };
    evaluations(context.store).set(evaluation.token, evaluation);
    context.store.markDirty();
    return delayedJson(
      202,
      { evaluationToken: evaluation.token, ttlSeconds: evaluation.ttlSeconds },
      timeout,
    );
  };

  const poll = (context: RouteContext): Response => {
    const now = context.clock.now();
    sweep(context.store, now);
    const evaluation = evaluations(context.store).get(tokenOf(context));
    if (!evaluation) throw gone();
    const raw = context.url.searchParams.get("request-timeout-milliseconds");
    const timeout = raw === null || raw === "" ? 0 : Number(raw);
    if (!Number.isInteger(timeout) || timeout < 0 || timeout > 60_000) {
      throw badRequest(
        "'request-timeout-milliseconds' must be between 0 and 60000.",
        "request-timeout-milliseconds",
      );
    }
    const wait = Math.min(timeout, Math.max(0, evaluation.doneAt - now));
    if (now + wait >= evaluation.doneAt) return delayedJson(200, evaluation.result, wait);
    return delayedJson(202, { evaluationToken: evaluation.token, ttlSeconds: evaluation.ttlSeconds }, wait);
  };

  const cancel = (context: RouteContext): Response => {
    const now = context.clock.now();
    sweep(context.store, now);
    const token = tokenOf(context);
    const evaluation = evaluations(context.store).get(token);
    if (!evaluation) throw gone();
    if (now >= evaluation.doneAt) return json(200, evaluation.result);
    evaluations(context.store).delete(token);
    context.store.markDirty();
    return delayedEmpty(202, 0);
  };

  const build = routeBuilder(SLO_BASE, "platform");
  const route = (method: string, path: string, handle: Route["handle"]) =>
    build(method, path, handle, ["slo:slos:read"]);
  return [
    route("POST", "/slos/evaluation:start", start),
    route("GET", "/slos/evaluation:poll", poll),
    route("POST", "/slos/evaluation:cancel", cancel),
  ];
}
