/**
 * The apply scheduler: dependency order, deletes last and in reverse, bounded concurrency, stopping, and
 * skipping what depends on a failed create.
 */

import assert from "node:assert/strict";
import { dependencyClosure, runSchedule, type ScheduleItem, type SkipReason } from "../../lib/apply/mod.ts";

const DEPENDS: Record<string, string[]> = { A: [], B: ["A"], C: ["B"], D: [] };
const dependsOn = (kind: string) => DEPENDS[kind] ?? [];

function item(label: string, isDelete = false, needs: string[] = []): ScheduleItem {
  return { label, kind: label.split("/")[0], isDelete, needs };
}

async function run(
  items: ScheduleItem[],
  options: {
    concurrency?: number;
    fail?: string[];
    stopAfterFailure?: boolean;
    delay?: (label: string) => number;
  } = {},
) {
  const started: string[] = [];
  const finished: string[] = [];
  const skipped: [string, SkipReason][] = [];
  const events: string[] = [];
  let active = 0;
  let peak = 0;
  let failed = false;
  await runSchedule({
    items,
    dependsOn,
    concurrency: options.concurrency ?? 8,
    shouldStop: () => options.stopAfterFailure === true && failed,
    async run(i) {
      started.push(i.label);
      events.push(`start ${i.label}`);
      active++;
      peak = Math.max(peak, active);
      await new Promise((resolve) => setTimeout(resolve, options.delay?.(i.label) ?? 1));
      active--;
      finished.push(i.label);
      events.push(`end ${i.label}`);
      const ok = !options.fail?.includes(i.label);
      if (!ok) failed = true;
      return ok;
    },
    skip(i, reason) {
      skipped.push([i.label, reason]);
    },
  });
  return { started, finished, skipped, peak, at: (event: string) => events.indexOf(event) };
}

Deno.test("dependency closure is transitive and excludes the kind itself", () => {
  assert.deepEqual([...dependencyClosure("C", dependsOn)].sort(), ["A", "B"]);
  assert.deepEqual([...dependencyClosure("A", () => ["A"])], []);
});

Deno.test("a kind starts after the kinds it depends on; independent kinds run alongside", async () => {
  const { at } = await run(
    [item("C/1"), item("B/1"), item("A/1"), item("A/2"), item("D/1")],
    { delay: (label) => (label.startsWith("A") ? 10 : 1) },
  );
  assert.ok(at("start B/1") > at("end A/1") && at("start B/1") > at("end A/2"));
  assert.ok(at("start C/1") > at("end B/1"));
  assert.ok(at("start D/1") < at("end A/1"), "D does not wait for A");
});

Deno.test("deletes start after every other change, dependents first", async () => {
  const { started, at } = await run([item("A/x", true), item("C/x", true), item("B/x", true), item("D/1")]);
  assert.ok(at("start A/x") > at("end D/1"));
  assert.ok(at("start B/x") > at("end C/x") && at("start A/x") > at("end B/x"));
  assert.deepEqual(started.filter((l) => l.endsWith("/x")), ["C/x", "B/x", "A/x"]);
});

Deno.test("at most `concurrency` items run at once", async () => {
  const items = Array.from({ length: 20 }, (_, i) => item(`D/${i}`));
  assert.equal((await run(items, { concurrency: 3, delay: () => 5 })).peak, 3);
  assert.equal((await run(items, { concurrency: 1 })).peak, 1);
});

Deno.test("a failure stops scheduling when asked; what is in flight finishes", async () => {
  const { started, skipped } = await run(
    [item("D/1"), item("D/2"), item("D/3"), item("D/4")],
    { concurrency: 2, fail: ["D/1"], stopAfterFailure: true, delay: (l) => (l === "D/1" ? 1 : 5) },
  );
  assert.deepEqual(started, ["D/1", "D/2"]);
  assert.deepEqual(skipped.map(([label, reason]) => [label, reason.type]), [["D/3", "stopped"], [
    "D/4",
    "stopped",
  ]]);
});

Deno.test("an item whose placeholder target failed is skipped; others continue", async () => {
  const { started, skipped } = await run([item("A/1"), item("B/1", false, ["A/1"]), item("B/2")], {
    fail: ["A/1"],
  });
  assert.deepEqual(started.sort(), ["A/1", "B/2"]);
  assert.deepEqual(skipped, [["B/1", { type: "dependency", label: "A/1" }]]);
});

Deno.test("items of the same kind wait for the creates they reference", async () => {
  const { at } = await run([item("D/user", false, ["D/target"]), item("D/target")], { delay: () => 5 });
  assert.ok(at("start D/user") > at("end D/target"));
});

Deno.test("a dependency cycle between kinds cannot deadlock", async () => {
  const cyclic = (kind: string) => (kind === "X" ? ["Y"] : kind === "Y" ? ["X"] : []);
  const done: string[] = [];
  await runSchedule({
    items: [item("X/1"), item("Y/1")],
    dependsOn: cyclic,
    concurrency: 4,
    shouldStop: () => false,
    run: (i) => {
      done.push(i.label);
      return Promise.resolve(true);
    },
    skip: () => {},
  });
  assert.deepEqual(done.sort(), ["X/1", "Y/1"]);
});

Deno.test("an empty schedule resolves at once", async () => {
  assert.deepEqual((await run([])).started, []);
});
