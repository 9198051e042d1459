/**
 * The Dynatrace platform HTTP client: URL normalisation, auth schemes (platform, classic, OAuth client
 * credentials), safety guard, retries that never blindly replay writes, error envelopes, pagination, multipart
 * responses, concurrency and rate limits, and redacted verbose logging.
 *
 * ```ts
 * const client = createClient({ environment: "https://abc12345.apps.dynatrace.com", token: Deno.env.get("DT_TOKEN") });
 * for await (const doc of client.paginate({ style: "page-key", path: "/platform/document/v1/documents", itemsField: "documents" })) {
 *   console.log(doc);
 * }
 * ```
 *
 * @module
 */

export {
  type ClientOptions,
  createClient,
  type PlatformClient,
  type RequestOptions,
  type SafetyCheck,
  type SafetyGuard,
} from "./client.ts";
export {
  ApiError,
  type ApiErrorInit,
  type ConstraintViolation,
  parseApiError,
  type ParseApiErrorInput,
  type ResourceRef,
} from "./api_error.ts";
export { classifyToken, type TokenKind } from "./token.ts";
export { buildUrl, isLoopbackHost, normalizeEnvironmentUrl, type QueryValue } from "./url.ts";
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry.ts";
export { createLimiter, type Limiter, type LimiterOptions } from "./limiter.ts";
export { DEFAULT_TOKEN_URL, type OAuthCredentials } from "./oauth.ts";
export type { PageOptions } from "./paginate.ts";
export { type MultipartPart, parseMultipart } from "./multipart.ts";
export { DEFAULT_USER_AGENT } from "./version.ts";
export { raceAbort, sleep } from "./abort.ts";
