/**
 * Route matching for the emulator.
 *
 * Route paths are written from the URL root with `:name` parameters. Platform paths also carry literal colon
 * actions (`/documents:delete`, `/query:execute`, `/bucket-definitions/:name:truncate`), so a segment is read as:
 * a leading `:name` is a parameter, and anything from the next `:` on is a literal suffix the request segment
 * must end with; a segment that does not start with `:` is literal as a whole. When several routes match, the
 * most literal one wins (`/documents/:id:transfer-owner` beats `/documents/:id`), which is why parameter values
 * may themselves contain colons (settings schema ids such as `builtin:alerting.profile`).
 *
 * @module
 */

import type { Route } from "../types.ts";

interface Segment {
  /** Literal text of a literal segment, or the suffix after a parameter ("" when none). */
  literal: string;
  /** Parameter name, when the segment starts with a parameter. */
  param?: string;
}

/** A route with its parsed path. */
export interface CompiledRoute<R extends Route = Route> {
  /** The route. */
  route: R;
  /** Parsed segments. */
  segments: Segment[];
  /** Specificity per segment (3 literal, 2 parameter with suffix, 1 bare parameter), for tie-breaking. */
  score: number[];
}

/** The outcome of matching a request path. */
export type MatchResult<R extends Route = Route> =
  | { kind: "found"; route: R; params: Record<string, string> }
  | { kind: "method-not-allowed"; allowed: string[]; route: R }
  | { kind: "not-found" };

function parseSegment(text: string): Segment {
  if (!text.startsWith(":")) return { literal: text };
  const end = text.indexOf(":", 1);
  const param = end === -1 ? text.slice(1) : text.slice(1, end);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(param)) throw new Error(`Invalid route parameter in '${text}'`);
  return { param, literal: end === -1 ? "" : text.slice(end) };
}

/** Parses a route path such as `/platform/document/v1/documents/:id/snapshots/:version:restore`. */
export function compileRoute<R extends Route>(route: R): CompiledRoute<R> {
  if (!route.path.startsWith("/")) throw new Error(`Route path must start with '/': ${route.path}`);
  const segments = route.path.slice(1).split("/").map(parseSegment);
  const score = segments.map((s) => s.param === undefined ? 3 : s.literal ? 2 : 1);
  return { route, segments, score };
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function matchSegments(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  if (segments.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    const part = decode(parts[i]);
    if (part === undefined) return undefined;
    if (segment.param === undefined) {
      if (part !== segment.literal) return undefined;
      continue;
    }
    if (!part.endsWith(segment.literal)) return undefined;
    const value = part.slice(0, part.length - segment.literal.length);
    if (value === "") return undefined;
    params[segment.param] = value;
  }
  return params;
}

function compareScore(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return b[i] - a[i];
  }
  return 0;
}

/** A table of routes matched by method and path. */
export class Router<R extends Route = Route> {
  readonly #routes: CompiledRoute<R>[];

  /** Compiles the routes; later duplicates of a method and path lose to earlier ones. */
  constructor(routes: readonly R[]) {
    this.#routes = routes.map(compileRoute).sort((a, b) => compareScore(a.score, b.score));
  }

  /** Matches a method and a raw (still percent-encoded) URL path. `HEAD` falls back to `GET` routes. */
  match(method: string, pathname: string): MatchResult<R> {
    const parts = pathname.replace(/^\//, "").split("/");
    const candidates: { compiled: CompiledRoute<R>; params: Record<string, string> }[] = [];
    for (const compiled of this.#routes) {
      const params = matchSegments(compiled.segments, parts);
      if (params) candidates.push({ compiled, params });
    }
    if (candidates.length === 0) return { kind: "not-found" };
    const wanted = method.toUpperCase();
    const effective = wanted === "HEAD" ? ["HEAD", "GET"] : [wanted];
    for (const m of effective) {
      // Candidates are already in specificity order, so the first hit is the most literal route.
      const hit = candidates.find((c) => c.compiled.route.method === m);
      if (hit) return { kind: "found", route: hit.compiled.route, params: hit.params };
    }
    // Only the most specific path shape decides which methods are allowed.
    const best = candidates[0].compiled.score;
    const allowed = [
      ...new Set(
        candidates.filter((c) => compareScore(c.compiled.score, best) === 0).map((c) =>
          c.compiled.route.method
        ),
      ),
    ];
    return { kind: "method-not-allowed", allowed, route: candidates[0].compiled.route };
  }
}
