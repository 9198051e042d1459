import assert from "node:assert/strict";
import { startServe } from "../support/serve_process.ts";
import { runDtctl, tempConfig } from "./support.ts";

Deno.test("dtctl serve prints its URL and a ready line, answers, and stops cleanly on SIGTERM and SIGINT", async () => {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    const server = await startServe(["--seed", "empty", "--token", "dt0s16.GOOD"]);
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const ok = await fetch(`${server.url}/platform/metadata/v1/user`, {
      headers: { Authorization: "Bearer dt0s16.GOOD" },
    });
    assert.equal(ok.status, 200);
    assert.ok((await ok.json()).userId);
    const wrong = await fetch(`${server.url}/platform/metadata/v1/user`, {
      headers: { Authorization: "Bearer dt0s16.OTHER" },
    });
    assert.equal(wrong.status, 401);
    assert.deepEqual(await wrong.json(), { error: { code: 401, message: "Unauthorized" } });
    const { status, stderr } = await server.stop(signal);
    assert.equal(status.code, 0, stderr);
    assert.match(stderr, /stopped/);
  }
});

Deno.test("doctor passes on the local context and on a served platform via env-only credentials", async () => {
  const config = await tempConfig();
  const server = await startServe(["--seed", "demo"]);
  try {
    const local = await runDtctl(["--context", "local", "doctor", "-o", "json"], { env: config.env });
    assert.equal(local.code, 0, local.stderr);
    const checks = JSON.parse(local.stdout).checks as { check: string; status: string }[];
    assert.deepEqual(checks.map((c) => c.status), ["ok", "ok", "ok", "ok", "ok", "ok"]);

    const env = { ...config.env, DT_ENVIRONMENT_URL: server.url, DT_API_TOKEN: "dt0s16.TOKEN.VALUE" };
    const served = await runDtctl(["doctor"], { env });
    assert.equal(served.code, 0, served.stderr);
    assert.match(served.stdout, /current user\s+OK\s+Local Developer/);
  } finally {
    await server.stop();
    await config.cleanup();
  }
});

Deno.test("doctor: rejected credentials exit 3 and never print the token", async () => {
  const config = await tempConfig();
  const server = await startServe(["--seed", "empty", "--token", "dt0s16.GOOD.accepted"]);
  try {
    const secret = "dt0s16.BADTOKEN.supersecretvalue123";
    const env = { ...config.env, DT_ENVIRONMENT_URL: server.url, DT_API_TOKEN: secret };
    const result = await runDtctl(["doctor", "-vv"], { env });
    assert.equal(result.code, 3);
    assert.match(result.stdout, /reachable\s+OK/);
    assert.match(result.stdout, /credentials\s+FAIL/);
    assert.doesNotMatch(result.stdout + result.stderr, /supersecretvalue123/);
    const agent = JSON.parse((await runDtctl(["doctor", "-A"], { env })).stdout);
    assert.equal(agent.ok, false);
    assert.equal(agent.error.code, "auth_required");
    assert.equal(agent.error.exit_code, 3);
  } finally {
    await server.stop();
    await config.cleanup();
  }
});

Deno.test("doctor: an unreachable environment fails the reachability check", async () => {
  const config = await tempConfig();
  try {
    // A port nobody listens on: bind one, then close it.
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (listener.addr as Deno.NetAddr).port;
    listener.close();
    const env = { ...config.env, DT_ENVIRONMENT_URL: `http://127.0.0.1:${port}`, DT_API_TOKEN: "dt0s16.X" };
    const result = await runDtctl(["doctor"], { env });
    assert.notEqual(result.code, 0);
    assert.match(result.stdout, /reachable\s+FAIL/);
  } finally {
    await config.cleanup();
  }
});
