/**
 * The emulator as an HTTP server (`dtctl serve`, conformance tests).
 *
 * @module
 */

import { ConnectionDropped, createEmulator, type Emulator, type SeedData } from "./handler.ts";
import { errorResponse } from "./envelope.ts";
import { FileStore } from "./file_store.ts";
import { MemoryStore } from "./memory_store.ts";
import { DEFAULT_USER } from "./users.ts";

/** Options of {@link serveEmulator}. */
export interface ServeOptions {
  /** Interface to bind (default `127.0.0.1`). */
  host?: string;
  /** Port (default 8787; 0 picks a free one). */
  port?: number;
  /** Persist state in this directory (memory only when absent). */
  dataDir?: string;
  /** Data of a fresh state (default `demo`). */
  seed?: SeedData;
  /** Delay added to every request, in milliseconds. */
  latencyMs?: number;
  /** Fraction (0..1) of requests answered with a random 500/502/503. */
  faultRate?: number;
  /** Fraction (0..1) of requests whose connection is dropped. */
  dropRate?: number;
  /** Requests per second admitted before 429s. */
  rateLimit?: number;
  /** Accepted tokens (all map to the default user); any token is accepted when absent or empty. */
  tokens?: string[];
  /** PRNG seed for ids and faults (default random). */
  randomSeed?: number;
  /** Per-service options, e.g. `{buckets: {transitionDelayMs: 2000}}`. */
  serviceOptions?: Record<string, Record<string, unknown>>;
  /** Stops the server when aborted. */
  signal?: AbortSignal;
  /** Called with the base URL once listening. */
  onListen?(url: string): void;
}

/** A running server. */
export interface ServedEmulator {
  /** Base URL clients use, e.g. `http://127.0.0.1:8787`. */
  url: string;
  /** Resolves when the server has stopped. */
  finished: Promise<void>;
  /** Stops accepting requests and waits for in-flight ones. */
  shutdown(): Promise<void>;
  /** The emulator behind the server (state, request log, faults). */
  emulator: Emulator;
}

/** The default port of `dtctl serve`. */
export const DEFAULT_PORT = 8787;

function clientHost(host: string): string {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}

/**
 * A dropped connection, as well as `Deno.serve` can fake one: the response announces more bytes than it sends,
 * so the connection closes mid-body and the client's read fails (an erroring body stream would do the same but
 * makes Deno log the error).
 */
function droppedResponse(): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.close();
    },
  });
  return new Response(body, {
    status: 200,
    headers: { "content-type": "application/json", "content-length": "64" },
  });
}

/** Starts the emulator on `host:port`. */
export async function serveEmulator(options: ServeOptions = {}): Promise<ServedEmulator> {
  const host = options.host ?? "127.0.0.1";
  const store = options.dataDir ? await FileStore.open(options.dataDir) : new MemoryStore();
  const emulator = createEmulator({
    store,
    data: options.seed ?? "demo",
    tokens: (options.tokens ?? []).map((token) => ({ token, userId: DEFAULT_USER.userId })),
    latencyMs: options.latencyMs,
    faultRate: options.faultRate,
    dropRate: options.dropRate,
    rateLimit: options.rateLimit,
    seed: options.randomSeed,
    serviceOptions: options.serviceOptions,
  });
  // Write the seeded state now, so a fresh data directory is complete even before the first request.
  if (store instanceof FileStore) await store.flush();
  const controller = new AbortController();
  const abort = () => controller.abort();
  if (options.signal?.aborted) abort();
  options.signal?.addEventListener("abort", abort, { once: true });
  const server = Deno.serve({
    hostname: host,
    port: options.port ?? DEFAULT_PORT,
    signal: controller.signal,
    // Silences Deno's default "Listening on" line; the caller decides what to print.
    onListen: () => {},
  }, async (request) => {
    try {
      return await emulator.handle(request);
    } catch (error) {
      if (error instanceof ConnectionDropped) return droppedResponse();
      return errorResponse("platform", 500, "Internal Server Error", {
        details: { reason: (error as Error)?.message ?? String(error) },
      });
    }
  });
  const url = `http://${clientHost(host)}:${(server.addr as Deno.NetAddr).port}`;
  options.onListen?.(url);
  const finished = server.finished.finally(() => options.signal?.removeEventListener("abort", abort));
  return {
    url,
    finished,
    emulator,
    shutdown: async () => {
      if (!controller.signal.aborted) await server.shutdown();
      await finished;
    },
  };
}
