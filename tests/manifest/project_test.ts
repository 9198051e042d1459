import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { environmentValues, loadProject, type Project, selectEnvironment } from "../../lib/manifest/mod.ts";
import { assertProblem, problemsOf, withTree } from "./helpers.ts";

const PROJECT = `apiVersion: dtctl/v1
kind: Project
stack: payments
paths: [manifests, shared/dash.yaml]
values:
  team: payments
  retention: {days: 10, class: live}
environments:
  dev:
    url: https://dev.apps.dynatrace.com
    credentials:
      clientId: DT_DEV_CLIENT_ID
      clientSecret: DT_DEV_CLIENT_SECRET
      tokenUrl: DT_DEV_TOKEN_URL
  prod:
    url: https://prod.apps.dynatrace.com
    credentials: {token: DT_PROD_TOKEN}
    values:
      retention: {days: 35}
`;

Deno.test("project: found in the working directory or a parent, validated", async () => {
  await withTree({ "repo/dtctl.yaml": PROJECT }, async (dir) => {
    await mkdir(join(dir, "repo/a/b"), { recursive: true });
    const project = await loadProject({ cwd: join(dir, "repo/a/b") });
    assert.ok(project);
    assert.equal(project.file, join(dir, "repo/dtctl.yaml"));
    assert.equal(project.root, join(dir, "repo"));
    assert.equal(project.stack, "payments");
    assert.deepEqual(project.paths, ["manifests", "shared/dash.yaml"]);
    assert.deepEqual(Object.keys(project.environments), ["dev", "prod"]);
    assert.deepEqual(project.environments.prod, {
      name: "prod",
      url: "https://prod.apps.dynatrace.com",
      credentials: { token: "DT_PROD_TOKEN" },
      values: { retention: { days: 35 } },
    });
    assert.deepEqual(project.environments.dev.credentials, {
      clientId: "DT_DEV_CLIENT_ID",
      clientSecret: "DT_DEV_CLIENT_SECRET",
      tokenUrl: "DT_DEV_TOKEN_URL",
    });
    // Environment values merge over the project's, mapping by mapping.
    assert.deepEqual(environmentValues(project, project.environments.prod), {
      team: "payments",
      retention: { days: 35, class: "live" },
    });
  });
});

Deno.test("project: the search stops at the repository root (.git) and accepts dtctl.yml", async () => {
  await withTree({ "dtctl.yaml": PROJECT, "repo/.git/HEAD": "ref", "repo/sub/x": "" }, async (dir) => {
    assert.equal(await loadProject({ cwd: join(dir, "repo/sub") }), undefined);
  });
  await withTree({ "dtctl.yml": "stack: s1\n" }, async (dir) => {
    const project = await loadProject({ cwd: dir });
    assert.equal(project?.stack, "s1");
    assert.deepEqual(project?.paths, ["."]);
    assert.deepEqual(project?.environments, {});
  });
  await withTree({ "dtctl.yml": "stack: s1\n", "dtctl.yaml": "stack: s2\n" }, async (dir) => {
    await assert.rejects(() => loadProject({ cwd: dir }), { code: "config_error" });
  });
  await withTree({ "other.yaml": "stack: explicit\n" }, async (dir) => {
    assert.equal((await loadProject({ cwd: dir, file: "other.yaml" }))?.stack, "explicit");
    await assert.rejects(() => loadProject({ cwd: dir, file: "missing.yaml" }), { code: "config_error" });
  });
});

Deno.test("project: every problem is reported with its position", async () => {
  const text = `kind: Stack
stack: Payments_1
paths: [/abs, ""]
valuez: {}
environments:
  prod:
    url: ftp://x
    credentials:
      token: "dt0c01.SECRET"
      clientId: CID
    extra: 1
  "bad name":
    url: https://x.example
  qa: []
`;
  await withTree({ "dtctl.yaml": text }, async (dir) => {
    const problems = await problemsOf(() => loadProject({ cwd: dir }));
    assertProblem(problems, "dtctl.yaml:1:7", "kind of a project file must be Project");
    assertProblem(problems, "dtctl.yaml:2:8", 'stack "Payments_1" is invalid');
    assertProblem(problems, "dtctl.yaml:3:9", 'path "/abs" must be relative');
    assertProblem(problems, "dtctl.yaml:3:15", "each path must be a non-empty string");
    assertProblem(problems, "dtctl.yaml:4:1", 'unknown field "valuez"');
    assertProblem(problems, "dtctl.yaml:7:10", 'url "ftp://x" is not an http(s) URL');
    assertProblem(problems, "dtctl.yaml:8:5", "use either token or clientId + clientSecret, not both");
    assertProblem(problems, "dtctl.yaml:9:14", "credentials.token must name an environment variable");
    assertProblem(problems, "dtctl.yaml:11:5", 'unknown field "extra"');
    assertProblem(problems, "dtctl.yaml:12:3", 'environment name "bad name" is invalid');
    assertProblem(problems, "dtctl.yaml:14:7", 'environment "qa" must be a mapping');
    assert.equal(problems.length, 11, problems.join("\n"));
  });
  await withTree({ "dtctl.yaml": "stack: [\n" }, async (dir) => {
    const problems = await problemsOf(() => loadProject({ cwd: dir }));
    assert.match(problems[0], /^dtctl\.yaml:2:1: invalid syntax/);
  });
});

function projectWith(names: string[]): Project {
  const environments = Object.fromEntries(
    names.map((name) => [name, { name, url: `https://${name}.example`, credentials: {}, values: {} }]),
  );
  return { file: "/r/dtctl.yaml", root: "/r", stack: "s", paths: ["."], values: {}, environments };
}

Deno.test("project: selectEnvironment by --env, DTCTL_ENV, or the only one", () => {
  const two = projectWith(["prod", "dev"]);
  assert.equal(selectEnvironment(two, "dev").name, "dev");
  assert.equal(selectEnvironment(two, undefined, { DTCTL_ENV: "prod" }).name, "prod");
  assert.equal(selectEnvironment(two, "dev", { DTCTL_ENV: "prod" }).name, "dev");
  assert.throws(
    () => selectEnvironment(two, undefined),
    (error: Error & { code: string; exitCode: number }) => {
      assert.equal(error.code, "usage_error");
      assert.equal(error.exitCode, 2);
      assert.match(error.message, /pick one with --env \(dev, prod\)/);
      return true;
    },
  );
  assert.throws(() => selectEnvironment(two, "prd"), (error: Error & { code: string }) => {
    assert.equal(error.code, "usage_error");
    assert.match(
      error.message,
      /unknown environment "prd" \(--env\); known environments: dev, prod\. Did you mean "prod"\?/,
    );
    return true;
  });
  assert.equal(selectEnvironment(projectWith(["only"]), undefined).name, "only");
  assert.throws(() => selectEnvironment(projectWith([]), undefined), /defines no environments/);
});
