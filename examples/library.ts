/**
 * The README's library example, kept here so `deno task check` proves it compiles:
 *
 *     DTCTL_LOCAL_DIR=$(mktemp -d) deno run -A examples/library.ts
 *
 * @module
 */

import { applyPlan, connect, createPlan, getCurrentUser, listWorkflows, loadManifests } from "../mod.ts";

const { client } = await connect({ context: "local" }); // or "prod", or env-only credentials
console.log((await getCurrentUser(client)).userName);
for (const workflow of await listWorkflows({ client })) console.log(workflow.title);

const { manifests } = await loadManifests({
  paths: ["examples/config/manifests"],
  cwd: Deno.cwd(),
  values: { team: "checkout", retentionDays: 35 }, // ${{ values.* }} in the manifests
});
const plan = await createPlan({
  manifests,
  stack: "checkout",
  context: { client },
  environment: client.environment,
  prune: false,
});
console.log(plan.summary); // { create, update, delete, unchanged }
const result = await applyPlan(plan, { context: { client } });
console.log(result.summary);
