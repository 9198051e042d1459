/**
 * Fault injection: latency, random 5xx, dropped connections, a request-rate limit and explicit rules.
 *
 * Decisions come from their own seeded stream, and every request draws the same number of values whatever the
 * settings, so one seed gives one fault sequence even if ids or other randomness change in between.
 *
 * @module
 */

import { mulberry32, type Random } from "../random.ts";
import { badRequest } from "../http/errors.ts";
import { isObject } from "../http/validate.ts";

/** An explicit fault: requests matching `method` and `pathRegex` are answered with `status`, `times` times. */
export interface FaultRule {
  /** HTTP method to match (any when absent). */
  method?: string;
  /** Regular expression tested against the URL path plus query string. */
  pathRegex: string;
  /** Status to answer; `0` drops the connection instead. */
  status: number;
  /** How many requests the rule applies to (unlimited when absent). */
  times?: number;
  /** Extra response headers (e.g. `Retry-After`). */
  headers?: Record<string, string>;
  /** Response body (JSON-encoded unless a string); the route family's error envelope when absent. */
  body?: unknown;
}

/** A registered rule with its id and remaining uses. */
export interface ActiveFaultRule extends FaultRule {
  /** Id for listing. */
  id: number;
  /** Uses left (`null` = unlimited). */
  remaining: number | null;
}

/** Global fault settings. */
export interface FaultSettings {
  /** Delay added to every request, in milliseconds. */
  latencyMs: number;
  /** Fraction (0..1) of requests answered with a random 500, 502 or 503. */
  faultRate: number;
  /** Fraction (0..1) of requests whose connection is dropped. */
  dropRate: number;
  /** Requests per second admitted before 429s (0 = unlimited). */
  rateLimit: number;
}

/** What to do with a request. */
export type FaultDecision =
  | { kind: "none" }
  | { kind: "drop"; reason: string }
  | { kind: "rule"; rule: ActiveFaultRule }
  | { kind: "random"; status: 500 | 502 | 503 }
  | { kind: "rate-limited"; retryAfterSeconds: number };

const RANDOM_STATUSES = [500, 502, 503] as const;

function fraction(value: unknown, name: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > 1) {
    throw badRequest(`'${name}' must be a number between 0 and 1.`, name);
  }
  return value;
}

function nonNegative(value: unknown, name: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw badRequest(`'${name}' must be a non-negative number.`, name);
  }
  return value;
}

/** Validates settings, keeping current values for absent fields. */
export function parseFaultSettings(input: Record<string, unknown>, current: FaultSettings): FaultSettings {
  return {
    latencyMs: input.latencyMs === undefined ? current.latencyMs : nonNegative(input.latencyMs, "latencyMs"),
    faultRate: input.faultRate === undefined ? current.faultRate : fraction(input.faultRate, "faultRate"),
    dropRate: input.dropRate === undefined ? current.dropRate : fraction(input.dropRate, "dropRate"),
    rateLimit: input.rateLimit === undefined ? current.rateLimit : nonNegative(input.rateLimit, "rateLimit"),
  };
}

/** Validates one rule from untrusted input (the admin endpoint or options). */
export function parseFaultRule(input: unknown, index = 0): FaultRule {
  const at = (field: string) => `rules[${index}].${field}`;
  if (!isObject(input)) throw badRequest("A fault rule must be an object.", `rules[${index}]`);
  const { method, pathRegex, status, times, headers, body } = input;
  if (typeof pathRegex !== "string") throw badRequest("'pathRegex' must be a string.", at("pathRegex"));
  try {
    new RegExp(pathRegex);
  } catch (error) {
    throw badRequest(
      `'pathRegex' is not a valid regular expression: ${(error as Error).message}`,
      at("pathRegex"),
    );
  }
  if (
    typeof status !== "number" || !Number.isInteger(status) ||
    (status !== 0 && (status < 200 || status > 599))
  ) {
    throw badRequest("'status' must be 0 (drop) or an HTTP status between 200 and 599.", at("status"));
  }
  if (method !== undefined && typeof method !== "string") {
    throw badRequest("'method' must be a string.", at("method"));
  }
  if (times !== undefined && (typeof times !== "number" || !Number.isInteger(times) || times < 1)) {
    throw badRequest("'times' must be a positive integer.", at("times"));
  }
  if (headers !== undefined) {
    // Checked here: an invalid header would make the Response constructor throw when the rule fires.
    const valid = isObject(headers) &&
      Object.entries(headers).every(([name, value]) =>
        /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) && typeof value === "string" && !/[\r\n\0]/.test(value)
      );
    if (!valid) {
      throw badRequest("'headers' must map valid header names to single-line strings.", at("headers"));
    }
  }
  return {
    method: method?.toUpperCase(),
    pathRegex,
    status,
    times: times as number | undefined,
    headers: headers as Record<string, string> | undefined,
    body,
  };
}

/** Decides, per request, whether and how to misbehave. */
export class FaultInjector {
  /** Current settings (mutable through {@link configure}). */
  settings: FaultSettings;
  #random: Random;
  #rules: ActiveFaultRule[] = [];
  #nextId = 1;
  #window = -1;
  #admitted = 0;

  /** Creates an injector drawing from `seed`. */
  constructor(seed: number, settings: Partial<FaultSettings> = {}, rules: FaultRule[] = []) {
    const defaults: FaultSettings = { latencyMs: 0, faultRate: 0, dropRate: 0, rateLimit: 0 };
    this.settings = parseFaultSettings(settings as Record<string, unknown>, defaults);
    // A stream distinct from the id stream, so generating ids never shifts the fault sequence.
    this.#random = mulberry32(seed ^ 0x9e3779b9);
    this.addRules(rules);
  }

  /** Restarts the fault stream from `seed`, forgets rules and the rate window. */
  reset(seed: number): void {
    this.#random = mulberry32(seed ^ 0x9e3779b9);
    this.#rules = [];
    this.#window = -1;
    this.#admitted = 0;
  }

  /** Changes settings (validated). */
  configure(input: Record<string, unknown>): FaultSettings {
    this.settings = parseFaultSettings(input, this.settings);
    return this.settings;
  }

  /** Registers rules (validated); they apply in registration order. */
  addRules(rules: FaultRule[]): ActiveFaultRule[] {
    const parsed = rules.map((rule, i) => parseFaultRule(rule, i));
    const added = parsed.map((rule) => ({ ...rule, id: this.#nextId++, remaining: rule.times ?? null }));
    this.#rules.push(...added);
    return added;
  }

  /** Active rules. */
  rules(): ActiveFaultRule[] {
    return this.#rules.map((rule) => ({ ...rule }));
  }

  /** Removes every rule. */
  clearRules(): void {
    this.#rules = [];
  }

  /** The decision for one request at time `now` (epoch ms). */
  decide(method: string, target: string, now: number): FaultDecision {
    // Always draw three values so the sequence does not depend on which branch is taken.
    const dropDraw = this.#random();
    const faultDraw = this.#random();
    const statusDraw = this.#random();
    const rule = this.#matchRule(method, target);
    if (rule) return rule.status === 0 ? { kind: "drop", reason: `rule ${rule.id}` } : { kind: "rule", rule };
    if (dropDraw < this.settings.dropRate) return { kind: "drop", reason: "dropRate" };
    if (faultDraw < this.settings.faultRate) {
      return { kind: "random", status: RANDOM_STATUSES[Math.floor(statusDraw * RANDOM_STATUSES.length)] };
    }
    return this.#rateLimit(now);
  }

  #matchRule(method: string, target: string): ActiveFaultRule | undefined {
    const index = this.#rules.findIndex((rule) =>
      (rule.method === undefined || rule.method === method.toUpperCase()) &&
      new RegExp(rule.pathRegex).test(target)
    );
    if (index === -1) return undefined;
    const rule = this.#rules[index];
    if (rule.remaining !== null) {
      rule.remaining--;
      if (rule.remaining <= 0) this.#rules.splice(index, 1);
    }
    return { ...rule };
  }

  #rateLimit(now: number): FaultDecision {
    const limit = this.settings.rateLimit;
    if (limit <= 0) return { kind: "none" };
    const window = Math.floor(now / 1000);
    if (window !== this.#window) {
      this.#window = window;
      this.#admitted = 0;
    }
    if (this.#admitted < limit) {
      this.#admitted++;
      return { kind: "none" };
    }
    return {
      kind: "rate-limited",
      retryAfterSeconds: Math.max(1, Math.ceil(((window + 1) * 1000 - now) / 1000)),
    };
  }
}
