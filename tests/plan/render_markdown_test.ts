import assert from "node:assert/strict";
import { isDtctlError } from "../../lib/errors/mod.ts";
import { defaultMarkerText, planMarker, renderPlanMarkdown, utf8Length } from "../../lib/plan/render.ts";
import { makeEntry, makePlan, samplePlan } from "./render_fixture.ts";

Deno.test("renderPlanMarkdown: marker first, heading, summary, deletion warning, table, one details per change", () => {
  const md = renderPlanMarkdown(samplePlan());
  const lines = md.split("\n");
  assert.equal(lines[0], "<!-- dtctl:v1 kind=plan env=https://abc12345.apps.dynatrace.com target=shop -->");
  assert.equal(lines[1], "## dtctl plan: shop → https://abc12345.apps.dynatrace.com");
  assert.ok(lines.includes("**Plan:** 1 to create, 1 to update, 1 to delete, 1 unchanged"));
  assert.ok(
    md.indexOf("> [!WARNING]") < md.indexOf("<details"),
    "the deletion warning is outside any details",
  );
  assert.match(md, /^> - `Bucket\/old_logs` \(id `old_logs`\)$/m);
  assert.match(md, /^\| `~ update` \| `Workflow` \| `deploy-notify` \|$/m);
  assert.equal(md.match(/<details/g)?.length, 3, "no block for the unchanged bucket");
  assert.equal(md.match(/<\/details>/g)?.length, 3);
  assert.equal(md.match(/^```diff$/gm)?.length, 3);
  assert.ok(!md.includes("app_logs"), "unchanged resources are only counted");
  assert.ok(!md.includes("[!NOTE]"), "nothing was truncated");
});

Deno.test("renderPlanMarkdown: no changes", () => {
  const plan = makePlan(
    [makeEntry("Bucket", "b", "unchanged", { a: 1 }, { a: 1 }, { id: "b" })],
    "shop",
    "https://x",
  );
  assert.equal(
    renderPlanMarkdown(plan),
    [
      "<!-- dtctl:v1 kind=plan env=https://x target=shop -->",
      "## dtctl plan: shop → https://x",
      "",
      "✅ No changes. The environment matches the configuration.",
      "",
      "**Plan:** 0 to create, 0 to update, 0 to delete, 1 unchanged",
      "",
    ].join("\n"),
  );
});

Deno.test("renderPlanMarkdown: custom title, marker and footer; markers cannot break out of the comment", () => {
  const md = renderPlanMarkdown(samplePlan(), {
    title: "dtctl plan: prod",
    marker: "dtctl:v1 kind=plan env=prod target=shop",
    footer: "commit abc1234 · [run #7](https://github.com/o/r/actions/runs/7/attempts/1)",
  });
  assert.ok(md.startsWith("<!-- dtctl:v1 kind=plan env=prod target=shop -->\n## dtctl plan: prod\n"));
  assert.ok(md.endsWith("\ncommit abc1234 · [run #7](https://github.com/o/r/actions/runs/7/attempts/1)\n"));
  assert.equal(
    defaultMarkerText({ stack: "my stack-->", environment: "https://u:p@h/x" }),
    [
      "dtctl:v1 kind=plan env=https://u:p@h/x target=my%20stack-%2D%3E",
    ].join(""),
  );
  assert.equal(
    planMarker({ stack: "s", environment: "https://u:p@h" }),
    "<!-- dtctl:v1 kind=plan env=https://***@h target=s -->",
  );
  assert.equal(
    planMarker({ stack: "s", environment: "https://xn--bcher-kva.example---" }),
    "<!-- dtctl:v1 kind=plan env=https://xn-%2Dbcher-kva.example-%2D- target=s -->",
  );
  for (const marker of ["a --> b", "a\nb", "<x>"]) {
    assert.throws(() => renderPlanMarkdown(samplePlan(), { marker }), (e) => isDtctlError(e, "usage_error"));
  }
  assert.throws(
    () => renderPlanMarkdown(samplePlan(), { maxLength: 999 }),
    (e) => isDtctlError(e, "usage_error"),
  );
});

Deno.test("renderPlanMarkdown: backticks in content get a longer fence; names are escaped in table and summary", () => {
  const plan = makePlan([
    makeEntry("Dashboard", "a|b<i>`x`", "update", { md: "before" }, { md: "```js\nalert(1)\n````\n" }),
  ]);
  const md = renderPlanMarkdown(plan);
  assert.match(md, /^`````diff$/m);
  assert.match(md, /^`````$/m);
  assert.match(md, /^\| `~ update` \| `Dashboard` \| `` a\\\|b<i>`x` `` \|$/m);
  assert.match(md, /<code>Dashboard\/a\|b&lt;i&gt;`x`<\/code>/);
  assert.ok(!md.includes("<i>`x`</code>"));
});

Deno.test("renderPlanMarkdown: secrets are redacted (token-shaped, secret-named keys, known values)", () => {
  const plan = makePlan([
    makeEntry("Setting", "slack", "update", { password: "old-pass", note: "a" }, {
      password: "new-pass",
      note: "token dt0s16.ABCDEFGHIJ.KLMNOPQRSTUV here",
      extra: "my-known-secret",
    }, { id: "dt0c01.PUBLICPART.PRIVATEPART" }),
  ]);
  const md = renderPlanMarkdown(plan, { secrets: ["my-known-secret"] });
  for (const secret of ["old-pass", "new-pass", "KLMNOPQRSTUV", "PRIVATEPART", "my-known-secret"]) {
    assert.ok(!md.includes(secret), `${secret} leaked`);
  }
  assert.match(md, /^\+note: token dt0s16\.\*\*\* here$/m);
});

Deno.test("renderPlanMarkdown: large plans are cut by structure; summary and deletions survive", () => {
  const big = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, `value ${i}`]));
  const plan = makePlan([
    makeEntry("Workflow", "huge", "update", big(10), big(3000)),
    makeEntry("Workflow", "small", "update", { a: 1 }, { a: 2 }),
    makeEntry("Bucket", "gone", "delete", big(50), undefined, { id: "gone" }),
  ]);
  const md = renderPlanMarkdown(plan, { maxLength: 8000 });
  assert.ok(utf8Length(md) <= 8000, `${utf8Length(md)} bytes`);
  assert.match(md, /^\*\*Plan:\*\* 0 to create, 2 to update, 1 to delete, 0 unchanged$/m);
  assert.match(md, /^> - `Bucket\/gone` \(id `gone`\)$/m);
  assert.match(md, /_… diff truncated: \d+ of 3003 lines shown\./);
  assert.match(md, /^-a: 1\n\+a: 2$/m, "the small diff stays whole");
  assert.match(md, /^-k49: value 49$/m, "the deletion's diff stays whole");
  assert.match(md, /^> \[!NOTE\]$/m);
  assert.equal(md.match(/<details/g)?.length, md.match(/<\/details>/g)?.length);
});

Deno.test("renderPlanMarkdown: thousands of resources fall back to a shortened list", () => {
  const entries = Array.from(
    { length: 3000 },
    (_, i) =>
      makeEntry(
        "Bucket",
        `bucket_${String(i).padStart(4, "0")}`,
        i % 2 ? "delete" : "create",
        i % 2 ? { i } : undefined,
        i % 2 ? undefined : { i },
        i % 2 ? { id: `b${i}` } : {},
      ),
  );
  const md = renderPlanMarkdown(makePlan(entries), { maxLength: 20_000 });
  assert.ok(utf8Length(md) <= 20_000);
  assert.match(md, /^\*\*Plan:\*\* 1500 to create, 0 to update, 1500 to delete, 0 unchanged$/m);
  assert.match(md, /^> 1500 resources will be deleted:$/m);
  assert.match(md, /^> - … and \d+ more \(omitted to fit GitHub's comment size limit\)$/m);
  assert.ok(!md.includes("<details"));
  const small = renderPlanMarkdown(makePlan(entries), { maxLength: 1000 });
  assert.ok(utf8Length(small) <= 1000);
  assert.ok(small.startsWith("<!-- dtctl:v1 kind=plan "));
});

Deno.test("renderPlanMarkdown: the budget is in UTF-8 bytes", () => {
  const plan = makePlan([makeEntry("Dashboard", "emoji", "update", { t: "a" }, { t: "😀".repeat(5000) })]);
  const md = renderPlanMarkdown(plan, { maxLength: 4000 });
  assert.ok(new TextEncoder().encode(md).length <= 4000);
  assert.ok(!md.includes("\ufffd"), "no code point was split");
});
