/**
 * Token classification and the matching `Authorization` header.
 *
 * The prefix decides the scheme (`shared/reference/dynatrace-api.md` §1): sending a classic token as `Bearer`, or
 * an OAuth client id as any credential, yields a bare 401 that tells the user nothing, so we decide up front and
 * explain.
 *
 * @module
 */

import { DtctlError } from "../errors/mod.ts";

/** What a credential string is, judged by its prefix. */
export type TokenKind = "platform" | "classic" | "oauth-client-id" | "oauth";

/**
 * Classifies a credential by its prefix: `dt0s16.` platform token, `dt0c01.` classic API token, `dt0s12.` OAuth
 * client id (not a credential), anything else an OAuth access token (JWT).
 */
export function classifyToken(token: string): TokenKind {
  const t = token.trim();
  if (t.startsWith("dt0s16.")) return "platform";
  if (t.startsWith("dt0c01.")) return "classic";
  if (t.startsWith("dt0s12.")) return "oauth-client-id";
  return "oauth";
}

/**
 * The `Authorization` header value for a token: `Api-Token` for classic tokens, `Bearer` for everything else.
 *
 * @throws DtctlError `config_error` for an OAuth client id (`dt0s12.`) or an empty token.
 */
export function authorizationFor(token: string): string {
  const t = token.trim();
  if (t === "") {
    throw new DtctlError("config_error", "The API token is empty.", {
      hint: "Set a platform token (dt0s16.…) or configure OAuth client credentials.",
    });
  }
  const kind = classifyToken(t);
  if (kind === "oauth-client-id") {
    throw new DtctlError(
      "config_error",
      `The token "${
        t.slice(0, 7)
      }…" is an OAuth client id (prefix dt0s12.), not a credential that can authenticate.`,
      {
        hint:
          "Configure OAuth client credentials instead: give this value as the client id together with its client " +
          "secret, so dtctl can request access tokens; or use a platform token (dt0s16.…).",
        details: { tokenKind: kind },
      },
    );
  }
  return kind === "classic" ? `Api-Token ${t}` : `Bearer ${t}`;
}
