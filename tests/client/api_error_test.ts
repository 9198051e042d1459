import assert from "node:assert/strict";
import { ExitCode } from "../../lib/errors/mod.ts";
import { ApiError, createClient, parseApiError } from "../../lib/client/mod.ts";
import { json, TOKEN, withServer } from "./_helpers.ts";

const URL_ = "https://abc.apps.dynatrace.com/platform/document/v1/documents/d1";

function parse(status: number, body: unknown, headers: Record<string, string> = {}, method = "GET") {
  return parseApiError({
    status,
    headers: new Headers(headers),
    bodyText: typeof body === "string" ? body : JSON.stringify(body),
    method,
    url: URL_,
  });
}

Deno.test("query family: details.errorType, constraintViolations, missingScopes, retryAfterSeconds", () => {
  const e = parse(400, {
    error: {
      code: 400,
      message: "PARSE_ERROR_UNEXPECTED_TOKEN",
      details: {
        errorType: "PARSE_ERROR_UNEXPECTED_TOKEN",
        exceptionType: "DQL-SYNTAX-ERROR",
        errorMessage: "There's an unexpected token.",
        syntaxErrorPosition: { start: { line: 1, column: 7 }, end: { line: 1, column: 8 } },
        constraintViolations: [{ path: "query", message: "bad token" }],
      },
      retryAfterSeconds: 3,
    },
  });
  assert.equal(e.code, "validation_error");
  assert.equal(e.apiCode, 400);
  assert.deepEqual(e.constraintViolations, [{ path: "query", message: "bad token" }]);
  assert.equal(e.retryAfterSeconds, 3);
  assert.match(e.message, /GET \/platform\/document\/v1\/documents\/d1 returned 400 Bad Request/);
  assert.match(e.message, /unexpected token/);
  assert.match(e.message, /line 1, column 7/);
  assert.match(e.message, /query: bad token/);

  const scopes = parse(403, {
    error: {
      code: 403,
      message: "Forbidden",
      details: { missingScopes: ["storage:logs:read"], errorType: "X" },
    },
  });
  assert.equal(scopes.code, "insufficient_scope");
  assert.deepEqual(scopes.missingScopes, ["storage:logs:read"]);
  assert.match(scopes.hint!, /storage:logs:read/);
  assert.equal(scopes.exitCode, ExitCode.permission);
});

Deno.test("platform family: details.errorRef and constraintViolations", () => {
  const e = parse(
    400,
    {
      error: {
        code: 400,
        message: "Invalid request",
        details: {
          errorRef: "ref-123",
          errorCode: "INVALID",
          constraintViolations: [{ path: "name", message: "too long" }],
        },
      },
    },
    {},
    "POST",
  );
  assert.equal(e.code, "validation_error");
  assert.equal(e.errorRef, "ref-123");
  assert.equal(e.requestId, "ref-123");
  assert.deepEqual(e.constraintViolations, [{ path: "name", message: "too long" }]);
  assert.match(e.message, /POST .*Invalid request.*name: too long.*request id ref-123/);
});

Deno.test("storage family: errorDetails array", () => {
  const e = parse(400, {
    error: {
      code: 400,
      message: "Bad segment",
      errorDetails: [{ message: "Unknown field", parameterDescriptor: "filter", "@type": "x" }, {
        message: "second",
      }],
    },
  });
  assert.equal(e.code, "validation_error");
  assert.deepEqual(e.constraintViolations, [{ path: "filter", message: "Unknown field" }, {
    path: "",
    message: "second",
  }]);
  assert.match(e.message, /Bad segment \[filter: Unknown field; second\]/);
});

Deno.test("classic family: constraintViolations directly under error", () => {
  const e = parse(400, {
    error: {
      code: 400,
      message: "Constraints violated.",
      constraintViolations: [{
        path: "value.name",
        message: "must not be empty",
        parameterLocation: "PAYLOAD_BODY",
      }],
    },
  });
  assert.equal(e.code, "validation_error");
  assert.deepEqual(e.constraintViolations, [{ path: "value.name", message: "must not be empty" }]);
});

Deno.test("bare {message}, details as string, HTML, non-JSON text and empty bodies", () => {
  const bare = parse(500, { message: "Something broke" });
  assert.equal(bare.code, "server_error");
  assert.match(bare.message, /Something broke/);

  const detailString = parse(403, {
    error: { code: 403, message: "Denied", details: "no access to bucket x" },
  });
  assert.equal(detailString.code, "permission_denied");
  assert.match(detailString.message, /Denied no access to bucket x/);

  const html = parse(
    502,
    "<html><head><title>502 Bad Gateway</title></head><body><h1>nginx</h1></body></html>",
    { "content-type": "text/html" },
  );
  assert.equal(html.code, "server_error");
  assert.match(html.message, /returned 502 Bad Gateway: 502 Bad Gateway/);
  assert.ok(!html.message.includes("<"));
  assert.equal(typeof html.raw, "string");

  const text = parse(503, "upstream connect error");
  assert.match(text.message, /upstream connect error/);

  const empty = parse(404, "", { "x-request-id": "rid-9" });
  assert.equal(empty.code, "not_found");
  assert.match(empty.message, /empty response body/);
  assert.equal(empty.requestId, "rid-9");
  assert.equal(empty.raw, undefined);

  const dtRid = parse(500, "", { "dynatrace-request-id": "dt-7" });
  assert.equal(dtRid.requestId, "dt-7");
});

Deno.test("status mapping, resource naming and hints", () => {
  const resource = { kind: "workflow", name: "nightly" };
  const mk = (status: number, body: unknown = { error: { code: status, message: "m" } }, headers = {}) =>
    parseApiError({
      status,
      headers: new Headers(headers),
      bodyText: JSON.stringify(body),
      method: "GET",
      url: URL_,
      resource,
    });
  const nf = mk(404);
  assert.equal(nf.code, "not_found");
  assert.match(nf.message, /^workflow "nightly" not found: GET /);
  assert.match(nf.hint!, /name or id/);
  assert.match(mk(401).hint!, /expired/);
  assert.equal(mk(401).code, "auth_required");
  assert.equal(mk(403).code, "permission_denied");
  assert.equal(mk(409).code, "conflict");
  assert.match(mk(409).hint!, /re-read/);
  assert.equal(mk(412).code, "conflict");
  assert.equal(mk(400).code, "bad_request");
  assert.equal(mk(415).code, "bad_request");
  const limited = mk(429, { error: { code: 429, message: "slow down" } }, { "retry-after": "7" });
  assert.equal(limited.code, "rate_limited");
  assert.equal(limited.retryAfterSeconds, 7);
  assert.equal(mk(500).code, "server_error");
  assert.equal(mk(507).code, "server_error");
});

Deno.test("parseApiError keeps secrets echoed by the server out of the message", () => {
  const e = parseApiError({
    status: 400,
    headers: new Headers(),
    bodyText: JSON.stringify({ error: { code: 400, message: `bad token ${TOKEN}` } }),
    method: "GET",
    url: `${URL_}?api-token=${TOKEN}`,
  });
  assert.ok(!e.message.includes("TESTSECRETVALUE"), e.message);
  assert.ok(!e.url.includes("TESTSECRETVALUE"), e.url);
});

Deno.test("real server: error statuses become codes and exit codes", async () => {
  const cases: Array<[number, string, number]> = [
    [400, "bad_request", ExitCode.error],
    [401, "auth_required", ExitCode.auth],
    [403, "permission_denied", ExitCode.permission],
    [404, "not_found", ExitCode.notFound],
    [409, "conflict", ExitCode.conflict],
    [429, "rate_limited", ExitCode.error],
    [500, "server_error", ExitCode.error],
    [503, "server_error", ExitCode.error],
  ];
  await withServer(
    (req) => {
      const status = Number(new URL(req.url).searchParams.get("status"));
      return json(status, {
        error: { code: status, message: `status ${status}`, details: { errorRef: "r1" } },
      });
    },
    async (server) => {
      const client = createClient({
        environment: server.url,
        token: TOKEN,
        retry: { maxAttempts: 1 },
      });
      for (const [status, code, exit] of cases) {
        const error = await client.request({ path: "/platform/x", query: { status } }).then(
          () => assert.fail("expected an error"),
          (e) => e,
        );
        assert.ok(error instanceof ApiError, String(error));
        assert.equal(error.status, status);
        assert.equal(error.code, code);
        assert.equal(error.exitCode, exit);
        assert.equal(error.method, "GET");
        assert.equal(error.requestId, "r1");
        assert.match(error.message, new RegExp(`status ${status}`));
      }
      assert.equal(server.requests.length, cases.length);
    },
  );
});
