/**
 * Secret redaction for everything dtctl prints or stores on behalf of the user: `-v`/`-vv` HTTP logs, config
 * views, error details and PR comments.
 *
 * Two layers, because neither is enough alone: pattern rules catch secrets we were never told about
 * (token-shaped strings, `Bearer` values, JWTs, `client_secret=` form fields, secret-named JSON fields), and the
 * caller's list of known secret values catches secrets of any shape, in raw, JSON-escaped and URL-encoded form.
 *
 * @module
 */

/** What every redacted value is replaced with. */
export const REDACTED = "***";

/**
 * Key names whose values are secrets. Deliberately broad (it also hides harmless values such as settings
 * `updateToken`): an over-redacted log line costs nothing, a leaked credential costs a rotation.
 */
export const SECRET_KEY_PATTERN = /token|secret|password|authorization|api[-_]?key|cookie/i;

// Dynatrace tokens are `dt0<letter><2 digits>.<rest>`; the prefix tells the kind and is useful in logs, the rest
// is the secret. Other dt0 prefixes than the known ones exist, hence the generic shape.
const TOKEN_SHAPED = /(dt0[a-z][0-9]{2})\.[A-Za-z0-9_.-]+/g;

// JWTs (OAuth access tokens) start with a base64url-encoded `{"`.
const JWT_SHAPED = /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;

// Credentials after an auth scheme inside free text, as in an error message quoting a header. Real credentials
// are long; requiring 8 characters keeps prose such as "Bearer of news" readable.
const AUTH_SCHEME = /\b(Bearer|Api-Token)(\s+)[^\s"',;&]{8,}/gi;

// Authorization header lines: the whole value is secret whatever its length; the scheme is kept for debugging.
const AUTH_HEADER_LINE =
  /^(\s*[<>]?\s*(?:proxy-)?authorization\s*:\s*)(?:(bearer|api-token|basic)\s+)?\S.*$/gim;

// Header lines whose whole value is a secret: cookies and API keys have no scheme word to anchor on.
const SECRET_HEADER_LINE = /^(\s*[<>]?\s*(?:cookie|set-cookie|x-api-key)\s*:\s*)\S.*$/gim;

// Credentials embedded in a URL (`https://user:password@host`).
const URL_USERINFO = /([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi;

// Form fields and query parameters (`client_secret=...&`), both raw and inside URLs.
const SECRET_FORM_FIELD =
  /(\b[A-Za-z0-9_.-]*(?:token|secret|password|api[-_]?key)[A-Za-z0-9_.-]*=)([^&\s"'<>]+)/gi;

// JSON members with a secret-looking name, as they appear in logged request and response bodies.
const SECRET_JSON_MEMBER =
  /("[^"\\]*(?:token|secret|password|authorization|api[-_]?key|cookie)[^"\\]*"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;

/**
 * The spellings under which a known secret can appear in text we print: raw, JSON-escaped (logged JSON
 * bodies), percent-encoded (URLs) and form-encoded (OAuth token requests).
 */
function secretVariants(secret: string): string[] {
  const variants = new Set<string>([secret]);
  variants.add(JSON.stringify(secret).slice(1, -1));
  try {
    variants.add(encodeURIComponent(secret));
  } catch {
    // A lone surrogate cannot be percent-encoded, so it cannot appear in a URL either.
  }
  variants.add(new URLSearchParams({ s: secret }).toString().slice(2));
  return [...variants].filter((v) => v.length > 0);
}

/**
 * Replaces secrets in free text.
 *
 * Pattern rules run first and the known secrets last: the pattern rules re-insert fixed words (`Bearer `,
 * `dt0s16.`, `client_secret=`), so a known secret that happens to equal such a word must still be removed.
 *
 * @param text Any text: a log line, an error message, a JSON or form-encoded body, several lines.
 * @param extraSecrets Known secret values (token, client secret, access token) to remove in any encoding.
 * @returns The text with every secret replaced by {@link REDACTED} (token prefixes such as `dt0s16.` are kept).
 */
export function redactText(text: string, extraSecrets: readonly string[] = []): string {
  let out = text
    .replace(URL_USERINFO, `$1${REDACTED}@`)
    .replace(
      AUTH_HEADER_LINE,
      (_m, head: string, scheme?: string) => `${head}${scheme ? `${scheme} ` : ""}${REDACTED}`,
    )
    .replace(SECRET_HEADER_LINE, `$1${REDACTED}`)
    .replace(AUTH_SCHEME, `$1$2${REDACTED}`)
    .replace(TOKEN_SHAPED, `$1.${REDACTED}`)
    .replace(JWT_SHAPED, REDACTED)
    .replace(SECRET_FORM_FIELD, `$1${REDACTED}`)
    .replace(SECRET_JSON_MEMBER, `$1"${REDACTED}"`);
  const variants = extraSecrets.filter((s) => typeof s === "string" && s.length > 0).flatMap(secretVariants);
  // Longest first, so a secret that contains another is removed whole rather than leaving its remainder.
  variants.sort((a, b) => b.length - a.length);
  for (const variant of variants) out = out.replaceAll(variant, REDACTED);
  return out;
}

/**
 * Deep-copies a value with secrets removed: members whose key matches {@link SECRET_KEY_PATTERN} become
 * {@link REDACTED} (unless empty, so "not set" stays visible), and every string, keys included, goes through
 * {@link redactText} (keys that redact to the same text collapse into one member).
 *
 * Plain objects and arrays are copied; `Date`s are cloned; other class instances (streams, byte arrays) are
 * returned as they are because they have no meaningful textual form to redact. Cycles are preserved.
 *
 * @param value The value to copy, e.g. a parsed config file or an error's details.
 * @param extraSecrets Known secret values to remove wherever they appear in strings.
 */
export function redactValue<T>(value: T, extraSecrets: readonly string[] = []): T {
  const seen = new WeakMap<object, unknown>();
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return redactText(v, extraSecrets);
    if (v === null || typeof v !== "object") return v;
    if (seen.has(v)) return seen.get(v);
    if (v instanceof Date) return new Date(v.getTime());
    if (Array.isArray(v)) {
      const copy: unknown[] = [];
      seen.set(v, copy);
      for (const item of v) copy.push(walk(item));
      return copy;
    }
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return v;
    const copy: Record<string, unknown> = {};
    seen.set(v, copy);
    for (const [key, member] of Object.entries(v)) {
      const hide = SECRET_KEY_PATTERN.test(key) && member !== undefined && member !== null && member !== "";
      // defineProperty, not assignment: a parsed `"__proto__"` key must stay data, not replace the prototype.
      // Keys are redacted too: a secret used as a map key (tokens by value) must not survive either.
      Object.defineProperty(copy, redactText(key, extraSecrets), {
        value: hide ? REDACTED : walk(member),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return copy;
  };
  return walk(value) as T;
}
