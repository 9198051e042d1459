/**
 * Shared helpers of the config tests: temp directories and assertions on DtctlError codes.
 *
 * @module
 */

import assert from "node:assert/strict";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DtctlError, type ErrorCode } from "../../lib/errors/mod.ts";

/** Runs `fn` with a fresh temp directory that is removed afterwards. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "dtctl-config-test-" });
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Writes `text` to `<dir>/config` and returns the path. */
export async function writeConfigFile(dir: string, text: string, name = "config"): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text, "utf8");
  return path;
}

/** Asserts that `error` is a DtctlError with `code` whose message contains every fragment; returns it. */
export function assertDtctlError(error: unknown, code: ErrorCode, ...fragments: string[]): DtctlError {
  assert.ok(error instanceof DtctlError, `expected a DtctlError, got ${String(error)}`);
  assert.equal(error.code, code, `code of: ${error.message}`);
  for (const fragment of fragments) {
    assert.ok(
      error.message.includes(fragment),
      `message ${JSON.stringify(error.message)} lacks ${JSON.stringify(fragment)}`,
    );
  }
  return error;
}

/** Calls `fn`, expects it to throw a DtctlError with `code` and message fragments, and returns the error. */
export function expectThrows(fn: () => unknown, code: ErrorCode, ...fragments: string[]): DtctlError {
  try {
    fn();
  } catch (error) {
    return assertDtctlError(error, code, ...fragments);
  }
  assert.fail(`expected ${code} to be thrown`);
}

/** Awaits `fn`, expects a DtctlError with `code` and message fragments, and returns the error. */
export async function expectRejects(
  fn: () => Promise<unknown>,
  code: ErrorCode,
  ...fragments: string[]
): Promise<DtctlError> {
  try {
    await fn();
  } catch (error) {
    return assertDtctlError(error, code, ...fragments);
  }
  assert.fail(`expected ${code} to be thrown`);
}

/** A config in the shape of the Go dtctl's documented example, with comments and unknown keys. */
export const GO_FIXTURE = `# dtctl configuration
apiVersion: v1              # empty | v1 | dtctl.io/v1
kind: Config
current-context: prod
contexts:
  - name: prod
    context:
      environment: https://abc12345.apps.dynatrace.com
      token-ref: prod-token
      safety-level: readwrite-mine
      description: Production # shown in prompts
      hooks: { pre-apply: "./check.sh", post-apply: none }
      spill: { mode: auto }
  - name: dev
    context:
      environment: \${DEV_URL}
      token-ref: dev-token
tokens:
  - name: prod-token
    token: \${DT_API_TOKEN}
  - name: dev-token
    token: dt0s16.DEVPUBLIC.DEVSECRETVALUE
preferences: { output: table, editor: vim, hooks: {} }
aliases: { deploy: "apply -f ./dynatrace/" }
spill: { mode: auto, dir: "", format: jsonl, threshold: 50KB, ttl: 24h }
x-future-key:
  nested: [1, 2, 3]   # kept on save
`;
