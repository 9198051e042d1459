// The start-up baseline: an empty script under the same `deno run -A`.
