import assert from "node:assert/strict";
import { shareAccess } from "../../lib/resources/share.ts";
import { seededLocalCli } from "../resources/setting_support.ts";

const DASHBOARD = "demo-dashboard-hosts";

interface Report {
  changes: string[];
  shares: {
    direct: Array<{ id: string; access: string; recipients: Array<{ id: string; type: string }> }>;
    environment: Array<{ id: string; access: string }>;
  };
}

Deno.test("share lists shares; --user/--group create or extend direct shares per access", async () => {
  const cli = await seededLocalCli();
  try {
    const none = await cli.run(["share", "dashboard", DASHBOARD]);
    assert.equal(none.code, 0, none.stderr);
    assert.match(none.stdout, /is not shared\.\n$/);

    const first = await cli.run(["share", "dashboard", DASHBOARD, "--user", "u1", "--user", "u2"]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /shared with user u1, user u2 \(read, new share\)\./);
    assert.match(first.stdout, /SHARED WITH\s+ID\s+ACCESS\s+SHARE ID\nuser\s+u1\s+read/);

    const more = JSON.parse(
      (await cli.run(["share", "dashboard", DASHBOARD, "--user", "u3", "-o", "json"])).stdout,
    ) as Report;
    assert.deepEqual(more.changes, ["shared with user u3 (read)"]);
    assert.equal(more.shares.direct.length, 1);
    assert.deepEqual(more.shares.direct[0].recipients.map((r) => r.id), ["u1", "u2", "u3"]);

    const writers = JSON.parse(
      (await cli.run([
        "share",
        "dash",
        "Host health",
        "--group",
        "g1",
        "--access",
        "read-write",
        "-o",
        "json",
      ]))
        .stdout,
    ) as Report;
    assert.deepEqual(writers.shares.direct.map((s) => s.access).sort(), ["read", "read-write"]);
  } finally {
    await cli.cleanup();
  }
});

Deno.test("share --environment is idempotent; unshare removes recipients and shares", async () => {
  const cli = await seededLocalCli();
  try {
    const env = await cli.run(["share", "notebook", "demo-notebook-logs", "--environment"]);
    assert.equal(env.code, 0, env.stderr);
    assert.match(env.stdout, /shared with the environment \(read\)\./);
    assert.match(env.stdout, /environment\s+everyone\s+read/);
    const again = await cli.run(["share", "notebook", "demo-notebook-logs", "--environment"]);
    assert.match(again.stdout, /already shared with the environment \(read\)\./);

    await cli.run(["share", "notebook", "demo-notebook-logs", "--user", "u1", "--user", "u2"]);
    const removed = JSON.parse(
      (await cli.run(["unshare", "notebook", "demo-notebook-logs", "--user", "u1", "-o", "json"])).stdout,
    ) as Report;
    assert.deepEqual(removed.shares.direct[0].recipients.map((r) => r.id), ["u2"]);
    const noEnv = JSON.parse(
      (await cli.run(["unshare", "notebook", "demo-notebook-logs", "--environment", "-o", "json"])).stdout,
    ) as Report;
    assert.deepEqual(noEnv.shares.environment, []);
    const all = await cli.run(["unshare", "notebook", "demo-notebook-logs", "--all"]);
    assert.equal(all.code, 0, all.stderr);
    assert.match(all.stdout, /no longer shared\.\n.*is not shared\.\n$/s);
    const nothing = await cli.run(["unshare", "notebook", "demo-notebook-logs"]);
    assert.equal(nothing.code, 2);
  } finally {
    await cli.cleanup();
  }
});

Deno.test("share is a write on the document: readonly and readwrite-mine (other owner) exit 5", async () => {
  const cli = await seededLocalCli();
  try {
    const readonly = await cli.run(["share", "dashboard", DASHBOARD, "--user", "u1"], {
      DTCTL_SAFETY_LEVEL: "readonly",
    });
    assert.equal(readonly.code, 5);
    const listing = await cli.run(["share", "dashboard", DASHBOARD], { DTCTL_SAFETY_LEVEL: "readonly" });
    assert.equal(listing.code, 0, listing.stderr);
    const colleague = await cli.run(["share", "dashboard", "demo-dashboard-shared-k8s", "--environment"], {
      DTCTL_SAFETY_LEVEL: "readwrite-mine",
    });
    assert.equal(colleague.code, 5);
    assert.match(colleague.stderr, /owned by "0a7b3c4d-8e9f-4a1b-b2c3-d4e5f6a7b8c9"/);
    const mine = await cli.run(["share", "dashboard", DASHBOARD, "--environment"], {
      DTCTL_SAFETY_LEVEL: "readwrite-mine",
    });
    assert.equal(mine.code, 0, mine.stderr);
  } finally {
    await cli.cleanup();
  }
});

Deno.test("share: only documents; access values are checked; unknown documents exit 4", async () => {
  const cli = await seededLocalCli();
  try {
    const slo = await cli.run(["share", "slo", "demoCheckoutAvail", "--user", "u1"]);
    assert.equal(slo.code, 2);
    assert.match(slo.stderr, /slos cannot be shared/);
    const access = await cli.run(["share", "dashboard", DASHBOARD, "--user", "u1", "--access", "write"]);
    assert.equal(access.code, 2);
    assert.match(access.stderr, /expected read or read-write/);
    const missing = await cli.run(["share", "document", "no-such-document", "--user", "u1"]);
    assert.equal(missing.code, 4);
  } finally {
    await cli.cleanup();
  }
  assert.equal(shareAccess(["read", "write"]), "read-write");
  assert.equal(shareAccess(["read"]), "read");
  assert.equal(shareAccess("read-write"), "read-write");
});
