import assert from "node:assert/strict";
import { createClient, type PlatformClient } from "../../lib/client/mod.ts";
import { createSafetyGuard, type SafetyLevel } from "../../lib/config/mod.ts";
import { COLLEAGUE_USER, createEmulator, DEFAULT_USER, type Emulator } from "../../lib/emulator/mod.ts";
import { DtctlError } from "../../lib/errors/mod.ts";
import {
  createDashboard,
  createDocumentObject,
  createNotebook,
  dashboardKind,
  deleteDashboard,
  deleteTrashed,
  documentKind,
  editableOf,
  getDashboard,
  getDocumentObject,
  getNotebook,
  getTrashed,
  type KindContext,
  listDashboards,
  listDocumentObjects,
  listNotebooks,
  listTrashed,
  notebookKind,
  restoreTrashed,
  updateDashboard,
  updateDocumentObject,
} from "../../lib/resources/mod.ts";

function setup(
  options: { level?: SafetyLevel; user?: string } = {},
): { emulator: Emulator; context: KindContext } {
  const emulator = createEmulator({ data: "demo", seed: 11 });
  const client: PlatformClient = createClient({
    environment: "http://emulator.invalid",
    token: "dt0s16.TEST",
    fetch: emulator.handle,
    sleep: () => Promise.resolve(),
    ...(options.level
      ? {
        safety: createSafetyGuard({
          level: options.level,
          currentUser: () => Promise.resolve(options.user ?? DEFAULT_USER.userId),
          contextName: "test",
        }),
      }
      : {}),
  });
  return { emulator, context: { client } };
}

function code(error: unknown): string {
  assert.ok(error instanceof DtctlError, String(error));
  return error.code;
}

function ids(objects: { id: string }[]): string[] {
  return objects.map((o) => o.id);
}

Deno.test("documents: each kind lists its type; filters by owner, filter expression and label", async () => {
  const { emulator, context } = setup();
  assert.deepEqual(ids(await listDashboards(context)), [
    "demo-dashboard-hosts",
    "demo-dashboard-services",
    "demo-dashboard-shared-k8s",
  ]);
  assert.deepEqual(ids(await listNotebooks(context)), ["demo-notebook-incident", "demo-notebook-logs"]);
  assert.deepEqual(ids(await listDocumentObjects(context, { type: "launchpad" })), ["demo-launchpad-home"]);
  assert.equal((await listDocumentObjects(context)).length, 6);
  assert.deepEqual(ids(await listDashboards(context, { owner: COLLEAGUE_USER.userId })), [
    "demo-dashboard-shared-k8s",
  ]);
  assert.deepEqual(ids(await listDashboards(context, { filter: "name contains 'service'" })), [
    "demo-dashboard-services",
  ]);
  assert.equal((await listDashboards(context, { labels: ["demo"] })).length, 3);
  assert.equal((await listDashboards(context, { labels: ["team=payments"] })).length, 0);
  const listed = (await listDashboards(context))[0];
  assert.equal(
    listed.description,
    "CPU, memory and disk of every monitored host",
    "descriptions are requested",
  );
  assert.equal(listed.content, undefined, "lists carry no content");
  const filter = emulator.requests.list().find((r) =>
    r.query.filter === "(type == 'dashboard') and (name contains 'service')"
  );
  assert.ok(filter, "type and user filter are combined server-side");
  const wrongType = await listDashboards(context, { type: "notebook" }).catch((e) => e);
  assert.equal(code(wrongType), "usage_error");
  assert.match(wrongType.message, /dashboards cannot be filtered by --type/);
  assert.match(wrongType.hint, /--type works with: .*\bdocument\b/);
});

Deno.test("documents: get reads metadata and parsed content in one request, by id or exact name", async () => {
  const { emulator, context } = setup();
  emulator.requests.clear();
  const hosts = await getDashboard(context, "demo-dashboard-hosts");
  assert.equal(emulator.requests.list().length, 1, "one multipart GET");
  assert.equal(hosts.version, 1);
  assert.equal((hosts.content as { version: number }).version, 15);
  assert.equal(hosts.contentType, undefined, "JSON content carries no content type");
  assert.equal((await getNotebook(context, "Log exploration")).id, "demo-notebook-logs");
  const named = emulator.requests.list().find((r) =>
    r.query.filter === "(type == 'notebook') and (name == 'Log exploration')"
  );
  assert.ok(named, "the name lookup filters by name server-side");
  const wrongKind = await getDashboard(context, "demo-notebook-logs").catch((e) => e);
  assert.equal(code(wrongKind), "not_found");
  assert.match(
    wrongKind.message,
    /dashboard "demo-notebook-logs" not found: document "demo-notebook-logs" is a notebook/,
  );
  assert.equal(wrongKind.hint, "read it with: dtctl get document demo-notebook-logs");
  assert.equal(code(await getDashboard(context, "No such dashboard").catch((e) => e)), "not_found");
});

Deno.test("documents: create with id, labels and visibility; defaults for empty content; validation", async () => {
  const { context } = setup();
  const created = await createDashboard(context, {
    id: "team-overview",
    name: "Team overview",
    description: "made by a test",
    isPrivate: false,
    labels: ["team=payments"],
    content: { version: 15, tiles: { "0": { type: "markdown", content: "# hi" } }, layouts: {} },
  });
  assert.equal(created.id, "team-overview");
  assert.equal(created.type, "dashboard");
  assert.equal(created.isPrivate, false);
  assert.deepEqual(created.labels, ["team=payments"]);
  assert.equal(created.version, 2, "labels are set by a follow-up patch");
  const read = await getDashboard(context, "team-overview");
  assert.deepEqual(read.content, created.content);
  assert.deepEqual(ids(await listDashboards(context, { labels: ["team"] })), ["team-overview"]);

  const notebook = await createNotebook(context, { name: "Empty notebook" });
  assert.deepEqual(notebook.content, { version: "7", sections: [] });
  const again = await createDashboard(context, { id: "team-overview", name: "dup" }).catch((e) => e);
  assert.equal(code(again), "conflict");
  assert.equal(code(await createDashboard(context, { content: {} }).catch((e) => e)), "validation_error");
  assert.equal(
    code(await createDashboard(context, { name: "x", type: "notebook" }).catch((e) => e)),
    "validation_error",
  );
  const untyped = await createDocumentObject(context, { name: "x", content: {} }).catch((e) => e);
  assert.equal(code(untyped), "validation_error");
  assert.match(untyped.message, /a "type" is required/);
});

Deno.test("documents: text content keeps its type through create, get, edit form and update", async () => {
  const { context } = setup();
  const created = await createDocumentObject(context, {
    name: "Runbook",
    type: "acme:runbook",
    contentType: "text/markdown",
    content: "# Runbook\n1. breathe\n",
  });
  const read = await getDocumentObject(context, created.id);
  assert.equal(read.content, "# Runbook\n1. breathe\n");
  assert.equal(read.contentType, "text/markdown");
  const editable = editableOf(documentKind, read);
  assert.deepEqual(Object.keys(editable), ["id", "name", "type", "isPrivate", "contentType", "content"]);
  const updated = await updateDocumentObject(context, read, { ...editable, content: "# Runbook\n2. act\n" });
  assert.equal(updated.version, 2);
  const reread = await getDocumentObject(context, created.id);
  assert.equal(reread.content, "# Runbook\n2. act\n");
  assert.equal(reread.contentType, "text/markdown");
});

Deno.test("documents: update patches only what changed, at the version read; stale is a conflict", async () => {
  const { emulator, context } = setup();
  const current = await getDashboard(context, "demo-dashboard-hosts");
  const editable = editableOf(dashboardKind, current);
  assert.deepEqual(Object.keys(editable), ["id", "name", "description", "isPrivate", "labels", "content"]);

  emulator.requests.clear();
  assert.equal(await updateDashboard(context, current, editable), current, "unchanged: returned as is");
  assert.equal(emulator.requests.list().length, 0, "and nothing sent");

  const renamed = await updateDashboard(context, current, { ...editable, name: "Host health (v2)" });
  assert.equal(renamed.version, 2);
  assert.equal(renamed.name, "Host health (v2)");
  assert.deepEqual(renamed.content, current.content);
  const patch = emulator.requests.list().find((r) => r.method === "PATCH");
  assert.equal(patch?.query["optimistic-locking-version"], "1");

  const stale = await updateDashboard(context, current, { ...editable, description: "lost" }).catch((e) => e);
  assert.equal(code(stale), "conflict");
  assert.equal(stale.exitCode, 6);
  assert.match(stale.message, /dashboard "Host health"/);

  const fresh = await getDashboard(context, "demo-dashboard-hosts");
  const content = structuredClone(fresh.content) as { tiles: Record<string, unknown> };
  delete content.tiles["3"];
  const edited = await updateDashboard(context, fresh, { ...editableOf(dashboardKind, fresh), content });
  assert.equal(edited.version, 3);
  assert.deepEqual(Object.keys((await getDashboard(context, "demo-dashboard-hosts")).content as object), [
    "version",
    "variables",
    "tiles",
    "layouts",
    "importedWithCode",
  ]);
  const noLabels = await updateDashboard(context, edited, {
    ...editableOf(dashboardKind, edited),
    labels: [],
  })
    .catch((e) => e);
  assert.equal(code(noLabels), "validation_error");
  const retype = await updateDashboard(context, edited, {
    ...editableOf(dashboardKind, edited),
    type: "notebook",
  })
    .catch((e) => e);
  assert.equal(code(retype), "validation_error");
  assert.equal(notebookKind.locking, "version-param");
});

Deno.test("documents: delete goes to the trash; trash get, restore and permanent delete", async () => {
  const { context } = setup();
  const current = await getDashboard(context, "Service overview");
  await deleteDashboard(context, current);
  assert.equal(code(await getDashboard(context, "demo-dashboard-services").catch((e) => e)), "not_found");
  assert.deepEqual(ids(await listTrashed(context)), ["demo-dashboard-services"]);
  const trashed = await getTrashed(context, "Service overview");
  assert.equal(trashed.owner, DEFAULT_USER.userId);
  assert.equal(trashed.deletionInfo?.deletedBy, DEFAULT_USER.userId);
  await restoreTrashed(context, "demo-dashboard-services");
  assert.equal((await getDashboard(context, "demo-dashboard-services")).version, 1, "same id and version");
  assert.equal((await listTrashed(context)).length, 0);

  await deleteDashboard(context, await getDashboard(context, "demo-dashboard-services"));
  await deleteTrashed(context, (await listTrashed(context))[0]);
  assert.equal((await listTrashed(context)).length, 0);
  assert.equal(code(await getTrashed(context, "demo-dashboard-services").catch((e) => e)), "not_found");
  assert.equal(code(await listTrashed(context, { owner: "x" }).catch((e) => e)), "usage_error");
  const stale = await deleteDashboard(context, current).catch((e) => e);
  assert.equal(code(stale), "not_found");
});

Deno.test("documents: deleting a changed document is a conflict", async () => {
  const { context } = setup();
  const current = await getNotebook(context, "demo-notebook-logs");
  await updateDocumentObject(context, current, {
    ...editableOf(notebookKind, current),
    name: "Logs (renamed)",
  });
  const stale = await createAndDeleteStale(context, current);
  assert.equal(code(stale), "conflict");
});

async function createAndDeleteStale(
  context: KindContext,
  current: Record<string, unknown>,
): Promise<unknown> {
  return await notebookKind.delete!(context, current).catch((e) => e);
}

Deno.test("documents: writes pass owner and name to the safety guard", async () => {
  const readonly = setup({ level: "readonly" });
  const blocked = await createDashboard(readonly.context, { name: "x" }).catch((e) => e);
  assert.equal(code(blocked), "safety_blocked");
  const mine = setup({ level: "readwrite-mine" });
  const shared = await getDashboard(mine.context, "demo-dashboard-shared-k8s");
  const refused = await deleteDashboard(mine.context, shared).catch((e) => e);
  assert.equal(code(refused), "safety_blocked");
  assert.match(refused.message, /dashboard "Kubernetes clusters"/);
  await deleteDashboard(mine.context, await getDashboard(mine.context, "demo-dashboard-hosts"));
  const trashed = await listTrashed(mine.context);
  await restoreTrashed(mine.context, trashed[0]);
});

Deno.test("documents: describe shows the app URL, modification facts and tiles or sections", async () => {
  const { context } = setup();
  const dashboard = await getDashboard(context, "demo-dashboard-hosts");
  const sections = await dashboardKind.describe!(context, dashboard);
  assert.equal(
    sections[0].fields?.[0][1],
    "http://emulator.invalid/ui/apps/dynatrace.dashboards/dashboard/demo-dashboard-hosts",
  );
  assert.equal(sections[1].title, "Tiles (4)");
  assert.deepEqual(sections[1].table?.rows[1], ["1", "data", "CPU usage", "lineChart"]);
  const notebook = await notebookKind.describe!(context, await getNotebook(context, "demo-notebook-logs"));
  assert.equal(notebook[1].title, "Sections (3)");
  assert.deepEqual(notebook[1].table?.rows.map((r) => r[2]), [
    "# Log exploration",
    "fetch logs",
    "Latest errors",
  ]);
});
