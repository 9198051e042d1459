/**
 * OAuth client credentials: exchanges a service user's client id and secret for short-lived access tokens.
 *
 * This is what lets CI authenticate without a config file or a long-lived token (`dtctl-go-notes.md` §12 #7).
 * Tokens are cached until shortly before they expire, concurrent requests share one token call, and a 401 from
 * the platform drops the cached token so the next call fetches a fresh one.
 *
 * @module
 */

import { DtctlError } from "../errors/mod.ts";
import { redactText } from "../redact/mod.ts";
import { raceAbort } from "./abort.ts";

/** Client credentials of a Dynatrace OAuth client (service user). */
export interface OAuthCredentials {
  /** Client id, e.g. `dt0s02.ABC` or `dt0s12.…`. */
  clientId: string;
  /** Client secret. Never logged. */
  clientSecret: string;
  /** Token endpoint; default {@link DEFAULT_TOKEN_URL}. */
  tokenUrl?: string;
  /** Scopes to request, e.g. `["document:documents:read"]`; sent space-separated. */
  scopes?: string[];
}

/** The Dynatrace SSO token endpoint used when {@link OAuthCredentials.tokenUrl} is not set. */
export const DEFAULT_TOKEN_URL = "https://sso.dynatrace.com/sso/oauth2/token";

/** Dependencies of the token provider, supplied by the client. */
export interface TokenProviderDeps {
  /** The client's transport (the same injected fetch as for API calls). */
  fetch: (request: Request) => Promise<Response>;
  /** Clock in epoch ms. */
  now: () => number;
  /** Timeout of the token call in ms. */
  timeoutMs: number;
  /** User-Agent header. */
  userAgent: string;
  /** Logs the token call (`-v`/`-vv`); the client redacts it. */
  logExchange?: (exchange: TokenExchange) => void;
}

/** One token call, as handed to the logger. Bodies contain secrets: the logger must redact them. */
export interface TokenExchange {
  /** Always POST. */
  method: string;
  /** The token URL. */
  url: string;
  /** Response status, when a response arrived. */
  status?: number;
  /** Transport error message, when none did. */
  error?: string;
  /** Duration in ms. */
  ms: number;
  /** The form-encoded request body (contains the client secret). */
  requestBody: string;
  /** The response body (contains the access token). */
  responseBody?: string;
}

/** Gets and caches access tokens. */
export interface TokenProvider {
  /** A valid access token: cached, or fetched (one call shared by concurrent callers). */
  getToken(): Promise<string>;
  /** Drops `token` from the cache if it is still the cached one (after the platform rejected it with 401). */
  invalidate(token: string): void;
  /** The token endpoint, for messages. */
  readonly tokenUrl: string;
}

// Refresh this long before expiry (at most 10% of the lifetime): a token must not expire while a request is on
// the wire, and clock skew between us and SSO is usually seconds.
const MAX_EARLY_REFRESH_MS = 60_000;

/** Creates a {@link TokenProvider} for client credentials. */
export function createTokenProvider(credentials: OAuthCredentials, deps: TokenProviderDeps): TokenProvider {
  const tokenUrl = credentials.tokenUrl ?? DEFAULT_TOKEN_URL;
  if (!credentials.clientId || !credentials.clientSecret) {
    throw new DtctlError(
      "config_error",
      "OAuth client credentials need both a client id and a client secret.",
      {
        hint: "Set the client id and client secret of the OAuth client (service user).",
      },
    );
  }
  try {
    new URL(tokenUrl);
  } catch {
    throw new DtctlError(
      "config_error",
      `The OAuth token URL "${redactText(tokenUrl)}" is not a valid URL.`,
      {
        hint: `Leave it unset to use ${DEFAULT_TOKEN_URL}.`,
      },
    );
  }
  const secrets = [credentials.clientSecret];
  let cached: { token: string; refreshAt: number } | undefined;
  let inflight: Promise<string> | undefined;

  const fail = (problem: string, cause?: unknown, status?: number): DtctlError =>
    new DtctlError(
      "auth_required",
      redactText(`Could not get an OAuth access token from ${tokenUrl}: ${problem}`, secrets),
      {
        hint:
          "Check the client id and secret, that the OAuth client is active and has the requested scopes, " +
          "and that the token URL is reachable.",
        // Not under a key named "token…": generic redaction (redactValue) would hide the URL the user must check.
        details: { endpoint: tokenUrl, ...(status === undefined ? {} : { status }) },
        cause,
      },
    );

  const fetchToken = async (): Promise<string> => {
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
    });
    if (credentials.scopes?.length) form.set("scope", credentials.scopes.join(" "));
    const started = deps.now();
    let response: Response;
    let text: string;
    const timeout = AbortSignal.timeout(deps.timeoutMs);
    try {
      response = await raceAbort(
        deps.fetch(
          new Request(tokenUrl, {
            method: "POST",
            headers: {
              "content-type": "application/x-www-form-urlencoded",
              accept: "application/json",
              "user-agent": deps.userAgent,
            },
            body: form.toString(),
            signal: timeout,
          }),
        ),
        timeout,
      );
      text = await raceAbort(response.text(), timeout);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      deps.logExchange?.({
        method: "POST",
        url: tokenUrl,
        error: reason,
        ms: deps.now() - started,
        requestBody: form.toString(),
      });
      throw fail(reason, error);
    }
    deps.logExchange?.({
      method: "POST",
      url: tokenUrl,
      status: response.status,
      ms: deps.now() - started,
      requestBody: form.toString(),
      responseBody: text,
    });
    let body: Record<string, unknown> = {};
    try {
      const parsed = JSON.parse(text);
      if (typeof parsed === "object" && parsed !== null) body = parsed;
    } catch {
      // Reported below as a missing token or with the status.
    }
    if (!response.ok) {
      const said = [body.error, body.error_description, body.message]
        .filter((v) => typeof v === "string" && v !== "")
        .join(": ");
      throw fail(`HTTP ${response.status}${said ? ` (${said})` : ""}.`, undefined, response.status);
    }
    const token = body.access_token;
    if (typeof token !== "string" || token === "") {
      throw fail("the response has no access_token.", undefined, response.status);
    }
    const lifetimeMs = typeof body.expires_in === "number" && body.expires_in > 0
      ? body.expires_in * 1000
      : 300_000;
    const early = Math.min(MAX_EARLY_REFRESH_MS, lifetimeMs * 0.1);
    cached = { token, refreshAt: deps.now() + lifetimeMs - early };
    return token;
  };

  return {
    tokenUrl,
    getToken(): Promise<string> {
      if (cached && deps.now() < cached.refreshAt) return Promise.resolve(cached.token);
      // One call for all concurrent callers; cleared when it settles so a failure is not cached.
      inflight ??= fetchToken().finally(() => {
        inflight = undefined;
      });
      return inflight;
    },
    invalidate(token: string): void {
      if (cached?.token === token) cached = undefined;
    },
  };
}
