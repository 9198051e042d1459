import assert from "node:assert/strict";
import { REDACTED, redactText, redactValue } from "../../lib/redact/mod.ts";

Deno.test("redactText: token-shaped strings keep only their prefix", () => {
  assert.equal(redactText("token dt0s16.ABCDEF.GHIJKL used"), "token dt0s16.*** used");
  assert.equal(redactText("classic dt0c01.PUB.SECRET-x_y"), "classic dt0c01.***");
  assert.equal(redactText('{"t":"dt0s02.CLIENT.SECRET"}'), '{"t":"dt0s02.***"}');
  assert.equal(REDACTED, "***");
});

Deno.test("redactText: auth schemes, JWTs, form fields, JSON members, cookies, URL credentials", () => {
  assert.equal(redactText("Authorization: Bearer abc.def"), "Authorization: Bearer ***");
  assert.equal(redactText("authorization: Api-Token xyz"), "authorization: Api-Token ***");
  assert.equal(redactText("Authorization: opaque-value"), "Authorization: ***");
  assert.equal(redactText("> authorization: Bearer short"), "> authorization: Bearer ***");
  assert.equal(
    redactText('error: header "Bearer abcdefgh1234" rejected'),
    'error: header "Bearer ***" rejected',
  );
  assert.equal(
    redactText("jwt eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl end"),
    "jwt *** end",
  );
  assert.equal(
    redactText("grant_type=client_credentials&client_id=abc&client_secret=s3cr3t%2F&scope=a+b"),
    "grant_type=client_credentials&client_id=abc&client_secret=***&scope=a+b",
  );
  assert.equal(
    redactText('{"access_token": "opaque\\"quoted", "expires_in": 300}'),
    '{"access_token": "***", "expires_in": 300}',
  );
  assert.equal(redactText('{"password":"p","name":"n"}'), '{"password":"***","name":"n"}');
  assert.equal(redactText("< set-cookie: session=abc; Path=/"), "< set-cookie: ***");
  assert.equal(redactText("Cookie: a=b"), "Cookie: ***");
  assert.equal(redactText("see https://user:pw@host.example.com/x"), "see https://***@host.example.com/x");
});

Deno.test("redactText: known secrets in raw, JSON-escaped, percent- and form-encoded form", () => {
  const secret = 'p@ss w"rd/+&';
  const text = [
    `raw ${secret}`,
    `json ${JSON.stringify({ v: secret })}`,
    `url ?x=${encodeURIComponent(secret)}`,
    `form ${new URLSearchParams({ v: secret })}`,
  ].join("\n");
  const out = redactText(text, [secret]);
  assert.equal(out, 'raw ***\njson {"v":"***"}\nurl ?x=***\nform v=***');
});

Deno.test("redactText: ordinary text is left alone", () => {
  const text = "GET https://abc.apps.dynatrace.com/platform/document/v1/documents?page-size=20 200 12ms\n" +
    '{"documents":[{"id":"my-dash","name":"Bearer of news","version":3}],"nextPageKey":"abc"}';
  assert.equal(redactText(text), text);
  assert.equal(redactText("plain", ["", "xyz"]), "plain");
});

Deno.test("redactValue: deep copy, secret keys masked, strings redacted, input untouched", () => {
  const input = {
    name: "prod",
    token: "dt0s16.AAA.BBB",
    oauth: { clientId: "id", clientSecret: "topsecret", tokenUrl: "https://sso.example.com" },
    headers: { Authorization: "Bearer x", Cookie: "a=b", "X-Api-Key": "k", apiKey: "k2" },
    notes: ["uses dt0c01.PUB.SECRET", 5, null, true],
    emptyPassword: "",
    unsetToken: undefined,
    when: new Date(0),
  };
  const out = redactValue(input);
  assert.deepEqual(out, {
    name: "prod",
    token: "***",
    oauth: { clientId: "id", clientSecret: "***", tokenUrl: "***" },
    headers: { Authorization: "***", Cookie: "***", "X-Api-Key": "***", apiKey: "***" },
    notes: ["uses dt0c01.***", 5, null, true],
    emptyPassword: "",
    unsetToken: undefined,
    when: new Date(0),
  });
  assert.equal(input.token, "dt0s16.AAA.BBB");
  assert.notEqual(out.when, input.when);
  assert.equal(redactValue("x secret-value y", ["secret-value"]), "x *** y");
  assert.equal(redactValue(42), 42);
});

Deno.test("redactValue: cycles are preserved, not followed forever", () => {
  const a: Record<string, unknown> = { name: "a" };
  a.self = a;
  const out = redactValue(a);
  assert.equal(out.self, out);
  assert.notEqual(out, a);
});

Deno.test("redactValue: a parsed __proto__ key stays data and is redacted like any other", () => {
  const input = JSON.parse('{"__proto__": {"password": "p4ss", "note": "dt0s16.AAA.BBB"}, "x": 1}');
  const out = redactValue(input);
  assert.equal(Object.getPrototypeOf(out), Object.prototype);
  assert.deepEqual(
    JSON.parse(JSON.stringify(out)),
    JSON.parse('{"__proto__": {"password": "***", "note": "dt0s16.***"}, "x": 1}'),
  );
  assert.equal(JSON.stringify(out), '{"__proto__":{"password":"***","note":"dt0s16.***"},"x":1}');
});

Deno.test("redactValue: secrets used as keys are redacted as well", () => {
  assert.deepEqual(redactValue({ "dt0s16.AAA.BBB": { kind: "platform" }, plain: 1 }), {
    "dt0s16.***": { kind: "platform" },
    plain: 1,
  });
  assert.deepEqual(redactValue({ "my-key-s3cr3t": 1 }, ["s3cr3t"]), { "my-key-***": 1 });
});
