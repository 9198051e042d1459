/**
 * Shared setup of the plan/apply tests: an in-process platform with a client, manifests from YAML text, one
 * manifest per kind (a v1 and a changed v2), and request-log helpers (writes are what must not happen on an
 * idempotent apply).
 */

import { createClient, type PlatformClient } from "../../lib/client/mod.ts";
import { createEmulator, type Emulator, type EmulatorOptions } from "../../lib/emulator/mod.ts";
import { loadManifests } from "../../lib/manifest/mod.ts";
import type { Manifest } from "../../lib/manifest/types.ts";
import type { KindContext } from "../../lib/resources/types.ts";

/** The environment URL the in-process clients use. */
export const TEST_ENVIRONMENT = "http://127.0.0.1:9";

/** A platform and a client over it. */
export interface Platform {
  /** The emulator. */
  emulator: Emulator;
  /** A client of the default user. */
  client: PlatformClient;
  /** Its kind context. */
  context: KindContext;
  /** Requests since the last {@link Platform.clear}. */
  requests(): { method: string; path: string; status: number; fault?: string }[];
  /** Write requests (anything but GET/HEAD) since the last clear. */
  writes(): { method: string; path: string; status: number }[];
  /** Clears the request log. */
  clear(): void;
}

/** Options of {@link platform}. */
export interface PlatformOptions {
  /** Emulator options. */
  emulator?: EmulatorOptions;
  /** A transport wrapping the emulator (fault injection beyond the emulator's own). */
  wrap?: (handle: (request: Request) => Promise<Response>) => (request: Request) => Promise<Response>;
  /** Client retry attempts (default 4). */
  attempts?: number;
  /** Wait between retries as long as the server asks (default: at most 30 ms, to keep tests fast). */
  realSleep?: boolean;
}

/** An empty in-process platform. */
export function platform(options: PlatformOptions = {}): Platform {
  const emulator = createEmulator({
    data: "empty",
    seed: 7,
    requestLogLimit: 100_000,
    ...options.emulator,
  });
  const fetch = options.wrap ? options.wrap(emulator.handle) : emulator.handle;
  const client = createClient({
    environment: TEST_ENVIRONMENT,
    token: "dt0s16.TEST",
    fetch,
    retry: { maxAttempts: options.attempts ?? 4, baseDelayMs: 5, maxDelayMs: 20 },
    // Retry-After of injected 429/503 is 1 s; tests keep the wait short unless they test waiting.
    ...(options.realSleep ? {} : {
      sleep: (ms: number, signal?: AbortSignal) =>
        new Promise<void>((resolve, reject) => {
          if (signal?.aborted) return reject(signal.reason);
          setTimeout(resolve, Math.min(ms, 30));
        }),
    }),
  });
  const requests = () => emulator.requests.list();
  return {
    emulator,
    client,
    context: { client },
    requests,
    writes: () => requests().filter((r) => r.method !== "GET" && r.method !== "HEAD"),
    clear: () => emulator.requests.clear(),
  };
}

/** Manifests from YAML text (read as stdin by the real loader: defaults, validation, positions). */
export async function manifests(yaml: string, values: Record<string, unknown> = {}): Promise<Manifest[]> {
  const loaded = await loadManifests({
    paths: ["-"],
    cwd: Deno.cwd(),
    readStdin: () => Promise.resolve(yaml),
    values,
  });
  return loaded.manifests;
}

/** One manifest as YAML text. */
export function manifest(kind: string, name: string, spec: Record<string, unknown>): string {
  return `---\n${JSON.stringify({ apiVersion: "dtctl/v1", kind, metadata: { name }, spec })}\n`;
}

const ANALYZER = "dt.statistics.ui.anomaly_detection.StaticThresholdAnomalyDetectionAnalyzer";

/** Per kind: a valid spec (v1) and a changed one (v2). */
export const KIND_SPECS: Record<string, { v1: Record<string, unknown>; v2: Record<string, unknown> }> = {
  Bucket: {
    v1: { table: "logs", retentionDays: 35 },
    v2: { table: "logs", retentionDays: 60 },
  },
  Segment: {
    v1: { includes: [{ dataObject: "logs", filter: 'host.name = "a"' }] },
    v2: { includes: [{ dataObject: "logs", filter: 'host.name = "b"' }] },
  },
  Setting: {
    v1: { schemaId: "builtin:alerting.profile", scope: "environment", value: { name: "Team A alerts" } },
    v2: {
      schemaId: "builtin:alerting.profile",
      scope: "environment",
      value: { name: "Team A alerts (renamed)" },
    },
  },
  AnomalyDetector: {
    v1: {
      title: "Queue backlog",
      analyzer: {
        name: ANALYZER,
        input: { query: "timeseries max(queue.backlog)", threshold: 1000, alertCondition: "ABOVE" },
      },
      eventTemplate: { "event.type": "CUSTOM_ALERT", title: "Backlog" },
    },
    v2: {
      title: "Queue backlog",
      analyzer: {
        name: ANALYZER,
        input: { query: "timeseries max(queue.backlog)", threshold: 2000, alertCondition: "ABOVE" },
      },
      eventTemplate: { "event.type": "CUSTOM_ALERT", title: "Backlog" },
    },
  },
  SLO: {
    v1: {
      criteria: [{ timeframeFrom: "now-7d", target: 95 }],
      customSli: { indicator: "timeseries sli = avg(dt.service.request.response_time)" },
    },
    v2: {
      criteria: [{ timeframeFrom: "now-7d", target: 99 }],
      customSli: { indicator: "timeseries sli = avg(dt.service.request.response_time)" },
    },
  },
  Workflow: {
    v1: {
      title: "Nightly",
      tasks: { log: { action: "dynatrace.automations:run-javascript", input: { script: "console.log(1)" } } },
    },
    v2: {
      title: "Nightly",
      tasks: { log: { action: "dynatrace.automations:run-javascript", input: { script: "console.log(2)" } } },
    },
  },
  Document: {
    v1: { type: "acme:config", content: { replicas: 1 } },
    v2: { type: "acme:config", content: { replicas: 2 } },
  },
  Notebook: {
    v1: { content: { version: "7", sections: [{ id: "s1", type: "markdown", markdown: "# one" }] } },
    v2: { content: { version: "7", sections: [{ id: "s1", type: "markdown", markdown: "# two" }] } },
  },
  Dashboard: {
    v1: { content: { version: 15, tiles: { "1": { type: "markdown", content: "one" } }, layouts: {} } },
    v2: { content: { version: 15, tiles: { "1": { type: "markdown", content: "two" } }, layouts: {} } },
  },
};

/** Every kind's v1 (or v2) manifest, named `<kind lower-case>-one`. */
export function allKinds(version: "v1" | "v2" = "v1", skip: string[] = []): string {
  return Object.entries(KIND_SPECS)
    .filter(([kind]) => !skip.includes(kind))
    .map(([kind, specs]) => manifest(kind, `${kind.toLowerCase()}-one`, specs[version]))
    .join("");
}

/** Runs `fn` and returns what it throws (fails when it does not throw). */
export async function failure(
  fn: () => Promise<unknown>,
): Promise<Error & { code?: string; exitCode?: number }> {
  try {
    await fn();
  } catch (error) {
    return error as Error & { code?: string; exitCode?: number };
  }
  throw new Error("expected a failure, but it succeeded");
}
