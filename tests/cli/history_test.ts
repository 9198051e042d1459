import assert from "node:assert/strict";
import { connect } from "../../lib/connect/mod.ts";
import type { PlatformClient } from "../../lib/client/mod.ts";
import { historyStyle, listHistory, parseVersion, restoreVersion } from "../../lib/resources/history.ts";
import { findKind } from "../../lib/resources/mod.ts";
import { DEMO_WORKFLOWS, type LocalCli, seededLocalCli, testPlatform } from "../resources/setting_support.ts";

const DASHBOARD = "demo-dashboard-hosts";

/** Renames a document, optionally keeping a snapshot of the new state. */
async function rename(client: PlatformClient, id: string, name: string, snapshot: boolean): Promise<void> {
  const meta = await client.request<{ version: number }>({
    path: `/platform/document/v1/documents/${id}/metadata`,
  });
  const form = new FormData();
  form.append("name", name);
  await client.request({
    method: "PATCH",
    path: `/platform/document/v1/documents/${id}`,
    query: { "optimistic-locking-version": meta.version, "create-snapshot": snapshot || undefined },
    body: form,
  });
}

/** Three saved versions of the dashboard: snapshots 1 ("Hosts v2") and 2 ("Hosts v3"), then "Hosts v4". */
async function withSnapshots(cli: LocalCli): Promise<PlatformClient> {
  const { client } = await connect({ context: "local", env: cli.env });
  await rename(client, DASHBOARD, "Hosts v2", true);
  await rename(client, DASHBOARD, "Hosts v3", true);
  await rename(client, DASHBOARD, "Hosts v4", false);
  return client;
}

Deno.test("history dashboard lists the snapshots, newest first", async () => {
  const cli = await seededLocalCli();
  try {
    await withSnapshots(cli);
    const text = await cli.run(["history", "dashboard", "Hosts v4"]);
    assert.equal(text.code, 0, text.stderr);
    const lines = text.stdout.trimEnd().split("\n");
    assert.match(lines[0], /^SNAPSHOT\s+DOCUMENT-VERSION\s+CREATED\s+BY/);
    assert.match(lines[1], /^2\s+3\s+\S+\s+6f1c9a52-3d7e-4b8a-9c21-5e0d4f7a8b13/);
    assert.match(lines[2], /^1\s+2\s+/);
    const json = JSON.parse((await cli.run(["history", "dash", DASHBOARD, "-o", "json"])).stdout);
    assert.deepEqual(
      json.map((e: { version: number; objectVersion: number }) => [e.version, e.objectVersion]),
      [
        [2, 3],
        [1, 2],
      ],
    );
    const none = await cli.run(["history", "notebook", "demo-notebook-logs"]);
    assert.equal(none.code, 0, none.stderr);
    assert.match(none.stdout, /No saved versions of notebook/);
  } finally {
    await cli.cleanup();
  }
});

Deno.test("restore dashboard brings a snapshot back and keeps the replaced state", async () => {
  const cli = await seededLocalCli();
  try {
    await withSnapshots(cli);
    const refused = await cli.run(["restore", "dashboard", DASHBOARD, "1"], {
      DTCTL_SAFETY_LEVEL: "readonly",
    });
    assert.equal(refused.code, 5);
    assert.match(refused.stderr, /does not allow update of dashboard "Hosts v4"/);
    const restored = await cli.run(["restore", "dashboard", "Hosts v4", "1"]);
    assert.equal(restored.code, 0, restored.stderr);
    assert.equal(
      restored.stdout,
      'dashboard "Hosts v4" (demo-dashboard-hosts) restored to snapshot 1 (now version 5).\n' +
        "The replaced state was kept as snapshot 3.\n",
    );
    const now = JSON.parse((await cli.run(["get", "dashboard", DASHBOARD, "-o", "json"])).stdout);
    assert.equal(now.name, "Hosts v2");
    const mine = await cli.run(["restore", "dashboard", DASHBOARD, "2", "-o", "json"], {
      DTCTL_SAFETY_LEVEL: "readwrite-mine",
    });
    assert.equal(mine.code, 0, mine.stderr);
    assert.equal(JSON.parse(mine.stdout).restoredVersion, 2);
  } finally {
    await cli.cleanup();
  }
});

Deno.test("restore: bad, missing and unknown versions; kinds without history", async () => {
  const cli = await seededLocalCli();
  try {
    const missing = await cli.run(["restore", "dashboard", DASHBOARD]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /needs the version/);
    const bad = await cli.run(["restore", "dashboard", DASHBOARD, "latest"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /invalid version "latest"/);
    const unknown = await cli.run(["restore", "dashboard", DASHBOARD, "99"]);
    assert.equal(unknown.code, 4);
    const slo = await cli.run(["history", "slo", "demoCheckoutAvail"]);
    assert.equal(slo.code, 2);
    assert.match(slo.stderr, /slos have no version history/);
    const unknownKind = await cli.run(["history", "dashbord", DASHBOARD]);
    assert.equal(unknownKind.code, 2);
  } finally {
    await cli.cleanup();
  }
});

Deno.test("history and restore of a workflow", async () => {
  const cli = await seededLocalCli();
  try {
    const { client } = await connect({ context: "local", env: cli.env });
    await client.request({
      method: "PATCH",
      path: `/platform/automation/v1/workflows/${DEMO_WORKFLOWS.cleanup}`,
      json: { description: "changed" },
    });
    const history = await cli.run(["history", "workflow", "Manual cleanup"]);
    assert.equal(history.code, 0, history.stderr);
    assert.match(history.stdout, /^VERSION\s+CREATED\s+BY\n2\s+.*\n1\s+/);
    const restored = await cli.run(["restore", "wf", "Manual cleanup", "1"]);
    assert.equal(restored.code, 0, restored.stderr);
    assert.match(
      restored.stdout,
      /workflow "Manual cleanup" \(5c1a9e0e-\S+\) restored to version 1 \(now version 3\)\./,
    );
    const workflow = JSON.parse(
      (await cli.run(["get", "workflow", DEMO_WORKFLOWS.cleanup, "-o", "json"])).stdout,
    );
    assert.equal(
      workflow.description,
      "Run by hand; the second task fails on purpose to show error handling.",
    );
    assert.equal(workflow.version, 3);
  } finally {
    await cli.cleanup();
  }
});

Deno.test("restore trash brings a deleted document back with its id", async () => {
  const cli = await seededLocalCli();
  try {
    assert.equal((await cli.run(["delete", "notebook", "demo-notebook-logs", "--yes"])).code, 0);
    assert.equal((await cli.run(["get", "notebook", "demo-notebook-logs"])).code, 4);
    const refused = await cli.run(["restore", "trash", "demo-notebook-logs"], {
      DTCTL_SAFETY_LEVEL: "readonly",
    });
    assert.equal(refused.code, 5);
    const withVersion = await cli.run(["restore", "trash", "demo-notebook-logs", "1"]);
    assert.equal(withVersion.code, 2);
    const restored = await cli.run(["restore", "trash", "demo-notebook-logs"]);
    assert.equal(restored.code, 0, restored.stderr);
    assert.match(restored.stdout, /^notebook ".+" \(demo-notebook-logs\) restored from the trash\.\n$/);
    assert.equal((await cli.run(["get", "notebook", "demo-notebook-logs"])).code, 0);
    assert.equal((await cli.run(["restore", "trash", "demo-notebook-logs"])).code, 4);
  } finally {
    await cli.cleanup();
  }
});

Deno.test("history library: styles per kind, version parsing, restore over the kind context", async () => {
  await import("../../lib/resources/mod.ts");
  assert.equal(historyStyle(findKind("dashboard")), "document");
  assert.equal(historyStyle(findKind("document")), "document");
  assert.equal(historyStyle(findKind("workflow")), "workflow");
  assert.equal(historyStyle(findKind("bucket")), undefined);
  assert.equal(parseVersion("3"), 3);
  assert.throws(() => parseVersion("0"), /positive whole number/);
  assert.throws(() => parseVersion("1.5"), /positive whole number/);

  const { client, context } = testPlatform();
  await rename(client, "demo-notebook-incident", "Incident v2", true);
  const kind = findKind("notebook");
  const object = await kind.get!(context, "demo-notebook-incident");
  const entries = await listHistory(context, kind, object);
  assert.deepEqual(entries.map((e) => e.version), [1]);
  const result = await restoreVersion(context, kind, object, 1);
  assert.equal(result.kind, "notebook");
  assert.equal(result.id, "demo-notebook-incident");
  assert.equal(result.restoredVersion, 1);
});
