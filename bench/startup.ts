/**
 * CLI start-up: `deno run -A cli.ts version` against `deno run -A` of an empty script, same run.
 * Target: ratio ≤ 2.0.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { type BenchResult, measure, runCommand, stats } from "./lib.ts";

const root = fileURLToPath(new URL("../", import.meta.url));

/** Measures start-up and returns the ratio against the empty-script baseline. */
export async function benchStartup(runs = 15): Promise<BenchResult> {
  // Interleaving would be fairer still, but alternating blocks with warm-up is stable enough here.
  const baseline = stats(await measure(() => runCommand(["run", "-A", "bench/empty.ts"], root), runs));
  const cli = stats(await measure(() => runCommand(["run", "-A", "cli.ts", "version"], root), runs));
  const ratio = cli.median / baseline.median;
  return {
    name: "startup",
    measure: "`deno run -A cli.ts version` vs `deno run -A bench/empty.ts` (median wall ms)",
    value: cli.median,
    baseline: baseline.median,
    ratio,
    target: "≤ 2.0",
    met: ratio <= 2.0,
  };
}
