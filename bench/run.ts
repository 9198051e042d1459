/**
 * `deno task bench`: runs the benchmarks and prints a Markdown table of ratios for bench/README.md.
 *
 * @module
 */

import type { BenchResult } from "./lib.ts";
import { benchDocumentMemory, benchServeThroughput } from "./emulator.ts";
import { benchGetDocuments } from "./get.ts";
import { benchStartup } from "./startup.ts";
import { PLAN_APPLY_BENCHES } from "./plan_apply.ts";

const benches: Record<string, () => Promise<BenchResult | BenchResult[]>> = {
  startup: () => benchStartup(),
  serve: () => benchServeThroughput(),
  memory: () => benchDocumentMemory(),
  ...PLAN_APPLY_BENCHES,
  get: () => benchGetDocuments(),
};

const selected = Deno.args.length > 0 ? Deno.args : Object.keys(benches);
const results: BenchResult[] = [];
for (const name of selected) {
  const bench = benches[name];
  if (!bench) {
    console.error(`unknown benchmark "${name}"; known: ${Object.keys(benches).join(", ")}`);
    Deno.exit(2);
  }
  results.push(...[await bench()].flat());
}
console.log("| benchmark | measure | value | baseline | ratio | target | met |");
console.log("|---|---|---|---|---|---|---|");
for (const r of results) {
  console.log(
    `| ${r.name} | ${r.measure} | ${format(r.value)} | ${format(r.baseline)} | ${
      r.ratio.toFixed(2)
    } | ${r.target} | ${r.met ? "yes" : "no"} |`,
  );
}
if (results.some((r) => !r.met)) Deno.exitCode = 1;

function format(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString("en-US") : value.toFixed(1);
}
