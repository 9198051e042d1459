/**
 * Test helpers for manifests: temporary directory trees and problem assertions.
 *
 * @module
 */

import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ManifestError } from "../../lib/manifest/mod.ts";

/** Creates a temporary directory with `files` (path → content), runs `body` in it and removes it. */
export async function withTree<T>(
  files: Record<string, string>,
  body: (dir: string) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "dtctl-manifest-"));
  try {
    await writeTree(dir, files);
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Writes files (path → content) under `dir`, creating directories as needed. */
export async function writeTree(dir: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
}

/** Runs `body`, expects a ManifestError and returns its problems as `file:line:column: message` lines. */
export async function problemsOf(body: () => Promise<unknown>): Promise<string[]> {
  try {
    await body();
  } catch (error) {
    assert.ok(error instanceof ManifestError, `expected a ManifestError, got ${error}`);
    assert.equal(error.code, "validation_error");
    assert.equal(error.exitCode, 1);
    return error.problems.map((p) =>
      `${p.location.file}:${p.location.line}:${p.location.column}: ${p.message}`
    );
  }
  assert.fail("expected a ManifestError, but loading succeeded");
}

/** Asserts that exactly one problem line starts with `prefix` (a `file:line:column` position) and contains `text`. */
export function assertProblem(problems: string[], position: string, text: string): void {
  const matches = problems.filter((p) => p.startsWith(`${position}: `) && p.includes(text));
  assert.equal(
    matches.length,
    1,
    `expected one problem at ${position} containing "${text}" in:\n${problems.join("\n")}`,
  );
}
