import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type DtctlConfig, loadConfig, LOCAL_CONTEXT, resolveContext } from "../../lib/config/mod.ts";
import { expectThrows, GO_FIXTURE, withTempDir, writeConfigFile } from "./_helpers.ts";

const THREE_CONTEXTS = `apiVersion: v1
kind: Config
current-context: a
contexts:
  - name: a
    context: { environment: https://a.example, token-ref: t }
  - name: b
    context: { environment: https://b.example, token-ref: t }
  - name: c
    context: { environment: https://c.example, token-ref: t, safety-level: readonly }
tokens:
  - name: t
    token: dt0s16.T
`;

async function configFrom(dir: string, text: string): Promise<DtctlConfig> {
  return await loadConfig({ path: await writeConfigFile(dir, text) });
}

async function emptyConfig(dir: string): Promise<DtctlConfig> {
  return await loadConfig({ path: join(dir, "missing", "config") });
}

Deno.test("precedence: --context > DTCTL_CONTEXT > env-only context > current-context", async () => {
  await withTempDir(async (dir) => {
    const config = await configFrom(dir, THREE_CONTEXTS);
    const envOnly = { DT_ENVIRONMENT_URL: "https://env.example", DT_API_TOKEN: "dt0s16.ENV" };
    const all = { ...envOnly, DTCTL_CONTEXT: "b" };
    assert.equal(resolveContext({ config, contextName: "c", env: all }).name, "c");
    assert.equal(resolveContext({ config, env: all }).name, "b");
    const fromEnv = resolveContext({ config, env: envOnly });
    assert.deepEqual(fromEnv, {
      name: "env",
      environment: "https://env.example",
      credentials: { type: "token", token: "dt0s16.ENV" },
      safetyLevel: "readwrite-all",
      source: "env",
    });
    assert.equal(resolveContext({ config, env: {} }).name, "a");
    // Empty variables count as unset.
    assert.equal(resolveContext({ config, env: { DTCTL_CONTEXT: "", DT_ENVIRONMENT_URL: "" } }).name, "a");
  });
});

Deno.test("a file context resolves its token, environment and safety level", async () => {
  await withTempDir(async (dir) => {
    const config = await configFrom(dir, THREE_CONTEXTS);
    assert.deepEqual(resolveContext({ config, contextName: "c", env: {} }), {
      name: "c",
      environment: "https://c.example",
      credentials: { type: "token", token: "dt0s16.T" },
      safetyLevel: "readonly",
      source: "file",
    });
    assert.equal(resolveContext({ config, contextName: "a", env: {} }).safetyLevel, "readwrite-all");
  });
});

Deno.test("nothing selected is a context_error whose hint lists every way to configure one", async () => {
  await withTempDir(async (dir) => {
    const empty = await emptyConfig(dir);
    const error = expectThrows(
      () => resolveContext({ config: empty, env: {} }),
      "context_error",
      "no context is configured",
    );
    for (
      const option of [
        "DT_ENVIRONMENT_URL",
        "DT_API_TOKEN",
        "DT_CLIENT_ID",
        "DT_CLIENT_SECRET",
        "dtctl config set-context",
        "--context local",
      ]
    ) {
      assert.ok(error.hint?.includes(option), `hint lacks ${option}: ${error.hint}`);
    }
    const withContexts = await configFrom(dir, THREE_CONTEXTS.replace("current-context: a\n", ""));
    const listing = expectThrows(() => resolveContext({ config: withContexts, env: {} }), "context_error");
    assert.ok(listing.hint?.includes("use-context <name>` (a, b, c)"), listing.hint);
  });
});

Deno.test("an unknown context name is a context_error listing the known ones plus local and the source", async () => {
  await withTempDir(async (dir) => {
    const config = await configFrom(dir, THREE_CONTEXTS);
    const flag = expectThrows(
      () => resolveContext({ config, contextName: "prd", env: {} }),
      "context_error",
      '"prd"',
      "--context",
      "a, b, c, local",
    );
    assert.deepEqual(flag.details.known, ["a", "b", "c", "local"]);
    expectThrows(
      () => resolveContext({ config, env: { DTCTL_CONTEXT: "old" } }),
      "context_error",
      "DTCTL_CONTEXT",
    );
    const stale = await configFrom(
      dir,
      THREE_CONTEXTS.replace("current-context: a", "current-context: gone"),
    );
    expectThrows(
      () => resolveContext({ config: stale, env: {} }),
      "context_error",
      '"gone"',
      "current-context in",
    );
    expectThrows(() => resolveContext({ config, contextName: "", env: {} }), "usage_error", "--context");
  });
});

Deno.test("the built-in local context is a sandbox: unrestricted unless DTCTL_SAFETY_LEVEL says otherwise", async () => {
  await withTempDir(async (dir) => {
    const config = await emptyConfig(dir);
    const local = resolveContext({ config, contextName: LOCAL_CONTEXT, env: {} });
    assert.equal(local.name, "local");
    assert.equal(local.source, "builtin");
    assert.deepEqual(local.credentials, { type: "local" });
    assert.equal(local.safetyLevel, "dangerously-unrestricted");
    assert.match(local.environment, /^http:\/\/[a-z.]+\.invalid$/);
    const guarded = resolveContext({
      config,
      env: { DTCTL_CONTEXT: "local", DTCTL_SAFETY_LEVEL: "readonly" },
    });
    assert.equal(guarded.safetyLevel, "readonly");
    expectThrows(
      () => resolveContext({ config, contextName: "local", env: { DTCTL_SAFETY_LEVEL: "careful" } }),
      // A value the user gave on the command line's environment is bad input, like a bad flag value (exit 2).
      "usage_error",
      'environment variable DTCTL_SAFETY_LEVEL: "careful"',
    );
    const current = await configFrom(dir, "current-context: local\n");
    assert.equal(resolveContext({ config: current, env: {} }).source, "builtin");
  });
});

Deno.test("env-only context with OAuth client credentials and token endpoint", async () => {
  await withTempDir(async (dir) => {
    const config = await emptyConfig(dir);
    const base = {
      DT_ENVIRONMENT_URL: "https://e.example",
      DT_CLIENT_ID: "dt0s02.ID",
      DT_CLIENT_SECRET: "dt0s02.ID.S",
    };
    assert.deepEqual(resolveContext({ config, env: base }).credentials, {
      type: "oauth",
      clientId: "dt0s02.ID",
      clientSecret: "dt0s02.ID.S",
    });
    assert.deepEqual(
      resolveContext({ config, env: { ...base, DT_TOKEN_URL: "https://t.example/token" } }).credentials,
      {
        type: "oauth",
        clientId: "dt0s02.ID",
        clientSecret: "dt0s02.ID.S",
        tokenUrl: "https://t.example/token",
      },
    );
    const sso = resolveContext({ config, env: { ...base, DT_SSO_URL: "https://sso-sprint.example/" } });
    assert.equal(
      (sso.credentials as { tokenUrl?: string }).tokenUrl,
      "https://sso-sprint.example/sso/oauth2/token",
    );
    const both = resolveContext({
      config,
      env: { ...base, DT_API_TOKEN: "dt0s16.TOK", DTCTL_SAFETY_LEVEL: "readwrite-mine" },
    });
    assert.deepEqual(both.credentials, { type: "token", token: "dt0s16.TOK" });
    assert.equal(both.safetyLevel, "readwrite-mine");
  });
});

Deno.test("env-only context without credentials names exactly the missing variables", async () => {
  await withTempDir(async (dir) => {
    const config = await emptyConfig(dir);
    const url = { DT_ENVIRONMENT_URL: "https://e.example" };
    const none = expectThrows(
      () => resolveContext({ config, env: url }),
      "auth_required",
      "DT_API_TOKEN",
      "DT_CLIENT_ID and DT_CLIENT_SECRET",
    );
    assert.deepEqual(none.details.missing, ["DT_API_TOKEN"]);
    const noSecret = expectThrows(
      () => resolveContext({ config, env: { ...url, DT_CLIENT_ID: "id" } }),
      "auth_required",
      "DT_CLIENT_SECRET is not set",
    );
    assert.deepEqual(noSecret.details.missing, ["DT_CLIENT_SECRET"]);
    const noId = expectThrows(
      () => resolveContext({ config, env: { ...url, DT_CLIENT_SECRET: "s" } }),
      "auth_required",
      "DT_CLIENT_ID is not set",
    );
    assert.deepEqual(noId.details.missing, ["DT_CLIENT_ID"]);
  });
});

Deno.test("${VAR} references are expanded at resolve time and never written back", async () => {
  await withTempDir(async (dir) => {
    const path = await writeConfigFile(dir, GO_FIXTURE);
    const config = await loadConfig({ path });
    const env = { DT_API_TOKEN: "dt0s16.FROM.ENV", DEV_URL: "https://dev.example" };
    const prod = resolveContext({ config, env });
    assert.deepEqual(prod.credentials, { type: "token", token: "dt0s16.FROM.ENV" });
    assert.equal(prod.safetyLevel, "readwrite-mine");
    assert.equal(resolveContext({ config, contextName: "dev", env }).environment, "https://dev.example");
    config.setContext("prod", { description: "edited" });
    await config.save();
    const saved = await readFile(path, "utf8");
    assert.ok(saved.includes("token: ${DT_API_TOKEN}"));
    assert.ok(saved.includes("environment: ${DEV_URL}"));
    assert.equal(saved.includes("FROM.ENV"), false);
  });
});

Deno.test("an unset variable in the file is a config_error naming the variable and its position", async () => {
  await withTempDir(async (dir) => {
    const path = await writeConfigFile(dir, GO_FIXTURE);
    const config = await loadConfig({ path });
    const error = expectThrows(
      () => resolveContext({ config, env: {} }),
      "config_error",
      `${path}:20:12`,
      "DT_API_TOKEN",
    );
    assert.equal(error.details.variable, "DT_API_TOKEN");
    expectThrows(
      () => resolveContext({ config, contextName: "dev", env: {} }),
      "config_error",
      `${path}:16:20`,
      "DEV_URL",
    );
  });
});

Deno.test("file contexts with missing credentials are auth_required with the command that fixes them", async () => {
  await withTempDir(async (dir) => {
    const text = `contexts:
  - name: noref
    context: { environment: https://x.example }
  - name: dangling
    context: { environment: https://x.example, token-ref: nowhere }
  - name: half
    context: { environment: https://x.example, token-ref: half-oauth }
  - name: empty
    context: { environment: https://x.example, token-ref: empty-entry }
tokens:
  - name: half-oauth
    client-id: dt0s02.ID
  - name: empty-entry
`;
    const config = await configFrom(dir, text);
    const noref = expectThrows(
      () => resolveContext({ config, contextName: "noref", env: {} }),
      "auth_required",
      "no token-ref",
    );
    assert.match(noref.hint ?? "", /dtctl config set-credentials noref-token --token/);
    assert.match(noref.hint ?? "", /dtctl config set-context noref --token-ref noref-token/);
    const dangling = expectThrows(
      () => resolveContext({ config, contextName: "dangling", env: {} }),
      "auth_required",
      'token "nowhere"',
    );
    assert.match(dangling.hint ?? "", /dtctl config set-credentials nowhere --token /);
    const half = expectThrows(
      () => resolveContext({ config, contextName: "half", env: {} }),
      "auth_required",
      "has no client-secret",
    );
    assert.match(half.hint ?? "", /set-credentials half-oauth --client-secret/);
    const empty = expectThrows(
      () => resolveContext({ config, contextName: "empty", env: {} }),
      "auth_required",
      "has no token",
    );
    assert.match(empty.hint ?? "", /set-credentials empty-entry --token/);
  });
});

Deno.test("file OAuth entries resolve to oauth credentials; conflicting entries are config_errors", async () => {
  await withTempDir(async (dir) => {
    const text = `contexts:
  - name: svc
    context: { environment: https://x.example, token-ref: svc, safety-level: "\${LEVEL}" }
  - name: both
    context: { environment: https://x.example, token-ref: both }
  - name: noenv
    context: { token-ref: svc }
tokens:
  - name: svc
    client-id: dt0s02.ID
    client-secret: \${SECRET}
    token-url: https://sso.example/sso/oauth2/token
  - name: both
    token: dt0s16.X
    client-id: dt0s02.ID
`;
    const config = await configFrom(dir, text);
    const svc = resolveContext({
      config,
      contextName: "svc",
      env: { SECRET: "s3cr3t", LEVEL: "readwrite-mine" },
    });
    assert.deepEqual(svc.credentials, {
      type: "oauth",
      clientId: "dt0s02.ID",
      clientSecret: "s3cr3t",
      tokenUrl: "https://sso.example/sso/oauth2/token",
    });
    assert.equal(svc.safetyLevel, "readwrite-mine");
    expectThrows(
      () => resolveContext({ config, contextName: "svc", env: { SECRET: "s", LEVEL: "yolo" } }),
      "config_error",
      `${config.path}:3:78`,
      'unknown safety level "yolo"',
    );
    expectThrows(
      () => resolveContext({ config, contextName: "svc", env: { SECRET: "", LEVEL: "readonly" } }),
      "auth_required",
      "client-secret",
      "empty after expanding",
    );
    expectThrows(
      () => resolveContext({ config, contextName: "both", env: {} }),
      "config_error",
      "both a token and OAuth",
    );
    const noenv = expectThrows(
      () => resolveContext({ config, contextName: "noenv", env: {} }),
      "config_error",
      `${config.path}:6:5`,
      "no environment",
    );
    assert.match(noenv.hint ?? "", /dtctl config set-context noenv --environment/);
  });
});
