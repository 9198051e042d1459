/**
 * Fault injection: 5xx, 429, connections dropped before and after the server processed a write. Apply is run
 * again until it converges; then every object exists exactly once (no create was replayed into a duplicate)
 * and a final plan shows no changes.
 */

import assert from "node:assert/strict";
import { applyPlan } from "../../lib/apply/mod.ts";
import { mulberry32 } from "../../lib/emulator/random.ts";
import { readInventory } from "../../lib/inventory/mod.ts";
import { managedKind } from "../../lib/plan/kinds/mod.ts";
import { createPlan, hasChanges } from "../../lib/plan/mod.ts";
import type { Plan } from "../../lib/plan/types.ts";
import { KIND_SPECS, manifest, manifests, type Platform, platform, TEST_ENVIRONMENT } from "./support.ts";

const STACK = "faults";
const COUNT = 4;
const KINDS = ["Segment", "Setting", "SLO", "Workflow", "Document"];

function repository(): string {
  let yaml = "";
  for (const kind of KINDS) {
    for (let i = 0; i < COUNT; i++) {
      const spec = structuredClone(KIND_SPECS[kind].v1);
      // Settings names must be unique per schema.
      if (kind === "Setting") (spec.value as Record<string, unknown>).name = `Team ${i}`;
      yaml += manifest(kind, `${kind.toLowerCase()}-${i}`, spec);
    }
  }
  return yaml;
}

/** Drops the connection after the server processed a write, for a fraction of writes (seeded). */
function dropAfterProcessing(rate: number, seed: number, enabled: { on: boolean }) {
  const random = mulberry32(seed);
  return (handle: (request: Request) => Promise<Response>) => async (request: Request) => {
    const response = await handle(request);
    if (enabled.on && request.method !== "GET" && random() < rate) {
      await response.arrayBuffer();
      throw new TypeError("connection reset by peer");
    }
    return response;
  };
}

async function plan(p: Platform, yaml: string): Promise<Plan> {
  return await createPlan({
    manifests: await manifests(yaml),
    stack: STACK,
    context: p.context,
    environment: TEST_ENVIRONMENT,
    prune: false,
  });
}

async function converge(p: Platform, yaml: string, rounds: number): Promise<number> {
  for (let round = 1; round <= rounds; round++) {
    try {
      const planned = await plan(p, yaml);
      const result = await applyPlan(planned, { context: p.context, continueOnError: true });
      if (!hasChanges(planned) && result.ok) return round;
    } catch {
      // A plan can fail too (a read failing three times): run again, as CI would.
    }
  }
  throw new Error(`no convergence after ${rounds} rounds`);
}

async function count(p: Platform, kind: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const managed = managedKind(kind);
  const options = kind === "Setting" ? { type: "builtin:alerting.profile" } : undefined;
  for await (const live of managed.list(p.context, options)) {
    if (live.type === "dtctl:inventory") continue;
    // The platform starts empty: every object of these kinds is the stack's.
    const key = String(live.externalId ?? managed.idOf(live));
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

async function assertNoDuplicates(p: Platform): Promise<void> {
  for (const kind of KINDS) {
    const counts = await count(p, kind);
    assert.equal(counts.size, COUNT, `${kind}: ${JSON.stringify([...counts])}`);
    for (const [key, n] of counts) assert.equal(n, 1, `${kind} ${key} exists ${n} times`);
  }
}

Deno.test("5xx and dropped connections (before and after processing): re-running converges, no duplicates", async () => {
  const faults = { on: true };
  const p = platform({
    emulator: { faultRate: 0.12, dropRate: 0.05, seed: 11 },
    wrap: dropAfterProcessing(0.15, 5, faults),
  });
  const yaml = repository();
  const rounds = await converge(p, yaml, 15);
  assert.ok(rounds >= 1);
  const injected = p.requests().filter((r) => r.fault !== undefined).length;
  assert.ok(injected > 0, "faults were injected");

  p.emulator.faults.configure({ faultRate: 0, dropRate: 0 });
  faults.on = false;
  p.clear();
  const final = await plan(p, yaml);
  assert.equal(final.summary.unchanged, KINDS.length * COUNT);
  assert.equal((await applyPlan(final, { context: p.context })).ok, true);
  assert.deepEqual(p.writes(), []);
  await assertNoDuplicates(p);
  assert.equal((await readInventory(p.client, STACK)).objects.length, KINDS.length * COUNT);
});

Deno.test("every write dropped once after processing: each resource is created exactly once in one apply", async () => {
  const seen = new Set<string>();
  const p = platform({
    wrap: (handle) => async (request) => {
      const response = await handle(request);
      const key = `${request.method} ${new URL(request.url).pathname}`;
      if (request.method !== "GET" && !seen.has(key)) {
        seen.add(key);
        await response.arrayBuffer();
        throw new TypeError("connection reset by peer");
      }
      return response;
    },
  });
  const yaml = repository();
  const result = await applyPlan(await plan(p, yaml), { context: p.context, continueOnError: true });
  assert.equal(result.ok, true, JSON.stringify(result.results.filter((r) => r.status !== "ok"), null, 2));
  assert.deepEqual(result.results.filter((r) => r.note !== undefined), [], "each was created by this apply");
  await assertNoDuplicates(p);
  assert.equal(hasChanges(await plan(p, yaml)), false);
});

Deno.test("a server rate limit (429 with Retry-After) is waited out: no failures", async () => {
  const p = platform({ emulator: { rateLimit: 40 }, realSleep: true });
  const yaml = repository();
  const result = await applyPlan(await plan(p, yaml), { context: p.context });
  assert.equal(result.ok, true, JSON.stringify(result.results.filter((r) => r.status !== "ok"), null, 2));
  assert.ok(p.requests().some((r) => r.status === 429), "the limit was hit");
  await assertNoDuplicates(p);
});
