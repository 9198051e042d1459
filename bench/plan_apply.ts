/**
 * Configuration as code under load, against `dtctl serve` in a separate process (127.0.0.1 only):
 *
 * - `plan`: a plan of 2,000 resources of mixed kinds (a third absent, a third changed, a third unchanged) with
 *   `--latency 20`. Baseline: the lower bound `requests × latency ÷ concurrency` for the requests the plan
 *   actually sent (counted at the client). Target: ratio ≤ 1.3.
 * - `apply`: 1,000 creates of mixed kinds with the platform limiting to 50 requests per second (429 with
 *   Retry-After beyond). Baseline: `writes ÷ 50` seconds for the write requests actually sent. Target: no
 *   failures and ratio ≤ 1.15.
 *
 * The state each measurement needs is prepared without latency or limit (set through `PATCH
 * /__emulator/config`, the same settings `--latency` and `--rate-limit` set), so only the measured phase runs
 * under them.
 *
 * @module
 */

import { applyPlan } from "../lib/apply/mod.ts";
import { createClient, createLimiter, type PlatformClient } from "../lib/client/mod.ts";
import { loadManifests, MANIFEST_KINDS, type ManifestKind } from "../lib/manifest/mod.ts";
import type { Manifest } from "../lib/manifest/types.ts";
import { createPlan } from "../lib/plan/mod.ts";
import type { Plan } from "../lib/plan/types.ts";
import { startServe } from "../tests/support/serve_process.ts";
import { type BenchResult, ROOT, TOKEN } from "./lib.ts";

const CONCURRENCY = 8;
const ANALYZER = "dt.statistics.ui.anomaly_detection.StaticThresholdAnomalyDetectionAnalyzer";

interface Served {
  url: string;
  configure(settings: Record<string, unknown>): Promise<void>;
  stop(): Promise<void>;
}

async function serve(args: string[]): Promise<Served> {
  const served = await startServe(["--seed", "empty", ...args], { stderr: "inherit" });
  const url = served.url;
  return {
    url,
    async configure(settings) {
      const response = await fetch(`${url}/__emulator/config`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(settings),
      });
      await response.body?.cancel();
      if (!response.ok) throw new Error(`configure failed: HTTP ${response.status}`);
    },
    async stop() {
      await served.stop();
    },
  };
}

/** Counts requests at the client: reads and writes the platform admitted, and those it answered with 429. */
interface Counter {
  reads: number;
  writes: number;
  limitedReads: number;
  limitedWrites: number;
  reset(): void;
}

function countingClient(url: string): { client: PlatformClient; counter: Counter } {
  const counter: Counter = {
    reads: 0,
    writes: 0,
    limitedReads: 0,
    limitedWrites: 0,
    reset() {
      this.reads =
        this.writes =
        this.limitedReads =
        this.limitedWrites =
          0;
    },
  };
  const client = createClient({
    environment: url,
    token: TOKEN,
    concurrency: CONCURRENCY,
    fetch: async (request) => {
      const read = request.method === "GET" || request.method === "HEAD";
      const response = await fetch(request);
      if (response.status === 429) {
        if (read) counter.limitedReads++;
        else counter.limitedWrites++;
      } else if (read) counter.reads++;
      else counter.writes++;
      return response;
    },
  });
  return { client, counter };
}

/** Every manifest kind, in turn. */
const KINDS = MANIFEST_KINDS;

function spec(kind: ManifestKind, i: number, version: number): Record<string, unknown> {
  switch (kind) {
    case "Workflow":
      return {
        title: `Workflow ${i}`,
        tasks: {
          log: { action: "dynatrace.automations:run-javascript", input: { script: `log(${version})` } },
        },
      };
    case "Dashboard":
      return {
        content: { version: 15, tiles: { "1": { type: "markdown", content: `v${version}` } }, layouts: {} },
      };
    case "Notebook":
      return {
        content: { version: "7", sections: [{ id: "s1", type: "markdown", markdown: `v${version}` }] },
      };
    case "Document":
      return { type: "bench:config", content: { version } };
    case "SLO":
      return {
        criteria: [{ timeframeFrom: "now-7d", target: 90 + version }],
        customSli: { indicator: "timeseries sli = avg(dt.service.request.response_time)" },
      };
    case "Setting":
      return {
        schemaId: "builtin:alerting.profile",
        scope: "environment",
        value: { name: `Profile ${i} v${version}` },
      };
    case "AnomalyDetector":
      return {
        title: `Detector ${i}`,
        analyzer: {
          name: ANALYZER,
          input: {
            query: "timeseries max(queue.backlog)",
            threshold: 1000 + version,
            alertCondition: "ABOVE",
          },
        },
        eventTemplate: { "event.type": "CUSTOM_ALERT", title: "Backlog" },
      };
    case "Segment":
      return { includes: [{ dataObject: "logs", filter: `host.name = "h${version}"` }] };
    case "Bucket":
      return { table: "logs", retentionDays: 30 + version };
  }
}

/** `count` manifests of the kinds in turn, each at `version(i)`. */
async function repository(
  count: number,
  version: (i: number) => number,
  kinds: readonly ManifestKind[] = KINDS,
): Promise<Manifest[]> {
  const documents: string[] = [];
  for (let i = 0; i < count; i++) {
    const kind = kinds[i % kinds.length];
    documents.push(JSON.stringify({
      apiVersion: "dtctl/v1",
      kind,
      metadata: { name: `${kind.toLowerCase()}-${i}` },
      spec: spec(kind, i, version(i)),
    }));
  }
  const text = documents.map((d) => `---\n${d}\n`).join("");
  return (await loadManifests({ paths: ["-"], cwd: ROOT, readStdin: () => Promise.resolve(text) })).manifests;
}

function plan(client: PlatformClient, manifests: Manifest[], stack: string): Promise<Plan> {
  return createPlan({ manifests, stack, context: { client }, environment: client.environment, prune: false });
}

async function applyOrThrow(client: PlatformClient, planned: Plan): Promise<void> {
  const result = await applyPlan(planned, { context: { client }, concurrency: CONCURRENCY });
  if (!result.ok) {
    throw new Error(`setup apply failed: ${JSON.stringify(result.results.find((r) => r.status !== "ok"))}`);
  }
}

/** Plan of `count` resources with `latencyMs` per request, against the lower bound. */
async function benchPlan(count = 2_000, latencyMs = 20): Promise<BenchResult[]> {
  const served = await serve(["--latency", String(latencyMs)]);
  try {
    await served.configure({ latencyMs: 0 });
    const { client, counter } = countingClient(served.url);
    // Two thirds exist (created at version 1); of those, half differ from the repository (version 2).
    const existing = await repository(count, () => 1);
    await applyOrThrow(client, await plan(client, existing.filter((_, i) => i % 3 !== 0), "bench"));
    const wanted = await repository(count, (i) => (i % 3 === 1 ? 2 : 1));
    await served.configure({ latencyMs });
    counter.reset();
    const start = performance.now();
    const planned = await plan(client, wanted, "bench");
    const wall = performance.now() - start;
    const { create, update, unchanged } = planned.summary;
    if (create + update + unchanged !== count) {
      throw new Error(`unexpected plan ${JSON.stringify(planned.summary)}`);
    }
    const requests = counter.reads + counter.writes;
    const bound = (requests * latencyMs) / CONCURRENCY;
    // The floor of this setup: the same number of trivial reads through the same client and limiter.
    const limiter = createLimiter({ concurrency: CONCURRENCY });
    const floorStart = performance.now();
    await Promise.all(
      Array.from(
        { length: requests },
        () => limiter.run(() => client.request({ path: "/platform/metadata/v1/user" })),
      ),
    );
    const floor = performance.now() - floorStart;
    return [{
      name: "plan",
      measure: `plan of ${count} resources, ${KINDS.length} kinds (${create} create, ${update} update, ` +
        `${unchanged} unchanged), --latency ${latencyMs}, concurrency ${CONCURRENCY}, ${requests} requests (ms) ` +
        "vs requests × latency ÷ concurrency (ms)",
      value: wall,
      baseline: bound,
      ratio: wall / bound,
      target: "≤ 1.3",
      met: wall / bound <= 1.3,
    }, {
      name: "plan-floor",
      measure:
        `${requests} trivial GETs through the same client, limiter and --latency (ms) vs the same bound`,
      value: floor,
      baseline: bound,
      ratio: floor / bound,
      target: "reference",
      met: true,
    }];
  } finally {
    await served.stop();
  }
}

/**
 * Apply of `count` creates of `kinds` with the platform limiting to `rate` requests per second. Met when nothing
 * fails and the wall time is within `target` × writes ÷ rate (`target` null: recorded only).
 */
async function benchApply(
  name = "apply",
  kinds: readonly ManifestKind[] = KINDS,
  target: number | null = 1.15,
  count = 1_000,
  rate = 50,
): Promise<BenchResult> {
  const served = await serve(["--rate-limit", String(rate)]);
  try {
    await served.configure({ rateLimit: 0 });
    const { client, counter } = countingClient(served.url);
    const planned = await plan(client, await repository(count, () => 1, kinds), "bench");
    if (planned.summary.create !== count) {
      throw new Error(`unexpected plan ${JSON.stringify(planned.summary)}`);
    }
    await served.configure({ rateLimit: rate });
    // Start on a fresh one-second window of the platform's limiter, as a separate process would.
    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000)));
    counter.reset();
    const start = performance.now();
    const result = await applyPlan(planned, { context: { client }, concurrency: CONCURRENCY });
    const wall = performance.now() - start;
    const failed = result.results.filter((r) => r.status !== "ok").length;
    const bound = (counter.writes / rate) * 1000;
    const admitted = counter.reads + counter.writes;
    const ratio = wall / bound;
    return {
      name,
      measure:
        `apply of ${count} creates (${kinds.join(", ")}), platform limit ${rate} req/s: ${failed} failed, ` +
        `${counter.writes} writes + ${counter.reads} reads admitted (all requests ÷ limit = ` +
        `${(wall / ((admitted / rate) * 1000)).toFixed(2)}), ${
          counter.limitedReads + counter.limitedWrites
        } ` +
        "answered 429 (ms) vs writes ÷ limit (ms)",
      value: wall,
      baseline: bound,
      ratio,
      target: target === null ? "recorded" : `≤ ${target}, no failures`,
      met: failed === 0 && result.ok && (target === null || ratio <= target),
    };
  } finally {
    await served.stop();
  }
}

/** The benchmarks of this file, by the names `deno task bench` takes. */
export const PLAN_APPLY_BENCHES: Record<string, () => Promise<BenchResult | BenchResult[]>> = {
  plan: () => benchPlan(),
  apply: async () => [await benchApply()],
};
