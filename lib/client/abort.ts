/**
 * Abort helpers shared by the client and the OAuth token provider.
 *
 * @module
 */

/**
 * Settles with `promise`, or rejects with the signal's reason as soon as it aborts. An injected transport (the
 * in-process emulator, a test double) may ignore `Request.signal`; racing keeps timeouts and cancellation
 * reliable whatever the transport does.
 */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {}); // the loser's rejection must not surface as unhandled
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
