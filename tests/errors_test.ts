import assert from "node:assert/strict";
import { DtctlError, ExitCode, exitCodeOf } from "../lib/errors/mod.ts";

Deno.test("error codes map to the documented exit codes", () => {
  assert.equal(new DtctlError("not_found", "x").exitCode, ExitCode.notFound);
  assert.equal(new DtctlError("conflict", "x").exitCode, 6);
  assert.equal(new DtctlError("auth_required", "x").exitCode, 3);
  assert.equal(new DtctlError("safety_blocked", "x").exitCode, 5);
  assert.equal(new DtctlError("usage_error", "x").exitCode, 2);
  assert.equal(exitCodeOf(new Error("bug")), 1);
});
