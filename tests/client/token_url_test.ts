import assert from "node:assert/strict";
import { ExitCode, isDtctlError } from "../../lib/errors/mod.ts";
import { buildUrl, classifyToken, createClient, normalizeEnvironmentUrl } from "../../lib/client/mod.ts";
import { json, TOKEN, withServer } from "./_helpers.ts";

Deno.test("classifyToken: prefixes decide the kind", () => {
  assert.equal(classifyToken("dt0s16.ABC.DEF"), "platform");
  assert.equal(classifyToken("dt0c01.ABC.DEF"), "classic");
  assert.equal(classifyToken("dt0s12.dtctl-prod"), "oauth-client-id");
  assert.equal(classifyToken("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.sig"), "oauth");
  assert.equal(classifyToken("  dt0s16.padded  "), "platform");
  assert.equal(classifyToken("dt0s02.SECRET"), "oauth");
});

Deno.test("auth header: Bearer for platform and OAuth tokens, Api-Token for classic tokens", async () => {
  await withServer(() => json(200, {}), async (server) => {
    for (
      const [token, expected] of [
        [TOKEN, `Bearer ${TOKEN}`],
        ["dt0c01.PUB.SECRET", "Api-Token dt0c01.PUB.SECRET"],
        ["eyJhbGciOiJIUzI1NiJ9.eyJhIjoxfQ.c2ln", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJhIjoxfQ.c2ln"],
      ]
    ) {
      const client = createClient({ environment: server.url, token });
      await client.request({ path: "/platform/x" });
      assert.equal(server.requests.at(-1)!.headers.get("authorization"), expected);
    }
  });
});

Deno.test("an OAuth client id given as a token is refused with an explanation", () => {
  assert.throws(
    () => createClient({ environment: "https://abc12345.apps.dynatrace.com", token: "dt0s12.dtctl-prod" }),
    (e: unknown) =>
      isDtctlError(e, "config_error") && /OAuth client id/.test(e.message) &&
      /client secret/.test(e.hint ?? ""),
  );
});

Deno.test("token and oauth together are refused", () => {
  assert.throws(
    () =>
      createClient({
        environment: "https://abc12345.apps.dynatrace.com",
        token: TOKEN,
        oauth: { clientId: "dt0s02.ID", clientSecret: "dt0s02.ID.SECRET" },
      }),
    (e: unknown) => isDtctlError(e, "config_error"),
  );
});

Deno.test("normalizeEnvironmentUrl: scheme added, path and trailing slash dropped", () => {
  assert.equal(normalizeEnvironmentUrl("abc12345.apps.dynatrace.com"), "https://abc12345.apps.dynatrace.com");
  assert.equal(
    normalizeEnvironmentUrl("  https://abc12345.apps.dynatrace.com/  "),
    "https://abc12345.apps.dynatrace.com",
  );
  assert.equal(
    normalizeEnvironmentUrl(
      "https://ABC12345.apps.dynatrace.com/ui/apps/dynatrace.notebooks/notebook/x?a=1#f",
    ),
    "https://abc12345.apps.dynatrace.com",
  );
  assert.equal(normalizeEnvironmentUrl("https://host.example.com:8443/"), "https://host.example.com:8443");
});

Deno.test("normalizeEnvironmentUrl: loopback http accepted (emulator), remote http refused", () => {
  assert.equal(normalizeEnvironmentUrl("http://127.0.0.1:8787/"), "http://127.0.0.1:8787");
  assert.equal(normalizeEnvironmentUrl("http://localhost:8787"), "http://localhost:8787");
  assert.equal(normalizeEnvironmentUrl("localhost:8787"), "http://localhost:8787");
  assert.equal(normalizeEnvironmentUrl("127.0.0.1:9"), "http://127.0.0.1:9");
  assert.equal(normalizeEnvironmentUrl("http://local.dtctl.invalid"), "http://local.dtctl.invalid");
  assert.throws(
    () => normalizeEnvironmentUrl("http://abc12345.apps.dynatrace.com"),
    (e: unknown) =>
      isDtctlError(e, "config_error") && /https:\/\/abc12345\.apps\.dynatrace\.com/.test(e.hint ?? ""),
  );
});

Deno.test("normalizeEnvironmentUrl: classic live URL rejected with the exact platform URL", () => {
  assert.throws(
    () => normalizeEnvironmentUrl("https://abc12345.live.dynatrace.com/e/x"),
    (e: unknown) =>
      isDtctlError(e, "config_error") &&
      e.message.includes("classic") &&
      (e.hint ?? "").includes("https://abc12345.apps.dynatrace.com") &&
      e.exitCode === ExitCode.error,
  );
  assert.throws(
    () => normalizeEnvironmentUrl("xyz.sprint.dynatracelabs.com"),
    (e: unknown) =>
      isDtctlError(e, "config_error") && (e.hint ?? "").includes("https://xyz.sprint.apps.dynatracelabs.com"),
  );
});

Deno.test("normalizeEnvironmentUrl: malformed input explained", () => {
  for (const bad of ["", "   ", "https://", "https://exa mple.com", "ftp://abc.apps.dynatrace.com"]) {
    assert.throws(
      () => normalizeEnvironmentUrl(bad),
      (e: unknown) => isDtctlError(e, "config_error") && !!e.hint,
      bad,
    );
  }
  assert.throws(
    () => normalizeEnvironmentUrl("https://user:hunter2@abc.apps.dynatrace.com"),
    (e: unknown) =>
      isDtctlError(e, "config_error") && !e.message.includes("hunter2") && /credentials/.test(e.message),
  );
});

Deno.test("buildUrl: repeated or comma-joined arrays, omitted empties, %20 for spaces", () => {
  const base = "https://abc.apps.dynatrace.com";
  const q = {
    "add-fields": ["a", "b"],
    skip: undefined,
    none: null,
    empty: [],
    flag: true,
    n: 5,
    filter: "name = 'a b'",
  };
  assert.equal(
    buildUrl(base, "/p", q).search,
    "?add-fields=a&add-fields=b&flag=true&n=5&filter=name%20%3D%20%27a%20b%27",
  );
  assert.equal(
    buildUrl(base, "/p", { state: ["RUNNING", "ERROR"] }, "comma").search,
    "?state=RUNNING,ERROR",
  );
  assert.throws(() => buildUrl(base, "relative"), (e: unknown) => isDtctlError(e, "error"));
  assert.throws(() => buildUrl(base, "//evil.example.com/x"), (e: unknown) => isDtctlError(e, "error"));
});

Deno.test("request: query arrays, user agent and client context reach the server", async () => {
  await withServer(() => json(200, { ok: true }), async (server) => {
    const client = createClient({ environment: server.url, token: TOKEN, clientContext: "ctx-1" });
    const body = await client.request<{ ok: boolean }>({
      path: "/platform/automation/v1/workflows",
      query: { lastExecution__state__in: ["RUNNING", "ERROR"], adminAccess: false },
      arrayFormat: "comma",
    });
    assert.deepEqual(body, { ok: true });
    const seen = server.requests[0];
    assert.equal(seen.url.searchParams.get("lastExecution__state__in"), "RUNNING,ERROR");
    assert.equal(seen.url.searchParams.get("adminAccess"), "false");
    assert.match(seen.headers.get("user-agent") ?? "", /^dtctl\/\d+\.\d+\.\d+/);
    assert.equal(seen.headers.get("dt-client-context"), "ctx-1");
  });
});
