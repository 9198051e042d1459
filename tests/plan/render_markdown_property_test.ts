import assert from "node:assert/strict";
import fc from "fast-check";
import { stringify } from "yaml";
import { renderPlanMarkdown, utf8Length } from "../../lib/plan/render.ts";
import type { PlanAction } from "../../lib/plan/types.ts";
import { makeEntry, makePlan } from "./render_fixture.ts";

const scalar = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ minLength: 200, maxLength: 4000 }),
  fc.constantFrom("```", "````\n~~~", "<!-- -->", "</details>", "| a |"),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
);
const value = fc.oneof(
  scalar,
  fc.array(scalar, { maxLength: 40 }),
  fc.dictionary(fc.string({ maxLength: 6 }), scalar),
);
const object = fc.dictionary(fc.string({ maxLength: 10 }), value, { maxKeys: 25 });

const entryArb = fc.record({
  kind: fc.constantFrom("Workflow", "Dashboard", "Bucket", "Setting"),
  name: fc.oneof(fc.string({ maxLength: 20 }), fc.string({ unit: "binary", maxLength: 20 })),
  action: fc.constantFrom<PlanAction>("create", "update", "delete", "unchanged"),
  live: object,
  desired: object,
  id: fc.option(fc.uuid(), { nil: undefined }),
}).map((r) => {
  const live = r.action === "create" ? undefined : r.live;
  const desired = r.action === "delete" ? undefined : r.action === "unchanged" ? r.live : r.desired;
  return makeEntry(r.kind, r.name, r.action, live, desired, r.id === undefined ? {} : { id: r.id });
});
const planArb = fc.array(entryArb, { maxLength: 25 }).map((entries) => makePlan(entries));

/**
 * Checks that every fence our renderer opens is closed by the line we meant, not by content, and returns the
 * lines outside fences (where GitHub interprets Markdown and HTML).
 */
function outsideFences(md: string): string {
  const lines = md.split("\n");
  const outside: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})diff$/.exec(lines[i]);
    if (!open) {
      outside.push(lines[i]);
      continue;
    }
    const fence = open[1];
    const closer = new RegExp(`^ {0,3}\`{${fence.length},}\\s*$`);
    const end = lines.findIndex((line, j) => j > i && closer.test(line));
    assert.ok(end > i, "fence never closed");
    assert.equal(lines[end], fence, `content closed the fence at line ${end + 1}`);
    assert.equal(lines[end + 1], "", "the fence is followed by a blank line");
    i = end;
  }
  return outside.join("\n");
}

Deno.test("property: the markdown never exceeds maxLength bytes and keeps marker, summary and structure", () => {
  fc.assert(
    fc.property(planArb, fc.integer({ min: 1000, max: 30_000 }), (plan, maxLength) => {
      const md = renderPlanMarkdown(plan, { maxLength });
      assert.ok(utf8Length(md) <= maxLength, `${utf8Length(md)} > ${maxLength}`);
      assert.equal(new TextEncoder().encode(md).length, utf8Length(md));
      assert.ok(md.startsWith("<!-- dtctl:v1 kind=plan "));
      assert.match(md, /^\*\*Plan:\*\* \d+ to create, \d+ to update, \d+ to delete, \d+ unchanged$/m);
      const markup = outsideFences(md);
      assert.equal(markup.match(/<details/g)?.length ?? 0, markup.match(/<\/details>/g)?.length ?? 0);
      if (plan.summary.delete > 0) assert.match(md, /^> \[!WARNING\]$/m);
    }),
    { numRuns: 150 },
  );
});

Deno.test("property: the markdown is deterministic", () => {
  fc.assert(
    fc.property(planArb, (plan) => {
      assert.equal(
        renderPlanMarkdown(plan, { maxLength: 5000 }),
        renderPlanMarkdown(structuredClone(plan), { maxLength: 5000 }),
      );
    }),
    { numRuns: 50 },
  );
});

const tokenArb = fc.tuple(
  fc.constantFrom("dt0s16", "dt0c01", "dt0s02", "dt0x99"),
  fc.stringMatching(/^[A-Z0-9]{6,12}$/),
  fc.stringMatching(/^[A-Z0-9]{16,32}$/),
).map(([prefix, pub, secret]) => ({ token: `${prefix}.${pub}.${secret}`, secret }));

Deno.test("property: a secret-shaped token inside a value never appears in the markdown", () => {
  fc.assert(
    fc.property(
      planArb,
      tokenArb,
      fc.string({ maxLength: 20 }),
      fc.string({ maxLength: 20 }),
      fc.constantFrom<PlanAction>("create", "update", "delete"),
      fc.integer({ min: 1000, max: 20_000 }),
      (plan, { token, secret }, before, after, action, maxLength) => {
        const carrier = { note: `${before}${token}${after}`, nested: { list: [`x ${token}`] } };
        const secretEntry = makeEntry(
          "Workflow",
          `carrier ${token}`,
          action,
          action === "create" ? undefined : { note: "old" },
          action === "delete" ? undefined : carrier,
          { id: token },
        );
        const withSecret = makePlan([...plan.entries, secretEntry]);
        const md = renderPlanMarkdown(withSecret, { maxLength });
        assert.ok(!md.includes(secret), `secret ${secret} leaked`);
      },
    ),
    { numRuns: 150 },
  );
});

/** The spellings a secret can take in the comment: raw, JSON-escaped and YAML double-quoted. */
function spellings(secret: string): string[] {
  const yaml = stringify(secret, { lineWidth: 0 }).replace(/\n$/, "");
  const forms = [secret, JSON.stringify(secret).slice(1, -1)];
  if (yaml.startsWith('"')) forms.push(yaml.slice(1, -1));
  return forms;
}

Deno.test("property: known secrets never appear in the markdown, in raw, JSON or YAML spelling", () => {
  fc.assert(
    fc.property(
      fc.string({ unit: "binary", minLength: 8, maxLength: 30 }).filter((s) =>
        !s.includes("*") && !s.includes("\n")
      ),
      fc.string({ maxLength: 10 }),
      (secret, around) => {
        const plan = makePlan([
          makeEntry("Setting", "s", "update", { a: "x" }, { a: `${around}${secret}${around}`, b: [secret] }),
        ]);
        const md = renderPlanMarkdown(plan, { secrets: [secret] });
        for (const form of spellings(secret)) assert.ok(!md.includes(form), `${JSON.stringify(form)} leaked`);
      },
    ),
    { numRuns: 200 },
  );
});
