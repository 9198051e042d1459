/**
 * `dtctl apply`: apply, idempotence (no write request at all, from the platform's request log), dry runs,
 * prune, two environments from one repository, output formats, progress and exit codes.
 */

import assert from "node:assert/strict";
import { bucket, dtctl, repository, serve, servedRepository, workflow } from "./apply_support.ts";

Deno.test("apply creates, a second apply sends no write request, and diff is clean", async () => {
  const { served, repo, env, cleanup } = await servedRepository({
    "m/wf.yaml": workflow("nightly"),
    "m/b.yaml": bucket("team-logs"),
  });
  try {
    const first = await dtctl(["apply", "-f", `${repo.dir}/m`], { env });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^Plan: 2 to create, 0 to update, 0 to delete, 0 unchanged\.$/m);
    assert.match(first.stdout, /^\+ Bucket\/team-logs: created \(id team-logs\)$/m);
    assert.match(first.stdout, /^\+ Workflow\/nightly: created \(id [0-9a-f-]{36}\)$/m);
    assert.match(first.stdout, /^Apply complete\. 2 created, 0 updated, 0 deleted, 0 unchanged\.$/m);

    await served.clear();
    const second = await dtctl(["apply", "-f", `${repo.dir}/m`], { env });
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /^No changes\./m);
    assert.match(second.stdout, /^Apply complete\. 0 created, 0 updated, 0 deleted, 2 unchanged\.$/m);
    assert.deepEqual(await served.writes(), []);
    assert.ok((await served.requests()).length >= 3);
  } finally {
    await cleanup();
  }
});

Deno.test("apply --dry-run prints the plan and writes nothing", async () => {
  const { served, repo, env, cleanup } = await servedRepository({ "wf.yaml": workflow("nightly") });
  try {
    const dry = await dtctl(["apply", "--dry-run", "-f", `${repo.dir}/wf.yaml`], { env });
    assert.equal(dry.code, 0);
    assert.match(dry.stdout, /^\+ Workflow\/nightly$/m);
    assert.match(dry.stderr, /Dry run: nothing was changed/);
    assert.deepEqual(await served.writes(), []);
    const json = await dtctl(["apply", "--dry-run", "-o", "json", "-f", `${repo.dir}/wf.yaml`], { env });
    assert.equal(JSON.parse(json.stdout).summary.create, 1);
    assert.deepEqual(await served.writes(), []);
  } finally {
    await cleanup();
  }
});

Deno.test("prune deletes only with --prune; without it the leftovers are reported", async () => {
  const { served, repo, env, cleanup } = await servedRepository({
    "m/a.yaml": workflow("a"),
    "m/b.yaml": workflow("b"),
  });
  try {
    assert.equal((await dtctl(["apply", "-f", `${repo.dir}/m`], { env })).code, 0);
    await Deno.remove(`${repo.dir}/m/b.yaml`);
    const kept = await dtctl(["apply", "-f", `${repo.dir}/m`], { env });
    assert.equal(kept.code, 0);
    assert.match(
      kept.stderr,
      /1 object\(s\) of stack "default" are no longer in the manifests \(Workflow\/b\)/,
    );
    assert.deepEqual((await served.writes()).filter((r) => r.method === "DELETE"), []);

    const diff = await dtctl(["diff", "--prune", "-f", `${repo.dir}/m`], { env });
    assert.equal(diff.code, 1);
    assert.match(diff.stdout, /^- Workflow\/b \(id [0-9a-f-]+\)$/m);
    const pruned = await dtctl(["apply", "--prune", "-f", `${repo.dir}/m`], { env });
    assert.equal(pruned.code, 0, pruned.stderr);
    assert.match(pruned.stdout, /^- Workflow\/b: deleted$/m);
    assert.equal((await served.writes()).filter((r) => r.method === "DELETE").length, 1);
    assert.equal((await dtctl(["diff", "--prune", "-f", `${repo.dir}/m`], { env })).code, 0);
  } finally {
    await cleanup();
  }
});

Deno.test("two environments from one repository: dtctl.yaml, --env, credentials by variable name, values", async () => {
  const dev = serve("dt0s16.DEV");
  const prod = serve("dt0s16.PROD");
  const repo = await repository({
    "dtctl.yaml": `stack: payments
paths: [manifests]
values:
  retention: 35
environments:
  dev:
    url: ${dev.url}
    credentials: {token: DEV_TOKEN}
  prod:
    url: ${prod.url}
    credentials: {token: PROD_TOKEN}
    values: {retention: 365}
`,
    "manifests/b.yaml": bucket("payment-logs", "${{ values.retention }}"),
    "manifests/wf.yaml": workflow("settle"),
  });
  const env = {
    HOME: repo.dir,
    DTCTL_CONFIG: `${repo.dir}/.config/dtctl`,
    DEV_TOKEN: dev.token,
    PROD_TOKEN: prod.token,
  };
  try {
    const ambiguous = await dtctl(["diff"], { env, cwd: repo.dir });
    assert.equal(ambiguous.code, 2);
    assert.match(ambiguous.stderr, /several environments; pick one with --env \(dev, prod\)/);

    const toDev = await dtctl(["apply", "--env", "dev"], { env, cwd: `${repo.dir}/manifests` });
    assert.equal(toDev.code, 0, toDev.stderr);
    const toProd = await dtctl(["apply"], { env: { ...env, DTCTL_ENV: "prod" }, cwd: repo.dir });
    assert.equal(toProd.code, 0, toProd.stderr);

    const devPlan = JSON.parse(
      (await dtctl(["diff", "--env", "dev", "-o", "json"], { env, cwd: repo.dir })).stdout,
    );
    const prodPlan = JSON.parse(
      (await dtctl(["diff", "--env", "prod", "-o", "json"], { env, cwd: repo.dir })).stdout,
    );
    assert.equal(devPlan.environment, dev.url);
    assert.equal(prodPlan.environment, prod.url);
    assert.equal(devPlan.stack, "payments");
    assert.deepEqual(devPlan.summary, { create: 0, update: 0, delete: 0, unchanged: 2 });
    assert.deepEqual(prodPlan.summary, { create: 0, update: 0, delete: 0, unchanged: 2 });
    // Same identities in both environments; values per environment.
    assert.deepEqual(
      devPlan.entries.map((e: { id: string }) => e.id),
      prodPlan.entries.map((e: { id: string }) => e.id),
    );
    const retention = async (url: string, token: string) =>
      (await (await fetch(`${url}/platform/storage/management/v1/bucket-definitions/payment-logs`, {
        headers: { authorization: `Bearer ${token}` },
      })).json()).retentionDays;
    assert.equal(await retention(dev.url, dev.token), 35);
    assert.equal(await retention(prod.url, prod.token), 365);

    const missing = await dtctl(["diff", "--env", "prod"], {
      env: { ...env, PROD_TOKEN: undefined },
      cwd: repo.dir,
    });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /environment "prod" .*: PROD_TOKEN is not set/);
    const unknown = await dtctl(["diff", "--env", "staging"], { env, cwd: repo.dir });
    assert.match(unknown.stderr, /unknown environment "staging"/);
    const otherStack = await dtctl(["diff", "--env", "dev", "--stack", "x"], { env, cwd: repo.dir });
    assert.equal(otherStack.code, 2);
    assert.match(otherStack.stderr, /differs from the stack "payments"/);
    // --project finds the file from anywhere.
    const elsewhere = await dtctl(["diff", "--env", "dev", "--project", `${repo.dir}/dtctl.yaml`], {
      env,
      cwd: "/",
    });
    assert.equal(elsewhere.code, 0, elsewhere.stderr);
  } finally {
    await dev.close();
    await prod.close();
    await repo.cleanup();
  }
});

Deno.test("a failed change: per-resource results, a failure summary, the first failure's exit code", async () => {
  const { repo, env, cleanup } = await servedRepository(
    { "m/wf.yaml": workflow("nightly"), "m/b.yaml": bucket("team-logs") },
    "dt0s16.CLI",
    {
      faults: [{ method: "POST", pathRegex: "/automation/v1/workflows", status: 403 }],
    },
  );
  try {
    const run = await dtctl(["apply", "-f", `${repo.dir}/m`], { env });
    assert.equal(run.code, 5);
    assert.match(run.stdout, /^\+ Bucket\/team-logs: created/m);
    assert.match(run.stdout, /^\+ Workflow\/nightly: failed: Permission denied for workflow "nightly"/m);
    assert.match(run.stdout, /^Apply failed: 1 failed; 1 created, 0 updated, 0 deleted, 0 unchanged\.$/m);
    assert.match(run.stderr, /^Error: apply failed: 1 of 2 change\(s\) failed; first: Workflow\/nightly/m);

    const agent = await dtctl(["apply", "-A", "-f", `${repo.dir}/m`], { env });
    assert.equal(agent.code, 5);
    const envelope = JSON.parse(agent.stdout);
    assert.equal(envelope.ok, false);
    assert.equal(envelope.error.code, "permission_denied");
    assert.equal(envelope.error.details.result.apply.summary.failed, 1);
  } finally {
    await cleanup();
  }
});

Deno.test("apply -o json and -A give the plan and the results as data; progress only on a terminal", async () => {
  const { repo, env, cleanup } = await servedRepository({
    "m/wf.yaml": workflow("nightly"),
    "m/b.yaml": bucket("team-logs"),
  });
  try {
    const json = await dtctl(["apply", "-o", "json", "-f", `${repo.dir}/m`], { env });
    assert.equal(json.code, 0);
    const data = JSON.parse(json.stdout);
    assert.equal(data.plan.summary.create, 2);
    assert.equal(data.apply.ok, true);
    assert.deepEqual(data.apply.results.map((r: { status: string }) => r.status), ["ok", "ok"]);
    assert.equal(json.stderr, "");

    await Deno.writeTextFile(`${repo.dir}/m/b.yaml`, bucket("team-logs", 40));
    const tty = await dtctl(["apply", "-f", `${repo.dir}/m`], { env, stderrTTY: true });
    assert.equal(tty.code, 0);
    assert.match(tty.stderr, /^\[1\/1\] ~ Bucket\/team-logs updated$/m);

    await Deno.writeTextFile(`${repo.dir}/m/b.yaml`, bucket("team-logs", 45));
    const agent = await dtctl(["apply", "-A", "-f", `${repo.dir}/m`], { env, stderrTTY: true });
    assert.equal(agent.code, 0);
    assert.equal(agent.stderr, "");
    const envelope = JSON.parse(agent.stdout);
    assert.equal(envelope.ok, true);
    assert.equal(envelope.result.apply.summary.updated, 1);
  } finally {
    await cleanup();
  }
});

Deno.test("apply usage errors exit 2 and an interruption before any write exits 130", async () => {
  const { served, repo, env, cleanup } = await servedRepository({ "wf.yaml": workflow("nightly") });
  try {
    assert.equal((await dtctl(["apply", "plan.json", "-f", "x"], { env })).code, 2);
    assert.equal((await dtctl(["apply", "plan.json", "--prune"], { env })).code, 2);
    assert.equal(
      (await dtctl(["apply", "--concurrency", "0", "-f", `${repo.dir}/wf.yaml`], { env })).code,
      2,
    );
    const none = await dtctl(["apply"], { env, cwd: repo.dir });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no manifests given/);
    const controller = new AbortController();
    controller.abort();
    const interrupted = await dtctl(["apply", "-f", `${repo.dir}/wf.yaml`], {
      env,
      signal: controller.signal,
    });
    assert.equal(interrupted.code, 130, interrupted.stderr);
    assert.deepEqual(await served.writes(), []);
  } finally {
    await cleanup();
  }
});

Deno.test("the safety level refuses planned changes before the first write, in the dry run too", async () => {
  const { served, repo, env, cleanup } = await servedRepository({
    "m/wf.yaml": workflow("nightly"),
    "m/b.yaml": bucket("team-logs"),
  });
  try {
    const readonly = { ...env, DTCTL_SAFETY_LEVEL: "readonly" };
    const dry = await dtctl(["apply", "--dry-run", "-f", `${repo.dir}/m`], { env: readonly });
    assert.equal(dry.code, 5, dry.stderr);
    assert.match(dry.stderr, /refuses 2 planned change\(s\)/);
    assert.match(dry.stderr, /Bucket\/team-logs/);
    assert.match(dry.stderr, /Workflow\/nightly/);
    const real = await dtctl(["apply", "-f", `${repo.dir}/m`], { env: readonly });
    assert.equal(real.code, 5);
    assert.deepEqual(await served.writes(), [], "nothing was written");

    // Creating is allowed under readwrite-all, deleting a bucket is not: prune of the bucket is refused up front.
    assert.equal((await dtctl(["apply", "-f", `${repo.dir}/m`], { env })).code, 0);
    await Deno.remove(`${repo.dir}/m/b.yaml`);
    await served.clear();
    const prune = await dtctl(["apply", "--prune", "-f", `${repo.dir}/m`], {
      env: { ...env, DTCTL_SAFETY_LEVEL: "readwrite-all" },
    });
    assert.equal(prune.code, 5);
    assert.match(prune.stderr, /Bucket\/team-logs/);
    assert.deepEqual(await served.writes(), []);
  } finally {
    await cleanup();
  }
});

Deno.test("an empty set of manifests is refused unless --allow-empty (never a silent prune of everything)", async () => {
  const { served, repo, env, cleanup } = await servedRepository({ "m/wf.yaml": workflow("nightly") });
  try {
    assert.equal((await dtctl(["apply", "-f", `${repo.dir}/m`], { env })).code, 0);
    await Deno.remove(`${repo.dir}/m/wf.yaml`);
    await served.clear();
    for (const args of [["apply", "--prune"], ["diff", "--prune"], ["plan"]]) {
      const refused = await dtctl([...args, "-f", `${repo.dir}/m`], { env });
      assert.equal(refused.code, 2, `${args.join(" ")}: ${refused.stderr}`);
      assert.match(refused.stderr, /no manifests found/);
      assert.match(refused.stderr, /--allow-empty/);
    }
    const empty = await dtctl(["apply", "--prune", "-f", "-"], { env, stdin: "" });
    assert.equal(empty.code, 2);
    assert.deepEqual(await served.writes(), []);
    const intended = await dtctl(["apply", "--prune", "--allow-empty", "-f", `${repo.dir}/m`], { env });
    assert.equal(intended.code, 0, intended.stderr);
    assert.match(intended.stdout, /^- Workflow\/nightly: deleted$/m);
  } finally {
    await cleanup();
  }
});

Deno.test("a saved plan is written owner-only (it holds the exact desired objects)", async () => {
  const { repo, env, cleanup } = await servedRepository({ "m/wf.yaml": workflow("nightly") });
  try {
    const saved = await dtctl(["plan", "-f", `${repo.dir}/m`, "--out", `${repo.dir}/plan.json`], { env });
    assert.equal(saved.code, 0, saved.stderr);
    assert.equal((await Deno.stat(`${repo.dir}/plan.json`)).mode! & 0o777, 0o600);
  } finally {
    await cleanup();
  }
});
