/**
 * Long-poll responses that do not hold the emulator's store transaction while they wait.
 *
 * The core runs each route handler inside a store transaction (a file lock with the file store), so a handler
 * that slept for a long poll would stall every other request. Query state is a pure function of the clock, so
 * the handler can decide the answer for "now + wait" at once and return a response whose headers go out
 * immediately and whose body follows after the wait: the client still waits, the store does not.
 *
 * @module
 */

/**
 * A JSON response whose body is delivered after `delayMs` (immediately when 0). A client that goes away
 * cancels the body stream, which clears the timer; no abort signal is needed.
 */
export function delayedJson(status: number, body: unknown, delayMs: number): Response {
  const headers = { "content-type": "application/json" };
  const text = JSON.stringify(body);
  if (delayMs <= 0) return new Response(text, { status, headers });
  return new Response(delayedStream(new TextEncoder().encode(text), delayMs), { status, headers });
}

/** An empty response delivered after `delayMs`. */
export function delayedEmpty(status: number, delayMs: number): Response {
  if (delayMs <= 0) return new Response(null, { status });
  return new Response(delayedStream(new Uint8Array(0), delayMs), { status });
}

function delayedStream(bytes: Uint8Array, delayMs: number): ReadableStream<Uint8Array> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      timer = setTimeout(() => {
        if (bytes.length > 0) controller.enqueue(bytes);
        controller.close();
      }, delayMs);
    },
    cancel() {
      clearTimeout(timer);
    },
  });
}
