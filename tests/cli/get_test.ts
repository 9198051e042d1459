import assert from "node:assert/strict";
import { parse } from "yaml";
import { serveEmulator } from "../../lib/emulator/mod.ts";
import { DEMO } from "./get_support.ts";
import { localPlatform, ok, runDtctl, tempConfig } from "./support.ts";

function firstColumn(text: string): string[] {
  return text.trim().split("\n").slice(1).map((line) => line.split(/\s+/)[0]);
}

Deno.test("cli get: every kind lists on the local platform, by plural, singular or alias", async () => {
  const local = await localPlatform();
  try {
    assert.deepEqual(firstColumn(ok(await local.run(["get", "workflows"]))), [
      DEMO.nightly,
      DEMO.deployments,
      DEMO.manual,
    ]);
    assert.deepEqual(firstColumn(ok(await local.run(["get", "wf"]))).length, 3);
    assert.deepEqual(firstColumn(ok(await local.run(["get", "db"]))), [DEMO.hosts, DEMO.services, DEMO.k8s]);
    assert.deepEqual(firstColumn(ok(await local.run(["get", "notebook"]))), [DEMO.incident, DEMO.logs]);
    assert.equal(firstColumn(ok(await local.run(["get", "Documents"]))).length, 6);
    const trash = await local.run(["get", "trash"]);
    assert.equal(trash.code, 0);
    assert.equal(trash.stdout, "");
    assert.equal(trash.stderr, "No trash found.\n", "an empty list says so on stderr");
    assert.equal((await local.run(["get", "trash", "-o", "json"])).stdout, "[]\n");
  } finally {
    await local.cleanup();
  }
});

Deno.test("cli get: one or several objects by id or name; json/yaml of one object is the object", async () => {
  const local = await localPlatform();
  try {
    const one = JSON.parse(ok(await local.run(["get", "workflow", "Manual cleanup", "-o", "json"])));
    assert.equal(one.id, DEMO.manual);
    const yaml = parse(ok(await local.run(["get", "dashboard", DEMO.hosts, "-o", "yaml"])));
    assert.equal(yaml.name, "Host health");
    assert.equal(yaml.content.version, 15, "a single document carries its content");
    const two = JSON.parse(
      ok(await local.run(["get", "notebooks", "Log exploration", DEMO.incident, "-o", "json"])),
    );
    assert.deepEqual(two.map((n: { id: string }) => n.id), [DEMO.logs, DEMO.incident]);
    assert.equal(
      ok(await local.run(["get", "dashboards", "Host health", "Service overview", "-o", "name"])),
      `dashboard/${DEMO.hosts}\ndashboard/${DEMO.services}\n`,
    );
  } finally {
    await local.cleanup();
  }
});

Deno.test("cli get: filters --type, --owner (me), --filter, --label, --chunk-size, --no-headers", async () => {
  const local = await localPlatform();
  try {
    assert.equal(
      ok(await local.run(["get", "documents", "--type", "launchpad", "-o", "name"])),
      `document/${DEMO.launchpad}\n`,
    );
    assert.equal(
      ok(await local.run(["get", "dashboards", "--owner", "me", "-o", "name"])),
      `dashboard/${DEMO.hosts}\ndashboard/${DEMO.services}\n`,
    );
    assert.equal(
      ok(await local.run(["get", "dashboards", "--filter", "name contains 'kube'", "-o", "name"])),
      `dashboard/${DEMO.k8s}\n`,
    );
    assert.equal(
      ok(await local.run(["get", "documents", "-l", "demo", "-o", "name"])).split("\n").length - 1,
      5,
    );
    assert.equal(
      ok(await local.run(["get", "workflows", "--filter", "triggerType=Event", "-o", "name"])),
      `workflow/${DEMO.deployments}\n`,
    );
    assert.equal(
      ok(await local.run(["get", "workflows", "--chunk-size", "1", "-o", "name"])).split("\n").length - 1,
      3,
    );
    assert.equal(ok(await local.run(["get", "workflows", "--type", "SIMPLE"])), "");
    const plain = ok(await local.run(["get", "notebooks", "--no-headers"]));
    assert.ok(plain.startsWith(DEMO.incident));
    const chunk = await local.run(["get", "workflows", "--chunk-size", "0"]);
    assert.equal(chunk.code, 2);
    assert.match(chunk.stderr, /--chunk-size must be a whole number ≥ 1/);
    const labels = await local.run(["get", "workflows", "--label", "x"]);
    assert.equal(labels.code, 2);
    assert.match(labels.stderr, /workflows cannot be filtered by -l\/--label/);
  } finally {
    await local.cleanup();
  }
});

Deno.test("cli get: bad input fails with the right exit code and says what to do", async () => {
  const local = await localPlatform();
  try {
    const unknown = await local.run(["get", "workflws"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown resource kind "workflws"/);
    assert.match(unknown.stderr, /did you mean "workflow"\?/);

    const missingKind = await local.run(["get"]);
    assert.equal(missingKind.code, 2);
    assert.match(missingKind.stderr, /missing required argument 'kind'/);
    const missingName = await local.run(["describe", "workflow"]);
    assert.equal(missingName.code, 2);
    assert.match(missingName.stderr, /missing required argument 'name'/);

    const notFound = await local.run(["get", "workflow", "No such workflow"]);
    assert.equal(notFound.code, 4);
    assert.match(notFound.stderr, /Error: workflow "No such workflow" not found/);
    const notFoundId = await local.run(["get", "dashboard", "no-such-id"]);
    assert.equal(notFoundId.code, 4);
    assert.match(notFoundId.stderr, /dashboard "no-such-id" not found/);

    const format = await local.run(["get", "workflows", "-o", "xml"]);
    assert.equal(format.code, 2);
    assert.match(format.stderr, /invalid output format "xml"/);
    assert.match(format.stderr, /table, wide, json, yaml, csv, name, jsonpath=TEMPLATE/);

    const template = await local.run(["get", "workflows", "-o", "jsonpath={.items[*.id}"]);
    assert.equal(template.code, 2);
    assert.match(template.stderr, /invalid jsonpath template at column 10/);
    assert.match(template.stderr, /\n {4}\{\.items\[\*\.id\}\n {13}\^/);

    const agent = await local.run(["-A", "get", "workflow", "nope"]);
    assert.equal(agent.code, 4);
    const envelope = JSON.parse(agent.stdout);
    assert.equal(envelope.ok, false);
    assert.equal(envelope.error.code, "not_found");
    assert.equal(envelope.error.exit_code, 4);
    assert.equal(agent.stderr, "");
  } finally {
    await local.cleanup();
  }
});

Deno.test("cli get: an ambiguous name lists the candidates and fails", async () => {
  const local = await localPlatform();
  try {
    for (let i = 0; i < 2; i++) {
      ok(
        await local.run(["create", "dashboard", "-f", "-"], { stdin: "name: Twin\ncontent: {tiles: {}}\n" }),
      );
    }
    const result = await local.run(["get", "dashboard", "Twin"]);
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /dashboard name "Twin" is ambiguous: 2 dashboards have it:\n {2}[0-9a-f-]{36} {2}\(owner /,
    );
    assert.match(result.stderr, /Hint: use the id instead/);
  } finally {
    await local.cleanup();
  }
});

Deno.test("cli: list and show are hints towards get and describe", async () => {
  const list = await runDtctl(["list", "workflows"]);
  assert.equal(list.code, 2);
  assert.match(list.stderr, /unknown command 'list'/);
  assert.match(list.stderr, /did you mean 'dtctl get workflows'\?/);
  const show = await runDtctl(["-A", "show", "dashboard", "x"]);
  assert.equal(show.code, 2);
  assert.equal(JSON.parse(show.stdout).error.code, "unknown_command");
  assert.equal(JSON.parse(show.stdout).error.details.suggestion, "describe");
});

Deno.test("cli get --help lists the output formats and the kinds", async () => {
  const help = await runDtctl(["get", "--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Output \(-o\): table, wide, json, yaml, csv, name, jsonpath=TEMPLATE/);
  assert.match(help.stdout, /\n {2}workflow +workflows, wf, wfs +Automation workflows\n/);
  assert.match(help.stdout, /\n {2}trash +deleted, /);
});

Deno.test("cli get against `serveEmulator` through an env-only context (no config file)", async () => {
  const config = await tempConfig();
  const served = await serveEmulator({ port: 0, seed: "demo", randomSeed: 3 });
  try {
    const env = { ...config.env, DT_ENVIRONMENT_URL: served.url, DT_API_TOKEN: "dt0s16.TEST" };
    const run = (args: string[], stdin?: string) => runDtctl(args, { env, stdin });
    assert.deepEqual(firstColumn(ok(await run(["get", "workflows"]))), [
      DEMO.nightly,
      DEMO.deployments,
      DEMO.manual,
    ]);
    const created = ok(await run(["create", "notebook", "-f", "-", "-o", "name"], "name: Served\n"));
    assert.match(created, /^notebook\/[0-9a-f-]{36}\n$/);
    assert.equal(JSON.parse(ok(await run(["get", "nb", "Served", "-o", "json"]))).name, "Served");
    assert.match(ok(await run(["describe", "notebook", "Served"])), /Sections \(0\):\n {2}<none>/);
    ok(await run(["delete", "notebook", "Served"]));
    assert.equal(ok(await run(["get", "trash", "-o", "jsonpath={.items[*].name}"])), "Served\n");
    const requests = served.emulator.requests.list();
    assert.ok(requests.some((r) => r.method === "DELETE" && r.query["optimistic-locking-version"] === "1"));
  } finally {
    await served.shutdown();
    await config.cleanup();
  }
});
