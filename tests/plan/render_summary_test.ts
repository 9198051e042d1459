import assert from "node:assert/strict";
import fc from "fast-check";
import { formatSummaryCounts, hasChanges, sortEntries, summarize } from "../../lib/plan/summary.ts";
import type { PlanAction, PlanEntry } from "../../lib/plan/types.ts";

function entry(kind: string, name: string, action: PlanAction): PlanEntry {
  return { kind, name, action, changes: [], patch: [], diff: "" };
}

const ORDER = ["Bucket", "Segment", "Workflow", "Dashboard"];

Deno.test("summarize counts per action; formatSummaryCounts wording", () => {
  const entries = [
    entry("Workflow", "a", "create"),
    entry("Workflow", "b", "create"),
    entry("Dashboard", "c", "update"),
    entry("Bucket", "d", "delete"),
    entry("Bucket", "e", "unchanged"),
  ];
  const summary = summarize(entries);
  assert.deepEqual(summary, { create: 2, update: 1, delete: 1, unchanged: 1 });
  assert.equal(formatSummaryCounts(summary), "2 to create, 1 to update, 1 to delete, 1 unchanged");
  assert.deepEqual(summarize([]), { create: 0, update: 0, delete: 0, unchanged: 0 });
});

Deno.test("sortEntries: dependency order, then kind, then name; deletes last in reverse dependency order", () => {
  const entries = [
    entry("Dashboard", "b", "delete"),
    entry("Dashboard", "z", "create"),
    entry("Zeta", "x", "create"),
    entry("Bucket", "logs", "delete"),
    entry("Workflow", "w", "unchanged"),
    entry("Alpha", "y", "update"),
    entry("Bucket", "b2", "update"),
    entry("Dashboard", "a", "update"),
    entry("Bucket", "a1", "create"),
    entry("Zeta", "old", "delete"),
    entry("Dashboard", "a", "delete"),
  ];
  const sorted = sortEntries(entries, ORDER).map((e) => `${e.action[0]} ${e.kind}/${e.name}`);
  assert.deepEqual(sorted, [
    "c Bucket/a1",
    "u Bucket/b2",
    "u Workflow/w",
    "u Dashboard/a",
    "c Dashboard/z",
    "u Alpha/y",
    "c Zeta/x",
    "d Zeta/old",
    "d Dashboard/a",
    "d Dashboard/b",
    "d Bucket/logs",
  ]);
  assert.equal(entries[0].name, "b", "the input array is not reordered");
});

Deno.test("property: sortEntries does not depend on input order", () => {
  const entryArb = fc.record({
    kind: fc.constantFrom("Bucket", "Workflow", "Dashboard", "Other", "Segment"),
    name: fc.string({ maxLength: 4 }),
    action: fc.constantFrom<PlanAction>("create", "update", "delete", "unchanged"),
    id: fc.option(fc.string({ maxLength: 3 }), { nil: undefined }),
  }).map((r) => ({ ...entry(r.kind, r.name, r.action), ...(r.id === undefined ? {} : { id: r.id }) }));
  fc.assert(
    fc.property(fc.array(entryArb, { maxLength: 20 }), fc.infiniteStream(fc.nat()), (entries, randoms) => {
      const shuffled = [...entries];
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = randoms.next().value % (i + 1);
        [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
      }
      assert.deepStrictEqual(sortEntries(shuffled, ORDER), sortEntries(entries, ORDER));
      const sorted = sortEntries(entries, ORDER);
      const firstDelete = sorted.findIndex((e) => e.action === "delete");
      if (firstDelete >= 0) assert.ok(sorted.slice(firstDelete).every((e) => e.action === "delete"));
    }),
  );
});

Deno.test("hasChanges: only unchanged entries mean no changes", () => {
  const plan = (entries: PlanEntry[]) => ({ entries });
  assert.equal(hasChanges(plan([])), false);
  assert.equal(hasChanges(plan([entry("Bucket", "a", "unchanged")])), false);
  assert.equal(hasChanges(plan([entry("Bucket", "a", "unchanged"), entry("Bucket", "b", "delete")])), true);
});
