/**
 * The emulator: one web-standard `(Request) => Promise<Response>` handler for the whole emulated platform,
 * usable in-process (as a client's `fetch`) or behind `Deno.serve`.
 *
 * A request goes through: control endpoints (`/__emulator/…`, no auth, no faults) → latency → injected faults
 * (rules, dropped connections, random 5xx, rate limit) → one store transaction (auth → route match → scope check
 * → route handler) → request log. Whatever a route throws becomes an error envelope; the handler itself only
 * throws for an injected dropped connection, as `fetch` would.
 *
 * @module
 */

import { DtctlError, isDtctlError } from "../errors/mod.ts";
import { errorResponse, json, methodNotAllowed } from "./envelope.ts";
import { HttpError } from "./http/errors.ts";
import { type AdminTarget, handleAdmin, isAdminPath } from "./core/admin.ts";
import {
  authenticate,
  type EmulatorToken,
  insufficientScopes,
  missingScopes,
  unauthorized,
} from "./core/auth.ts";
import { familyForPath } from "./core/families.ts";
import { type FaultDecision, FaultInjector, type FaultRule } from "./core/faults.ts";
import { captureBody, queryRecord, RequestLog, safeHeaders } from "./core/request_log.ts";
import { Router } from "./core/router.ts";
import { type ManagedStore, MemoryStore } from "./memory_store.ts";
import { mulberry32, type Random, randomSeed } from "./random.ts";
import type { EmulatorService } from "./service.ts";
import { ALL_SERVICES } from "./services/mod.ts";
import { systemClock } from "./time.ts";
import type { Clock, EmulatorUser, ErrorFamily, Route } from "./types.ts";
import { DEFAULT_USER, userFromId } from "./users.ts";

export type { EmulatorToken } from "./core/auth.ts";
export type { ActiveFaultRule, FaultRule, FaultSettings } from "./core/faults.ts";
export type { RequestLogEntry } from "./core/request_log.ts";

/** Which data a fresh tenant starts with. */
export type SeedData = "demo" | "empty";

/** Options of {@link createEmulator}. */
export interface EmulatorOptions {
  /** The state (default: a new {@link MemoryStore}). */
  store?: ManagedStore;
  /** The services to mount (default: {@link ALL_SERVICES}). */
  services?: readonly EmulatorService[];
  /** Data of a fresh (uninitialised) store: built-ins only, or built-ins plus demo content (default `empty`). */
  data?: SeedData;
  /** Users of the tenant; the first is the default user (default: one local developer). */
  users?: EmulatorUser[];
  /** Accepted tokens; when empty or absent, any well-formed token is the default user. */
  tokens?: EmulatorToken[];
  /** PRNG seed for ids and faults (default: random, so separate processes never generate the same ids). */
  seed?: number;
  /** Time source (default: the wall clock). */
  clock?: Clock;
  /** Delay added to every request, in milliseconds. */
  latencyMs?: number;
  /** Fraction (0..1) of requests answered with a random 500/502/503. */
  faultRate?: number;
  /** Fraction (0..1) of requests whose connection is dropped. */
  dropRate?: number;
  /** Requests per second admitted before 429s (0 or absent = unlimited). */
  rateLimit?: number;
  /** Explicit fault rules active from the start. */
  faults?: FaultRule[];
  /** Per-service options by service name, e.g. `{buckets: {transitionDelayMs: 500}}`. */
  serviceOptions?: Record<string, Record<string, unknown>>;
  /** How many requests the log keeps (default 1000). */
  requestLogLimit?: number;
}

/** A running emulator. */
export interface Emulator {
  /** Answers one request; bound, so it can be passed around as a `fetch`. */
  handle(request: Request): Promise<Response>;
  /** The state. */
  readonly store: ManagedStore;
  /** Users of the tenant. */
  readonly users: readonly EmulatorUser[];
  /** The user of unconfigured tokens and owner of seeded data. */
  readonly defaultUser: EmulatorUser;
  /** Requests seen (control endpoints excluded). */
  readonly requests: RequestLog;
  /** Fault settings and rules. */
  readonly faults: FaultInjector;
  /** Per-service options (mutable). */
  readonly serviceOptions: Record<string, Record<string, unknown>>;
  /** Empties the state, reseeds it, restarts the PRNGs from the seed and clears the log and fault rules. */
  reset(data?: SeedData): Promise<void>;
  /** Adds demo data to the current state (existing records are kept). */
  seedDemo(): Promise<void>;
}

/** The error an in-process caller sees for an injected dropped connection, shaped like `fetch`'s. */
export class ConnectionDropped extends TypeError {
  /** Creates the error. */
  constructor() {
    super("connection reset");
  }
}

const META_COLLECTION = "__emulator";
const META_KEY = "meta";

const FAULT_MESSAGES: Record<number, string> = {
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
};

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function withoutBody(response: Response): Response {
  return new Response(null, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

class EmulatorImpl implements Emulator, AdminTarget {
  readonly store: ManagedStore;
  readonly users: readonly EmulatorUser[];
  readonly defaultUser: EmulatorUser;
  readonly requests: RequestLog;
  readonly faults: FaultInjector;
  readonly serviceOptions: Record<string, Record<string, unknown>>;
  readonly #services: readonly EmulatorService[];
  readonly #router: Router;
  readonly #serviceOf = new Map<Route, string>();
  readonly #tokens: readonly EmulatorToken[];
  readonly #clock: Clock;
  readonly #seed: number;
  readonly #data: SeedData;
  #random: Random;

  constructor(options: EmulatorOptions) {
    this.store = options.store ?? new MemoryStore();
    this.#services = options.services ?? ALL_SERVICES;
    this.#tokens = options.tokens ?? [];
    const users = [...(options.users ?? [])];
    if (users.length === 0) users.push({ ...DEFAULT_USER });
    for (const token of this.#tokens) {
      if (!users.some((u) => u.userId === token.userId)) users.push(userFromId(token.userId));
    }
    this.users = users;
    this.defaultUser = users[0];
    this.#clock = options.clock ?? systemClock;
    this.#seed = options.seed ?? randomSeed();
    this.#random = mulberry32(this.#seed);
    this.#data = options.data ?? "empty";
    this.requests = new RequestLog(options.requestLogLimit);
    try {
      this.faults = new FaultInjector(this.#seed, {
        latencyMs: options.latencyMs,
        faultRate: options.faultRate,
        dropRate: options.dropRate,
        rateLimit: options.rateLimit,
      }, options.faults);
    } catch (error) {
      // Option validation reuses the admin endpoint's checks; callers of the library get a DtctlError.
      if (!(error instanceof HttpError)) throw error;
      throw new DtctlError("usage_error", `Invalid emulator fault option: ${error.message}`, {
        details: { violations: error.extras.constraintViolations },
      });
    }
    this.serviceOptions = structuredClone(options.serviceOptions ?? {});
    const routes: Route[] = [];
    for (const service of this.#services) {
      for (const route of service.routes) {
        this.#serviceOf.set(route, service.name);
        routes.push(route);
      }
    }
    this.#router = new Router(routes);
    this.handle = this.handle.bind(this);
    this.#ensureInitialized();
  }

  async handle(incoming: Request): Promise<Response> {
    const url = new URL(incoming.url);
    if (isAdminPath(url.pathname)) return await handleAdmin(this, incoming, url);
    const time = new Date(this.#clock.now()).toISOString();
    const { request, body } = await captureBody(incoming);
    const log = (status: number, fault?: string) =>
      this.requests.add({
        time,
        method: request.method,
        path: url.pathname,
        query: queryRecord(url),
        status,
        headers: safeHeaders(request.headers),
        ...(body === undefined ? {} : { body }),
        ...(fault ? { fault } : {}),
      });
    const latency = this.faults.settings.latencyMs;
    if (latency > 0) await sleep(latency);
    const decision = this.faults.decide(request.method, url.pathname + url.search, this.#clock.now());
    if (decision.kind === "drop") {
      log(0, "drop");
      throw new ConnectionDropped();
    }
    const faulted = this.#faultResponse(decision, url.pathname);
    if (faulted) {
      log(faulted.status, decision.kind);
      return request.method.toUpperCase() === "HEAD" ? withoutBody(faulted) : faulted;
    }
    const response = await this.#transaction(request, url);
    log(response.status);
    return request.method.toUpperCase() === "HEAD" ? withoutBody(response) : response;
  }

  reset(data: SeedData = "empty"): Promise<void> {
    return this.store.transaction(() => {
      this.store.clear();
      this.#random = mulberry32(this.#seed);
      this.faults.reset(this.#seed);
      this.requests.clear();
      this.#seedAll(data === "demo");
      return Promise.resolve();
    });
  }

  seedDemo(): Promise<void> {
    return this.store.transaction(() => {
      this.#ensureInitialized();
      this.#seedAll(true);
      return Promise.resolve();
    });
  }

  #seedAll(demo: boolean): void {
    const options = {
      demo,
      clock: this.#clock,
      user: this.defaultUser,
      users: this.users,
      random: this.#random,
    };
    for (const service of this.#services) service.seed?.(this.store, options);
    this.store.collection<unknown>(META_COLLECTION).set(META_KEY, {
      initializedAt: new Date(this.#clock.now()).toISOString(),
      data: demo ? "demo" : "empty",
    });
    this.store.markDirty();
  }

  #ensureInitialized(): void {
    if (!this.store.collection(META_COLLECTION).has(META_KEY)) this.#seedAll(this.#data === "demo");
  }

  #faultResponse(decision: FaultDecision, pathname: string): Response | undefined {
    const family = familyForPath(pathname);
    switch (decision.kind) {
      case "none":
      case "drop":
        return undefined;
      case "random": {
        const retry = decision.status === 503 ? { retryAfterSeconds: 1 } : {};
        return errorResponse(family, decision.status, FAULT_MESSAGES[decision.status], retry);
      }
      case "rate-limited":
        return errorResponse(family, 429, "Too Many Requests", {
          errorType: "BUSY_SCHEDULER_TENANT",
          retryAfterSeconds: decision.retryAfterSeconds,
        });
      case "rule":
        return this.#ruleResponse(decision.rule, family);
    }
  }

  #ruleResponse(rule: FaultRule, family: ErrorFamily): Response {
    const headers: Record<string, string> = { ...rule.headers };
    const hasRetryAfter = Object.keys(headers).some((h) => h.toLowerCase() === "retry-after");
    if ((rule.status === 429 || rule.status === 503) && !hasRetryAfter) headers["retry-after"] = "1";
    // These statuses cannot carry a body; the Response constructor rejects one.
    if ([204, 205, 304].includes(rule.status)) return new Response(null, { status: rule.status, headers });
    if (rule.body !== undefined) {
      if (typeof rule.body === "string") {
        return new Response(rule.body, {
          status: rule.status,
          headers: { "content-type": "text/plain", ...headers },
        });
      }
      return json(rule.status, rule.body, headers);
    }
    if (rule.status < 400) return json(rule.status, {}, headers);
    const retry = headers["retry-after"] ? Number(headers["retry-after"]) : undefined;
    return errorResponse(
      family,
      rule.status,
      FAULT_MESSAGES[rule.status] ?? `Injected fault ${rule.status}`,
      {
        headers,
        ...(retry !== undefined && Number.isFinite(retry) && (rule.status === 429 || rule.status === 503)
          ? { retryAfterSeconds: retry }
          : {}),
      },
    );
  }

  async #transaction(request: Request, url: URL): Promise<Response> {
    const family = familyForPath(url.pathname);
    try {
      return await this.store.transaction(() => this.#dispatch(request, url));
    } catch (error) {
      if (isDtctlError(error, "timeout")) {
        return errorResponse(family, 503, "The local platform is busy; retry shortly.", {
          retryAfterSeconds: 1,
        });
      }
      return errorResponse(family, 500, "Internal Server Error", {
        details: { reason: (error as Error)?.message ?? String(error) },
      });
    }
  }

  async #dispatch(request: Request, url: URL): Promise<Response> {
    this.#ensureInitialized();
    const caller = authenticate(request, this.#tokens, this.users, this.defaultUser);
    if (!caller) return unauthorized();
    const match = this.#router.match(request.method, url.pathname);
    if (match.kind === "not-found") {
      return errorResponse(
        familyForPath(url.pathname),
        404,
        `No endpoint ${request.method} ${url.pathname}.`,
      );
    }
    if (match.kind === "method-not-allowed") return methodNotAllowed(match.allowed);
    const { route, params } = match;
    const missing = missingScopes(route, caller);
    if (missing.length > 0) return insufficientScopes(missing);
    const method = request.method.toUpperCase();
    try {
      const response = await route.handle({
        request,
        url,
        params,
        user: caller.user,
        store: this.store,
        clock: this.#clock,
        random: this.#random,
        options: this.serviceOptions[this.#serviceOf.get(route) ?? ""] ?? {},
        users: this.users,
      });
      if (!(response instanceof Response)) throw new TypeError("Route handler did not return a Response.");
      return response;
    } catch (error) {
      if (error instanceof HttpError) {
        return errorResponse(route.family, error.status, error.message, error.extras);
      }
      return errorResponse(route.family, 500, "Internal Server Error", {
        details: { reason: (error as Error)?.message ?? String(error) },
      });
    } finally {
      if (method !== "GET" && method !== "HEAD") this.store.markDirty();
    }
  }
}

/** Creates an emulator over the given (or a fresh in-memory) state. */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  return new EmulatorImpl(options);
}
