import assert from "node:assert/strict";
import { createPalette, type Palette } from "../../lib/output/color.ts";
import { formatReplacement, formatValue, renderPlanText, truncateText } from "../../lib/plan/render.ts";
import { makeEntry, makePlan, samplePlan } from "./render_fixture.ts";

const plain = createPalette(false);

// Marks every styled span, so tests see which palette function styled what.
const tagged: Palette = {
  red: (t) => `<r>${t}</r>`,
  green: (t) => `<g>${t}</g>`,
  yellow: (t) => `<y>${t}</y>`,
  cyan: (t) => `<c>${t}</c>`,
  bold: (t) => `<b>${t}</b>`,
  dim: (t) => `<d>${t}</d>`,
};

Deno.test("renderPlanText: field changes in Terraform style and the summary line", () => {
  const plan = makePlan([
    makeEntry("Workflow", "w", "update", { tasks: { a: { input: { x: "old", gone: 1 } } } }, {
      tasks: { a: { input: { x: "new", added: [1, 2] } } },
    }, { id: "wf-1" }),
    makeEntry("Bucket", "b", "create", undefined, { bucketName: "b" }),
  ]);
  assert.equal(
    renderPlanText(plan, { palette: plain }),
    [
      "+ Bucket/b",
      "~ Workflow/w (id wf-1)",
      "    + /tasks/a/input/added: [1,2]",
      "    - /tasks/a/input/gone: 1",
      '    ~ /tasks/a/input/x: "old" → "new"',
      "",
      "Plan: 1 to create, 1 to update, 0 to delete, 0 unchanged.",
      "",
    ].join("\n"),
  );
});

Deno.test("renderPlanText: unchanged hidden by default, shown on request; no-changes line", () => {
  const plan = makePlan([makeEntry("Bucket", "b", "unchanged", { a: 1 }, { a: 1 }, { id: "b" })]);
  assert.equal(
    renderPlanText(plan, { palette: plain }),
    "No changes. The environment matches the configuration.\n",
  );
  assert.equal(
    renderPlanText(plan, { palette: plain, showUnchanged: true }),
    "= Bucket/b (id b)\n\nNo changes. The environment matches the configuration.\n",
  );
  assert.equal(
    renderPlanText(makePlan([]), { palette: plain }),
    "No changes. The environment matches the configuration.\n",
  );
});

Deno.test("renderPlanText: colours only through the palette", () => {
  const text = renderPlanText(samplePlan(), { palette: tagged, showDiff: true, showUnchanged: true });
  assert.match(text, /^<d>= Bucket\/app_logs<\/d> <d>\(id app_logs\)<\/d>$/m);
  assert.match(text, /^<y>~ Workflow\/deploy-notify<\/y> <d>\(id [0-9a-f-]+\)<\/d>$/m);
  assert.match(text, /^<g>\+ Dashboard\/slo-overview<\/g>$/m);
  assert.match(text, /^<r>- Bucket\/old_logs<\/r> <d>\(id old_logs\)<\/d>$/m);
  assert.match(
    text,
    /^ {4}<y>~<\/y> \/tasks\/notify\/input\/channel: <r>"#ops"<\/r> → <g>"#ops-deployments"<\/g>$/m,
  );
  assert.match(text, /^ {4}<b>--- live\/Workflow\/deploy-notify<\/b>$/m);
  assert.match(text, /^ {4}<c>@@ -1,4 \+1,4 @@<\/c>$/m);
  assert.match(text, /^ {4}<g>\+description: .*<\/g>$/m);
  assert.match(text, /^<b>Plan:<\/b> 1 to create, 1 to update, 1 to delete, 1 unchanged\.$/m);
  assert.ok(!text.includes("\x1b"));
  const coloured = renderPlanText(samplePlan(), { palette: createPalette(true) });
  assert.ok(coloured.includes("\x1b[33m~ Workflow/deploy-notify\x1b[39m"));
});

Deno.test("renderPlanText: long values are cut with an ellipsis, by code point", () => {
  assert.equal(truncateText("abcdef", 4), "abc…");
  assert.equal(truncateText("abc", 3), "abc");
  assert.equal(truncateText("😀😀😀😀", 3), "😀😀…");
  assert.equal(formatValue({ b: 1, a: "x" }, 60), '{"a":"x","b":1}');
  const plan = makePlan([makeEntry("Workflow", "w", "update", { d: "short" }, { d: "x".repeat(200) })]);
  const line = renderPlanText(plan, { palette: plain, valueWidth: 20 }).split("\n")[1];
  assert.equal(line, `    ~ /d: "short" → "${"x".repeat(18)}…`);
});

Deno.test("renderPlanText: control characters and bidi overrides are shown escaped", () => {
  const plan = makePlan([
    makeEntry("Workflow", "evil\x1b[2Jname\u202e", "update", { "k\n": "a" }, { "k\n": "b" }, { id: "id\r" }),
  ]);
  const text = renderPlanText(plan, { palette: plain, showDiff: true });
  for (const raw of ["\x1b", "\r", "\u202e"]) assert.ok(!text.includes(raw), JSON.stringify(text));
  assert.match(text, /^~ Workflow\/evil\\u001b\[2Jname\\u202e \(id id\\u000d\)$/m);
  assert.match(text, /^ {4}~ \/k\\u000a: "a" → "b"$/m);
});

Deno.test("renderPlanText: redact hides secrets in values and diffs; off by default", () => {
  const plan = makePlan([
    makeEntry("Setting", "s", "update", { auth: { password: "old-pass" }, note: "a" }, {
      auth: { password: "new-pass" },
      note: "dt0s16.ABCDEFGH.SECRETPART",
    }),
  ]);
  const open = renderPlanText(plan, { palette: plain, showDiff: true });
  assert.ok(open.includes("new-pass") && open.includes("SECRETPART"));
  const redacted = renderPlanText(plan, { palette: plain, showDiff: true, secrets: ["old-pass"] });
  for (const secret of ["old-pass", "new-pass", "SECRETPART"]) {
    assert.ok(!redacted.includes(secret), redacted);
  }
  assert.match(redacted, /~ \/auth\/password: "\*\*\*" → "\*\*\*"/);
});

Deno.test("formatReplacement: a long shared start is elided so the difference stays visible", () => {
  const script = (tail: string) =>
    `export default async function () {\n  console.log('deployed'${tail});\n}\n`;
  assert.deepEqual(formatReplacement(script(""), script(", new Date()"), 60), [
    `"…g('deployed');\\n}\\n"`,
    `"…g('deployed', new Date());\\n}\\n"`,
  ]);
  assert.deepEqual(formatReplacement("short", "other", 60), ['"short"', '"other"']);
  assert.deepEqual(formatReplacement("x".repeat(80), 1, 20), [`"${"x".repeat(18)}…`, "1"]);
  assert.deepEqual(formatReplacement(`ab${"c".repeat(80)}`, `zz${"c".repeat(80)}`, 20), [
    `"ab${"c".repeat(16)}…`,
    `"zz${"c".repeat(16)}…`,
  ]);
});
