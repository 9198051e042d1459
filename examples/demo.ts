/**
 * The README's main job: on the built-in local platform (seeded with demo data in a fresh directory, so the
 * demo is the same on every machine), show who we are, list workflows and dashboards, run one DQL query, then
 * do configuration as code with the repository in `examples/config`: plan, apply, and plan again (no changes).
 *
 *     deno run -A examples/demo.ts        # or: npm run demo
 *
 * It uses only the public module: the same calls work against a real tenant with `connect({ context: "prod" })`.
 *
 * @module
 */

import process from "node:process";
import { fileURLToPath } from "node:url";
import {
  applyPlan,
  connect,
  createPalette,
  createPlan,
  environmentValues,
  getCurrentUser,
  loadManifests,
  loadProject,
  renderPlanText,
  renderTable,
} from "../mod.ts";

const ownDir = process.env.DTCTL_LOCAL_DIR === undefined;
const dir = process.env.DTCTL_LOCAL_DIR ?? await Deno.makeTempDir({ prefix: "dtctl-demo-" });
const { client, context } = await connect({
  context: "local",
  env: { ...process.env, DTCTL_LOCAL_DIR: dir },
});

const user = await getCurrentUser(client);
console.log(`Context ${context.name} (${client.environment})`);
console.log(`Signed in as ${user.userName} <${user.emailAddress}>\n`);

interface Workflow {
  id: string;
  title: string;
  triggerType: string;
  isDeployed: boolean;
}
const workflows: Workflow[] = [];
for await (
  const workflow of client.paginate<Workflow>({
    style: "offset",
    path: "/platform/automation/v1/workflows",
    itemsField: "results",
  })
) workflows.push(workflow);
console.log("Workflows");
console.log(renderTable([
  { header: "title", value: (w: Workflow) => w.title },
  { header: "trigger", value: (w) => w.triggerType },
  { header: "deployed", value: (w) => String(w.isDeployed) },
  { header: "id", value: (w) => w.id },
], workflows));

interface DocumentMeta {
  id: string;
  name: string;
  version: number;
  modificationInfo: { lastModifiedTime: string };
}
const dashboards: DocumentMeta[] = [];
for await (
  const document of client.paginate<DocumentMeta>({
    style: "page-key",
    path: "/platform/document/v1/documents",
    query: { filter: "type == 'dashboard'", sort: "name" },
    itemsField: "documents",
  })
) dashboards.push(document);
console.log("Dashboards");
console.log(renderTable([
  { header: "name", value: (d: DocumentMeta) => d.name },
  { header: "id", value: (d) => d.id },
  { header: "version", value: (d) => String(d.version) },
], dashboards));

const query = "fetch logs | limit 5";
const response = await client.request<{ state: string; result?: { records: Record<string, unknown>[] } }>({
  method: "POST",
  path: "/platform/storage/query/v1/query:execute",
  operation: "read",
  json: { query, requestTimeoutMilliseconds: 10_000 },
});
const records = response.result?.records ?? [];
console.log(`Query: ${query}  (${response.state}, ${records.length} records)`);
console.log(renderTable([
  { header: "timestamp", value: (r: Record<string, unknown>) => String(r.timestamp ?? "") },
  { header: "status", value: (r) => String(r.status ?? r.loglevel ?? "") },
  { header: "content", value: (r) => String(r.content ?? "").slice(0, 60) },
], records));

// Configuration as code: the repository in examples/config is the desired state of the stack "checkout".
const repository = fileURLToPath(new URL("./config/", import.meta.url));
const project = (await loadProject({ cwd: repository }))!;
const { manifests } = await loadManifests({
  paths: project.paths,
  cwd: project.root,
  values: environmentValues(project),
  env: process.env,
});
const palette = createPalette(false);
const planOptions = { manifests, stack: project.stack, context: { client }, environment: client.environment };
const plan = await createPlan({ ...planOptions, prune: false });
console.log(`Plan for stack "${project.stack}" (${manifests.length} manifests in examples/config)`);
console.log(renderPlanText(plan, { palette }));
const applied = await applyPlan(plan, { context: { client } });
const { created, updated, unchanged } = applied.summary;
console.log(`Applied: ${created} created, ${updated} updated, ${unchanged} unchanged.\n`);
const again = await createPlan({ ...planOptions, prune: false });
console.log("Plan after apply");
console.log(renderPlanText(again, { palette }));

if (ownDir) await Deno.remove(dir, { recursive: true });
