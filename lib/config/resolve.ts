/**
 * Context resolution: from the `--context` flag, the environment and the config file to one environment URL,
 * one set of credentials and one safety level.
 *
 * Precedence: `--context` > `DTCTL_CONTEXT` > env-only context (`DT_ENVIRONMENT_URL`) > `current-context`.
 * `${VAR}` references in the file are expanded here, and only here, so they are never saved expanded.
 *
 * @module
 */

import { DtctlError, usageError } from "../errors/mod.ts";
import { type Env, expandEnv, processEnv } from "./env.ts";
import { type DtctlConfig, type NamedContext, unknownContextError } from "./file.ts";
import { ENV_CONTEXT, LOCAL_CONTEXT, LOCAL_ENVIRONMENT } from "./local.ts";
import { isSafetyLevel, SAFETY_LEVELS, type SafetyLevel, safetyLevelFromEnv } from "./safety.ts";

/** Credentials of a resolved context. */
export type ResolvedCredentials =
  | { type: "token"; token: string }
  | { type: "oauth"; clientId: string; clientSecret: string; tokenUrl?: string }
  | { type: "local" };

/** A context ready for the client. Holds secrets: never print it whole. */
export interface ResolvedContext {
  /** Context name; `local` for the built-in one, `env` for the env-only one. */
  name: string;
  /** Environment URL as configured, variables expanded (the client normalises it). */
  environment: string;
  /** How to authenticate. */
  credentials: ResolvedCredentials;
  /** The context's safety level. */
  safetyLevel: SafetyLevel;
  /** Where the context came from. */
  source: "builtin" | "env" | "file";
}

/** Options of {@link resolveContext}. */
export interface ResolveContextOptions {
  /** The loaded config file. */
  config: DtctlConfig;
  /** The `--context` flag; wins over everything else. */
  contextName?: string;
  /** Environment; defaults to the process environment. */
  env?: Env;
}

/**
 * Picks and resolves the context to use.
 *
 * Errors: `context_error` when nothing selects a context or the selected name is unknown (known names are
 * listed); `auth_required` when the context lacks credentials (naming the missing key or variables and the
 * command that fixes it); `config_error` for invalid values, with file:line:column.
 */
export function resolveContext(options: ResolveContextOptions): ResolvedContext {
  const env = options.env ?? processEnv();
  const { config, contextName } = options;
  if (contextName !== undefined) {
    if (contextName === "") {
      throw usageError("--context needs a context name", {
        hint: `Pass --context <name>; known contexts: ${knownNames(config).join(", ")}.`,
        details: { flag: "--context" },
      });
    }
    return byName(config, contextName, "--context", env);
  }
  if (nonEmpty(env.DTCTL_CONTEXT)) return byName(config, env.DTCTL_CONTEXT, "DTCTL_CONTEXT", env);
  if (nonEmpty(env.DT_ENVIRONMENT_URL)) return fromEnv(env);
  const current = config.currentContext;
  if (current !== undefined) return byName(config, current, `current-context in ${config.path}`, env);
  throw noContext(config);
}

function nonEmpty(value: string | undefined): value is string {
  return value !== undefined && value !== "";
}

function knownNames(config: DtctlConfig): string[] {
  return [...config.contexts().map((context) => context.name), LOCAL_CONTEXT];
}

function noContext(config: DtctlConfig): DtctlError {
  const names = config.contexts().map((context) => context.name);
  const useExisting = names.length > 0
    ? ` Or pick a configured one with \`dtctl config use-context <name>\` (${names.join(", ")}).`
    : "";
  return new DtctlError(
    "context_error",
    `no context is configured: no --context flag, no DTCTL_CONTEXT, no DT_ENVIRONMENT_URL and no current-context in ${config.path}`,
    {
      hint: "Set DT_ENVIRONMENT_URL and DT_API_TOKEN (or DT_CLIENT_ID and DT_CLIENT_SECRET); or run " +
        "`dtctl config set-context <name> --environment <url> --token-ref <token-name>` and " +
        "`dtctl config set-credentials <token-name> --token <token>`; or use `--context local` for the built-in " +
        `local platform.${useExisting}`,
      details: { file: config.path, known: names },
    },
  );
}

function byName(config: DtctlConfig, name: string, origin: string, env: Env): ResolvedContext {
  if (name === LOCAL_CONTEXT) {
    return {
      name: LOCAL_CONTEXT,
      environment: LOCAL_ENVIRONMENT,
      credentials: { type: "local" },
      // The local platform is a disposable sandbox, so nothing is guarded unless the user asks for it.
      safetyLevel: envSafetyLevel(env, "dangerously-unrestricted"),
      source: "builtin",
    };
  }
  const context = config.getContext(name);
  if (!context) throw unknownContextError(config, name, origin);
  return fromFile(config, context, env);
}

function envSafetyLevel(env: Env, fallback: SafetyLevel): SafetyLevel {
  return safetyLevelFromEnv(env, fallback);
}

/** The env-only context, so CI needs no config file. */
function fromEnv(env: Env): ResolvedContext {
  const environment = env.DT_ENVIRONMENT_URL!;
  const safetyLevel = envSafetyLevel(env, "readwrite-all");
  const base = { name: ENV_CONTEXT, environment, safetyLevel, source: "env" as const };
  // A token wins over client credentials: it is the simpler, explicit choice when both are exported.
  if (nonEmpty(env.DT_API_TOKEN)) return { ...base, credentials: { type: "token", token: env.DT_API_TOKEN } };
  const clientId = env.DT_CLIENT_ID;
  const clientSecret = env.DT_CLIENT_SECRET;
  if (nonEmpty(clientId) && nonEmpty(clientSecret)) {
    const tokenUrl = nonEmpty(env.DT_TOKEN_URL)
      ? env.DT_TOKEN_URL
      : nonEmpty(env.DT_SSO_URL)
      ? ssoTokenUrl(env.DT_SSO_URL)
      : undefined;
    const credentials = { type: "oauth" as const, clientId, clientSecret, ...(tokenUrl ? { tokenUrl } : {}) };
    return { ...base, credentials };
  }
  const missing = nonEmpty(clientId) || nonEmpty(clientSecret)
    ? [nonEmpty(clientId) ? "DT_CLIENT_SECRET" : "DT_CLIENT_ID"]
    : ["DT_API_TOKEN"];
  const what = missing[0] === "DT_API_TOKEN"
    ? "DT_API_TOKEN (or DT_CLIENT_ID and DT_CLIENT_SECRET) is not set"
    : `${missing[0]} is not set`;
  throw new DtctlError("auth_required", `DT_ENVIRONMENT_URL is set but ${what}`, {
    hint: missing[0] === "DT_API_TOKEN"
      ? "Export DT_API_TOKEN with a platform token, or DT_CLIENT_ID and DT_CLIENT_SECRET of an OAuth client."
      : `Export ${
        missing[0]
      } as well (OAuth client credentials need both DT_CLIENT_ID and DT_CLIENT_SECRET).`,
    details: { context: ENV_CONTEXT, missing },
  });
}

/** The token endpoint of an SSO base URL (`https://sso.dynatrace.com` → `…/sso/oauth2/token`). */
function ssoTokenUrl(sso: string): string {
  const trimmed = sso.replace(/\/+$/, "");
  return /\/oauth2\/token$/.test(trimmed) ? trimmed : `${trimmed}/sso/oauth2/token`;
}

function fromFile(config: DtctlConfig, named: NamedContext, env: Env): ResolvedContext {
  const { name, context } = named;
  const expand = (value: string, what: string, where: string): string => {
    try {
      return expandEnv(value, env);
    } catch (error) {
      if (!(error instanceof DtctlError)) throw error;
      throw new DtctlError("config_error", `${where}: ${what}: ${error.message}`, {
        hint: error.hint,
        details: { ...error.details, file: config.path, context: name },
        cause: error,
      });
    }
  };

  if (context.environment === "") {
    throw new DtctlError(
      "config_error",
      `${config.locateContext(name)}: context "${name}" has no environment`,
      {
        hint: `Run \`dtctl config set-context ${name} --environment https://<env-id>.apps.dynatrace.com\`.`,
        details: { file: config.path, context: name, key: "environment" },
      },
    );
  }
  const environment = expand(
    context.environment,
    `environment of context "${name}"`,
    config.locateContext(name, "environment"),
  );
  if (environment.trim() === "") {
    throw new DtctlError(
      "config_error",
      `${
        config.locateContext(name, "environment")
      }: environment of context "${name}" is empty after expanding variables`,
      {
        hint: "Export the referenced variable with the environment URL.",
        details: { file: config.path, context: name },
      },
    );
  }

  let safetyLevel: SafetyLevel = "readwrite-all";
  const rawLevel = context["safety-level"];
  if (rawLevel !== undefined) {
    const where = config.locateContext(name, "safety-level");
    const level = expand(rawLevel, `safety-level of context "${name}"`, where);
    if (!isSafetyLevel(level)) {
      throw new DtctlError("config_error", `${where}: unknown safety level "${level}" in context "${name}"`, {
        hint: `Use one of: ${SAFETY_LEVELS.join(", ")}.`,
        details: { file: config.path, context: name, level },
      });
    }
    safetyLevel = level;
  }

  const rawRef = context["token-ref"];
  const ref = rawRef === undefined
    ? ""
    : expand(rawRef, `token-ref of context "${name}"`, config.locateContext(name, "token-ref"));
  if (ref === "") {
    const suggested = `${name}-token`;
    throw new DtctlError(
      "auth_required",
      `context "${name}" has no token-ref (${config.locateContext(name)})`,
      {
        hint:
          `Store credentials with \`dtctl config set-credentials ${suggested} --token <token>\`, then link them with ` +
          `\`dtctl config set-context ${name} --token-ref ${suggested}\`.`,
        details: { file: config.path, context: name, key: "token-ref" },
      },
    );
  }
  const token = config.tokens().find((entry) => entry.name === ref);
  if (!token) {
    throw new DtctlError(
      "auth_required",
      `token "${ref}" (token-ref of context "${name}", ${
        config.locateContext(name, "token-ref")
      }) is not defined in the tokens of ${config.path}`,
      {
        hint:
          `Run \`dtctl config set-credentials ${ref} --token <token>\` (or --client-id and --client-secret for OAuth).`,
        details: { file: config.path, context: name, token: ref },
      },
    );
  }

  const base = { name, environment, safetyLevel, source: "file" as const };
  const field = (key: string): string | undefined => {
    const value = token[key];
    return typeof value === "string" && value !== "" ? value : undefined;
  };
  const resolved = (key: string): string => {
    const value = expand(field(key)!, `${key} of token "${ref}"`, config.locateToken(ref, key));
    if (value === "") {
      throw new DtctlError(
        "auth_required",
        `${key} of token "${ref}" (${config.locateToken(ref, key)}) is empty after expanding variables`,
        {
          hint: "Export the referenced variable, or store the value with " +
            `\`dtctl config set-credentials ${ref} --token <token>\`.`,
          details: { file: config.path, context: name, token: ref, key },
        },
      );
    }
    return value;
  };
  const hasToken = field("token") !== undefined;
  const oauthKeys = ["client-id", "client-secret"].filter((key) => field(key) !== undefined);
  if (hasToken && oauthKeys.length > 0) {
    throw new DtctlError(
      "config_error",
      `${config.locateToken(ref)}: token "${ref}" has both a token and OAuth client credentials`,
      {
        hint:
          `Keep one kind: \`dtctl config set-credentials ${ref} --token <token>\` replaces the client credentials.`,
        details: { file: config.path, token: ref },
      },
    );
  }
  if (hasToken) return { ...base, credentials: { type: "token", token: resolved("token") } };
  if (oauthKeys.length === 2) {
    const tokenUrl = field("token-url") === undefined ? undefined : resolved("token-url");
    return {
      ...base,
      credentials: {
        type: "oauth",
        clientId: resolved("client-id"),
        clientSecret: resolved("client-secret"),
        ...(tokenUrl ? { tokenUrl } : {}),
      },
    };
  }
  const missing = oauthKeys.length === 1
    ? ["client-id", "client-secret"].filter((key) => !oauthKeys.includes(key))
    : ["token"];
  throw new DtctlError(
    "auth_required",
    `token "${ref}" of context "${name}" (${config.locateToken(ref)}) has no ${missing[0]}`,
    {
      hint: missing[0] === "token"
        ? `Run \`dtctl config set-credentials ${ref} --token <token>\` (or --client-id and --client-secret for OAuth).`
        : `Run \`dtctl config set-credentials ${ref} --${missing[0]} <value>\`.`,
      details: { file: config.path, context: name, token: ref, missing },
    },
  );
}
