import assert from "node:assert/strict";
import { lstat, mkdir, readdir, readFile, stat, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import {
  type AtomicFileHandle,
  type AtomicWriteFs,
  nodeFs,
  writeFileAtomic,
} from "../../lib/config/atomic.ts";
import { DtctlConfig, loadConfig, LOCAL_CONTEXT } from "../../lib/config/mod.ts";
import {
  assertDtctlError,
  expectRejects,
  expectThrows,
  GO_FIXTURE,
  withTempDir,
  writeConfigFile,
} from "./_helpers.ts";

Deno.test("a Go dtctl-shaped config loads with its contexts, tokens, preferences and unknown keys", async () => {
  await withTempDir(async (dir) => {
    const config = await loadConfig({ path: await writeConfigFile(dir, GO_FIXTURE) });
    assert.ok(config instanceof DtctlConfig);
    assert.equal(config.exists, true);
    assert.equal(config.currentContext, "prod");
    assert.deepEqual(config.contexts().map((context) => context.name), ["prod", "dev"]);
    assert.deepEqual(config.getContext("prod"), {
      name: "prod",
      context: {
        environment: "https://abc12345.apps.dynatrace.com",
        "token-ref": "prod-token",
        "safety-level": "readwrite-mine",
        description: "Production",
        hooks: { "pre-apply": "./check.sh", "post-apply": "none" },
        spill: { mode: "auto" },
      },
    });
    // Values are returned as written: expansion belongs to resolveContext.
    assert.equal(config.getContext("dev")?.context.environment, "${DEV_URL}");
    assert.deepEqual(config.tokens(), [
      { name: "prod-token", token: "${DT_API_TOKEN}" },
      { name: "dev-token", token: "dt0s16.DEVPUBLIC.DEVSECRETVALUE" },
    ]);
    assert.deepEqual(config.preferences(), { output: "table", editor: "vim", hooks: {} });
    assert.equal(config.getContext("nope"), undefined);
  });
});

Deno.test("apiVersion may be absent, empty, v1 or dtctl.io/v1; anything else is unsupported", async () => {
  await withTempDir(async (dir) => {
    for (
      const header of [
        "",
        "apiVersion:\n",
        'apiVersion: ""\n',
        "apiVersion: v1\n",
        "apiVersion: dtctl.io/v1\n",
      ]
    ) {
      const path = await writeConfigFile(dir, `${header}kind: Config\ncontexts: []\n`);
      assert.equal((await loadConfig({ path })).exists, true, header);
    }
    const path = await writeConfigFile(dir, "apiVersion: dtctl.io/v2\nkind: Config\n");
    await expectRejects(
      () => loadConfig({ path }),
      "config_error",
      `${path}:1:13`,
      'unsupported apiVersion "dtctl.io/v2"',
    );
  });
});

Deno.test("a missing file is an empty config; save creates it with mode 0600 in a 0700 directory", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "nested", "dtctl", "config");
    const config = await loadConfig({ path });
    assert.equal(config.exists, false);
    assert.equal(config.path, path);
    assert.deepEqual(config.contexts(), []);
    assert.deepEqual(config.tokens(), []);
    assert.deepEqual(config.preferences(), {});
    assert.equal(config.currentContext, undefined);

    config.setContext("prod", { environment: "https://abc.apps.dynatrace.com", "token-ref": "prod-token" });
    config.setCredentials("prod-token", { token: "dt0s16.AAA.BBB" });
    config.useContext("prod");
    await config.save();
    assert.equal(config.exists, true);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.equal((await stat(join(dir, "nested", "dtctl"))).mode & 0o777, 0o700);
    assert.deepEqual(parse(await readFile(path, "utf8")), {
      apiVersion: "v1",
      kind: "Config",
      contexts: [{
        name: "prod",
        context: { environment: "https://abc.apps.dynatrace.com", "token-ref": "prod-token" },
      }],
      tokens: [{ name: "prod-token", token: "dt0s16.AAA.BBB" }],
      "current-context": "prod",
    });
  });
});

Deno.test("the config path comes from DTCTL_CONFIG when no path is given", async () => {
  await withTempDir(async (dir) => {
    const path = await writeConfigFile(
      dir,
      "current-context: x\ncontexts:\n  - name: x\n    context: {environment: e}\n",
    );
    const config = await loadConfig({ env: { DTCTL_CONFIG: path, HOME: join(dir, "home") } });
    assert.equal(config.path, path);
    assert.equal(config.currentContext, "x");
  });
});

Deno.test("a round trip keeps comments, unknown keys, key order and unexpanded references", async () => {
  await withTempDir(async (dir) => {
    const path = await writeConfigFile(dir, GO_FIXTURE);
    const config = await loadConfig({ path });
    config.setContext("prod", { description: "Production EU" });
    config.setContext("staging", { environment: "https://stg.apps.dynatrace.com", "token-ref": "dev-token" });
    await config.save();
    const text = await readFile(path, "utf8");

    for (
      const kept of [
        "# dtctl configuration",
        "apiVersion: v1 # empty | v1 | dtctl.io/v1",
        "description: Production EU # shown in prompts",
        'hooks: { pre-apply: "./check.sh", post-apply: none }',
        "token: ${DT_API_TOKEN}",
        "environment: ${DEV_URL}",
        'aliases: { deploy: "apply -f ./dynatrace/" }',
        "nested: [ 1, 2, 3 ] # kept on save",
      ]
    ) {
      assert.ok(text.includes(kept), `saved file lacks ${JSON.stringify(kept)}:\n${text}`);
    }
    const keys = Object.keys(parse(text));
    assert.deepEqual(keys, [
      "apiVersion",
      "kind",
      "current-context",
      "contexts",
      "tokens",
      "preferences",
      "aliases",
      "spill",
      "x-future-key",
    ]);
    const reloaded = await loadConfig({ path });
    assert.deepEqual(reloaded.contexts().map((context) => context.name), ["prod", "dev", "staging"]);
    assert.equal(reloaded.getContext("prod")?.context.description, "Production EU");
    assert.deepEqual(reloaded.getContext("prod")?.context.spill, { mode: "auto" });
    assert.deepEqual(parse(text)["x-future-key"], { nested: [1, 2, 3] });
  });
});

Deno.test("an unchanged load and save reproduces the document", async () => {
  await withTempDir(async (dir) => {
    const original = "apiVersion: v1\nkind: Config\n# the only context\ncurrent-context: a\ncontexts:\n" +
      "  - name: a # first\n    context:\n      environment: https://a.example\n";
    const path = await writeConfigFile(dir, original);
    await (await loadConfig({ path })).save();
    assert.equal(await readFile(path, "utf8"), original);
  });
});

Deno.test("save tightens an existing file to mode 0600 and leaves no temp files", async () => {
  await withTempDir(async (dir) => {
    const path = await writeConfigFile(dir, GO_FIXTURE);
    await Deno.chmod(path, 0o644);
    const config = await loadConfig({ path });
    config.setCredentials("prod-token", { token: "dt0s16.NEW.SECRET" });
    await config.save();
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.deepEqual(await readdir(dir), ["config"]);
  });
});

Deno.test("save follows a symlinked config so the link survives", async () => {
  await withTempDir(async (dir) => {
    const target = await writeConfigFile(dir, GO_FIXTURE, "real-config");
    const link = join(dir, "config");
    await symlink(target, link);
    const config = await loadConfig({ path: link });
    config.setContext("dev", { description: "via link" });
    await config.save();
    assert.ok((await lstat(link)).isSymbolicLink());
    assert.ok((await readFile(target, "utf8")).includes("description: via link"));
  });
});

/** Real file system whose temp-file writes write half the data and then fail, like a full disk. */
function failingWrites(): AtomicWriteFs & { opened: string[] } {
  const opened: string[] = [];
  return {
    opened,
    realpath: (path) => nodeFs.realpath(path),
    mkdir: (path, options) => nodeFs.mkdir(path, options),
    rename: (from, to) => nodeFs.rename(from, to),
    rm: (path, options) => nodeFs.rm(path, options),
    async open(path, flags, mode): Promise<AtomicFileHandle> {
      const handle = await nodeFs.open(path, flags, mode);
      if (flags !== "wx") return handle;
      opened.push(path);
      return {
        async writeFile(data, encoding) {
          await handle.writeFile(data.slice(0, data.length / 2), encoding);
          throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
        },
        chmod: (mode) => handle.chmod(mode),
        sync: () => handle.sync(),
        close: () => handle.close(),
      };
    },
  };
}

Deno.test("an interrupted write leaves the original file intact and removes the temp file", async () => {
  await withTempDir(async (dir) => {
    const path = await writeConfigFile(dir, GO_FIXTURE);
    const fsys = failingWrites();
    await assert.rejects(
      () => writeFileAtomic(path, "apiVersion: v1\nkind: Config\ncontexts: []\n", fsys),
      /ENOSPC/,
    );
    assert.equal(fsys.opened.length, 1, "the temp file was opened");
    assert.equal(fsys.opened[0].startsWith(dir), true, "the temp file lives next to the target");
    assert.notEqual(fsys.opened[0], path);
    assert.equal(await readFile(path, "utf8"), GO_FIXTURE);
    assert.deepEqual(await readdir(dir), ["config"]);
  });
});

Deno.test("a failed rename leaves the original file intact and removes the temp file", async () => {
  await withTempDir(async (dir) => {
    const path = await writeConfigFile(dir, GO_FIXTURE);
    const fsys: AtomicWriteFs = {
      ...nodeFs,
      open: (path, flags, mode) => nodeFs.open(path, flags, mode),
      rename: () => Promise.reject(Object.assign(new Error("EXDEV: cross-device link"), { code: "EXDEV" })),
    };
    await assert.rejects(() => writeFileAtomic(path, "kind: Config\n", fsys), /EXDEV/);
    assert.equal(await readFile(path, "utf8"), GO_FIXTURE);
    assert.deepEqual(await readdir(dir), ["config"]);
  });
});

Deno.test("save reports an unwritable location as config_error naming the file", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "blocker", "config");
    const config = await loadConfig({ path });
    config.setContext("a", { environment: "https://a.example" });
    // A regular file where the directory should be makes mkdir fail even for root.
    await writeFile(join(dir, "blocker"), "not a directory");
    await expectRejects(() => config.save(), "config_error", `cannot save the config file ${path}`);
    assert.equal(config.exists, false);
  });
});

Deno.test("malformed YAML is a config_error with path:line:column and a hint", async () => {
  await withTempDir(async (dir) => {
    const path = await writeConfigFile(dir, "apiVersion: v1\nkind: Config\ncontexts:\n\t- name: a\n");
    const error = await expectRejects(
      () => loadConfig({ path }),
      "config_error",
      `${path}:4:1: invalid YAML`,
    );
    assert.ok(error.hint);
    assert.equal(error.details.line, 4);
    assert.equal(error.details.column, 1);
  });
});

Deno.test("wrong shapes are config_errors at the offending node", async () => {
  await withTempDir(async (dir) => {
    const cases: [string, string, string][] = [
      ["contexts:\n  name: a\n", "2:3", "contexts must be a list"],
      ["tokens: just-a-string\n", "1:9", "tokens must be a list"],
      ["- a\n- b\n", "1:1", "the top level must be a mapping"],
      ["kind: Secret\n", "1:7", "kind must be Config"],
      ["contexts:\n  - name: a\n    context: [1]\n", "3:14", 'context of "a" must be a mapping'],
      [
        "contexts:\n  - name: a\n    context:\n      environment: {url: x}\n",
        "4:20",
        "environment must be a single value",
      ],
      ["contexts:\n  - context: {environment: x}\n", "2:5", "an entry of contexts has no name"],
      ["contexts:\n  - name: a\n  - name: a\n", "3:11", 'contexts has two entries named "a"'],
      [
        "contexts:\n  - name: a\n    context:\n      safety-level: yolo\n",
        "4:21",
        'unknown safety level "yolo"',
      ],
      ["tokens:\n  - name: t\n    token: [x]\n", "3:12", "token must be a single value"],
      ["preferences: [a]\n", "1:14", "preferences must be a mapping"],
    ];
    for (const [text, position, message] of cases) {
      const path = await writeConfigFile(dir, text);
      await expectRejects(() => loadConfig({ path }), "config_error", `${path}:${position}: ${message}`);
    }
  });
});

Deno.test("a file may not define a context named local", async () => {
  await withTempDir(async (dir) => {
    const path = await writeConfigFile(dir, "contexts:\n  - name: local\n    context: {environment: x}\n");
    const error = await expectRejects(() => loadConfig({ path }), "config_error", `${path}:2:11`, "reserved");
    assert.match(error.hint ?? "", /--context local/);
  });
});

Deno.test("non-string scalar names read as written", async () => {
  await withTempDir(async (dir) => {
    const path = await writeConfigFile(
      dir,
      "current-context: 0x1F\ncontexts:\n  - name: 0x1F\n    context: {environment: e}\n",
    );
    const config = await loadConfig({ path });
    assert.equal(config.currentContext, "0x1F");
    assert.equal(config.getContext("0x1F")?.context.environment, "e");
  });
});

Deno.test("setContext refuses the built-in local name, invalid values and new contexts without environment", async () => {
  const config = await loadConfig({ path: "/nonexistent/dtctl-test/config" });
  const local = expectThrows(
    () => config.setContext(LOCAL_CONTEXT, { environment: "x" }),
    "usage_error",
    "built-in",
  );
  assert.ok(local.hint);
  expectThrows(() => config.setContext("a", { "token-ref": "t" }), "usage_error", "needs an environment URL");
  expectThrows(
    // deno-lint-ignore no-explicit-any
    () => config.setContext("a", { environment: "x", "safety-level": "yolo" as any }),
    "usage_error",
    'unknown safety level "yolo"',
  );
  expectThrows(() => config.setContext("a", { environment: "" }), "usage_error", "environment");
  expectThrows(() => config.setContext(" ", { environment: "x" }), "usage_error", "must not be empty");
  assert.deepEqual(config.contexts(), []);
});

Deno.test("setContext merges into an existing context and keeps its other keys", async () => {
  await withTempDir(async (dir) => {
    const config = await loadConfig({ path: await writeConfigFile(dir, GO_FIXTURE) });
    config.setContext("prod", { "safety-level": "readonly", owner: "team-a" });
    assert.deepEqual(config.getContext("prod")?.context, {
      environment: "https://abc12345.apps.dynatrace.com",
      "token-ref": "prod-token",
      "safety-level": "readonly",
      description: "Production",
      hooks: { "pre-apply": "./check.sh", "post-apply": "none" },
      spill: { mode: "auto" },
      owner: "team-a",
    });
  });
});

Deno.test("setCredentials stores either a token or OAuth client credentials", async () => {
  const config = await loadConfig({ path: "/nonexistent/dtctl-test/config" });
  config.setCredentials("ci", {
    clientId: "dt0s02.CLIENT",
    clientSecret: "dt0s02.CLIENT.SECRET",
    tokenUrl: "https://t",
  });
  assert.deepEqual(config.tokens(), [
    {
      name: "ci",
      "client-id": "dt0s02.CLIENT",
      "client-secret": "dt0s02.CLIENT.SECRET",
      "token-url": "https://t",
    },
  ]);
  config.setCredentials("ci", { clientSecret: "dt0s02.CLIENT.ROTATED" });
  assert.equal(config.tokens()[0]["client-secret"], "dt0s02.CLIENT.ROTATED");
  config.setCredentials("ci", { token: "dt0s16.TOKEN" });
  assert.deepEqual(config.tokens(), [{ name: "ci", token: "dt0s16.TOKEN" }]);

  expectThrows(() => config.setCredentials("ci", { token: "a", clientId: "b" }), "usage_error", "not both");
  expectThrows(() => config.setCredentials("ci", {}), "usage_error", "no credentials");
  expectThrows(
    () => config.setCredentials("new", { clientId: "only-id" }),
    "usage_error",
    "need client-secret",
  );
  expectThrows(
    () => config.setCredentials("ci", { clientId: "only-id" }),
    "usage_error",
    "need client-secret",
  );
  expectThrows(() => config.setCredentials("ci", { token: "" }), "usage_error", "non-empty");
  assert.deepEqual(config.tokens(), [{ name: "ci", token: "dt0s16.TOKEN" }]);
});

Deno.test("useContext switches the current context; unknown names list the known ones and local", async () => {
  await withTempDir(async (dir) => {
    const config = await loadConfig({ path: await writeConfigFile(dir, GO_FIXTURE) });
    config.useContext("dev");
    assert.equal(config.currentContext, "dev");
    config.useContext(LOCAL_CONTEXT);
    assert.equal(config.currentContext, LOCAL_CONTEXT);
    const error = expectThrows(
      () => config.useContext("stage"),
      "context_error",
      '"stage"',
      "prod, dev, local",
    );
    assert.deepEqual(error.details.known, ["prod", "dev", "local"]);
    assert.equal(config.currentContext, LOCAL_CONTEXT);
  });
});

Deno.test("deleteContext removes the context and clears current-context when it pointed there", async () => {
  await withTempDir(async (dir) => {
    const path = await writeConfigFile(dir, GO_FIXTURE);
    const config = await loadConfig({ path });
    config.deleteContext("dev");
    assert.equal(config.currentContext, "prod");
    config.deleteContext("prod");
    assert.equal(config.currentContext, undefined);
    assert.deepEqual(config.contexts(), []);
    assert.equal(config.tokens().length, 2, "tokens may be shared and stay");
    expectThrows(() => config.deleteContext("prod"), "context_error", '"prod"', "local");
    expectThrows(() => config.deleteContext(LOCAL_CONTEXT), "usage_error", "cannot be deleted");
    await config.save();
    const saved = parse(await readFile(path, "utf8"));
    assert.equal("current-context" in saved, false);
    assert.deepEqual(saved.contexts, []);
  });
});

Deno.test("toYAML with redact masks token and client-secret values but keeps references and client ids", async () => {
  await withTempDir(async (dir) => {
    const text = GO_FIXTURE + "# old token: dt0s16.OLDPUBLIC.OLDSECRET\n";
    const config = await loadConfig({ path: await writeConfigFile(dir, text) });
    config.setCredentials("oauth", {
      clientId: "dt0s02.CLIENTID",
      clientSecret: "dt0s02.CLIENTID.TOPSECRET",
    });
    config.setCredentials("mixed", { token: "Bearer-${PART}-tail" });
    const redacted = config.toYAML({ redact: true });
    for (const secret of ["DEVSECRETVALUE", "TOPSECRET", "OLDSECRET", "Bearer-"]) {
      assert.equal(redacted.includes(secret), false, `${secret} leaked:\n${redacted}`);
    }
    assert.ok(redacted.includes("token: ${DT_API_TOKEN}"), "a pure reference is not a secret");
    assert.ok(redacted.includes("client-id: dt0s02.CLIENTID\n"), "client ids stay visible");
    assert.ok(redacted.includes('client-secret: "***"'), "*** is quoted: a bare * starts a YAML alias");
    assert.ok(redacted.includes("# old token: ***"));
    // Redaction works on a copy: the config itself still holds the secrets.
    assert.ok(config.toYAML().includes("dt0s16.DEVPUBLIC.DEVSECRETVALUE"));
    assert.equal(config.tokens()[1].token, "dt0s16.DEVPUBLIC.DEVSECRETVALUE");
  });
});

Deno.test("an empty or comment-only file loads and gains the apiVersion/kind header on save", async () => {
  await withTempDir(async (dir) => {
    for (const text of ["", "# nothing yet\n", "~\n"]) {
      const path = await writeConfigFile(dir, text);
      const config = await loadConfig({ path });
      assert.deepEqual(config.contexts(), []);
      config.setContext("a", { environment: "https://a.example" });
      await config.save();
      const saved = await readFile(path, "utf8");
      assert.deepEqual(parse(saved), {
        apiVersion: "v1",
        kind: "Config",
        contexts: [{ name: "a", context: { environment: "https://a.example" } }],
      });
      if (text.startsWith("#")) assert.ok(saved.startsWith("# nothing yet\n"), saved);
    }
  });
});

Deno.test("an unreadable path is a config_error, not an empty config", async () => {
  await withTempDir(async (dir) => {
    await mkdir(join(dir, "config"));
    const error = await expectRejects(
      () => loadConfig({ path: join(dir, "config") }),
      "config_error",
      "cannot read",
    );
    assertDtctlError(error, "config_error", join(dir, "config"));
  });
});
