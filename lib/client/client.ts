/**
 * The platform HTTP client: one place for authentication, safety checks, retries, limits, error parsing and
 * verbose logging, so every command and resource handler behaves the same way.
 *
 * @module
 */

import { DtctlError } from "../errors/mod.ts";
import { redactText } from "../redact/mod.ts";
import { raceAbort, sleep as defaultSleep } from "./abort.ts";
import { type ApiError, parseApiError, type ResourceRef } from "./api_error.ts";
import { createLimiter, type Limiter } from "./limiter.ts";
import {
  createTokenProvider,
  type OAuthCredentials,
  type TokenExchange,
  type TokenProvider,
} from "./oauth.ts";
import { type PageOptions, paginate } from "./paginate.ts";
import {
  AMBIGUOUS_RETRY_STATUSES,
  computeWait,
  DEFAULT_RETRY_POLICY,
  isIdempotent,
  isNotSentError,
  type RetryPolicy,
  SAFE_RETRY_STATUSES,
} from "./retry.ts";
import { authorizationFor } from "./token.ts";
import { buildUrl, normalizeEnvironmentUrl, type QueryValue } from "./url.ts";
import { DEFAULT_USER_AGENT } from "./version.ts";

/** What the safety guard is asked about before a write request. */
export interface SafetyCheck {
  /** The kind of write. */
  operation: "create" | "update" | "delete";
  /** HTTP method. */
  method: string;
  /** Path from the environment root. */
  path: string;
  /** The resource written, when the caller said. */
  resource?: ResourceRef;
}

/**
 * Decides whether a write may go ahead; throws DtctlError `safety_blocked` to refuse. Called before every write
 * request (once per request, not per retry), which makes the client the one place safety levels are enforced.
 */
export type SafetyGuard = (check: SafetyCheck) => void | Promise<void>;

/** Options of {@link createClient}. */
export interface ClientOptions {
  /** Environment URL; normalised with `normalizeEnvironmentUrl`. */
  environment: string;
  /** Platform token (`dt0s16.`), classic token (`dt0c01.`) or OAuth access token. Exclusive with `oauth`. */
  token?: string;
  /** OAuth client credentials; access tokens are fetched and refreshed as needed. Exclusive with `token`. */
  oauth?: OAuthCredentials;
  /** Transport; default `globalThis.fetch`. The local emulator is injected here (in-process, no socket). */
  fetch?: (request: Request) => Promise<Response>;
  /** `User-Agent`; default `dtctl/<version>`. */
  userAgent?: string;
  /** Sent as `dt-client-context` (at most 512 characters). */
  clientContext?: string;
  /** Timeout per attempt in ms; default 120 000. */
  timeoutMs?: number;
  /** Retry limits; unset fields take the defaults (4 attempts, 500 ms base, 10 s max step, 60 s budget). */
  retry?: Partial<RetryPolicy>;
  /** Maximum requests in flight; default 8. Ignored when `limiter` is given. */
  concurrency?: number;
  /** Maximum requests started per second; default unlimited. Ignored when `limiter` is given. */
  rateLimit?: number;
  /** A limiter to share with other clients or bulk operations, instead of one built from the two options above. */
  limiter?: Limiter;
  /** 1 (`-v`): one line per request and retry; 2 (`-vv`): also headers and bodies. Secrets always redacted. */
  verbosity?: 0 | 1 | 2;
  /** Where log lines go; default stderr. */
  log?: (line: string) => void;
  /** Called before every write request. */
  safety?: SafetyGuard;
  /** Waits between retries; injectable for tests. Must reject when the signal aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Random number in [0, 1) for backoff jitter; injectable for tests. */
  random?: () => number;
  /** Clock in epoch ms; injectable for tests. */
  now?: () => number;
}

/** Options of one request. */
export interface RequestOptions {
  /** HTTP method; default GET. */
  method?: string;
  /** Path from the environment root, e.g. `/platform/document/v1/documents`. */
  path: string;
  /** Query parameters; `undefined`/`null` are omitted. */
  query?: Record<string, QueryValue>;
  /** Array parameters: `repeat` (`a=1&a=2`, default) or `comma` (`a=1,2`, Automation style). */
  arrayFormat?: "repeat" | "comma";
  /** A JSON body (sets `content-type: application/json`). */
  json?: unknown;
  /** Any other body, e.g. `FormData` for documents. A `ReadableStream` body is never replayed. */
  body?: BodyInit;
  /** Extra headers. */
  headers?: Record<string, string>;
  /** Aborts the request (and its retries): DtctlError `aborted`. */
  signal?: AbortSignal;
  /** Timeout per attempt in ms, overriding the client's. */
  timeoutMs?: number;
  /**
   * What the request does; default from the method (GET/HEAD read, POST create, PUT/PATCH update, DELETE
   * delete). Query-like POSTs pass `read`: no safety check, and they are treated as idempotent for retries.
   */
  operation?: "read" | "create" | "update" | "delete";
  /** The resource concerned: passed to the safety guard and named in error messages. */
  resource?: ResourceRef;
  /**
   * For creates: lets the request be replayed after an ambiguous failure (502, 504, connection lost). Run before
   * each such replay: `true` (it exists, the failed attempt probably created it) → DtctlError `conflict`, no
   * replay; `false` → replay. If the check itself throws, the original failure is thrown.
   */
  existenceCheck?: () => Promise<boolean>;
  /** How to read a successful response: `json` (default; 204/empty → undefined), `text`, `bytes`, `response`. */
  expect?: "json" | "text" | "bytes" | "response";
}

/** A client bound to one environment and one set of credentials. */
export interface PlatformClient {
  /** The normalised environment base URL. */
  readonly environment: string;
  /**
   * Sends a request, with auth, safety check, limits, retries and error parsing.
   *
   * @throws ApiError for error responses; DtctlError `network_error`, `timeout`, `aborted`, `safety_blocked`,
   * `auth_required` (token endpoint), `conflict` (existence check), `server_error` (unreadable success body).
   */
  request<T = unknown>(options: RequestOptions): Promise<T>;
  /** Iterates over all items of a paged list (see {@link PageOptions}). */
  paginate<T>(options: PageOptions): AsyncIterable<T>;
  /**
   * Asks the safety guard about a write without sending anything (dry runs and plans use it, so they refuse
   * exactly what the write would). Resolves when allowed; throws DtctlError `safety_blocked` otherwise.
   */
  authorize(check: SafetyCheck): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 120_000;
const MAX_LOGGED_BODY = 4096;
const TEXTUAL = /^(text\/|application\/(json|problem\+json|x-www-form-urlencoded|xml|yaml|x-yaml)|.*\+json)/i;

function operationFor(method: string): "read" | "create" | "update" | "delete" {
  switch (method) {
    case "POST":
      return "create";
    case "PUT":
    case "PATCH":
      return "update";
    case "DELETE":
      return "delete";
    default:
      return "read";
  }
}

function truncate(text: string): string {
  return text.length > MAX_LOGGED_BODY
    ? `${text.slice(0, MAX_LOGGED_BODY)}… (${text.length - MAX_LOGGED_BODY} more characters)`
    : text;
}

/** The innermost message of an error chain: fetch wraps the useful reason ("Connection refused") in a cause. */
function rootMessage(error: unknown): string {
  const messages: string[] = [];
  let e: unknown = error;
  for (let depth = 0; e instanceof Error && depth < 5; depth++) {
    messages.push(e.message);
    e = e.cause;
  }
  return messages.at(-1) ?? String(error);
}

function describeBody(body: BodyInit): string {
  if (typeof body === "string") return body;
  if (body instanceof URLSearchParams) return body.toString();
  if (body instanceof FormData) {
    const parts: string[] = [];
    for (const [name, value] of body.entries()) {
      parts.push(
        typeof value === "string"
          ? `${name}=${value}`
          : `${name}=[file ${value.name || "blob"}, ${value.size} bytes, ${value.type || "no type"}]`,
      );
    }
    return `[multipart form] ${parts.join("; ")}`;
  }
  if (body instanceof Blob) return `[${body.size} bytes, ${body.type || "no type"}]`;
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return `[${body.byteLength} bytes]`;
  return "[stream]";
}

interface AttemptResult {
  kind: "ok" | "http" | "network";
  value?: unknown;
  error?: unknown;
  apiError?: ApiError;
  headers?: Headers;
}

/** Creates a {@link PlatformClient}. Validates the environment URL and the credentials eagerly. */
export function createClient(options: ClientOptions): PlatformClient {
  const environment = normalizeEnvironmentUrl(options.environment);
  if (options.token !== undefined && options.oauth !== undefined) {
    throw new DtctlError("config_error", "Both a token and OAuth client credentials were given.", {
      hint: "Use either a token or OAuth client credentials, not both.",
    });
  }
  const staticAuth = options.token === undefined ? undefined : authorizationFor(options.token);
  const transport = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
  const clientContext = options.clientContext?.slice(0, 512);
  const clientTimeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const verbosity = options.verbosity ?? 0;
  const writeLog = options.log ?? ((line: string) => console.error(line));
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw new DtctlError(
      "config_error",
      `retry.maxAttempts must be a whole number ≥ 1, got ${policy.maxAttempts}.`,
    );
  }
  const limiter = options.limiter ??
    createLimiter({ concurrency: options.concurrency, ratePerSecond: options.rateLimit, sleep, now });

  // Recent access tokens: a response to an older request may still echo the previous one.
  const accessTokens: string[] = [];
  const rememberAccessToken = (token: string) => {
    if (accessTokens.includes(token)) return;
    accessTokens.push(token);
    if (accessTokens.length > 4) accessTokens.shift();
  };
  const secrets = (): string[] =>
    [options.token, options.oauth?.clientSecret, ...accessTokens].filter((s): s is string => !!s);
  const log = (line: string) => writeLog(redactText(line, secrets()));

  const logTokenExchange = (x: TokenExchange) => {
    if (verbosity >= 2) log(`> ${x.method} ${x.url}\n> ${truncate(redactText(x.requestBody, secrets()))}`);
    if (verbosity >= 1) log(`${x.method} ${x.url} ${x.status ?? `failed (${x.error})`} ${x.ms}ms`);
    if (verbosity >= 2 && x.responseBody) log(`< ${truncate(redactText(x.responseBody, secrets()))}`);
  };
  const tokens: TokenProvider | undefined = options.oauth === undefined ? undefined : createTokenProvider(
    options.oauth,
    { fetch: transport, now, timeoutMs: clientTimeout, userAgent, logExchange: logTokenExchange },
  );

  const logHeaders = (prefix: string, headers: Headers) => {
    const lines: string[] = [];
    headers.forEach((value, name) => {
      const shown = /^(cookie|set-cookie|proxy-authorization|x-api-key)$/i.test(name) ? "***" : value;
      lines.push(`${prefix} ${name}: ${shown}`);
    });
    if (lines.length) log(lines.join("\n"));
  };

  const logBody = (prefix: string, text: string) => {
    // Redact before truncating: a cut could leave a secret's first half, which no longer matches its value.
    if (text !== "") log(`${prefix} ${truncate(redactText(text, secrets()))}`);
  };

  async function request<T = unknown>(opts: RequestOptions): Promise<T> {
    const method = (opts.method ?? "GET").toUpperCase();
    const operation = opts.operation ?? operationFor(method);
    const expect = opts.expect ?? "json";
    if (opts.json !== undefined && opts.body !== undefined) {
      throw new DtctlError("error", `${method} ${opts.path}: pass either json or body, not both.`, {
        userError: false,
      });
    }
    const hasBody = opts.json !== undefined || opts.body !== undefined;
    if (hasBody && (method === "GET" || method === "HEAD")) {
      throw new DtctlError("error", `${method} ${opts.path}: a ${method} request cannot have a body.`, {
        userError: false,
      });
    }
    const url = buildUrl(environment, opts.path, opts.query, opts.arrayFormat);
    const shownUrl = () => redactText(url.toString(), secrets());
    const shownPath = () => redactText(url.pathname + url.search, secrets());
    const signal = opts.signal;
    const aborted = () =>
      new DtctlError("aborted", `${method} ${shownPath()} was aborted.`, { cause: signal?.reason });
    if (signal?.aborted) throw aborted();

    if (operation !== "read" && options.safety) {
      await options.safety({ operation, method, path: opts.path, resource: opts.resource });
    }

    const bodyInit: BodyInit | undefined = opts.json !== undefined ? JSON.stringify(opts.json) : opts.body;
    const replayable = !(bodyInit instanceof ReadableStream);
    const timeoutMs = opts.timeoutMs ?? clientTimeout;
    const ambiguousReplayAllowed = isIdempotent(method, operation) ||
      (operation === "create" && opts.existenceCheck !== undefined);

    const attemptOnce = (authorization: string | undefined): Promise<AttemptResult> => {
      let timeoutSignal: AbortSignal | undefined;
      let started = now();
      const headers = new Headers(opts.headers);
      if (!headers.has("user-agent")) headers.set("user-agent", userAgent);
      if (!headers.has("accept")) headers.set("accept", expect === "json" ? "application/json" : "*/*");
      if (opts.json !== undefined && !headers.has("content-type")) {
        headers.set("content-type", "application/json");
      }
      if (clientContext !== undefined && !headers.has("dt-client-context")) {
        headers.set("dt-client-context", clientContext);
      }
      if (authorization !== undefined) headers.set("authorization", authorization);

      const exchange = async (): Promise<AttemptResult> => {
        // The timeout starts when the request leaves the queue, not while it waits for a slot.
        timeoutSignal = AbortSignal.timeout(timeoutMs);
        const combined = signal ? AbortSignal.any([signal, timeoutSignal]) : timeoutSignal;
        const req = new Request(url, { method, headers, body: bodyInit, signal: combined });
        if (verbosity >= 2) {
          log(`> ${method} ${shownUrl()}`);
          logHeaders(">", req.headers);
          if (bodyInit !== undefined) logBody(">", describeBody(bodyInit));
        }
        started = now();
        const response = await raceAbort(transport(req), combined);
        const line = `${method} ${shownUrl()} ${response.status} ${now() - started}ms`;
        if (response.ok && expect === "response") {
          if (verbosity >= 1) log(line);
          if (verbosity >= 2) logHeaders("<", response.headers);
          return { kind: "ok", value: response };
        }
        const bytes = method === "HEAD" ? new Uint8Array() : new Uint8Array(
          await raceAbort(response.arrayBuffer(), combined),
        );
        if (verbosity >= 1) log(`${line}${response.ok ? "" : ` (${bytes.length} bytes)`}`);
        const contentType = response.headers.get("content-type") ?? "";
        const textual = bytes.length === 0 || TEXTUAL.test(contentType) || !response.ok;
        const text = textual ? new TextDecoder().decode(bytes) : "";
        if (verbosity >= 2) {
          logHeaders("<", response.headers);
          logBody("<", textual ? text : `[${bytes.length} bytes, ${contentType || "no type"}]`);
        }
        if (!response.ok) {
          const apiError = parseApiError({
            status: response.status,
            headers: response.headers,
            bodyText: text,
            method,
            url: url.toString(),
            resource: opts.resource,
            secrets: secrets(),
          });
          return { kind: "http", apiError, headers: response.headers };
        }
        if (expect === "bytes") return { kind: "ok", value: bytes };
        const decoded = textual ? text : new TextDecoder().decode(bytes);
        if (expect === "text") return { kind: "ok", value: decoded };
        if (response.status === 204 || decoded.trim() === "") return { kind: "ok", value: undefined };
        try {
          return { kind: "ok", value: JSON.parse(decoded) };
        } catch (error) {
          throw new DtctlError(
            "server_error",
            `${method} ${shownPath()} returned ${response.status} with a body that is not valid JSON ` +
              `(${contentType || "no content type"}).`,
            {
              hint: "A proxy may be answering instead of Dynatrace: check the environment URL.",
              cause: error,
            },
          );
        }
      };

      return limiter.run(exchange, signal).catch((error): AttemptResult => {
        if (signal?.aborted) throw aborted();
        if (timeoutSignal?.aborted) {
          if (verbosity >= 1) log(`${method} ${shownUrl()} timed out after ${timeoutMs}ms`);
          throw new DtctlError("timeout", `${method} ${shownPath()} timed out after ${timeoutMs} ms.`, {
            hint: "The server did not answer in time: retry, or raise the timeout for long operations.",
            details: { method, url: shownUrl(), timeoutMs },
            cause: error,
          });
        }
        if (error instanceof DtctlError) throw error;
        if (verbosity >= 1) {
          log(`${method} ${shownUrl()} failed: ${rootMessage(error)} ${now() - started}ms`);
        }
        return { kind: "network", error };
      });
    };

    const networkError = (error: unknown) =>
      new DtctlError(
        "network_error",
        redactText(
          `${method} ${shownPath()} failed: cannot reach ${url.host}: ${rootMessage(error)}`,
          secrets(),
        ),
        {
          hint: "Check the environment URL, your network connection and proxy settings.",
          details: { method, url: shownUrl() },
          cause: error,
        },
      );

    let attempt = 0;
    let waitedMs = 0;
    let refreshedToken = false;
    for (;;) {
      attempt++;
      let accessToken: string | undefined;
      if (tokens) {
        accessToken = await tokens.getToken();
        rememberAccessToken(accessToken);
      }
      const result = await attemptOnce(accessToken !== undefined ? `Bearer ${accessToken}` : staticAuth);
      if (result.kind === "ok") return result.value as T;

      const failure: DtctlError = result.kind === "http" ? result.apiError! : networkError(result.error);
      const status = result.apiError?.status;
      if (status === 401 && tokens && accessToken !== undefined && !refreshedToken) {
        // An access token can be revoked or expire early; one fresh token settles it. 401 means the request was
        // rejected before processing, so replaying it is safe for any method. Not counted as a retry.
        refreshedToken = true;
        tokens.invalidate(accessToken);
        if (verbosity >= 1) {
          log(`${method} ${shownUrl()}: 401, refreshing the OAuth access token and retrying`);
        }
        attempt--;
        continue;
      }

      let reason: string;
      let ambiguous = false;
      if (status !== undefined) {
        reason = `HTTP ${status}`;
        if (SAFE_RETRY_STATUSES.has(status)) ambiguous = false;
        else if (AMBIGUOUS_RETRY_STATUSES.has(status)) ambiguous = true;
        else throw failure;
      } else if (isNotSentError(result.error)) {
        reason = `not sent: ${rootMessage(result.error)}`;
      } else {
        reason = `connection failed: ${rootMessage(result.error)}`;
        ambiguous = true;
      }
      if (ambiguous && !ambiguousReplayAllowed) {
        if (verbosity >= 1) {
          log(`${method} ${shownUrl()}: not retrying after ${reason}: the request may have been processed`);
        }
        throw failure;
      }
      if (!replayable || attempt >= policy.maxAttempts) throw failure;

      const wait = computeWait({
        attempt,
        policy,
        headers: result.headers,
        bodyRetryAfterSeconds: result.apiError?.retryAfterSeconds,
        random,
        now,
      });
      const remaining = policy.budgetMs - waitedMs;
      let waitMs = wait.ms;
      if (waitMs > remaining) {
        // Backoff is our own choice and can shrink; waiting less than the server asked would only fail again.
        if (wait.source !== "backoff" || remaining <= 0) {
          if (verbosity >= 1) {
            log(`${method} ${shownUrl()}: not retrying: waiting ${wait.ms}ms exceeds the retry budget`);
          }
          throw failure;
        }
        waitMs = remaining;
      }
      if (verbosity >= 1) {
        log(
          `${method} ${shownUrl()}: ${reason}, retrying in ${Math.round(waitMs)}ms (${wait.source}), ` +
            `attempt ${attempt + 1}/${policy.maxAttempts}`,
        );
      }
      try {
        await sleep(waitMs, signal);
      } catch (error) {
        if (signal?.aborted) throw aborted();
        throw error;
      }
      waitedMs += waitMs;

      if (ambiguous && !isIdempotent(method, operation) && opts.existenceCheck) {
        // The failed attempt may have created the resource: look before replaying the create.
        let exists: boolean;
        try {
          exists = await opts.existenceCheck();
        } catch (error) {
          // Without an answer we cannot know whether replaying would duplicate: report the original failure.
          if (verbosity >= 1) log(`${method} ${shownUrl()}: existence check failed: ${rootMessage(error)}`);
          throw failure;
        }
        if (exists) {
          const what = opts.resource
            ? `${opts.resource.kind}${opts.resource.name === undefined ? "" : ` "${opts.resource.name}"`}`
            : "the resource";
          throw new DtctlError(
            "conflict",
            `${method} ${shownPath()} failed ambiguously (${reason}), and ${what} now exists: the failed request ` +
              "probably created it, so it was not sent again.",
            {
              hint: "Re-read it and apply again; nothing was replayed.",
              details: { method, url: shownUrl(), ambiguousFailure: reason },
              cause: failure,
            },
          );
        }
        if (verbosity >= 1) {
          log(`${method} ${shownUrl()}: existence check says it was not created; replaying`);
        }
      }
    }
  }

  return {
    environment,
    request,
    paginate<T>(pageOptions: PageOptions): AsyncIterable<T> {
      return paginate<T>((o) => request(o), pageOptions);
    },
    async authorize(check: SafetyCheck): Promise<void> {
      await options.safety?.(check);
    },
  };
}
