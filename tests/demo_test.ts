import assert from "node:assert/strict";

Deno.test("the README's main job (npm run demo) runs on the built-in local platform", async () => {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "examples/demo.ts"],
    cwd: new URL("../", import.meta.url),
    env: { NO_COLOR: "1" },
  }).output();
  const stdout = new TextDecoder().decode(output.stdout);
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  assert.match(stdout, /Context local/);
  assert.match(stdout, /Workflows\nTITLE\s+TRIGGER\s+DEPLOYED\s+ID\n.+Schedule/);
  assert.match(stdout, /Dashboards\nNAME\s+ID\s+VERSION\n/);
  assert.match(stdout, /Query: fetch logs \| limit 5 {2}\(SUCCEEDED, 5 records\)/);
  assert.match(stdout, /Plan: 4 to create, 0 to update, 0 to delete, 0 unchanged\./);
  assert.match(stdout, /Applied: 4 created, 0 updated, 0 unchanged\./);
  assert.match(stdout, /Plan after apply\nNo changes\. The environment matches the configuration\./);
});

Deno.test("the README's library example runs", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dtctl-library-" });
  try {
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "examples/library.ts"],
      cwd: new URL("../", import.meta.url),
      env: { NO_COLOR: "1", DTCTL_LOCAL_DIR: dir },
    }).output();
    const stdout = new TextDecoder().decode(output.stdout);
    assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
    assert.match(stdout, /^Local Developer\n/);
    assert.match(stdout, /create: 4/);
    assert.match(stdout, /created: 4/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
