/**
 * Regression: list flags a kind cannot honour were silently ignored (`get bkt --owner me` listed every bucket,
 * `get seg -l team=x` every segment). Every kind declares the list flags it honours (`listFlags`); for every
 * registered kind and every flag, the flag either filters (checked against the local platform) or is refused
 * with a usage error (exit 2) before any request, by the CLI and by the library alike.
 */

import assert from "node:assert/strict";
import { COLLEAGUE_USER } from "../../lib/emulator/mod.ts";
import { isDtctlError } from "../../lib/errors/mod.ts";
import {
  allKinds,
  checkListOptions,
  findKind,
  getPath,
  iterateObjects,
  kindApi,
  LIST_FLAGS,
  type ListFlag,
  listFlagsIn,
  listObjects,
  type ListOptions,
  type RemoteObject,
  resolveObject,
  type ResourceKind,
  supportedListFlags,
  watchObjects,
} from "../../lib/resources/mod.ts";
import { localPlatform, ok, runDtctl, tempConfig } from "../cli/support.ts";

/** How each list flag is given on the command line, and as library options. */
const FLAGS: { flag: ListFlag; args: string[]; spelled: string; options: ListOptions }[] = [
  { flag: "owner", args: ["--owner", "me"], spelled: "--owner", options: { owner: "someone" } },
  { flag: "type", args: ["--type", "x"], spelled: "--type", options: { type: "x" } },
  { flag: "type", args: ["--schema", "x"], spelled: "--schema", options: { type: "x" } },
  { flag: "labels", args: ["-l", "team=x"], spelled: "-l/--label", options: { labels: ["team=x"] } },
  { flag: "scope", args: ["--scope", "environment"], spelled: "--scope", options: { extra: { scope: "x" } } },
  {
    flag: "workflow",
    args: ["--workflow", "x"],
    spelled: "--workflow",
    options: { extra: { workflow: "x" } },
  },
  { flag: "state", args: ["--state", "ERROR"], spelled: "--state", options: { extra: { state: "ERROR" } } },
];

const honours = (kind: ResourceKind, flag: ListFlag) => kind.listFlags?.includes(flag) ?? false;

/** Unsupported (kind, flag) pairs. */
function refusedPairs() {
  return allKinds().flatMap((kind) =>
    FLAGS.filter((f) => !honours(kind, f.flag)).map((f) => ({ kind, ...f }))
  );
}

/**
 * A supported flag narrowing a kind's list on the local platform (after {@link setUp}): `args` lists exactly
 * `names` (by `field`, default the kind's name field), a strict subset of what `base` lists.
 */
interface FilterCase {
  kind: string;
  flag: ListFlag;
  base?: string[];
  args: string[];
  names: string[];
  field?: string;
}

const COLLEAGUE = COLLEAGUE_USER.userId;
const HOST = "HOST-1234567890ABCDEF";
const LOG_STORAGE = "builtin:logmonitoring.log-storage-settings";

const FILTER_CASES: FilterCase[] = [
  { kind: "workflow", flag: "owner", args: ["--owner", COLLEAGUE], names: [] },
  { kind: "workflow", flag: "type", args: ["--type", "SIMPLE"], names: [] },
  { kind: "dashboard", flag: "owner", args: ["--owner", "me"], names: ["Host health", "Service overview"] },
  { kind: "dashboard", flag: "labels", args: ["-l", "nope"], names: [] },
  { kind: "notebook", flag: "owner", args: ["--owner", COLLEAGUE], names: [] },
  { kind: "notebook", flag: "labels", args: ["--label", "demo=no"], names: [] },
  { kind: "document", flag: "owner", args: ["--owner", COLLEAGUE], names: ["Kubernetes clusters"] },
  { kind: "document", flag: "type", args: ["--type", "notebook"], names: ["Log exploration"] },
  { kind: "document", flag: "labels", args: ["-l", "nope"], names: [] },
  { kind: "trash", flag: "type", args: ["--type", "notebook"], names: ["Incident review"] },
  { kind: "slo", flag: "labels", args: ["-l", "team=shop"], names: ["Checkout availability"] },
  {
    kind: "setting",
    flag: "owner",
    base: ["--scope", "environment"],
    args: ["--scope", "environment", "--owner", "me"],
    names: ["mine"],
  },
  {
    kind: "setting",
    flag: "type",
    base: ["--scope", "environment"],
    args: ["--scope", "environment", "--type", "builtin:alerting.profile"],
    names: ["Default"],
  },
  {
    kind: "setting",
    flag: "scope",
    base: ["--schema", LOG_STORAGE],
    args: ["--schema", LOG_STORAGE, "--scope", HOST],
    names: [`logs of ${HOST}`],
  },
  { kind: "segment", flag: "owner", args: ["--owner", "me"], names: ["Checkout service", "Production"] },
  { kind: "bucket", flag: "type", args: ["--type", "logs"], names: ["default_logs", "team_logs"] },
  { kind: "workflow-execution", flag: "owner", args: ["--owner", COLLEAGUE], names: [], field: "title" },
  {
    kind: "workflow-execution",
    flag: "workflow",
    args: ["--workflow", "Manual cleanup"],
    names: ["Manual cleanup"],
    field: "title",
  },
  {
    kind: "workflow-execution",
    flag: "state",
    args: ["--state", "success"],
    names: ["Nightly error-log report"],
    field: "title",
  },
  { kind: "anomaly-detector", flag: "owner", args: ["--owner", COLLEAGUE], names: [] },
];

Deno.test("list flags: every declared flag has a filtering case, every flag type a non-empty one", () => {
  for (const kind of allKinds()) {
    for (const flag of kind.listFlags ?? []) {
      assert.ok(LIST_FLAGS.includes(flag), `${kind.name}: unknown list flag ${flag}`);
      assert.ok(
        FILTER_CASES.some((c) => c.kind === kind.name && c.flag === flag),
        `${kind.name} declares ${flag}: add a case to FILTER_CASES showing that it filters`,
      );
    }
  }
  for (const c of FILTER_CASES) {
    assert.ok(honours(findKind(c.kind), c.flag), `${c.kind} does not declare ${c.flag}`);
  }
  for (const flag of LIST_FLAGS) {
    assert.ok(
      FILTER_CASES.some((c) => c.flag === flag && c.names.length > 0),
      `no case where ${flag} keeps some objects`,
    );
  }
});

Deno.test("list flags: supported ones filter on the local platform; --chunk-size works for every kind", async () => {
  const local = await localPlatform();
  try {
    // Executions, trashed documents and settings in other scopes or with an owner, for the cases to narrow.
    ok(await local.run(["exec", "workflow", "Nightly error-log report", "--wait"]));
    assert.equal(
      (await local.run(["exec", "workflow", "Manual cleanup", "--wait"])).code,
      1,
      "it ends in ERROR",
    );
    ok(await local.run(["delete", "notebook", "Incident review", "--yes"]));
    ok(await local.run(["delete", "document", "demo-launchpad-home", "--yes"]));
    const logStorage = (scope: string) => ({
      schemaId: LOG_STORAGE,
      scope,
      value: {
        enabled: true,
        "config-item-title": `logs of ${scope}`,
        "send-to-storage": true,
        matchers: [],
      },
    });
    const settings: RemoteObject[] = [
      logStorage("environment"),
      logStorage(HOST),
      { schemaId: "builtin:loadtest.5k.owner-based", scope: "environment", value: { name: "mine" } },
    ];
    for (const [i, setting] of settings.entries()) {
      const file = `${local.dir}/setting-${i}.json`;
      await Deno.writeTextFile(file, JSON.stringify(setting));
      ok(await local.run(["create", "setting", "-f", file]));
    }

    const namesOf = async (kind: ResourceKind, args: string[], field: string) => {
      const listed = JSON.parse(
        ok(await local.run(["get", kind.plural, ...args, "-o", "json"])),
      ) as RemoteObject[];
      return listed.map((o) => String(getPath(o, field))).sort();
    };
    for (const c of FILTER_CASES) {
      const kind = findKind(c.kind);
      const field = c.field ?? kind.nameField;
      const what = `get ${c.kind} ${c.args.join(" ")}`;
      const base = await namesOf(kind, c.base ?? [], field);
      const filtered = await namesOf(kind, c.args, field);
      assert.deepEqual(filtered, [...c.names].sort(), what);
      assert.ok(filtered.every((name) => base.includes(name)), `${what}: not a subset of ${base}`);
      assert.ok(filtered.length < base.length, `${what}: lists all ${base.length} (the flag did not filter)`);
    }
    // Settings list only with a schema or a scope.
    const required: Record<string, string[]> = { setting: ["--scope", "environment"] };
    for (const kind of allKinds()) {
      const all = await namesOf(kind, required[kind.name] ?? [], kind.idField);
      const paged = await namesOf(kind, [...(required[kind.name] ?? []), "--chunk-size", "1"], kind.idField);
      assert.deepEqual(paged, all, `${kind.name} --chunk-size 1`);
    }
  } finally {
    await local.cleanup();
  }
});

/** A platform that counts requests and answers every one with 400: a refused flag must not reach it. */
async function countingPlatform() {
  let requests = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    requests++;
    return Response.json({ error: { code: 400, message: `unexpected ${request.method} ${request.url}` } }, {
      status: 400,
    });
  });
  const config = await tempConfig();
  const env = {
    ...config.env,
    DT_ENVIRONMENT_URL: `http://127.0.0.1:${server.addr.port}`,
    DT_API_TOKEN: "dt0s16.TEST",
  };
  return {
    run: (args: string[]) => runDtctl(args, { env }),
    requests: () => requests,
    close: async () => {
      await server.shutdown();
      await config.cleanup();
    },
  };
}

Deno.test("list flags: unsupported ones exit 2 naming flag, kind and its flags, before any request (get, --watch)", async () => {
  const platform = await countingPlatform();
  try {
    const pairs = refusedPairs();
    assert.ok(pairs.length > 40, `${pairs.length} refused pairs`);
    for (const { kind, args, spelled } of pairs) {
      for (const extra of [[], ["--watch"], ["--watch-only", "--interval", "1s"]]) {
        const command = ["get", kind.plural, ...args, ...extra];
        const result = await platform.run(command);
        const what = command.join(" ");
        assert.equal(result.code, 2, `${what}: ${result.stderr}`);
        assert.equal(result.stdout, "", what);
        assert.ok(
          result.stderr.includes(`${kind.plural} cannot be filtered by ${spelled}`),
          `${what}: ${result.stderr}`,
        );
        assert.ok(result.stderr.includes(`${kind.plural} take ${supportedListFlags(kind).join(", ")}`), what);
      }
    }
    // Several at once are named together; kinds of one fixed type have no --type (documents do).
    const several = await platform.run(["get", "wf", "-l", "a", "--state", "x", "--scope", "y"]);
    assert.equal(several.code, 2);
    assert.match(several.stderr, /workflows cannot be filtered by -l\/--label, --scope and --state/);
    assert.match(several.stderr, /workflows take --owner, --type, --filter, --chunk-size/);
    const dashboards = await platform.run(["get", "db", "--type", "dashboard"]);
    assert.match(dashboards.stderr, /dashboards cannot be filtered by --type/);
    assert.match(dashboards.stderr, /--type works with: bucket, document, setting, trash, workflow;/);
    // The verbs that resolve names with the list flags refuse them too.
    for (
      const command of [
        ["describe", "bkt", "default_logs", "--owner", "me"],
        ["delete", "seg", "Production", "-l", "team=x", "--yes"],
        ["edit", "slo", "x", "--type", "x"],
        ["get", "user", "me", "--scope", "environment"],
      ]
    ) {
      const result = await platform.run(command);
      assert.equal(result.code, 2, `${command.join(" ")}: ${result.stderr}`);
      assert.match(result.stderr, /cannot be filtered by/, command.join(" "));
    }
    // Agents get the usage error as data.
    const agent = JSON.parse((await platform.run(["-A", "get", "bkt", "--owner", "me"])).stdout);
    assert.equal(agent.error.code, "usage_error");
    assert.equal(agent.error.exit_code, 2);
    assert.deepEqual(agent.error.details.supported, ["--type", "--filter", "--chunk-size"]);
    assert.equal(agent.error.details.kind, "bucket");
    assert.equal(platform.requests(), 0, "a refused flag never reaches the platform");
  } finally {
    await platform.close();
  }
});

Deno.test("list flags: the library refuses them too (listObjects, iterateObjects, resolveObject, kindApi, watch)", async () => {
  const context = { client: undefined as never };
  const usage = (kind: ResourceKind, flag: string) => (error: unknown) => {
    assert.ok(isDtctlError(error, "usage_error"), String(error));
    assert.match((error as Error).message, new RegExp(`${kind.plural} cannot be filtered by ${flag}`));
    return true;
  };
  for (const { kind, options, flag } of refusedPairs()) {
    const spelled = flag === "labels" ? "-l/--label" : `--${flag}`;
    await assert.rejects(() => listObjects(context, kind, options), usage(kind, spelled));
    assert.throws(() => iterateObjects(context, kind, options), usage(kind, spelled));
    await assert.rejects(() => resolveObject(context, kind, "some-name", options), usage(kind, spelled));
    await assert.rejects(() => kindApi(kind).list(context, options), usage(kind, spelled));
  }
  const controller = new AbortController();
  await assert.rejects(
    () => watchObjects(context, findKind("bucket"), { owner: "u", signal: controller.signal }, () => {}),
    usage(findKind("bucket"), "--owner"),
  );
  controller.abort();
});

Deno.test("list flags: checkListOptions over a kind without listFlags, and listFlagsIn", () => {
  const bare = {
    ...findKind("user"),
    name: "gadget",
    plural: "gadgets",
    listFlags: undefined,
  } as ResourceKind;
  assert.deepEqual(supportedListFlags(bare), ["--chunk-size"]);
  assert.doesNotThrow(() => checkListOptions(bare, { chunkSize: 5, labels: [], extra: { search: "x" } }));
  assert.throws(
    () => checkListOptions(bare, { type: "x", owner: "y" }, { type: "--schema" }),
    /gadgets cannot be filtered by --owner and --schema \(the gadget list has none of these filters\)/,
  );
  assert.deepEqual(
    listFlagsIn({ owner: "", type: "t", labels: ["a"], extra: { scope: "s", workflow: "w", state: "x" } }),
    LIST_FLAGS,
  );
  assert.deepEqual(listFlagsIn({ chunkSize: 1, filter: "f", labels: [], extra: { search: "s" } }), []);
  const withFlags = { ...bare, listFlags: ["labels", "owner"] } as ResourceKind;
  assert.deepEqual(supportedListFlags(withFlags), ["--owner", "-l/--label", "--chunk-size"]);
  assert.doesNotThrow(() => checkListOptions(withFlags, { owner: "me", labels: ["a"] }));
});

Deno.test("list flags: get --help lists the flags of every kind", async () => {
  const help = ok(await runDtctl(["get", "--help"]));
  assert.match(help, /List flags per kind/);
  for (const kind of allKinds()) {
    assert.match(
      help,
      new RegExp(`^ {2}${kind.name} +${supportedListFlags(kind).join(", ").replaceAll("/", "\\/")}$`, "m"),
      kind.name,
    );
  }
  assert.match(help, /^ {2}bucket +--type, --filter, --chunk-size$/m);
  assert.match(help, /^ {2}workflow-execution +--owner, --workflow, --state, --chunk-size$/m);
});
