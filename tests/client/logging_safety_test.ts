import assert from "node:assert/strict";
import { DtctlError, ExitCode, isDtctlError } from "../../lib/errors/mod.ts";
import { createClient, type SafetyCheck } from "../../lib/client/mod.ts";
import { json, recordingSleep, TOKEN, withServer } from "./_helpers.ts";

const CLIENT_SECRET = "dt0s02.CLIENT.VERYSECRETCLIENTSECRET";
const ACCESS_TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzZXJ2aWNlLXVzZXIifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ";

Deno.test("-v logs one line per request and per retry", async () => {
  await withServer(
    (_req, { index }) => (index === 0 ? json(503, {}) : json(200, { ok: 1 })),
    async (server) => {
      const lines: string[] = [];
      const client = createClient({
        environment: server.url,
        token: TOKEN,
        verbosity: 1,
        log: (l) => lines.push(l),
        sleep: recordingSleep().sleep,
        random: () => 0.5,
      });
      await client.request({ path: "/platform/x", query: { a: 1 } });
      assert.equal(lines.length, 3, lines.join("\n"));
      assert.match(lines[0], new RegExp(`^GET ${server.url}/platform/x\\?a=1 503 \\d+ms`));
      assert.match(lines[1], /HTTP 503, retrying in 250ms \(backoff\), attempt 2\/4/);
      assert.match(lines[2], /^GET .* 200 \d+ms$/);
    },
  );
});

Deno.test("-vv logs headers and bodies with the token redacted", async () => {
  await withServer(
    () =>
      json(200, { echoed: TOKEN, password: "hunter2hunter2", note: "x".repeat(10_000) }, {
        "set-cookie": "s=abc123",
      }),
    async (server) => {
      const lines: string[] = [];
      const client = createClient({
        environment: server.url,
        token: TOKEN,
        verbosity: 2,
        log: (l) => lines.push(l),
      });
      await client.request({
        method: "POST",
        path: "/platform/x",
        query: { "api-token": TOKEN },
        json: { token: TOKEN, nested: { value: `Bearer ${TOKEN}` } },
        headers: { cookie: "session=abc123" },
      });
      const out = lines.join("\n");
      assert.ok(!out.includes("TESTSECRETVALUE"), out);
      assert.ok(!out.includes("TESTPUBLIC"), "the token body is hidden, only its prefix shows");
      assert.ok(!out.includes("hunter2hunter2"));
      assert.ok(!out.includes("abc123"));
      assert.match(out, /> authorization: Bearer \*\*\*/);
      assert.match(out, /> content-type: application\/json/);
      assert.match(out, /< set-cookie: \*\*\*/);
      assert.match(out, /more characters\)/, "long bodies are truncated");
      assert.ok(out.length < 20_000);
    },
  );
});

Deno.test("-vv with OAuth: client secret and access token never appear", async () => {
  await withServer((req) => {
    if (new URL(req.url).pathname === "/sso/oauth2/token") {
      return json(200, { access_token: ACCESS_TOKEN, expires_in: 300 });
    }
    return json(401, { error: { code: 401, message: `token ${req.headers.get("authorization")} expired` } });
  }, async (server) => {
    const lines: string[] = [];
    const client = createClient({
      environment: server.url,
      verbosity: 2,
      log: (l) => lines.push(l),
      oauth: {
        clientId: "dt0s02.CLIENT",
        clientSecret: CLIENT_SECRET,
        tokenUrl: `${server.url}/sso/oauth2/token`,
      },
    });
    const error = await client.request({ path: "/platform/x" }).then(() => assert.fail(), (e) => e);
    assert.ok(isDtctlError(error, "auth_required"));
    const out = lines.join("\n") + error.message + JSON.stringify(error.details);
    for (
      const secret of [CLIENT_SECRET, "VERYSECRETCLIENTSECRET", ACCESS_TOKEN, "c2lnbmF0dXJlLXNpZ25hdHVyZQ"]
    ) {
      assert.ok(!out.includes(secret), `${secret} leaked:\n${out}`);
    }
    assert.match(out, /client_secret=\*\*\*/);
    assert.match(out, /POST .*\/sso\/oauth2\/token 200 \d+ms/);
    assert.match(out, /refreshing the OAuth access token/);
  });
});

Deno.test("verbosity 0 logs nothing", async () => {
  await withServer(() => json(200, {}), async (server) => {
    const lines: string[] = [];
    const client = createClient({ environment: server.url, token: TOKEN, log: (l) => lines.push(l) });
    await client.request({ path: "/platform/x" });
    assert.deepEqual(lines, []);
  });
});

Deno.test("safety guard: called once before every write, never for reads; a refusal sends nothing", async () => {
  await withServer(() => json(200, {}), async (server) => {
    const checks: SafetyCheck[] = [];
    const client = createClient({
      environment: server.url,
      token: TOKEN,
      safety: (check) => {
        checks.push(check);
        if (check.operation === "delete") {
          throw new DtctlError("safety_blocked", `delete of ${check.resource?.name} blocked by safety level`);
        }
      },
    });
    await client.request({ path: "/platform/x" });
    await client.request({ method: "HEAD", path: "/platform/x", expect: "response" });
    await client.request({
      method: "POST",
      path: "/platform/storage/query/v1/query:execute",
      json: {},
      operation: "read",
    });
    await client.request({
      method: "POST",
      path: "/platform/a",
      json: {},
      resource: { kind: "workflow", name: "w" },
    });
    await client.request({ method: "PUT", path: "/platform/b", json: {} });
    await client.request({ method: "PATCH", path: "/platform/c", json: {} });
    const error = await client.request({
      method: "DELETE",
      path: "/platform/d",
      resource: { kind: "document", name: "doc-1", owner: "u1" },
    }).then(() => assert.fail(), (e) => e);
    assert.ok(isDtctlError(error, "safety_blocked"));
    assert.equal(error.exitCode, ExitCode.permission);
    assert.deepEqual(checks.map((c) => `${c.operation} ${c.method} ${c.path}`), [
      "create POST /platform/a",
      "update PUT /platform/b",
      "update PATCH /platform/c",
      "delete DELETE /platform/d",
    ]);
    assert.deepEqual(checks[0].resource, { kind: "workflow", name: "w" });
    assert.deepEqual(checks[3].resource, { kind: "document", name: "doc-1", owner: "u1" });
    assert.deepEqual(server.requests.map((r) => r.method), ["GET", "HEAD", "POST", "POST", "PUT", "PATCH"]);
  });
});

Deno.test("safety guard runs once per request, not per retry", async () => {
  await withServer((_req, { index }) => (index < 2 ? json(503, {}) : json(200, {})), async (server) => {
    let calls = 0;
    const client = createClient({
      environment: server.url,
      token: TOKEN,
      sleep: recordingSleep().sleep,
      safety: () => {
        calls++;
      },
    });
    await client.request({ method: "POST", path: "/platform/x", json: {} });
    assert.equal(calls, 1);
    assert.equal(server.requests.length, 3);
  });
});

Deno.test("response modes: json, empty/204, text, bytes, response; invalid JSON is a clear error", async () => {
  await withServer((req) => {
    switch (new URL(req.url).pathname) {
      case "/json":
        return json(200, { a: 1 });
      case "/empty":
        return new Response(null, { status: 204 });
      case "/blank":
        return new Response("", { status: 200 });
      case "/bytes":
        return new Response(new Uint8Array([0, 255, 1]), {
          headers: { "content-type": "application/octet-stream" },
        });
      case "/html":
        return new Response("<html>login</html>", { headers: { "content-type": "text/html" } });
      default:
        return new Response("plain", { headers: { "content-type": "text/plain" } });
    }
  }, async (server) => {
    const client = createClient({ environment: server.url, token: TOKEN });
    assert.deepEqual(await client.request({ path: "/json" }), { a: 1 });
    assert.equal(await client.request({ method: "DELETE", path: "/empty" }), undefined);
    assert.equal(await client.request({ path: "/blank" }), undefined);
    assert.equal(await client.request({ path: "/text", expect: "text" }), "plain");
    assert.deepEqual(await client.request({ path: "/bytes", expect: "bytes" }), new Uint8Array([0, 255, 1]));
    const response = await client.request<Response>({ path: "/text", expect: "response" });
    assert.equal(await response.text(), "plain");
    await assert.rejects(
      client.request({ path: "/html" }),
      (e: unknown) => isDtctlError(e, "server_error") && /not valid JSON/.test(e.message),
    );
    await assert.rejects(
      client.request({ path: "/json", json: { a: 1 } }),
      (e: unknown) => isDtctlError(e, "error"),
    );
  });
});

Deno.test("FormData bodies are replayed intact on a safe retry", async () => {
  await withServer((_req, { index }) => (index === 0 ? json(429, {}) : json(201, {})), async (server) => {
    const client = createClient({ environment: server.url, token: TOKEN, sleep: recordingSleep().sleep });
    const form = new FormData();
    form.append("name", "My dash");
    form.append("type", "dashboard");
    form.append("content", new Blob(['{"tiles":{}}'], { type: "application/json" }), "content.json");
    await client.request({ method: "POST", path: "/platform/document/v1/documents", body: form });
    assert.equal(server.requests.length, 2);
    for (const r of server.requests) {
      assert.match(r.headers.get("content-type") ?? "", /^multipart\/form-data; boundary=/);
      assert.match(r.body, /name="content"; filename="content.json"[\s\S]*\{"tiles":\{\}\}/);
    }
  });
});
