/**
 * `dtctl plan --out FILE` and `dtctl apply FILE`: exactly the saved plan, or nothing; conflicts exit 6 and are
 * not overwritten unless --force; a plan for another environment is refused.
 */

import assert from "node:assert/strict";
import { bucket, dtctl, repository, serve, servedRepository, workflow } from "./apply_support.ts";

Deno.test("plan --out saves the plan; apply FILE applies exactly it; replaying it is refused", async () => {
  const { served, repo, env, cleanup } = await servedRepository({
    "m/wf.yaml": workflow("nightly"),
    "m/b.yaml": bucket("team-logs"),
  });
  try {
    const planned = await dtctl(["plan", "-f", "m", "--out", "plan.json"], { env, cwd: repo.dir });
    assert.equal(planned.code, 0, planned.stderr);
    assert.match(planned.stdout, /^Plan: 2 to create/m);
    assert.match(
      planned.stderr,
      /Saved the plan to plan\.json\. Apply exactly this plan with: dtctl apply plan\.json/,
    );
    assert.deepEqual(await served.writes(), []);
    const file = JSON.parse(await Deno.readTextFile(`${repo.dir}/plan.json`));
    assert.equal(file.saved.format, "dtctl-saved-plan");
    assert.equal(file.entries[0].source.file, "m/b.yaml");

    // The manifests changing after the plan does not matter: the saved plan is applied.
    await Deno.writeTextFile(`${repo.dir}/m/b.yaml`, bucket("team-logs", 90));
    const applied = await dtctl(["apply", "plan.json"], { env, cwd: repo.dir });
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, /^Apply complete\. 2 created/m);
    const diff = await dtctl(["diff", "-f", "m", "--no-diff"], { env, cwd: repo.dir });
    assert.match(diff.stdout, /~ \/retentionDays: 35 → 90/);

    const replay = await dtctl(["apply", "plan.json"], { env, cwd: repo.dir });
    assert.equal(replay.code, 6);
    assert.match(replay.stderr, /inventory of stack "default" changed since the plan/);
  } finally {
    await cleanup();
  }
});

Deno.test("a resource changed behind the saved plan's back: exit 6, not overwritten; --force overwrites", async () => {
  const { served, repo, env, cleanup } = await servedRepository({ "m/wf.yaml": workflow("nightly") });
  try {
    assert.equal((await dtctl(["apply", "-f", "m"], { env, cwd: repo.dir })).code, 0);
    await Deno.writeTextFile(`${repo.dir}/m/wf.yaml`, workflow("nightly", "console.log(2)"));
    assert.equal((await dtctl(["plan", "-f", "m", "--out", "plan.json"], { env, cwd: repo.dir })).code, 0);

    // A colleague edits the workflow in the meantime.
    const plan = JSON.parse(await Deno.readTextFile(`${repo.dir}/plan.json`));
    const id = plan.entries[0].id;
    const url = `${served.url}/platform/automation/v1/workflows/${id}`;
    const headers = { authorization: `Bearer ${served.token}`, "content-type": "application/json" };
    const current = await (await fetch(url, { headers })).json();
    const put = await fetch(url, {
      method: "PUT",
      headers,
      body: JSON.stringify({ ...current, title: "Colleague" }),
    });
    assert.equal(put.status, 200);

    await served.clear();
    const conflict = await dtctl(["apply", "plan.json"], { env, cwd: repo.dir });
    assert.equal(conflict.code, 6, conflict.stderr);
    assert.match(
      conflict.stdout,
      /^~ Workflow\/nightly: failed: Workflow\/nightly was changed by someone else since the plan/m,
    );
    assert.match(conflict.stderr, /--force/);
    assert.deepEqual(await served.writes(), []);
    assert.equal((await (await fetch(url, { headers })).json()).title, "Colleague");

    const forced = await dtctl(["apply", "--force", "plan.json"], { env, cwd: repo.dir });
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /updated \(changed since the plan; overwritten \(--force\)\)/);
    const after = await (await fetch(url, { headers })).json();
    assert.equal(after.title, "nightly");
    assert.match(JSON.stringify(after.tasks), /console\.log\(2\)/);
  } finally {
    await cleanup();
  }
});

Deno.test("a saved plan is refused for another environment, and when edited", async () => {
  const dev = serve("dt0s16.DEV");
  const prod = serve("dt0s16.PROD");
  const repo = await repository({
    "dtctl.yaml": `stack: shop
environments:
  dev: {url: "${dev.url}", credentials: {token: DEV_TOKEN}}
  prod: {url: "${prod.url}", credentials: {token: PROD_TOKEN}}
`,
    "wf.yaml": workflow("nightly"),
  });
  const env = { HOME: repo.dir, DTCTL_CONFIG: `${repo.dir}/c`, DEV_TOKEN: dev.token, PROD_TOKEN: prod.token };
  try {
    assert.equal(
      (await dtctl(["plan", "--env", "dev", "--out", "dev.json"], { env, cwd: repo.dir })).code,
      0,
    );
    const wrong = await dtctl(["apply", "--env", "prod", "dev.json"], { env, cwd: repo.dir });
    assert.equal(wrong.code, 1);
    assert.match(
      wrong.stderr,
      new RegExp(`dev\\.json: was made for environment ${dev.url}, but the target is`),
    );
    assert.deepEqual(await prod.writes(), []);

    const text = await Deno.readTextFile(`${repo.dir}/dev.json`);
    await Deno.writeTextFile(
      `${repo.dir}/edited.json`,
      text.replace('"title": "nightly"', '"title": "evil"'),
    );
    const edited = await dtctl(["apply", "--env", "dev", "edited.json"], { env, cwd: repo.dir });
    assert.equal(edited.code, 1);
    assert.match(edited.stderr, /was changed after it was saved/);

    const missing = await dtctl(["apply", "--env", "dev", "nope.json"], { env, cwd: repo.dir });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read the plan nope\.json: no such file/);

    const dry = await dtctl(["apply", "--env", "dev", "--dry-run", "dev.json"], { env, cwd: repo.dir });
    assert.equal(dry.code, 0);
    assert.match(dry.stdout, /^\+ Workflow\/nightly$/m);
    assert.deepEqual(await dev.writes(), []);

    const ok = await dtctl(["apply", "--env", "dev", "dev.json"], { env, cwd: repo.dir });
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal((await dev.writes()).length, 2);
  } finally {
    await dev.close();
    await prod.close();
    await repo.cleanup();
  }
});

Deno.test("plan -o json prints the plan; -A an envelope with the saved file", async () => {
  const { repo, env, cleanup } = await servedRepository({ "wf.yaml": workflow("nightly") });
  try {
    const json = await dtctl(["plan", "-o", "json", "-f", "wf.yaml"], { env, cwd: repo.dir });
    assert.equal(json.code, 0);
    assert.equal(JSON.parse(json.stdout).summary.create, 1);
    const agent = await dtctl(["plan", "-A", "-f", "wf.yaml", "--out", "p.json"], { env, cwd: repo.dir });
    assert.equal(agent.code, 0);
    const envelope = JSON.parse(agent.stdout);
    assert.equal(envelope.result.out, "p.json");
    assert.equal(envelope.result.plan.summary.create, 1);
    const unwritable = await dtctl(["plan", "-f", "wf.yaml", "--out", "no/such/dir/p.json"], {
      env,
      cwd: repo.dir,
    });
    assert.equal(unwritable.code, 1);
    assert.match(unwritable.stderr, /cannot write the plan to no\/such\/dir\/p\.json/);
  } finally {
    await cleanup();
  }
});
