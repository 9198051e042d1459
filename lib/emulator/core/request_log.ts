/**
 * The emulator's request log, read by tests through `GET /__emulator/requests`.
 *
 * @module
 */

/** One logged request. */
export interface RequestLogEntry {
  /** When it arrived (RFC3339). */
  time: string;
  /** HTTP method. */
  method: string;
  /** URL path. */
  path: string;
  /** Query parameters; repeated keys become arrays. */
  query: Record<string, string | string[]>;
  /** Response status (0 for a dropped connection). */
  status: number;
  /** Request headers, without credentials. */
  headers: Record<string, string>;
  /** JSON (parsed) or text body, for small textual bodies. */
  body?: unknown;
  /** The injected fault, if any (`drop`, `rule`, `random`, `rate-limited`). */
  fault?: string;
}

/** Headers never logged: they carry credentials. */
const SECRET_HEADERS = new Set(["authorization", "cookie", "set-cookie", "proxy-authorization"]);
/** Textual bodies above this size are not logged. */
const MAX_LOGGED_BODY = 64 * 1024;

/** Query parameters as a record; repeated keys become arrays. */
export function queryRecord(url: URL): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    out[key] = values.length === 1 ? values[0] : values;
  }
  return out;
}

/** Request headers minus credentials. */
export function safeHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => {
    if (!SECRET_HEADERS.has(key.toLowerCase())) out[key] = value;
  });
  return out;
}

/**
 * Buffers a JSON or text body so it can be both logged and handed to the route. The route gets an equivalent
 * request rebuilt from the buffered text: cloning would tee the stream, and touches `request.signal`, which makes
 * `Deno.serve` print a deprecation warning. Binary and multipart bodies pass through untouched and unlogged:
 * they can be large and are unreadable in a log.
 */
export async function captureBody(request: Request): Promise<{ request: Request; body?: unknown }> {
  if (request.body === null) return { request };
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  if (!(type.includes("json") || type.startsWith("text/"))) return { request };
  let text: string;
  try {
    text = await request.text();
  } catch {
    return { request };
  }
  const rebuilt = new Request(request.url, { method: request.method, headers: request.headers, body: text });
  if (text.length > MAX_LOGGED_BODY) return { request: rebuilt };
  try {
    return { request: rebuilt, body: JSON.parse(text) };
  } catch {
    return { request: rebuilt, body: text };
  }
}

/** A bounded in-memory request log (oldest entries are dropped first). */
export class RequestLog {
  readonly #limit: number;
  #entries: RequestLogEntry[] = [];

  /** Creates a log keeping at most `limit` entries. */
  constructor(limit = 1000) {
    this.#limit = limit;
  }

  /** Appends an entry. */
  add(entry: RequestLogEntry): void {
    this.#entries.push(entry);
    if (this.#entries.length > this.#limit) this.#entries.splice(0, this.#entries.length - this.#limit);
  }

  /** All entries, oldest first. */
  list(): RequestLogEntry[] {
    return [...this.#entries];
  }

  /** Forgets every entry. */
  clear(): void {
    this.#entries = [];
  }
}
