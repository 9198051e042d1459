import assert from "node:assert/strict";
import { unifiedDiff } from "../../lib/diff/mod.ts";
import { redactChange, redactDiff } from "../../lib/plan/render_redact.ts";

Deno.test("redactDiff: secret-named YAML keys are hidden on both sides, structure kept", () => {
  const live = {
    connection: { url: "https://hooks.example.com", password: "hunter2", token: "" },
    name: "x",
  };
  const desired = {
    connection: { url: "https://hooks.example.com", password: "correct-horse", token: null },
    name: "y",
  };
  const diff = unifiedDiff("Setting/slack", live, desired);
  const out = redactDiff(diff);
  assert.ok(!out.includes("hunter2") && !out.includes("correct-horse"), out);
  assert.match(out, /^- {2}password: \*\*\*$/m);
  assert.match(out, /^\+ {2}password: \*\*\*$/m);
  assert.match(out, /^- {2}token: ""$/m, "empty values stay visible");
  assert.match(out, /^\+ {2}token: null$/m);
  assert.equal(out.split("\n").length, diff.split("\n").length);
  assert.match(out, /^\+name: y$/m);
});

Deno.test("redactDiff: block scalars, nested mappings and lists under secret keys, quoted keys", () => {
  const desired = {
    clientSecret: "line one\nline two\n",
    secrets: { a: "alpha-value", b: ["beta-value"] },
    "api-key": "quoted-key-value",
    list: [{ apiToken: "in-a-list-value", name: "n" }],
    after: "visible",
  };
  const out = redactDiff(unifiedDiff("X/y", undefined, desired));
  for (
    const hidden of [
      "line one",
      "line two",
      "alpha-value",
      "beta-value",
      "quoted-key-value",
      "in-a-list-value",
    ]
  ) {
    assert.ok(!out.includes(hidden), `${hidden} survived:\n${out}`);
  }
  assert.match(out, /^\+after: visible$/m);
  assert.match(out, /^\+ {4}name: n$/m);
});

Deno.test("redactDiff: token-shaped strings and known secrets anywhere, headers untouched", () => {
  const diff = unifiedDiff("Workflow/w", { note: "a" }, {
    note: "use dt0s16.ABCDEFG.HIJKLMNOP and opaque-42",
  });
  const out = redactDiff(diff, ["opaque-42"]);
  assert.ok(out.startsWith("--- live/Workflow/w\n+++ desired/Workflow/w\n@@ "));
  assert.match(out, /\+note: use dt0s16\.\*\*\* and \*\*\*/);
});

Deno.test("redactChange: secret paths hide values, other values are redacted deeply", () => {
  assert.deepEqual(
    redactChange({ path: "/connection/password", op: "replace", before: "a", after: "b" }),
    { path: "/connection/password", op: "replace", before: "***", after: "***" },
  );
  assert.deepEqual(
    redactChange({ path: "/connection", op: "add", after: { token: "t", user: "u" } }),
    { path: "/connection", op: "add", after: { token: "***", user: "u" } },
  );
  assert.deepEqual(redactChange({ path: "/token", op: "remove", before: "" }), {
    path: "/token",
    op: "remove",
    before: "",
  });
});
