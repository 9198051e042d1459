import assert from "node:assert/strict";
import { VERSION } from "../../lib/version.ts";
import { assertGolden, runDtctl, tempConfig } from "./support.ts";

Deno.test("version prints the version in text, json and the agent envelope", async () => {
  const text = await runDtctl(["version"]);
  assert.equal(text.code, 0);
  assert.match(text.stdout, new RegExp(`^dtctl version ${VERSION.replaceAll(".", "\\.")} \\(deno `));
  const json = JSON.parse((await runDtctl(["version", "-o", "json"])).stdout);
  assert.equal(json.version, VERSION);
  const agent = JSON.parse((await runDtctl(["-A", "version"])).stdout);
  assert.equal(agent.ok, true);
  assert.equal(agent.result.version, VERSION);
  assert.equal(agent.error, null);
});

Deno.test("the version constant matches package.json", async () => {
  const pkg = JSON.parse(await Deno.readTextFile(new URL("../../package.json", import.meta.url)));
  assert.equal(VERSION, pkg.version);
});

Deno.test("an unknown command suggests the nearest one and exits 2", async () => {
  const result = await runDtctl(["versoin"]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /unknown command 'versoin'/);
  assert.match(result.stderr, /Did you mean version\?/);
  assert.equal(result.stdout, "");
  const agent = await runDtctl(["-A", "versoin"]);
  assert.equal(agent.code, 2);
  const envelope = JSON.parse(agent.stdout);
  assert.equal(envelope.ok, false);
  assert.equal(envelope.error.code, "unknown_command");
  assert.equal(envelope.error.exit_code, 2);
});

Deno.test("a usage error points to the help of the command that failed", async () => {
  const missing = await runDtctl(["describe", "workflow"]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /missing required argument 'name'/);
  assert.match(missing.stderr, /run 'dtctl describe --help' for usage/);
  const nested = JSON.parse((await runDtctl(["-A", "config", "set-context"])).stdout);
  assert.equal(nested.error.hint, "run 'dtctl config set-context --help' for usage");
  const alias = await runDtctl(["exec", "wf"]);
  assert.match(alias.stderr, /run 'dtctl exec workflow --help' for usage/);
  const unknown = await runDtctl(["versoin"]);
  assert.match(unknown.stderr, /run 'dtctl --help' for usage/);
});

Deno.test("an unknown flag is a usage error (exit 2)", async () => {
  const result = await runDtctl(["version", "--bogus"]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /unknown option '--bogus'/);
});

Deno.test("an invalid -o lists the valid formats and exits 2", async () => {
  const result = await runDtctl(["version", "-o", "xml"]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /invalid output format "xml"/);
  assert.match(result.stderr, /table, json, yaml/);
});

Deno.test("user errors print no stack trace; -v shows it", async () => {
  const config = await tempConfig();
  try {
    const quiet = await runDtctl(["--context", "nope", "doctor"], { env: config.env });
    assert.notEqual(quiet.code, 0);
    assert.doesNotMatch(quiet.stderr, /\n\s+at /);
    const verbose = await runDtctl(["--context", "nope", "doctor", "-v"], { env: config.env });
    assert.match(verbose.stderr, /\n\s+at /);
  } finally {
    await config.cleanup();
  }
});

Deno.test("config: set-context, set-credentials, use-context, get-contexts, view, delete-context", async () => {
  const config = await tempConfig();
  const env = config.env;
  try {
    const secret = "dt0s16.SAMPLE.abcdefghijklmnopqrstuvwxyz0123456789";
    assert.equal(
      (await runDtctl([
        "config",
        "set-context",
        "prod",
        "--environment",
        "https://abc12345.apps.dynatrace.com",
        "--token-ref",
        "prod-token",
        "--safety-level",
        "readwrite-mine",
      ], { env })).code,
      0,
    );
    const credentials = await runDtctl(["config", "set-credentials", "prod-token", "--token-stdin"], {
      env,
      stdin: `${secret}\n`,
    });
    assert.equal(credentials.code, 0, credentials.stderr);
    assert.doesNotMatch(credentials.stdout + credentials.stderr, /SAMPLE\.abc/);
    assert.equal((await runDtctl(["config", "use-context", "prod"], { env })).code, 0);
    assert.equal((await runDtctl(["config", "current-context"], { env })).stdout, "prod\n");

    const contexts = await runDtctl(["config", "get-contexts"], { env });
    await assertGolden("config-get-contexts.txt", contexts.stdout);

    const view = await runDtctl(["config", "view"], { env });
    assert.equal(view.code, 0);
    assert.match(view.stdout, /environment: https:\/\/abc12345\.apps\.dynatrace\.com/);
    assert.doesNotMatch(view.stdout, /abcdefghijklmnop/);
    const stored = await Deno.readTextFile(env.DTCTL_CONFIG);
    assert.match(stored, /abcdefghijklmnop/, "the file itself keeps the token");
    assert.equal((await Deno.stat(env.DTCTL_CONFIG)).mode! & 0o777, 0o600);

    const deleted = await runDtctl(["config", "delete-context", "prod"], { env });
    assert.equal(deleted.code, 0);
    const after = JSON.parse((await runDtctl(["config", "get-contexts", "-o", "json"], { env })).stdout);
    assert.deepEqual(after.map((row: { name: string }) => row.name), ["local"]);
  } finally {
    await config.cleanup();
  }
});

Deno.test("set-context for a new context requires --environment", async () => {
  const config = await tempConfig();
  try {
    const result = await runDtctl(["config", "set-context", "dev"], { env: config.env });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--environment is required/);
  } finally {
    await config.cleanup();
  }
});

Deno.test("an unknown context lists the known ones", async () => {
  const config = await tempConfig();
  try {
    await runDtctl(["config", "set-context", "dev", "--environment", "https://dev1.apps.dynatrace.com"], {
      env: config.env,
    });
    const result = await runDtctl(["--context", "staging", "doctor"], { env: config.env });
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /staging/);
    assert.match(result.stderr, /dev/);
    assert.match(result.stderr, /local/);
  } finally {
    await config.cleanup();
  }
});

Deno.test("env-only credentials form the current context", async () => {
  const config = await tempConfig();
  try {
    const env = {
      ...config.env,
      DT_ENVIRONMENT_URL: "https://abc12345.apps.dynatrace.com",
      DT_API_TOKEN: "x",
    };
    assert.equal((await runDtctl(["config", "current-context"], { env })).stdout, "env\n");
    const rows = JSON.parse((await runDtctl(["config", "get-contexts", "-o", "json"], { env })).stdout);
    assert.deepEqual(rows.map((row: { name: string; current: boolean }) => [row.name, row.current]), [
      ["env", true],
      ["local", false],
    ]);
  } finally {
    await config.cleanup();
  }
});

Deno.test("invalid numeric flag values name the flag (exit 2)", async () => {
  const result = await runDtctl(["serve", "--port", "abc"]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /--port/);
});

Deno.test("completion prints a script for each shell; an unknown shell is a usage error", async () => {
  const root = new URL("../../", import.meta.url);
  for (const shell of ["bash", "zsh", "fish", "powershell"]) {
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "cli.ts", "completion", shell],
      cwd: root,
      env: { NO_COLOR: "1" },
    }).output();
    assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
    const script = new TextDecoder().decode(output.stdout);
    assert.match(script, /dtctl/);
    assert.match(script, /complete/);
  }
  const bad = await runDtctl(["completion", "tcsh"]);
  assert.equal(bad.code, 2);
});

Deno.test("set-context checks the environment URL when it is given", async () => {
  const config = await tempConfig();
  try {
    const classic = await runDtctl(
      ["config", "set-context", "prod", "--environment", "https://abc12345.live.dynatrace.com"],
      { env: config.env },
    );
    assert.equal(classic.code, 1);
    assert.match(classic.stderr, /https:\/\/abc12345\.apps\.dynatrace\.com/);
    const bare = await runDtctl(
      ["config", "set-context", "prod", "--environment", "abc12345.apps.dynatrace.com/ui/apps/x"],
      { env: config.env },
    );
    assert.equal(bare.code, 0, bare.stderr);
    assert.match(
      await Deno.readTextFile(config.env.DTCTL_CONFIG),
      /environment: https:\/\/abc12345\.apps\.dynatrace\.com\n/,
    );
  } finally {
    await config.cleanup();
  }
});
