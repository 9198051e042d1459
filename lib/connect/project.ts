/**
 * A client for an environment of the project file (`dtctl.yaml`, `--env NAME`): its URL, credentials read from
 * the environment variables it names (the project file never holds secrets), and the safety level from
 * `DTCTL_SAFETY_LEVEL` (default `readwrite-all`, as for the env-only context).
 *
 * Without a `credentials` block the standard variables apply: `DT_API_TOKEN`, or `DT_CLIENT_ID` +
 * `DT_CLIENT_SECRET` (+ `DT_TOKEN_URL`). An environment whose URL is the built-in local platform's
 * (`http://local.dtctl.invalid`) uses the in-process local platform and needs no credentials.
 *
 * @module
 */

import { LOCAL_ENVIRONMENT, type ResolvedContext, type ResolvedCredentials } from "../config/mod.ts";
import { safetyLevelFromEnv } from "../config/safety.ts";
import { DtctlError } from "../errors/mod.ts";
import type { ProjectEnvironment } from "../manifest/types.ts";
import { type Connection, type ConnectOptions, connectResolved } from "./mod.ts";

/** Options of {@link connectProjectEnvironment}: those of `connect` without context and config. */
export type ProjectConnectOptions = Omit<ConnectOptions, "context" | "config">;

function nonEmpty(value: string | undefined): value is string {
  return value !== undefined && value !== "";
}

function missing(environment: ProjectEnvironment, variables: string[], configured: boolean): DtctlError {
  const list = variables.join(" and ");
  return new DtctlError(
    "auth_required",
    `environment "${environment.name}" (${environment.url}): ${list} ${
      variables.length > 1 ? "are" : "is"
    } not set`,
    {
      hint: configured
        ? `Export ${list} (named by credentials: of environment "${environment.name}" in the project file).`
        : `Export DT_API_TOKEN (or DT_CLIENT_ID and DT_CLIENT_SECRET), or name the variables under ` +
          `environments.${environment.name}.credentials in the project file.`,
      details: { environment: environment.name, missing: variables },
    },
  );
}

/**
 * The credentials of a project environment, read from the variables it names (see the module documentation).
 *
 * @throws DtctlError `auth_required` naming every variable that is not set.
 */
export function projectCredentials(
  environment: ProjectEnvironment,
  env: Record<string, string | undefined>,
): ResolvedCredentials {
  const names = environment.credentials;
  const read = (name: string | undefined) => (name === undefined ? undefined : env[name]);
  if (names.token !== undefined) {
    const token = read(names.token);
    if (!nonEmpty(token)) throw missing(environment, [names.token], true);
    return { type: "token", token };
  }
  if (names.clientId !== undefined || names.clientSecret !== undefined) {
    const wanted = [names.clientId, names.clientSecret, names.tokenUrl].filter((n): n is string =>
      n !== undefined
    );
    const unset = wanted.filter((name) => !nonEmpty(env[name]));
    if (unset.length > 0) throw missing(environment, unset, true);
    const tokenUrl = read(names.tokenUrl);
    return {
      type: "oauth",
      clientId: read(names.clientId)!,
      clientSecret: read(names.clientSecret)!,
      ...(nonEmpty(tokenUrl) ? { tokenUrl } : {}),
    };
  }
  if (nonEmpty(env.DT_API_TOKEN)) return { type: "token", token: env.DT_API_TOKEN };
  if (nonEmpty(env.DT_CLIENT_ID) && nonEmpty(env.DT_CLIENT_SECRET)) {
    return {
      type: "oauth",
      clientId: env.DT_CLIENT_ID,
      clientSecret: env.DT_CLIENT_SECRET,
      ...(nonEmpty(env.DT_TOKEN_URL) ? { tokenUrl: env.DT_TOKEN_URL } : {}),
    };
  }
  throw missing(environment, ["DT_API_TOKEN"], false);
}

/** The resolved context of a project environment (named after it), credentials included: never print it whole. */
export function resolveProjectEnvironment(
  environment: ProjectEnvironment,
  env: Record<string, string | undefined>,
): ResolvedContext {
  const local = environment.url.replace(/\/+$/, "") === LOCAL_ENVIRONMENT;
  return {
    name: environment.name,
    environment: environment.url,
    credentials: local ? { type: "local" } : projectCredentials(environment, env),
    // The local platform is a sandbox, as with the built-in `local` context.
    safetyLevel: safetyLevelFromEnv(env, local ? "dangerously-unrestricted" : "readwrite-all"),
    source: local ? "builtin" : "env",
  };
}

/** Connects to an environment of the project file (see the module documentation). */
export async function connectProjectEnvironment(
  environment: ProjectEnvironment,
  options: ProjectConnectOptions = {},
): Promise<Connection> {
  const env = options.env ?? { ...Deno.env.toObject() };
  return await connectResolved(resolveProjectEnvironment(environment, env), { ...options, env });
}
