/**
 * `exportManifests`: the demo tenant exported and loaded back diffs as unchanged object by object; layout,
 * determinism, read-only objects, name clashes, template escaping, the project file and overwrite protection.
 */

import assert from "node:assert/strict";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { semanticEqual, toCanonicalYaml } from "../../lib/diff/mod.ts";
import { escapeTemplates, exportManifests, stackNameFromDir } from "../../lib/export/mod.ts";
import { loadManifests, loadProject } from "../../lib/manifest/mod.ts";
import { managedKind } from "../../lib/plan/kinds/mod.ts";
import { createDashboard } from "../../lib/resources/kinds/dashboard.ts";
import { createWorkflow } from "../../lib/resources/kinds/workflow.ts";
import { failure, plan, testPlatform } from "../plan/kinds_support.ts";

async function tempDir(): Promise<string> {
  return await Deno.makeTempDir({ prefix: "dtctl-export-" });
}

async function filesOf(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

Deno.test("export → load → diff: every exported object is unchanged (the demo tenant)", async () => {
  const { context, requests } = testPlatform();
  const dir = await tempDir();
  try {
    const result = await exportManifests({ context, dir });
    assert.equal(result.objects.length, 17);
    const project = (await loadProject({ cwd: dir }))!;
    assert.equal(project.stack, result.stack);
    const { manifests, files } = await loadManifests({ paths: project.paths, cwd: dir });
    assert.equal(manifests.length, result.objects.length);
    assert.ok(files.some((f) => f.endsWith(".json")), "content files are read");
    const writes = requests().filter((r) => r.method !== "GET").length;
    assert.equal(writes, 0, "export only reads");
    for (const manifest of manifests) {
      // A new stack: the pins bind every manifest to the exported object, whatever the stack.
      for (const stack of [project.stack, "another-stack"]) {
        const planned = await plan(context, manifest, stack);
        assert.ok(planned.live, `${manifest.kind}/${manifest.name} not found`);
        const normalized = planned.kind.normalize(planned.live, planned.desired);
        assert.ok(
          semanticEqual(normalized, planned.desired),
          `${manifest.kind}/${manifest.name} differs\n--- desired\n${
            toCanonicalYaml(planned.desired)
          }--- live\n${toCanonicalYaml(normalized)}`,
        );
      }
    }
    assert.equal(requests().filter((r) => r.method !== "GET").length, 0);
  } finally {
    await rm(dir, { recursive: true });
  }
});

Deno.test("export: layout, envelope order, content beside, skipped built-ins, summary counts", async () => {
  const { context } = testPlatform();
  const dir = await tempDir();
  try {
    const result = await exportManifests({ context, dir, stack: "tenant" });
    const files = await filesOf(dir);
    assert.ok(files.includes("dtctl.yaml"));
    assert.ok(files.includes("dashboards/host-health.yaml"));
    assert.ok(files.includes("dashboards/host-health.json"));
    assert.ok(files.includes("workflows/nightly-error-log-report.yaml"));
    assert.ok(files.includes("buckets/team_logs.yaml"));
    assert.ok(!files.some((f) => f.includes("default_")));
    assert.deepEqual(result.counts, {
      Bucket: 2,
      Segment: 2,
      Setting: 1,
      AnomalyDetector: 1,
      SLO: 2,
      Workflow: 3,
      Document: 1,
      Notebook: 2,
      Dashboard: 3,
    });
    assert.deepEqual(
      result.skipped.map((s) => `${s.kind} ${s.id}: ${s.reason}`),
      [
        "Bucket default_bizevents: built-in bucket",
        "Bucket default_events: built-in bucket",
        "Bucket default_logs: built-in bucket",
        "Bucket default_metrics: built-in bucket",
        "Bucket default_securityevents: built-in bucket",
        "Bucket default_spans: built-in bucket",
        "Segment dtRdyK8sCl1: ready-made segment",
      ],
    );
    const dashboard = await readFile(join(dir, "dashboards/host-health.yaml"), "utf8");
    assert.equal(
      dashboard,
      [
        "apiVersion: dtctl/v1",
        "kind: Dashboard",
        "metadata:",
        "  name: host-health",
        "  annotations:",
        "    dtctl.io/id: demo-dashboard-hosts",
        "spec:",
        "  name: Host health",
        "  description: CPU, memory and disk of every monitored host",
        "  labels:",
        "    - demo",
        "  content:",
        "    $file: ./host-health.json",
        "",
      ].join("\n"),
    );
    const content = JSON.parse(await readFile(join(dir, "dashboards/host-health.json"), "utf8"));
    assert.equal(content.version, 15);
    assert.match(await readFile(join(dir, "dtctl.yaml"), "utf8"), /^stack: tenant$/m);
  } finally {
    await rm(dir, { recursive: true });
  }
});

Deno.test("export is deterministic: the same state gives byte-identical files", async () => {
  const { context } = testPlatform();
  const [a, b] = [await tempDir(), await tempDir()];
  try {
    await exportManifests({ context, dir: a, stack: "x" });
    await exportManifests({ context, dir: b, stack: "x", kinds: ["dashboards", "Bucket", "wf", "slo"] });
    const only = await filesOf(b);
    for (const file of only) {
      assert.equal(await readFile(join(b, file), "utf8"), await readFile(join(a, file), "utf8"), file);
    }
    assert.ok(only.every((f) => /^(dashboards|buckets|workflows|slos)\/|^dtctl\.yaml$/.test(f)), only.join());
  } finally {
    await rm(a, { recursive: true });
    await rm(b, { recursive: true });
  }
});

Deno.test("export: clashing names get -2, -3 in id order; template syntax in values survives loading", async () => {
  const { context } = testPlatform();
  await createDashboard(context, { id: "zz-second", name: "Host health", content: { tiles: {} } });
  await createDashboard(context, { id: "aa-first", name: "Host  health!", content: { tiles: {} } });
  const script = "export default () => `${{ a: 1 }.a}` + '${{ values.x }}' + '$${{ y }}';";
  await createWorkflow(context, {
    title: "Templated",
    tasks: { run: { action: "dynatrace.automations:run-javascript", input: { script } } },
  });
  const dir = await tempDir();
  try {
    const result = await exportManifests({ context, dir, kinds: ["Dashboard", "Workflow"] });
    const hosts = result.objects.filter((o) => o.name.startsWith("host-health")).map((o) =>
      `${o.name} ${o.id}`
    );
    assert.deepEqual(hosts, [
      "host-health aa-first",
      "host-health-2 demo-dashboard-hosts",
      "host-health-3 zz-second",
    ]);
    const { manifests } = await loadManifests({ paths: ["."], cwd: dir });
    const templated = manifests.find((m) => m.name === "templated")!;
    const tasks = templated.spec.tasks as Record<string, { input: { script: string } }>;
    assert.equal(tasks.run.input.script, script);
    for (const manifest of manifests) {
      const planned = await plan(context, manifest, "s");
      assert.ok(
        semanticEqual(planned.kind.normalize(planned.live!, planned.desired), planned.desired),
        manifest.name,
      );
    }
  } finally {
    await rm(dir, { recursive: true });
  }
});

Deno.test("export refuses to overwrite (conflict, nothing written) unless forced; an existing project file is kept", async () => {
  const { context } = testPlatform();
  const dir = await tempDir();
  try {
    await writeFile(join(dir, "dtctl.yaml"), "stack: mine\n");
    await exportManifests({ context, dir, kinds: ["slo"] });
    const before = await filesOf(dir);
    await writeFile(join(dir, "slos/checkout-availability.yaml"), "edited\n");
    const error = await failure(() => exportManifests({ context, dir, kinds: ["slo", "bucket"] }));
    assert.equal(error.code, "conflict");
    assert.equal(error.exitCode, 6);
    assert.match(error.message, /would overwrite 2 existing files.*slos\/build-agents-cpu-headroom\.yaml/);
    assert.deepEqual(await filesOf(dir), before, "nothing was written");
    assert.equal(await readFile(join(dir, "slos/checkout-availability.yaml"), "utf8"), "edited\n");
    const forced = await exportManifests({ context, dir, kinds: ["slo"], force: true });
    assert.deepEqual(forced.projectFile, { file: "dtctl.yaml", written: false });
    assert.equal(forced.stack, "mine");
    assert.equal(await readFile(join(dir, "dtctl.yaml"), "utf8"), "stack: mine\n");
    assert.notEqual(await readFile(join(dir, "slos/checkout-availability.yaml"), "utf8"), "edited\n");
  } finally {
    await rm(dir, { recursive: true });
  }
});

Deno.test("export: settings of chosen schemas; unknown kinds and bad stacks are usage errors", async () => {
  const { context } = testPlatform();
  const dir = await tempDir();
  try {
    const none = await exportManifests({
      context,
      dir,
      kinds: ["settings"],
      settingsSchemas: ["builtin:problem.notifications"],
    });
    assert.deepEqual(none.counts, { Setting: 0 });
    const unknown = await failure(() => exportManifests({ context, dir, kinds: ["dashbord"] }));
    assert.equal(unknown.code, "usage_error");
    const stack = await failure(() => exportManifests({ context, dir, stack: "Bad_Stack" }));
    assert.equal(stack.code, "usage_error");
  } finally {
    await rm(dir, { recursive: true });
  }
});

Deno.test("export helpers: template escaping and stack names", () => {
  assert.deepEqual(escapeTemplates({ a: ["${{ x }}", "$${{ y }}", 1] }), {
    a: ["$${{ x }}", "$$${{ y }}", 1],
  });
  assert.equal(stackNameFromDir("/tmp/My Tenant_Prod"), "my-tenant-prod");
  assert.equal(stackNameFromDir("/tmp/___"), "default");
  assert.equal(managedKind("Bucket").resource.plural, "buckets");
});
