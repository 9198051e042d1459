/**
 * CLI start-up: `deno run -A cli.ts version` against `deno run -A` of an empty script, same run.
 * Target: ratio ≤ 2.0.
 *
 * @module
 */

import { type BenchResult, measure, runCommand, stats } from "./lib.ts";

/**
 * Measures start-up and returns the ratio against the empty-script baseline, plus the same ratio for
 * commander alone, which shows how much of the budget the mandated CLI framework takes by itself.
 */
export async function benchStartup(runs = 21): Promise<BenchResult[]> {
  const baseline = stats(await measure(() => runCommand(["run", "-A", "bench/empty.ts"]), runs));
  const cli = stats(await measure(() => runCommand(["run", "-A", "cli.ts", "version"]), runs));
  const floor = stats(await measure(() => runCommand(["run", "-A", "bench/commander_floor.ts"]), runs));
  return [{
    name: "startup",
    measure: "`deno run -A cli.ts version` vs `deno run -A bench/empty.ts` (median wall ms)",
    value: cli.median,
    baseline: baseline.median,
    ratio: cli.median / baseline.median,
    target: "≤ 2.0",
    met: cli.median / baseline.median <= 2.0,
  }, {
    name: "startup-floor",
    measure: "commander alone parsing `version` vs the same empty script (median wall ms)",
    value: floor.median,
    baseline: baseline.median,
    ratio: floor.median / baseline.median,
    target: "reference",
    met: true,
  }];
}
