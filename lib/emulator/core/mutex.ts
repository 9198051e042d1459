/**
 * A minimal async mutex: callers run one after another in arrival order.
 *
 * @module
 */

/** Serialises async critical sections within one process. */
export class Mutex {
  #tail: Promise<unknown> = Promise.resolve();

  /** Runs `fn` once every earlier caller has finished; its result or error is passed through. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(fn, fn);
    // The chain must survive a failed section, or every later caller would inherit the rejection.
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
