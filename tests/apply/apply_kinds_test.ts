/**
 * Every kind through the whole life cycle against the local platform: create, unchanged (no write at all),
 * update, and delete by prune.
 */

import assert from "node:assert/strict";
import { applyPlan } from "../../lib/apply/mod.ts";
import { readInventory } from "../../lib/inventory/mod.ts";
import { createPlan } from "../../lib/plan/mod.ts";
import type { Plan } from "../../lib/plan/types.ts";
import { KIND_SPECS, manifest, manifests, platform, TEST_ENVIRONMENT } from "./support.ts";

const STACK = "kinds";

for (const [kind, specs] of Object.entries(KIND_SPECS)) {
  Deno.test(`${kind}: create, unchanged without writes, update, delete by prune`, async () => {
    const p = platform();
    const name = `${kind.toLowerCase()}-one`;
    const plan = async (yaml: string, prune = false): Promise<Plan> =>
      await createPlan({
        manifests: await manifests(yaml),
        stack: STACK,
        context: p.context,
        environment: TEST_ENVIRONMENT,
        prune,
      });
    const apply = async (planned: Plan) => {
      const result = await applyPlan(planned, { context: p.context });
      assert.equal(result.ok, true, JSON.stringify(result.results, null, 2));
      return result;
    };

    // create
    const v1 = manifest(kind, name, specs.v1);
    const created = await plan(v1);
    assert.deepEqual(created.entries.map((e) => [e.kind, e.name, e.action]), [[kind, name, "create"]]);
    assert.ok(created.entries[0].desired);
    assert.match(created.entries[0].diff, /^--- \/dev\/null\n\+\+\+ desired\//);
    const first = await apply(created);
    assert.equal(first.summary.created, 1);
    const id = first.results[0].id!;
    assert.ok(id);
    assert.equal(first.inventory.status, "written");

    // unchanged: planned as such, and applying it sends no write request at all
    const again = await plan(v1);
    assert.deepEqual(
      again.entries.map((e) => e.action),
      ["unchanged"],
      JSON.stringify(again.entries[0].changes),
    );
    assert.equal(again.entries[0].id, id);
    assert.ok(again.entries[0].liveVersion);
    p.clear();
    const idle = await apply(again);
    assert.deepEqual(p.writes(), [], "an idempotent apply must not write");
    assert.equal(idle.inventory.status, "unchanged");

    // update
    const updated = await plan(manifest(kind, name, specs.v2));
    assert.equal(updated.entries[0].action, "update");
    assert.ok(updated.entries[0].changes.length > 0);
    assert.ok(updated.entries[0].patch.length > 0);
    assert.match(updated.entries[0].diff, /^--- live\//);
    await apply(updated);
    assert.equal((await plan(manifest(kind, name, specs.v2))).entries[0].action, "unchanged");

    // without --prune nothing is deleted; with it, the object is
    assert.deepEqual((await plan("")).entries, []);
    const pruning = await plan("", true);
    assert.deepEqual(pruning.entries.map((e) => [e.kind, e.name, e.action, e.id]), [[
      kind,
      name,
      "delete",
      id,
    ]]);
    assert.equal(pruning.entries[0].desired, undefined);
    const deleted = await apply(pruning);
    assert.equal(deleted.summary.deleted, 1);
    assert.deepEqual((await readInventory(p.client, STACK)).objects, []);
    assert.deepEqual((await plan("", true)).entries, []);
  });
}
