/**
 * `dtctl get documents` over 10,000 stored documents (table and json output) against the bare HTTP calls it
 * needs (`bench/bare_list.ts`), both as fresh `deno run` processes against the same `dtctl serve`, same run.
 * The ratio is dtctl's whole overhead: start-up, registry, paging, printing.
 *
 * @module
 */

import { startServe } from "../tests/support/serve_process.ts";
import { type BenchResult, measure, runCommand, stats, TOKEN } from "./lib.ts";

async function seedDocuments(url: string, count: number): Promise<void> {
  const batch = 50;
  for (let start = 0; start < count; start += batch) {
    await Promise.all(Array.from({ length: Math.min(batch, count - start) }, async (_, offset) => {
      const form = new FormData();
      form.append("name", `document ${start + offset}`);
      form.append("type", start + offset < count / 2 ? "notebook" : "dashboard");
      form.append("content", new Blob(['{"version":"7","sections":[]}'], { type: "application/json" }), "c");
      const response = await fetch(`${url}/platform/document/v1/documents`, {
        method: "POST",
        headers: { Authorization: `Bearer ${TOKEN}` },
        body: form,
      });
      await response.body?.cancel();
      if (response.status !== 201) throw new Error(`seeding failed: HTTP ${response.status}`);
    }));
  }
}

/** Runs the comparison for table and json output. */
export async function benchGetDocuments(count = 10_000, runs = 7): Promise<BenchResult[]> {
  const served = await startServe(["--seed", "empty"], { stderr: "inherit" });
  try {
    await seedDocuments(served.url, count);
    const env = { NO_COLOR: "1", DT_ENVIRONMENT_URL: served.url, DT_API_TOKEN: TOKEN, HOME: "/nonexistent" };
    const bare = stats(
      await measure(() => runCommand(["run", "-A", "bench/bare_list.ts", served.url, TOKEN], env), runs),
    );
    const results: BenchResult[] = [];
    for (const format of ["table", "json"]) {
      const cli = stats(
        await measure(() => runCommand(["run", "-A", "cli.ts", "get", "documents", "-o", format], env), runs),
      );
      results.push({
        name: `get-documents-${format}`,
        measure:
          `\`dtctl get documents -o ${format}\` over ${count} documents vs the bare paged HTTP calls (ms)`,
        value: cli.median,
        baseline: bare.median,
        ratio: cli.median / bare.median,
        target: "recorded",
        met: true,
      });
    }
    return results;
  } finally {
    await served.stop();
  }
}
