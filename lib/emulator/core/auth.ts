/**
 * Caller authentication and scope checks, as the platform's API gateway does them.
 *
 * @module
 */

import { gatewayErrorResponse, json } from "../envelope.ts";
import type { EmulatorUser, Route } from "../types.ts";

/** A token the emulator accepts, the user it stands for and, optionally, its scopes. */
export interface EmulatorToken {
  /** The secret as sent after `Bearer ` or `Api-Token `. */
  token: string;
  /** The user the token authenticates. */
  userId: string;
  /** Granted scopes; when absent the token may call everything. */
  scopes?: string[];
}

/** An authenticated caller. */
export interface Caller {
  /** The user. */
  user: EmulatorUser;
  /** Granted scopes, or `undefined` for "all". */
  scopes?: ReadonlySet<string>;
}

/** The fixed 401 of the gateway. */
export function unauthorized(): Response {
  return json(401, { error: { code: 401, message: "Unauthorized" } });
}

/** The token of an `Authorization: Bearer …` or `Authorization: Api-Token …` header, if well-formed. */
export function tokenOf(request: Request): string | undefined {
  const header = request.headers.get("authorization");
  if (!header) return undefined;
  const match = /^(Bearer|Api-Token)[ ]+(\S+)\s*$/i.exec(header);
  return match?.[2];
}

/**
 * Authenticates a request. Without configured tokens every well-formed token is the default user (a local
 * emulator should not make developers manage secrets); with tokens, only those are accepted.
 */
export function authenticate(
  request: Request,
  tokens: readonly EmulatorToken[],
  users: readonly EmulatorUser[],
  defaultUser: EmulatorUser,
): Caller | undefined {
  const token = tokenOf(request);
  if (token === undefined) return undefined;
  if (tokens.length === 0) return { user: defaultUser };
  const entry = tokens.find((t) => t.token === token);
  if (!entry) return undefined;
  const user = users.find((u) => u.userId === entry.userId) ?? defaultUser;
  return { user, scopes: entry.scopes ? new Set(entry.scopes) : undefined };
}

/** Scopes the route needs that the caller lacks. */
export function missingScopes(route: Route, caller: Caller): string[] {
  if (!caller.scopes || !route.scopes) return [];
  return route.scopes.filter((scope) => !caller.scopes!.has(scope));
}

/** The gateway's 403 for missing scopes. */
export function insufficientScopes(missing: string[]): Response {
  return gatewayErrorResponse(403, `Token is missing required scopes: ${missing.join(", ")}.`, {
    errorCode: "MISSING_SCOPES",
    missingScopes: missing,
  });
}
