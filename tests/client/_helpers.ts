/**
 * Shared helpers of the client tests: a real HTTP server on 127.0.0.1 port 0 that is always shut down, and
 * recording fakes for the injectable sleep.
 *
 * @module
 */

/** A running test server. */
export interface TestServer {
  /** Base URL, e.g. `http://127.0.0.1:43123`. */
  url: string;
  /** Requests received so far, in arrival order. */
  requests: Array<{ method: string; url: URL; headers: Headers; body: string; at: number }>;
}

/** Runs `fn` against a server answering with `handler`, then shuts the server down whatever happens. */
export async function withServer(
  handler: (
    req: Request,
    info: { index: number; body: string; closing: AbortSignal },
  ) => Response | Promise<Response>,
  fn: (server: TestServer) => Promise<void>,
): Promise<void> {
  const requests: TestServer["requests"] = [];
  // Aborted before shutdown so handlers that stall on purpose (timeouts) end and shutdown does not wait for them.
  const closing = new AbortController();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const body = await req.text();
    const index = requests.length;
    requests.push({
      method: req.method,
      url: new URL(req.url),
      headers: req.headers,
      body,
      at: performance.now(),
    });
    return await handler(req, { index, body, closing: closing.signal });
  });
  try {
    await fn({ url: `http://127.0.0.1:${server.addr.port}`, requests });
  } finally {
    closing.abort();
    await server.shutdown();
  }
}

/** A JSON response. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

/** Waits `ms` or until the signal aborts, without leaving a timer behind. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** A sleep that returns at once and records what it was asked to wait. */
export function recordingSleep(): {
  waits: number[];
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
} {
  const waits: number[] = [];
  return {
    waits,
    sleep: (ms: number, signal?: AbortSignal) => {
      waits.push(ms);
      return signal?.aborted ? Promise.reject(signal.reason) : Promise.resolve();
    },
  };
}

/** A platform token as the tests use it (never a real one). */
export const TOKEN = "dt0s16.TESTPUBLIC.TESTSECRETVALUE0123456789";
