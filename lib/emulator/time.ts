/**
 * Timestamp formatting shared by the services.
 *
 * @module
 */

import type { Clock } from "./types.ts";

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** RFC3339 UTC with millisecond precision, as platform metadata carries it (`2024-05-01T10:00:00.123Z`). */
export function isoTime(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/** The current time of a clock as RFC3339 UTC. */
export function nowIso(clock: Clock): string {
  return isoTime(clock.now());
}
