/**
 * Small helpers for the benchmarks: repeated measurement, robust statistics and ratio reporting.
 * Figures are ratios against a baseline measured in the same run, because the machines are noisy.
 *
 * @module
 */

import { fileURLToPath } from "node:url";

/** The repository root: the benchmarks run `cli.ts` and their scripts from there. */
export const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** The token the benchmarks send (an open `dtctl serve` accepts any token). */
export const TOKEN = "dt0s16.BENCH";

/** Summary statistics of a set of timings in milliseconds. */
export interface Stats {
  /** Number of samples. */
  runs: number;
  /** Median. */
  median: number;
  /** Fastest sample. */
  min: number;
  /** Arithmetic mean. */
  mean: number;
}

/** Median, min and mean of samples. */
export function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return {
    runs: sorted.length,
    median,
    min: sorted[0],
    mean: sorted.reduce((sum, value) => sum + value, 0) / sorted.length,
  };
}

/** Times `run` `runs` times after `warmup` unmeasured runs; returns milliseconds per run. */
export async function measure(run: () => Promise<void>, runs: number, warmup = 2): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  return samples;
}

/** Runs `deno ARGS` in the repository root to completion, failing loudly on a non-zero exit. */
export async function runCommand(
  args: string[],
  env: Record<string, string> = { NO_COLOR: "1" },
): Promise<void> {
  const output = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    stdout: "null",
    stderr: "piped",
    env,
  }).output();
  if (!output.success) {
    throw new Error(`deno ${args.join(" ")} failed: ${new TextDecoder().decode(output.stderr)}`);
  }
}

/** One benchmark result line for bench/README.md. */
export interface BenchResult {
  /** Benchmark name. */
  name: string;
  /** What is measured, in words. */
  measure: string;
  /** The measured value (median). */
  value: number;
  /** The baseline (median) measured in the same run. */
  baseline: number;
  /** value / baseline, or another figure of merit described by `unit`. */
  ratio: number;
  /** The target for `ratio`, e.g. "≤ 2.0". */
  target: string;
  /** Whether the target is met. */
  met: boolean;
}
