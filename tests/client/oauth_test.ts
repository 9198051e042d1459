import assert from "node:assert/strict";
import { ExitCode, isDtctlError } from "../../lib/errors/mod.ts";
import { ApiError, createClient } from "../../lib/client/mod.ts";
import { json, withServer } from "./_helpers.ts";

const CLIENT_ID = "dt0s02.CLIENTID";
const CLIENT_SECRET = "dt0s02.CLIENTID.SUPERSECRETVALUE42";

/** A server playing both SSO (`/sso/oauth2/token`) and the platform; platform calls need the latest token. */
function ssoAndPlatform(opts: { expiresIn?: number; reject?: (token: string) => boolean } = {}) {
  let issued = 0;
  const tokenCalls: URLSearchParams[] = [];
  const handler = (req: Request, { body }: { body: string }) => {
    const url = new URL(req.url);
    if (url.pathname === "/sso/oauth2/token") {
      tokenCalls.push(new URLSearchParams(body));
      issued++;
      return json(200, {
        access_token: `access-${issued}`,
        token_type: "Bearer",
        expires_in: opts.expiresIn ?? 300,
      });
    }
    const auth = req.headers.get("authorization") ?? "";
    const token = auth.replace(/^Bearer /, "");
    if (!auth.startsWith("Bearer access-") || opts.reject?.(token)) {
      return json(401, { error: { code: 401, message: "Unauthorized" } });
    }
    return json(200, { token });
  };
  return { handler, tokenCalls };
}

Deno.test("OAuth: form-encoded client credentials, token cached across requests", async () => {
  const { handler, tokenCalls } = ssoAndPlatform();
  await withServer(handler, async (server) => {
    const client = createClient({
      environment: server.url,
      oauth: {
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        tokenUrl: `${server.url}/sso/oauth2/token`,
        scopes: ["document:documents:read", "storage:logs:read"],
      },
    });
    const a = await client.request<{ token: string }>({ path: "/platform/a" });
    const b = await client.request<{ token: string }>({ path: "/platform/b" });
    assert.equal(a.token, "access-1");
    assert.equal(b.token, "access-1");
    assert.equal(tokenCalls.length, 1);
    const form = tokenCalls[0];
    assert.equal(form.get("grant_type"), "client_credentials");
    assert.equal(form.get("client_id"), CLIENT_ID);
    assert.equal(form.get("client_secret"), CLIENT_SECRET);
    assert.equal(form.get("scope"), "document:documents:read storage:logs:read");
    const tokenRequest = server.requests.find((r) => r.url.pathname === "/sso/oauth2/token")!;
    assert.equal(tokenRequest.method, "POST");
    assert.match(tokenRequest.headers.get("content-type") ?? "", /application\/x-www-form-urlencoded/);
  });
});

Deno.test("OAuth: concurrent requests share one token call", async () => {
  const { handler, tokenCalls } = ssoAndPlatform();
  await withServer(handler, async (server) => {
    const client = createClient({
      environment: server.url,
      oauth: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, tokenUrl: `${server.url}/sso/oauth2/token` },
    });
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => client.request<{ token: string }>({ path: `/platform/${i}` })),
    );
    assert.equal(tokenCalls.length, 1);
    assert.ok(results.every((r) => r.token === "access-1"));
  });
});

Deno.test("OAuth: a token is refreshed shortly before it expires", async () => {
  const { handler, tokenCalls } = ssoAndPlatform({ expiresIn: 300 });
  await withServer(handler, async (server) => {
    let clock = 1_000_000;
    const client = createClient({
      environment: server.url,
      now: () => clock,
      oauth: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, tokenUrl: `${server.url}/sso/oauth2/token` },
    });
    await client.request({ path: "/platform/a" });
    clock += 200_000; // well within the lifetime
    await client.request({ path: "/platform/a" });
    assert.equal(tokenCalls.length, 1);
    clock += 80_000; // 280 s: inside the early-refresh margin (30 s for a 300 s token)
    const r = await client.request<{ token: string }>({ path: "/platform/a" });
    assert.equal(tokenCalls.length, 2);
    assert.equal(r.token, "access-2");
  });
});

Deno.test("OAuth: a 401 refreshes the token once and retries once (also for POST)", async () => {
  const { handler, tokenCalls } = ssoAndPlatform({ reject: (t) => t === "access-1" });
  await withServer(handler, async (server) => {
    const client = createClient({
      environment: server.url,
      oauth: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, tokenUrl: `${server.url}/sso/oauth2/token` },
    });
    const r = await client.request<{ token: string }>({ method: "POST", path: "/platform/a", json: {} });
    assert.equal(r.token, "access-2");
    assert.equal(tokenCalls.length, 2);
    assert.equal(server.requests.filter((q) => q.url.pathname === "/platform/a").length, 2);
  });

  const always = ssoAndPlatform({ reject: () => true });
  await withServer(always.handler, async (server) => {
    const client = createClient({
      environment: server.url,
      oauth: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, tokenUrl: `${server.url}/sso/oauth2/token` },
    });
    const error = await client.request({ path: "/platform/a" }).then(() => assert.fail(), (e) => e);
    assert.ok(error instanceof ApiError && error.code === "auth_required");
    assert.equal(error.exitCode, ExitCode.auth);
    assert.equal(always.tokenCalls.length, 2);
    assert.equal(server.requests.filter((q) => q.url.pathname === "/platform/a").length, 2);
  });
});

Deno.test("OAuth: a failing token endpoint → auth_required naming the URL, never the secret", async () => {
  await withServer(
    (req) =>
      new URL(req.url).pathname === "/sso/oauth2/token"
        ? json(400, { error: "invalid_client", error_description: `bad secret ${CLIENT_SECRET}` })
        : json(200, {}),
    async (server) => {
      const tokenUrl = `${server.url}/sso/oauth2/token`;
      const client = createClient({
        environment: server.url,
        oauth: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, tokenUrl },
      });
      const error = await client.request({ path: "/platform/a" }).then(() => assert.fail(), (e) => e);
      assert.ok(isDtctlError(error, "auth_required"), String(error));
      assert.ok(error.message.includes(tokenUrl), error.message);
      assert.match(error.message, /HTTP 400.*invalid_client/);
      assert.ok(
        !JSON.stringify({ m: error.message, h: error.hint, d: error.details }).includes("SUPERSECRET"),
      );
      assert.equal(server.requests.filter((q) => q.url.pathname === "/platform/a").length, 0);
    },
  );
  // Unreachable token endpoint.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const client = createClient({
    environment: "https://abc.apps.dynatrace.com",
    fetch: (r) => fetch(r),
    oauth: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, tokenUrl: `http://127.0.0.1:${port}/token` },
  });
  await assert.rejects(
    client.request({ path: "/platform/a" }),
    (e: unknown) => isDtctlError(e, "auth_required") && e.message.includes(`127.0.0.1:${port}/token`),
  );
});

Deno.test("OAuth: the default token URL is Dynatrace SSO, reached through the injected fetch", async () => {
  const seen: string[] = [];
  const client = createClient({
    environment: "https://abc.apps.dynatrace.com",
    oauth: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
    fetch: (r) => {
      seen.push(`${r.method} ${r.url}`);
      return Promise.resolve(
        r.url.startsWith("https://sso.dynatrace.com")
          ? json(200, { access_token: "eyJx.eyJy.z", expires_in: 300 })
          : json(200, { auth: r.headers.get("authorization") }),
      );
    },
  });
  const r = await client.request<{ auth: string }>({ path: "/platform/x" });
  assert.equal(r.auth, "Bearer eyJx.eyJy.z");
  assert.deepEqual(seen, [
    "POST https://sso.dynatrace.com/sso/oauth2/token",
    "GET https://abc.apps.dynatrace.com/platform/x",
  ]);
});
