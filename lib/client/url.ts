/**
 * Environment URL normalisation and request URL building.
 *
 * Users paste whatever their browser shows (`abc123.apps.dynatrace.com/ui/apps/...`), or the classic
 * `*.live.dynatrace.com` URL they have used for years. Both are turned into one canonical base URL here, or
 * rejected with the exact URL to use, so that every later error message and config entry agrees on it.
 *
 * @module
 */

import { DtctlError } from "../errors/mod.ts";
import { redactText } from "../redact/mod.ts";

/** A query parameter value; `undefined`/`null` are omitted, arrays are repeated or comma-joined. */
export type QueryValue = string | number | boolean | undefined | null | Array<string | number | boolean>;

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

// Classic hosts and their platform counterparts: same environment id, different domain.
const CLASSIC_HOSTS: Array<{ pattern: RegExp; platform: (env: string) => string }> = [
  { pattern: /^([a-z0-9-]+)\.live\.dynatrace\.com$/i, platform: (env) => `${env}.apps.dynatrace.com` },
  {
    pattern: /^([a-z0-9-]+)\.sprint\.dynatracelabs\.com$/i,
    platform: (env) => `${env}.sprint.apps.dynatracelabs.com`,
  },
  {
    pattern: /^([a-z0-9-]+)\.dev\.dynatracelabs\.com$/i,
    platform: (env) => `${env}.dev.apps.dynatracelabs.com`,
  },
];

/** True for hosts that only the local machine can reach, where plain http carries no credential over a network. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, "");
  return h === "localhost" || h.endsWith(".localhost") || /^127\.\d+\.\d+\.\d+$/.test(h) || h === "::1";
}

function configError(input: string, problem: string, hint: string): DtctlError {
  const shown = redactText(input);
  return new DtctlError("config_error", `Invalid environment URL "${shown}": ${problem}`, {
    hint,
    details: { environment: shown },
  });
}

/**
 * Turns user input into the canonical environment base URL: `https://<host>[:port]` without path or trailing
 * slash.
 *
 * - Adds `https://` when no scheme is given (`http://` for loopback hosts, where the local emulator listens).
 * - Drops any path, query or fragment (`/ui/apps/...` copied from the browser).
 * - Accepts `http://` only for loopback hosts (`127.0.0.1:PORT`, `localhost`) and never-resolving `*.invalid`
 *   placeholders (the in-process local context): elsewhere it would send the token in clear text.
 * - Rejects classic `*.live.dynatrace.com` URLs, naming the platform URL to use instead.
 *
 * @throws DtctlError `config_error` explaining what is wrong and what to write instead.
 */
export function normalizeEnvironmentUrl(input: string): string {
  const trimmed = input.trim();
  if (trimmed === "") {
    throw configError(
      input,
      "it is empty.",
      "Set it to your environment URL, e.g. https://abc12345.apps.dynatrace.com",
    );
  }
  let candidate = trimmed;
  if (!SCHEME.test(candidate)) {
    const host = candidate.split(/[/:?#]/, 1)[0];
    candidate = `${isLoopbackHost(host) ? "http" : "https"}://${candidate}`;
  }
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    throw configError(
      input,
      "it is not a valid URL.",
      "Use the form https://<environment-id>.apps.dynatrace.com (no spaces, a host name and optionally a port).",
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw configError(input, `the scheme "${url.protocol}" is not supported.`, "Use an https:// URL.");
  }
  if (url.hostname === "") {
    throw configError(
      input,
      "it has no host name.",
      "Use the form https://<environment-id>.apps.dynatrace.com",
    );
  }
  if (url.username !== "" || url.password !== "") {
    throw configError(
      input,
      "it contains user credentials.",
      "Remove the user:password@ part; give the token separately so it is never logged with the URL.",
    );
  }
  // `.invalid` (RFC 2606) never resolves, so plain http cannot leak a token there; the built-in local context uses
  // such a placeholder with an in-process transport.
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname) && !url.hostname.endsWith(".invalid")) {
    throw configError(
      input,
      "plain http would send the token unencrypted.",
      `Use https://${url.host} (http:// is accepted only for localhost / 127.0.0.1, e.g. the local emulator).`,
    );
  }
  for (const classic of CLASSIC_HOSTS) {
    const match = classic.pattern.exec(url.hostname);
    if (match) {
      const suggestion = `https://${classic.platform(match[1].toLowerCase())}`;
      throw new DtctlError(
        "config_error",
        `"${
          redactText(trimmed)
        }" is a classic environment URL; dtctl talks to the Dynatrace platform, which lives ` +
          `at ${suggestion}.`,
        {
          hint: `Use ${suggestion} as the environment URL (the same token works for platform APIs).`,
          details: { environment: url.origin, suggestion },
        },
      );
    }
  }
  return url.origin;
}

/**
 * Builds the full URL for a request: the environment base, a path from the root and the query parameters.
 *
 * @param base A URL returned by {@link normalizeEnvironmentUrl}.
 * @param path Starting with `/`, e.g. `/platform/document/v1/documents`; may not carry its own query string.
 * @param query Parameters; `undefined`/`null`/empty arrays are omitted, booleans become `true`/`false`.
 * @param arrayFormat `repeat` (`a=1&a=2`, most platform APIs) or `comma` (`a=1,2`, Automation and classic).
 */
export function buildUrl(
  base: string,
  path: string,
  query: Record<string, QueryValue> = {},
  arrayFormat: "repeat" | "comma" = "repeat",
): URL {
  if (!path.startsWith("/") || path.startsWith("//")) {
    // A relative or protocol-relative path would silently talk to another host or path: a bug in the caller.
    throw new DtctlError("error", `Request path "${path}" must start with a single "/".`, {
      userError: false,
    });
  }
  if (path.includes("?") || path.includes("#")) {
    throw new DtctlError(
      "error",
      `Request path "${path}" must not contain "?" or "#"; pass parameters as query.`,
      {
        userError: false,
      },
    );
  }
  // Encoded by hand: URLSearchParams writes spaces as "+", which not every server decodes as a space in a query
  // string (filters like `name contains 'a b'` must arrive intact); %20 is understood everywhere.
  const enc = (v: string | number | boolean) => encodeURIComponent(String(v));
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      if (value.length === 0) continue;
      if (arrayFormat === "comma") pairs.push(`${enc(key)}=${value.map(enc).join(",")}`);
      else for (const item of value) pairs.push(`${enc(key)}=${enc(item)}`);
      continue;
    }
    pairs.push(`${enc(key)}=${enc(value)}`);
  }
  const url = new URL(base + path);
  if (pairs.length > 0) url.search = pairs.join("&");
  return url;
}
