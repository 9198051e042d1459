import assert from "node:assert/strict";
import { createSafetyGuard, SAFETY_LEVELS, type SafetyLevel } from "../../lib/config/mod.ts";
import type { SafetyCheck } from "../../lib/client/mod.ts";
import { DtctlError } from "../../lib/errors/mod.ts";
import { assertDtctlError, expectRejects } from "./_helpers.ts";

const ME = "user-me";

/** One write scenario and whether each level allows it. */
interface Scenario {
  label: string;
  check: SafetyCheck;
  allowed: Record<SafetyLevel, boolean>;
}

const workflow = (owner?: string) => ({ kind: "workflow", name: "nightly", owner });
const allow = (readonly: boolean, mine: boolean, all: boolean, unrestricted: boolean) => ({
  readonly,
  "readwrite-mine": mine,
  "readwrite-all": all,
  "dangerously-unrestricted": unrestricted,
});

const SCENARIOS: Scenario[] = [
  {
    label: "create",
    check: {
      operation: "create",
      method: "POST",
      path: "/platform/automation/v1/workflows",
      resource: workflow(),
    },
    allowed: allow(false, true, true, true),
  },
  {
    label: "create without resource",
    check: { operation: "create", method: "POST", path: "/platform/document/v1/documents" },
    allowed: allow(false, true, true, true),
  },
  {
    label: "update own",
    check: {
      operation: "update",
      method: "PUT",
      path: "/platform/automation/v1/workflows/1",
      resource: workflow(ME),
    },
    allowed: allow(false, true, true, true),
  },
  {
    label: "update someone else's",
    check: {
      operation: "update",
      method: "PUT",
      path: "/platform/automation/v1/workflows/1",
      resource: workflow("other"),
    },
    allowed: allow(false, false, true, true),
  },
  {
    label: "update with unknown owner",
    check: {
      operation: "update",
      method: "PUT",
      path: "/platform/automation/v1/workflows/1",
      resource: workflow(),
    },
    allowed: allow(false, false, true, true),
  },
  {
    label: "update without resource",
    check: { operation: "update", method: "PATCH", path: "/platform/slo/v1/slos/1" },
    allowed: allow(false, false, true, true),
  },
  {
    label: "delete own",
    check: {
      operation: "delete",
      method: "DELETE",
      path: "/platform/automation/v1/workflows/1",
      resource: workflow(ME),
    },
    allowed: allow(false, true, true, true),
  },
  {
    label: "delete someone else's",
    check: {
      operation: "delete",
      method: "DELETE",
      path: "/platform/automation/v1/workflows/1",
      resource: workflow("other"),
    },
    allowed: allow(false, false, true, true),
  },
  {
    label: "delete with unknown owner",
    check: {
      operation: "delete",
      method: "DELETE",
      path: "/platform/automation/v1/workflows/1",
      resource: workflow(),
    },
    allowed: allow(false, false, true, true),
  },
  {
    label: "delete own bucket",
    check: {
      operation: "delete",
      method: "DELETE",
      path: "/platform/storage/management/v1/bucket-definitions/logs",
      resource: { kind: "bucket", name: "logs", owner: ME },
    },
    allowed: allow(false, false, false, true),
  },
  {
    label: "update bucket",
    check: {
      operation: "update",
      method: "PUT",
      path: "/platform/storage/management/v1/bucket-definitions/logs",
      resource: { kind: "bucket", name: "logs", owner: "other" },
    },
    allowed: allow(false, false, true, true),
  },
  {
    label: "create bucket",
    check: {
      operation: "create",
      method: "POST",
      path: "/platform/storage/management/v1/bucket-definitions",
      resource: { kind: "bucket", name: "logs" },
    },
    allowed: allow(false, true, true, true),
  },
];

Deno.test("every safety level × operation is allowed or refused as documented", async () => {
  assert.deepEqual([...SAFETY_LEVELS], [
    "readonly",
    "readwrite-mine",
    "readwrite-all",
    "dangerously-unrestricted",
  ]);
  for (const level of SAFETY_LEVELS) {
    const guard = createSafetyGuard({ level, contextName: "prod", currentUser: () => Promise.resolve(ME) });
    for (const scenario of SCENARIOS) {
      const label = `${level} / ${scenario.label}`;
      if (scenario.allowed[level]) {
        await guard(scenario.check);
      } else {
        const error = await expectRejects(
          async () => await guard(scenario.check),
          "safety_blocked",
          `"${level}"`,
          'context "prod"',
          scenario.check.operation,
          scenario.check.path,
        );
        assert.equal(error.exitCode, 5, label);
        assert.match(error.hint ?? "", /dtctl config set-context prod --safety-level /, label);
        assert.equal(error.details.level, level, label);
      }
    }
  }
});

Deno.test("refusals say why and which level would allow the write", async () => {
  const mine = createSafetyGuard({
    level: "readwrite-mine",
    contextName: "prod",
    currentUser: () => Promise.resolve(ME),
  });
  const other = await expectRejects(
    async () => await mine(SCENARIOS[3].check),
    "safety_blocked",
    'workflow "nightly"',
    'owned by "other", not by the current user "user-me"',
  );
  assert.match(other.hint ?? "", /--safety-level readwrite-all/);
  await expectRejects(async () => await mine(SCENARIOS[4].check), "safety_blocked", "owner is unknown");

  const all = createSafetyGuard({
    level: "readwrite-all",
    contextName: "prod",
    currentUser: () => Promise.resolve(ME),
  });
  const bucket = await expectRejects(
    async () => await all(SCENARIOS[9].check),
    "safety_blocked",
    'bucket "logs"',
    "deleting buckets",
  );
  assert.match(bucket.hint ?? "", /--safety-level dangerously-unrestricted/);

  const readonly = createSafetyGuard({
    level: "readonly",
    contextName: "prod",
    currentUser: () => Promise.resolve(ME),
  });
  const create = await expectRejects(
    async () => await readonly(SCENARIOS[0].check),
    "safety_blocked",
    "read-only",
  );
  assert.match(create.hint ?? "", /--safety-level readwrite-mine/);
});

Deno.test("env-only and local contexts are told to use DTCTL_SAFETY_LEVEL", async () => {
  for (const contextName of ["env", "local"]) {
    const guard = createSafetyGuard({
      level: "readonly",
      contextName,
      currentUser: () => Promise.resolve(ME),
    });
    const error = await expectRejects(
      async () => await guard(SCENARIOS[0].check),
      "safety_blocked",
      `context "${contextName}"`,
    );
    assert.match(error.hint ?? "", /DTCTL_SAFETY_LEVEL=readwrite-mine/);
  }
});

Deno.test("readwrite-mine refuses changes when the current user is unknown", async () => {
  const unknown = createSafetyGuard({
    level: "readwrite-mine",
    contextName: "prod",
    currentUser: () => Promise.resolve(undefined),
  });
  await expectRejects(
    async () => await unknown(SCENARIOS[6].check),
    "safety_blocked",
    "current user could not be determined",
  );
  await unknown(SCENARIOS[0].check);

  const failing = createSafetyGuard({
    level: "readwrite-mine",
    contextName: "prod",
    currentUser: () => Promise.reject(new Error("socket hang up")),
  });
  const error = await expectRejects(
    async () => await failing(SCENARIOS[2].check),
    "safety_blocked",
    "socket hang up",
  );
  assert.ok(error.cause instanceof Error);

  const auth = new DtctlError("auth_required", "token expired");
  const unauthenticated = createSafetyGuard({
    level: "readwrite-mine",
    contextName: "prod",
    currentUser: () => Promise.reject(auth),
  });
  await assert.rejects(async () => await unauthenticated(SCENARIOS[2].check), (thrown) => thrown === auth);
});

Deno.test("the current user is looked up only when needed, once, and again after a failure", async () => {
  let calls = 0;
  const counted = (result: () => Promise<string | undefined>) => () => {
    calls++;
    return result();
  };
  for (const level of ["readonly", "readwrite-all", "dangerously-unrestricted"] as const) {
    const guard = createSafetyGuard({
      level,
      contextName: "prod",
      currentUser: counted(() => Promise.resolve(ME)),
    });
    for (const scenario of SCENARIOS) await Promise.resolve(guard(scenario.check)).catch(() => undefined);
  }
  assert.equal(calls, 0);

  const mine = createSafetyGuard({
    level: "readwrite-mine",
    contextName: "prod",
    currentUser: counted(() => Promise.resolve(ME)),
  });
  await mine(SCENARIOS[0].check);
  assert.equal(calls, 0, "creates need no owner check");
  await mine(SCENARIOS[2].check);
  await mine(SCENARIOS[6].check);
  assert.equal(calls, 1);

  calls = 0;
  let fail = true;
  const flaky = createSafetyGuard({
    level: "readwrite-mine",
    contextName: "prod",
    currentUser: counted(() => fail ? Promise.reject(new Error("flaky")) : Promise.resolve(ME)),
  });
  await expectRejects(async () => await flaky(SCENARIOS[2].check), "safety_blocked", "flaky");
  fail = false;
  await flaky(SCENARIOS[2].check);
  assert.equal(calls, 2);
});

Deno.test("an invalid level is rejected when the guard is created", () => {
  assert.throws(
    () =>
      createSafetyGuard({
        level: "yolo" as SafetyLevel,
        contextName: "prod",
        currentUser: () => Promise.resolve(ME),
      }),
    (error) => {
      assertDtctlError(error, "config_error", '"yolo"');
      return true;
    },
  );
});
