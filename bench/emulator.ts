/**
 * The local platform under load, on loopback:
 * - requests per second for a simple GET (`/platform/metadata/v1/user`) and for a document create, served by
 *   `dtctl serve` in a separate process, against a bare `Deno.serve` returning a fixed JSON body measured in
 *   the same run (the ceiling of this machine's HTTP stack). Target: ≥ 2,000 GET/s.
 * - memory with 10,000 documents stored (in-process emulator): heap growth per document, against the size
 *   of the documents' JSON.
 *
 * Every load loop is bounded in time and in request count and targets 127.0.0.1 only.
 *
 * @module
 */

import { createEmulator } from "../lib/emulator/handler.ts";
import { startServe } from "../tests/support/serve_process.ts";
import { type BenchResult, TOKEN } from "./lib.ts";

const DURATION_MS = 3_000;
const MAX_REQUESTS = 200_000;
const CONCURRENCY = 16;

/** Sends requests from `CONCURRENCY` workers for `DURATION_MS`; returns completed requests per second. */
async function load(makeRequest: (i: number) => Request, expectStatus: number): Promise<number> {
  let sent = 0;
  let done = 0;
  const deadline = performance.now() + DURATION_MS;
  const start = performance.now();
  const worker = async () => {
    while (performance.now() < deadline && sent < MAX_REQUESTS) {
      const response = await fetch(makeRequest(sent++));
      await response.arrayBuffer();
      if (response.status !== expectStatus) throw new Error(`unexpected status ${response.status}`);
      done++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return done / ((performance.now() - start) / 1000);
}

/** GET and create throughput of `dtctl serve` against a bare server. */
export async function benchServeThroughput(): Promise<BenchResult[]> {
  const bare = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () =>
      new Response('{"userName":"x","userId":"y","emailAddress":"z"}', {
        headers: { "content-type": "application/json" },
      }),
  );
  const bareUrl = `http://127.0.0.1:${bare.addr.port}`;
  const bareRps = await load(() => new Request(`${bareUrl}/platform/metadata/v1/user`), 200);
  await bare.shutdown();

  const served = await startServe(["--seed", "empty"], { stderr: "inherit" });
  try {
    const auth = { Authorization: `Bearer ${TOKEN}` };
    const getRps = await load(
      () => new Request(`${served.url}/platform/metadata/v1/user`, { headers: auth }),
      200,
    );
    const createRps = await load((i) => {
      const form = new FormData();
      form.append("name", `bench ${i}`);
      form.append("type", "notebook");
      form.append("content", new Blob(['{"version":"7","sections":[]}'], { type: "application/json" }), "c");
      return new Request(`${served.url}/platform/document/v1/documents`, {
        method: "POST",
        headers: auth,
        body: form,
      });
    }, 201);
    return [
      {
        name: "serve-get",
        measure: "GET /platform/metadata/v1/user on `dtctl serve` (req/s) vs a bare Deno.serve (req/s)",
        value: getRps,
        baseline: bareRps,
        ratio: getRps / bareRps,
        target: "≥ 2,000 req/s",
        met: getRps >= 2000,
      },
      {
        name: "serve-create",
        measure: "POST a document (multipart) on `dtctl serve` (req/s) vs the bare server (req/s)",
        value: createRps,
        baseline: bareRps,
        ratio: createRps / bareRps,
        target: "recorded",
        met: true,
      },
    ];
  } finally {
    await served.stop();
  }
}

/** Heap growth with 10,000 documents stored in the in-process emulator. */
export async function benchDocumentMemory(count = 10_000): Promise<BenchResult> {
  const emulator = createEmulator({ data: "empty" });
  const content = JSON.stringify({
    version: "7",
    sections: [{ id: "s1", type: "dql", state: { input: { value: "fetch logs | limit 10" } } }],
  });
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = Deno.memoryUsage().heapUsed;
  let payloadBytes = 0;
  for (let i = 0; i < count; i++) {
    const form = new FormData();
    form.append("name", `notebook ${i}`);
    form.append("type", "notebook");
    form.append("content", new Blob([content], { type: "application/json" }), "c");
    const response = await emulator.handle(
      new Request("http://local/platform/document/v1/documents", {
        method: "POST",
        headers: { Authorization: `Bearer ${TOKEN}` },
        body: form,
      }),
    );
    if (response.status !== 201) {
      throw new Error(`create failed: ${response.status} ${await response.text()}`);
    }
    payloadBytes += (await response.text()).length + content.length;
  }
  gc?.();
  const grown = Deno.memoryUsage().heapUsed - before;
  return {
    name: "memory-10k-documents",
    measure: `heap growth with ${count} documents stored (MiB) vs their metadata + content JSON size (MiB)`,
    value: grown / 2 ** 20,
    baseline: payloadBytes / 2 ** 20,
    ratio: grown / payloadBytes,
    target: "recorded",
    met: true,
  };
}
