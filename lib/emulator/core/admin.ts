/**
 * Control endpoints under `/__emulator/` (alias `/__emu/`): reset, seed, request log, faults and settings.
 * They need no authentication and are never subject to injected faults, so tests can always reach them.
 *
 * @module
 */

import { empty, errorResponse, json, methodNotAllowed } from "../envelope.ts";
import { badRequest, HttpError } from "../http/errors.ts";
import { readJson, readJsonObject } from "../http/body.ts";
import { isObject } from "../http/validate.ts";
import type { FaultInjector, FaultRule } from "./faults.ts";
import type { RequestLog } from "./request_log.ts";
import type { ManagedStore } from "../memory_store.ts";

/** Path prefixes of the control endpoints. */
export const ADMIN_PREFIXES = ["/__emulator/", "/__emu/"] as const;

/** What the control endpoints act on. */
export interface AdminTarget {
  /** Empties the state and seeds it again. */
  reset(data: "demo" | "empty"): Promise<void>;
  /** Adds demo data to the current state. */
  seedDemo(): Promise<void>;
  /** The request log. */
  readonly requests: RequestLog;
  /** The fault injector. */
  readonly faults: FaultInjector;
  /** The state. */
  readonly store: ManagedStore;
  /** Per-service options (mutable). */
  readonly serviceOptions: Record<string, Record<string, unknown>>;
}

/** True when the path is a control endpoint. */
export function isAdminPath(pathname: string): boolean {
  return ADMIN_PREFIXES.some((prefix) => pathname.startsWith(prefix));
}

function dataParam(url: URL): "demo" | "empty" {
  const seed = url.searchParams.get("seed") ?? "empty";
  if (seed !== "demo" && seed !== "empty") throw badRequest("'seed' must be 'demo' or 'empty'.", "seed");
  return seed;
}

function rulesFromBody(body: unknown): FaultRule[] {
  if (Array.isArray(body)) return body as FaultRule[];
  if (isObject(body) && Array.isArray(body.rules)) return body.rules as FaultRule[];
  if (isObject(body)) return [body as unknown as FaultRule];
  throw badRequest("Expected a fault rule, an array of rules or {rules: [...]}.", "body");
}

type AdminHandler = (target: AdminTarget, request: Request, url: URL) => Promise<Response>;

const HANDLERS: Record<string, Record<string, AdminHandler>> = {
  reset: {
    POST: async (target, _request, url) => {
      const data = dataParam(url);
      await target.reset(data);
      return json(200, { reset: true, seed: data });
    },
  },
  seed: {
    POST: async (target) => {
      await target.seedDemo();
      return json(200, { seeded: "demo" });
    },
  },
  requests: {
    GET: (target) => Promise.resolve(json(200, { requests: target.requests.list() })),
    DELETE: (target) => {
      target.requests.clear();
      return Promise.resolve(empty(204));
    },
  },
  faults: {
    GET: (target) =>
      Promise.resolve(json(200, { rules: target.faults.rules(), settings: target.faults.settings })),
    POST: async (target, request) => {
      const added = target.faults.addRules(rulesFromBody(await readJson(request)));
      return json(201, { rules: added });
    },
    DELETE: (target) => {
      target.faults.clearRules();
      return Promise.resolve(empty(204));
    },
  },
  config: {
    GET: (target) =>
      Promise.resolve(json(200, { ...target.faults.settings, serviceOptions: target.serviceOptions })),
    PATCH: async (target, request) => {
      const body = await readJsonObject(request);
      const settings = target.faults.configure(body);
      if (body.serviceOptions !== undefined) {
        if (!isObject(body.serviceOptions)) {
          throw badRequest("'serviceOptions' must be an object.", "serviceOptions");
        }
        for (const [name, options] of Object.entries(body.serviceOptions)) {
          if (!isObject(options)) throw badRequest(`'serviceOptions.${name}' must be an object.`, name);
          target.serviceOptions[name] = { ...target.serviceOptions[name], ...options };
        }
      }
      return json(200, { ...settings, serviceOptions: target.serviceOptions });
    },
  },
  state: {
    GET: (target) => target.store.transaction(() => Promise.resolve(json(200, target.store.toJSON()))),
  },
};

/** Answers a control request; errors come back as JSON envelopes, never as exceptions. */
export async function handleAdmin(target: AdminTarget, request: Request, url: URL): Promise<Response> {
  const prefix = ADMIN_PREFIXES.find((p) => url.pathname.startsWith(p))!;
  const name = url.pathname.slice(prefix.length).replace(/\/$/, "");
  const handlers = Object.hasOwn(HANDLERS, name) ? HANDLERS[name] : undefined;
  if (!handlers) {
    return errorResponse("platform", 404, `Unknown emulator control endpoint '${url.pathname}'.`);
  }
  const method = request.method.toUpperCase();
  const handler = Object.hasOwn(handlers, method) ? handlers[method] : undefined;
  if (!handler) return methodNotAllowed(Object.keys(handlers));
  try {
    return await handler(target, request, url);
  } catch (error) {
    if (error instanceof HttpError) {
      return errorResponse("platform", error.status, error.message, error.extras);
    }
    return errorResponse("platform", 500, "Emulator control request failed.", {
      details: { reason: (error as Error)?.message ?? String(error) },
    });
  }
}
