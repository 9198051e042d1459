import assert from "node:assert/strict";
import { createPalette } from "../../lib/output/color.ts";
import { renderPlanJson, renderPlanMarkdown, renderPlanText } from "../../lib/plan/render.ts";
import { assertGolden } from "../cli/support.ts";
import { samplePlan } from "./render_fixture.ts";

const plain = createPalette(false);

// `deno fmt` would re-align the tables of a Markdown golden file (and `deno task ci` checks formatting), so the
// Markdown goldens carry this line first; everything after it is the renderer's exact output.
const FMT_IGNORE = "<!-- deno-fmt-ignore-file -->\n";

Deno.test("golden: plan text (default and with diffs and unchanged)", async () => {
  await assertGolden("plan/plan.txt", renderPlanText(samplePlan(), { palette: plain }));
  await assertGolden(
    "plan/plan-diff.txt",
    renderPlanText(samplePlan(), { palette: plain, showDiff: true, showUnchanged: true }),
  );
});

Deno.test("golden: plan markdown (whole, and cut to 2,500 bytes)", async () => {
  await assertGolden(
    "plan/plan.md",
    FMT_IGNORE + renderPlanMarkdown(samplePlan(), {
      footer: "commit `abc1234` · [run #42](https://github.com/acme/shop-config/actions/runs/42/attempts/1)",
    }),
  );
  await assertGolden(
    "plan/plan-truncated.md",
    FMT_IGNORE + renderPlanMarkdown(samplePlan(), { maxLength: 2_500 }),
  );
});

Deno.test("golden: plan JSON is canonical and round-trips", async () => {
  const json = renderPlanJson(samplePlan());
  await assertGolden("plan/plan.json", json);
  assert.deepEqual(JSON.parse(json), JSON.parse(JSON.stringify(samplePlan())));
  assert.equal(renderPlanJson(JSON.parse(json)), json);
});
