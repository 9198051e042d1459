/**
 * `dtctl diff`: a gate with distinct exit codes (0 no changes, 1 changes, 2 any error), the plan in text, JSON
 * and Markdown, and errors that never look like "changes".
 */

import assert from "node:assert/strict";
import { bucket, dtctl, servedRepository, workflow } from "./apply_support.ts";

Deno.test("diff exits 1 with changes, 0 without, and shows the plan with unified diffs", async () => {
  const { served, repo, env, cleanup } = await servedRepository({
    "m/wf.yaml": workflow("nightly"),
    "m/b.yaml": bucket("team-logs"),
  });
  try {
    const before = await dtctl(["diff", "-f", `${repo.dir}/m`], { env });
    assert.equal(before.code, 1, before.stderr);
    assert.match(before.stdout, /^\+ Bucket\/team-logs$/m);
    assert.match(before.stdout, /^\+ Workflow\/nightly$/m);
    assert.match(before.stdout, /^ {4}\+\+\+ desired\/Workflow\/nightly$/m);
    assert.match(before.stdout, /^Plan: 2 to create, 0 to update, 0 to delete, 0 unchanged\.$/m);
    assert.deepEqual(await served.writes(), [], "diff never writes");

    assert.equal((await dtctl(["apply", "-f", `${repo.dir}/m`], { env })).code, 0);
    const after = await dtctl(["diff", "-f", `${repo.dir}/m`], { env });
    assert.equal(after.code, 0, after.stderr);
    assert.match(after.stdout, /^No changes\. The environment matches the configuration\.$/m);

    await Deno.writeTextFile(`${repo.dir}/m/b.yaml`, bucket("team-logs", 60));
    const changed = await dtctl(["diff", "-f", `${repo.dir}/m`, "--show-unchanged", "--no-diff"], { env });
    assert.equal(changed.code, 1);
    assert.match(changed.stdout, /^~ Bucket\/team-logs \(id team-logs\)\n {4}~ \/retentionDays: 35 → 60$/m);
    assert.match(changed.stdout, /^= Workflow\/nightly/m);
    assert.doesNotMatch(changed.stdout, /\+\+\+ desired/);
  } finally {
    await cleanup();
  }
});

Deno.test("diff exits 2 on any error: invalid manifests, authentication, usage, unknown environment", async () => {
  const { repo, env, cleanup } = await servedRepository({
    "bad/wf.yaml": "apiVersion: dtctl/v1\nkind: Workflow\nmetadata: {name: x}\nspec: {tasks: {}}\n",
    "good/wf.yaml": workflow("nightly"),
  });
  try {
    const invalid = await dtctl(["diff", "-f", `${repo.dir}/bad`], { env });
    assert.equal(invalid.code, 2);
    assert.match(invalid.stderr, /wf\.yaml:\d+:\d+: .*title/);
    assert.equal(invalid.stdout, "");

    const auth = await dtctl(["diff", "-f", `${repo.dir}/good`], {
      env: { ...env, DT_API_TOKEN: "dt0s16.WRONG" },
    });
    assert.equal(auth.code, 2);
    assert.match(auth.stderr, /^Error: .*401|Error: .*[Aa]uthenticat/m);

    const agent = await dtctl(["diff", "-A", "-f", `${repo.dir}/good`], {
      env: { ...env, DT_API_TOKEN: "dt0s16.WRONG" },
    });
    assert.equal(agent.code, 2);
    const envelope = JSON.parse(agent.stdout);
    assert.equal(envelope.ok, false);
    assert.equal(envelope.error.code, "auth_required");
    assert.equal(envelope.error.exit_code, 2);

    assert.equal((await dtctl(["diff", "--bogus"], { env })).code, 2);
    assert.equal((await dtctl(["diff", "-f", `${repo.dir}/good`, "-o", "yaml"], { env })).code, 2);
    const noEnv = await dtctl(["diff", "-f", `${repo.dir}/good`, "--env", "prod"], { env });
    assert.equal(noEnv.code, 2);
    assert.match(noEnv.stderr, /--env selects an environment of the project file/);
    const missing = await dtctl(["diff", "-f", `${repo.dir}/nope`], { env });
    assert.equal(missing.code, 2);

    const down = await dtctl(["diff", "-f", `${repo.dir}/good`], {
      env: { ...env, DT_ENVIRONMENT_URL: "http://127.0.0.1:9" },
    });
    assert.equal(down.code, 2);
    assert.match(down.stderr, /network|reach|connect/i);
  } finally {
    await cleanup();
  }
});

Deno.test("diff -o json prints the whole plan as data; -o markdown a PR comment; -A an envelope", async () => {
  const { served, repo, env, cleanup } = await servedRepository({ "wf.yaml": workflow("nightly") });
  try {
    const json = await dtctl(["diff", "-o", "json", "-f", `${repo.dir}/wf.yaml`, "--stack", "team"], { env });
    assert.equal(json.code, 1);
    const plan = JSON.parse(json.stdout);
    assert.equal(plan.formatVersion, 1);
    assert.equal(plan.stack, "team");
    assert.equal(plan.environment, served.url);
    assert.deepEqual(plan.summary, { create: 1, update: 0, delete: 0, unchanged: 0 });
    assert.equal(plan.entries[0].action, "create");
    assert.equal(plan.entries[0].desired.title, "nightly");
    assert.deepEqual(plan.entries[0].patch[0].op, "add");
    const again = await dtctl(["diff", "-o", "json", "-f", `${repo.dir}/wf.yaml`, "--stack", "team"], {
      env,
    });
    assert.equal(again.stdout, json.stdout, "deterministic");

    const markdown = await dtctl(["diff", "-o", "markdown", "-f", `${repo.dir}/wf.yaml`], { env });
    assert.equal(markdown.code, 1);
    assert.match(markdown.stdout, /<!-- dtctl:v1 kind=plan/);
    assert.match(markdown.stdout, /\*\*Plan:\*\* 1 to create, 0 to update, 0 to delete, 0 unchanged/);

    const agent = await dtctl(["diff", "-A", "-f", `${repo.dir}/wf.yaml`], { env });
    assert.equal(agent.code, 1);
    const envelope = JSON.parse(agent.stdout);
    assert.equal(envelope.ok, true);
    assert.equal(envelope.context.changes, true);
    assert.equal(envelope.result.summary.create, 1);
  } finally {
    await cleanup();
  }
});

Deno.test("diff reads manifests from stdin and redacts secrets in text output", async () => {
  const { served, env, cleanup } = await servedRepository({});
  try {
    const yaml = `apiVersion: dtctl/v1
kind: Document
metadata: {name: creds}
spec:
  type: acme:config
  content: {password: hunter2, apiToken: "${served.token}"}
`;
    const text = await dtctl(["diff", "-f", "-"], { env, stdin: yaml });
    assert.equal(text.code, 1, text.stderr);
    assert.doesNotMatch(text.stdout, /hunter2/);
    assert.doesNotMatch(text.stdout, new RegExp(served.token.replace(".", "\\.")));
    const json = await dtctl(["diff", "-f", "-", "-o", "json"], { env, stdin: yaml });
    assert.match(json.stdout, /hunter2/, "-o json is the exact plan");
  } finally {
    await cleanup();
  }
});
