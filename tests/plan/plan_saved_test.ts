/**
 * Saved plans: format, determinism, integrity, target checks, and applying exactly what was saved (moved
 * versions are conflicts, --force overwrites, a changed inventory is refused).
 */

import assert from "node:assert/strict";
import { applyPlan } from "../../lib/apply/mod.ts";
import { managedKind } from "../../lib/plan/kinds/mod.ts";
import {
  checkSavedPlanTarget,
  createPlan,
  parseSavedPlan,
  planBasis,
  renderPlanJson,
  renderSavedPlan,
  SAVED_PLAN_FORMAT,
} from "../../lib/plan/mod.ts";
import type { Plan } from "../../lib/plan/types.ts";
import {
  failure,
  KIND_SPECS,
  manifest,
  manifests,
  type Platform,
  platform,
  TEST_ENVIRONMENT,
} from "../apply/support.ts";

async function plan(p: Platform, yaml: string, prune = false): Promise<Plan> {
  return await createPlan({
    manifests: await manifests(yaml),
    stack: "shop",
    context: p.context,
    environment: TEST_ENVIRONMENT,
    prune,
  });
}

const V1 = manifest("Workflow", "wf", KIND_SPECS.Workflow.v1) +
  manifest("Document", "doc", KIND_SPECS.Document.v1);
const V2 = manifest("Workflow", "wf", KIND_SPECS.Workflow.v2) +
  manifest("Document", "doc", KIND_SPECS.Document.v2);

Deno.test("a saved plan is the plan JSON plus a saved section, deterministic, and round-trips", async () => {
  const p = platform();
  const planned = await plan(p, V1);
  const text = renderSavedPlan(planned);
  assert.equal(text, renderSavedPlan(await plan(p, V1)));
  const file = JSON.parse(text);
  assert.equal(file.saved.format, SAVED_PLAN_FORMAT);
  assert.match(file.saved.hash, /^sha256:[0-9a-f]{64}$/);
  assert.deepEqual(Object.keys(file.saved.identities).sort(), ["Document/doc", "Workflow/wf"]);
  const { saved: _, ...rest } = file;
  assert.deepEqual(rest, JSON.parse(renderPlanJson(planned)));

  const loaded = parseSavedPlan(text, "plan.json");
  assert.equal(renderPlanJson(loaded), renderPlanJson(planned));
  const basis = planBasis(loaded)!;
  assert.equal(basis.live, undefined);
  assert.equal(basis.prune, false);
  assert.deepEqual(basis.identities, planBasis(planned)!.identities);
});

Deno.test("a saved plan that was edited, is not a plan, or has another format version is refused", () => {
  const text = JSON.stringify({ formatVersion: 1, stack: "s", environment: "e", entries: [], summary: {} });
  assert.match(failureSync(() => parseSavedPlan(text, "p.json")).message, /^p\.json: is not a saved plan/);
  assert.match(failureSync(() => parseSavedPlan("{", "p.json")).message, /not valid JSON/);
});

function failureSync(fn: () => unknown): Error & { code?: string } {
  try {
    fn();
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error("expected a failure");
}

Deno.test("tampering with a saved plan is detected", async () => {
  const p = platform();
  const text = renderSavedPlan(await plan(p, V1));
  const edited = text.replace('"title": "Nightly"', '"title": "Sneaky"');
  assert.notEqual(edited, text);
  const error = failureSync(() => parseSavedPlan(edited, "plan.json"));
  assert.equal(error.code, "validation_error");
  assert.match(error.message, /changed after it was saved/);
  const version = JSON.parse(text);
  version.formatVersion = 2;
  assert.match(
    failureSync(() => parseSavedPlan(JSON.stringify(version), "plan.json")).message,
    /formatVersion 2/,
  );
});

Deno.test("a saved plan is refused for another environment or stack", async () => {
  const loaded = parseSavedPlan(renderSavedPlan(await plan(platform(), V1)), "plan.json");
  checkSavedPlanTarget(loaded, { environment: `${TEST_ENVIRONMENT}/`, stack: "shop" });
  const env = failureSync(() =>
    checkSavedPlanTarget(loaded, { environment: "https://prod.example.com" }, "plan.json")
  );
  assert.match(
    env.message,
    /plan\.json: was made for environment http:\/\/127\.0\.0\.1:9, but the target is/,
  );
  const stack = failureSync(() =>
    checkSavedPlanTarget(loaded, { environment: TEST_ENVIRONMENT, stack: "other" })
  );
  assert.match(stack.message, /was made for stack "shop", but the stack here is "other"/);
});

Deno.test("applying a saved plan applies exactly the saved desired objects", async () => {
  const p = platform();
  await applyPlan(await plan(p, V1), { context: p.context });
  const text = renderSavedPlan(await plan(p, V2));
  const result = await applyPlan(parseSavedPlan(text, "plan.json"), { context: p.context });
  assert.equal(result.ok, true, JSON.stringify(result.results));
  assert.equal(result.summary.updated, 2);
  const after = await plan(p, V2);
  assert.deepEqual(after.entries.map((e) => e.action), ["unchanged", "unchanged"]);
  // Applying it again: the versions moved (by the plan itself), so it is refused rather than replayed.
  const replay = await applyPlan(parseSavedPlan(text, "plan.json"), {
    context: p.context,
    continueOnError: true,
  });
  assert.equal(replay.exitCode, 6);
  assert.deepEqual(replay.results.map((r) => r.error?.code), ["conflict", "conflict"]);
});

Deno.test("a resource changed since the saved plan is a conflict and not overwritten; --force overwrites", async () => {
  const p = platform();
  await applyPlan(await plan(p, V1), { context: p.context });
  const saved = await plan(p, V2);
  const text = renderSavedPlan(saved);
  const kind = managedKind("Workflow");
  const identity = planBasis(saved)!.identities.get("Workflow/wf")!;
  const live = (await kind.find(p.context, identity))!;
  await kind.update(p.context, live, { ...kind.normalize(live), title: "Changed by a colleague" });

  p.clear();
  const result = await applyPlan(parseSavedPlan(text, "plan.json"), {
    context: p.context,
    continueOnError: true,
  });
  assert.equal(result.exitCode, 6);
  const workflow = result.results.find((r) => r.kind === "Workflow")!;
  assert.equal(workflow.status, "failed");
  assert.match(
    workflow.error!.message,
    /changed by someone else since the plan \(version 1 → 2\); not overwritten/,
  );
  assert.equal(result.results.find((r) => r.kind === "Document")!.status, "ok");
  assert.equal(p.writes().filter((r) => r.path.includes("/workflows/")).length, 0);
  assert.equal((await kind.find(p.context, identity))!.title, "Changed by a colleague");

  const forced = await applyPlan(parseSavedPlan(text, "plan.json"), { context: p.context, force: true });
  const forcedWorkflow = forced.results.find((r) => r.kind === "Workflow")!;
  assert.equal(forcedWorkflow.status, "ok");
  assert.match(forcedWorkflow.note!, /--force/);
  assert.equal((await kind.find(p.context, identity))!.title, "Nightly");
});

Deno.test("a saved create whose object appeared since is a conflict; identical content is fine", async () => {
  const p = platform();
  const saved = await plan(p, V1);
  const text = renderSavedPlan(saved);
  // Someone creates both objects with the same identities meanwhile: the workflow differs, the document not.
  const v2 = await plan(p, V2);
  const entry = (kind: string, from: Plan) => from.entries.find((e) => e.kind === kind)!;
  await managedKind("Workflow").create(p.context, entry("Workflow", v2).desired!);
  await managedKind("Document").create(p.context, entry("Document", saved).desired!);
  const result = await applyPlan(parseSavedPlan(text, "plan.json"), {
    context: p.context,
    continueOnError: true,
  });
  const workflow = result.results.find((r) => r.kind === "Workflow")!;
  assert.equal(workflow.error?.code, "conflict");
  assert.match(workflow.error!.message, /created by someone else since the plan/);
  const document = result.results.find((r) => r.kind === "Document")!;
  assert.equal(document.status, "ok");
  assert.equal(document.note, "already existed as desired");
  const live = await managedKind("Workflow").find(
    p.context,
    planBasis(saved)!.identities.get("Workflow/wf")!,
  );
  assert.match(JSON.stringify(live!.tasks), /console\.log\(2\)/, "not overwritten");
});

Deno.test("a saved plan is refused when the stack's inventory changed since", async () => {
  const p = platform();
  const text = renderSavedPlan(await plan(p, V1));
  await applyPlan(await plan(p, manifest("Document", "other", KIND_SPECS.Document.v1)), {
    context: p.context,
  });
  p.clear();
  const error = await failure(() => applyPlan(parseSavedPlan(text, "plan.json"), { context: p.context }));
  assert.equal(error.code, "conflict");
  assert.match(error.message, /inventory of stack "shop" changed since the plan/);
  assert.deepEqual(p.writes(), []);
});

Deno.test("a saved prune plan deletes what it listed, and drops what was gone from the inventory", async () => {
  const p = platform();
  await applyPlan(await plan(p, V1), { context: p.context });
  const text = renderSavedPlan(await plan(p, manifest("Workflow", "wf", KIND_SPECS.Workflow.v1), true));
  assert.equal(JSON.parse(text).saved.prune, true);
  const result = await applyPlan(parseSavedPlan(text, "plan.json"), { context: p.context });
  assert.equal(result.ok, true);
  assert.equal(result.summary.deleted, 1);
  assert.equal((await plan(p, manifest("Workflow", "wf", KIND_SPECS.Workflow.v1), true)).entries.length, 1);
});
