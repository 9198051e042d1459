/**
 * Safety levels and the safety guard: the one place that decides whether a write may reach the platform.
 *
 * The client calls the guard before every create, update and delete request of every resource kind, so no
 * kind can slip past a context's level the way SLOs and buckets did in the Go dtctl.
 *
 * @module
 */

import type { SafetyCheck, SafetyGuard } from "../client/mod.ts";
import { DtctlError } from "../errors/mod.ts";
import { ENV_CONTEXT, LOCAL_CONTEXT } from "./local.ts";

/** How much a context may change on the platform, from most to least restrictive. */
export type SafetyLevel = "readonly" | "readwrite-mine" | "readwrite-all" | "dangerously-unrestricted";

/** All safety levels, ordered from most to least restrictive (hints list them in this order). */
export const SAFETY_LEVELS: readonly SafetyLevel[] = Object.freeze([
  "readonly",
  "readwrite-mine",
  "readwrite-all",
  "dangerously-unrestricted",
]);

/** True when the value is one of {@link SAFETY_LEVELS}. */
export function isSafetyLevel(value: unknown): value is SafetyLevel {
  return typeof value === "string" && (SAFETY_LEVELS as readonly string[]).includes(value);
}

/**
 * The safety level `DTCTL_SAFETY_LEVEL` sets, or `fallback` when it is unset or empty. Any other value is a
 * `usage_error` (exit 2, like a bad flag value) naming the variable and the valid levels.
 */
export function safetyLevelFromEnv(
  env: Record<string, string | undefined>,
  fallback: SafetyLevel,
): SafetyLevel {
  const value = env.DTCTL_SAFETY_LEVEL;
  if (value === undefined || value === "") return fallback;
  if (!isSafetyLevel(value)) {
    throw new DtctlError(
      "usage_error",
      `invalid value of the environment variable DTCTL_SAFETY_LEVEL: "${value}" is not a safety level`,
      {
        hint: `Set it to one of: ${SAFETY_LEVELS.join(", ")} (or unset it).`,
        details: { variable: "DTCTL_SAFETY_LEVEL", value, allowed: [...SAFETY_LEVELS] },
      },
    );
  }
  return value;
}

/** Options of {@link createSafetyGuard}. */
export interface SafetyGuardOptions {
  /** The context's safety level. */
  level: SafetyLevel;
  /**
   * Resolves the current user's id (compared with `resource.owner`). Only called for updates and deletes
   * under `readwrite-mine`, so other levels never pay for the lookup.
   */
  currentUser: () => Promise<string | undefined>;
  /** Context name, quoted in refusals and hints. */
  contextName: string;
}

/**
 * Creates the guard that enforces a safety level:
 *
 * - `readonly` refuses every create, update and delete;
 * - `readwrite-mine` allows creates; updates and deletes only when `resource.owner` is known and equals the
 *   current user (an unknown owner or user is refused, never guessed); bucket deletes are refused;
 * - `readwrite-all` allows everything except deleting buckets (their data cannot be restored);
 * - `dangerously-unrestricted` allows everything.
 *
 * A refusal is a `DtctlError("safety_blocked")` naming the context, its level, the operation and the
 * resource, with a hint saying how to change the level.
 */
export function createSafetyGuard(options: SafetyGuardOptions): SafetyGuard {
  const { level, contextName } = options;
  if (!isSafetyLevel(level)) {
    throw new DtctlError(
      "config_error",
      `unknown safety level "${String(level)}" for context "${contextName}"`,
      {
        hint: `Use one of: ${SAFETY_LEVELS.join(", ")}.`,
        details: { context: contextName, level },
      },
    );
  }
  let user: Promise<string | undefined> | undefined;
  const currentUser = (): Promise<string | undefined> => {
    // Memoised: a bulk apply checks many resources. A failed lookup is not cached so it can be retried.
    user ??= options.currentUser().catch((error) => {
      user = undefined;
      throw error;
    });
    return user;
  };

  return async (check: SafetyCheck): Promise<void> => {
    const refuse = (reason: string, needed: SafetyLevel): never => {
      throw refusal(contextName, level, check, reason, needed);
    };
    const isBucketDelete = check.operation === "delete" && check.resource?.kind.toLowerCase() === "bucket";
    switch (level) {
      case "dangerously-unrestricted":
        return;
      case "readwrite-all":
        if (isBucketDelete) {
          refuse(
            "deleting buckets destroys their data and is only allowed at dangerously-unrestricted",
            "dangerously-unrestricted",
          );
        }
        return;
      case "readwrite-mine": {
        if (check.operation === "create") return;
        if (isBucketDelete) {
          refuse(
            "deleting buckets destroys their data and is only allowed at dangerously-unrestricted",
            "dangerously-unrestricted",
          );
        }
        const owner = check.resource?.owner;
        if (owner === undefined || owner === "") {
          refuse(
            "its owner is unknown, and readwrite-mine only changes resources owned by the current user",
            "readwrite-all",
          );
        }
        let me: string | undefined;
        try {
          me = await currentUser();
        } catch (error) {
          // A DtctlError (auth, network) already says what is wrong; anything else becomes a refusal.
          if (error instanceof DtctlError) throw error;
          throw refusal(
            contextName,
            level,
            check,
            `the current user could not be determined (${
              error instanceof Error ? error.message : String(error)
            })`,
            "readwrite-all",
            error,
          );
        }
        if (me === undefined || me === "") {
          refuse(
            "the current user could not be determined, so ownership cannot be checked",
            "readwrite-all",
          );
        }
        if (owner !== me) {
          refuse(`it is owned by "${owner}", not by the current user "${me}"`, "readwrite-all");
        }
        return;
      }
      case "readonly":
      default:
        // `default` keeps unknown future operations refused rather than silently allowed.
        refuse("the context is read-only", check.operation === "create" ? "readwrite-mine" : "readwrite-all");
    }
  };
}

function describeResource(check: SafetyCheck): string {
  const request = `${check.method.toUpperCase()} ${check.path}`;
  const resource = check.resource;
  if (!resource) return request;
  const what = resource.name === undefined ? resource.kind : `${resource.kind} "${resource.name}"`;
  return `${what} (${request})`;
}

function refusal(
  contextName: string,
  level: SafetyLevel,
  check: SafetyCheck,
  reason: string,
  needed: SafetyLevel,
  cause?: unknown,
): DtctlError {
  // Env-only and built-in contexts have no file entry to edit: their level comes from DTCTL_SAFETY_LEVEL.
  const viaEnv = contextName === ENV_CONTEXT || contextName === LOCAL_CONTEXT;
  const change = viaEnv
    ? `set DTCTL_SAFETY_LEVEL=${needed}`
    : `run \`dtctl config set-context ${contextName} --safety-level ${needed}\``;
  return new DtctlError(
    "safety_blocked",
    `safety level "${level}" of context "${contextName}" does not allow ${check.operation} of ${
      describeResource(check)
    }: ${reason}`,
    {
      hint: `If this change is intended, ${change} (levels from strictest to loosest: ${
        SAFETY_LEVELS.join(", ")
      }).`,
      details: {
        context: contextName,
        level,
        operation: check.operation,
        method: check.method,
        path: check.path,
        resource: check.resource,
        requiredLevel: needed,
      },
      cause,
    },
  );
}
