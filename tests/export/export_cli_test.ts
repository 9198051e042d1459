/**
 * `dtctl export` on the built-in local platform: the summary, JSON output, exit codes.
 */

import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { runDtctl, tempConfig } from "../cli/support.ts";

Deno.test("dtctl export: writes the demo tenant, prints a summary; again → exit 6; --force → 0", async () => {
  const config = await tempConfig();
  try {
    const dir = `${config.dir}/out`;
    const run = (...args: string[]) => runDtctl(["--context", "local", ...args], { env: config.env });
    const first = await run("export", "--dir", dir);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^Exported 17 objects to .*\/out:\n/);
    assert.match(first.stdout, / {2}Bucket {11}2 exported, 6 skipped\n/);
    assert.match(first.stdout, /Segment dtRdyK8sCl1: ready-made segment/);
    assert.match(first.stdout, /Wrote dtctl\.yaml \(stack: out\)\./);
    assert.match(await readFile(`${dir}/dtctl.yaml`, "utf8"), /^stack: out$/m);
    const again = await run("export", "--dir", dir);
    assert.equal(again.code, 6);
    assert.match(again.stderr, /would overwrite 23 existing files/);
    assert.match(again.stderr, /--force/);
    const forced = await run("export", "--dir", dir, "--force");
    assert.equal(forced.code, 0, forced.stderr);
  } finally {
    await config.cleanup();
  }
});

Deno.test("dtctl export: kinds, --schema, -o json and -A; usage errors exit 2", async () => {
  const config = await tempConfig();
  try {
    const run = (...args: string[]) => runDtctl(["--context", "local", ...args], { env: config.env });
    const json = await run(
      "-o",
      "json",
      "export",
      "wf",
      "slos",
      "--dir",
      `${config.dir}/a`,
      "--stack",
      "ops",
    );
    assert.equal(json.code, 0, json.stderr);
    const result = JSON.parse(json.stdout);
    assert.equal(result.stack, "ops");
    assert.deepEqual(result.counts, { SLO: 2, Workflow: 3 });
    assert.equal(result.objects[0].file, "slos/build-agents-cpu-headroom.yaml");
    const agent = await run(
      "-A",
      "export",
      "setting",
      "--schema",
      "builtin:alerting.profile",
      "--dir",
      `${config.dir}/b`,
    );
    assert.equal(agent.code, 0, agent.stderr);
    assert.deepEqual(JSON.parse(agent.stdout).result.counts, { Setting: 1 });
    const noDir = await run("export");
    assert.equal(noDir.code, 2);
    assert.match(noDir.stderr, /--dir/);
    const unknown = await run("export", "dashbord", "--dir", `${config.dir}/c`);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown kind "dashbord"/);
  } finally {
    await config.cleanup();
  }
});
