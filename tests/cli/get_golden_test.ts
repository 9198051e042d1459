import assert from "node:assert/strict";
import { DEMO, type FixedPlatform, fixedPlatform } from "./get_support.ts";
import { assertGolden } from "./support.ts";

const FORMATS = ["table", "wide", "json", "yaml", "csv", "name"] as const;

interface KindCase {
  kind: string;
  plural: string;
  nameField: string;
  single: string;
  prepare?: (platform: FixedPlatform) => Promise<void>;
}

const CASES: KindCase[] = [
  { kind: "workflow", plural: "workflows", nameField: "title", single: DEMO.manual },
  { kind: "dashboard", plural: "dashboards", nameField: "name", single: DEMO.hosts },
  { kind: "notebook", plural: "notebooks", nameField: "name", single: DEMO.logs },
  { kind: "document", plural: "documents", nameField: "name", single: DEMO.launchpad },
  {
    kind: "trash",
    plural: "trash",
    nameField: "name",
    single: DEMO.launchpad,
    prepare: async (platform) => {
      for (const id of [DEMO.launchpad, DEMO.incident]) {
        const result = await platform.run(["delete", "document", id]);
        assert.equal(result.code, 0, result.stderr);
      }
    },
  },
];

async function run(platform: FixedPlatform, args: string[]): Promise<string> {
  const result = await platform.run(args);
  assert.equal(result.code, 0, `dtctl ${args.join(" ")}: ${result.stderr}`);
  assert.equal(result.stderr, "");
  // The port changes from run to run.
  return result.stdout.replaceAll(platform.url, "http://127.0.0.1:PORT");
}

for (const testCase of CASES) {
  Deno.test(`golden: get ${testCase.plural} in every format, one object, and describe`, async () => {
    const platform = await fixedPlatform();
    try {
      await testCase.prepare?.(platform);
      for (const format of FORMATS) {
        const text = await run(platform, ["get", testCase.plural, "-o", format]);
        await assertGolden(`get/${testCase.kind}-list.${format}.txt`, text);
      }
      const template = `jsonpath={range .items[*]}{.id}{"\\t"}{.${testCase.nameField}}{"\\n"}{end}`;
      await assertGolden(
        `get/${testCase.kind}-list.jsonpath.txt`,
        await run(platform, ["get", testCase.plural, "-o", template]),
      );
      for (const format of ["table", "json", "yaml"]) {
        await assertGolden(
          `get/${testCase.kind}-single.${format}.txt`,
          await run(platform, ["get", testCase.kind, testCase.single, "-o", format]),
        );
      }
      await assertGolden(
        `describe/${testCase.kind}.txt`,
        await run(platform, ["describe", testCase.kind, testCase.single]),
      );
    } finally {
      await platform.close();
    }
  });
}

Deno.test("golden: describe a scheduled workflow and a notebook by name; agent envelopes", async () => {
  const platform = await fixedPlatform();
  try {
    await assertGolden(
      "describe/workflow-scheduled.txt",
      await run(platform, ["describe", "workflow", "Nightly error-log report"]),
    );
    await assertGolden(
      "describe/notebook-incident.txt",
      await run(platform, ["describe", "nb", "Incident review"]),
    );
    await assertGolden("get/workflow-list.agent.txt", await run(platform, ["-A", "get", "workflows"]));
    const missing = await platform.run(["-A", "get", "dashboard", "No such dashboard"]);
    assert.equal(missing.code, 4);
    await assertGolden("get/error-not-found.agent.txt", missing.stdout);
    const unknown = await platform.run(["-A", "get", "dashbaords"]);
    assert.equal(unknown.code, 2);
    const envelope = JSON.parse(unknown.stdout);
    assert.equal(envelope.error.code, "usage_error");
    assert.deepEqual(envelope.error.details, { kind: "dashbaords", suggestions: ["dashboard"] });
  } finally {
    await platform.close();
  }
});
