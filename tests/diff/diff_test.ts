import assert from "node:assert/strict";
import jsonpatch from "fast-json-patch";
import type { Operation } from "fast-json-patch";
import {
  applyJsonPatch,
  canonicalize,
  compareCodePoints,
  comparePointers,
  diffObjects,
  escapePointerSegment,
  formatPointer,
  jsonPatch,
  parsePointer,
  semanticEqual,
  toCanonicalYaml,
  unifiedDiff,
} from "../../lib/diff/mod.ts";
import { isDtctlError } from "../../lib/errors/mod.ts";

const { applyPatch, deepClone } = jsonpatch;

// The plan contract types operations loosely (one interface for all ops); fast-json-patch wants its union.
const ops = (patch: unknown) => patch as Operation[];

Deno.test("canonicalize: sorted keys by code point, undefined dropped, arrays kept, scalars unchanged", () => {
  const input = {
    b: 1,
    a: { z: [3, { y: undefined, x: "s" }], "\u{10000}": true, "\uff00": null },
    c: undefined,
  };
  const out = canonicalize(input);
  assert.equal(JSON.stringify(out), '{"a":{"z":[3,{"x":"s"}],"＀":null,"𐀀":true},"b":1}');
  assert.notEqual(out, input);
  assert.deepEqual(input.a.z[1], { y: undefined, x: "s" }, "the input is not modified");
  assert.deepEqual(canonicalize([undefined, 1]), [null, 1]);
  assert.equal(canonicalize("x"), "x");
  assert.equal(canonicalize(null), null);
  assert.equal(canonicalize(undefined), undefined);
  assert.equal(canonicalize(new Date("2026-01-02T03:04:05Z")), "2026-01-02T03:04:05.000Z");
});

Deno.test("canonicalize: __proto__ stays a data member", () => {
  const input = JSON.parse('{"__proto__":{"polluted":1},"a":1}');
  const out = canonicalize(input) as Record<string, unknown>;
  assert.deepEqual(Object.keys(out), ["__proto__", "a"]);
  assert.equal(Object.getPrototypeOf(out), Object.prototype);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

Deno.test("canonicalize: a cycle is a validation_error, shared subtrees are fine", () => {
  const shared = { x: 1 };
  assert.deepEqual(canonicalize({ a: shared, b: shared }), { a: { x: 1 }, b: { x: 1 } });
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  assert.throws(() => canonicalize(cyclic), (e) => isDtctlError(e, "validation_error"));
});

Deno.test("compareCodePoints: code-point order, not UTF-16 unit order", () => {
  assert.ok(compareCodePoints("\uff00", "\u{10000}") < 0);
  assert.ok(compareCodePoints("a", "b") < 0);
  assert.ok(compareCodePoints("ab", "a") > 0);
  assert.equal(compareCodePoints("x", "x"), 0);
});

Deno.test("pointers: RFC 6901 escaping, parsing and ordering", () => {
  assert.equal(escapePointerSegment("a/b~c"), "a~1b~0c");
  assert.equal(formatPointer(["tasks", "a/b", 0, "~1"]), "/tasks/a~1b/0/~01");
  assert.deepEqual(parsePointer("/tasks/a~1b/0/~01"), ["tasks", "a/b", "0", "~1"]);
  assert.deepEqual(parsePointer(""), []);
  assert.deepEqual(parsePointer("/"), [""]);
  assert.throws(() => parsePointer("tasks"), (e) => isDtctlError(e, "validation_error"));
  assert.throws(() => parsePointer("/a~2"), (e) => isDtctlError(e, "validation_error"));
  const sorted = ["/a/10", "/a/b", "/a/2", "/a", "/b", "/a/9a"].sort(comparePointers);
  assert.deepEqual(sorted, ["/a", "/a/2", "/a/10", "/a/9a", "/a/b", "/b"]);
});

Deno.test("semanticEqual: key order, undefined members and -0 do not matter", () => {
  assert.ok(semanticEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2, d: undefined }], a: 1 }));
  assert.ok(semanticEqual(0, -0));
  assert.ok(!semanticEqual([1, 2], [2, 1]));
  assert.ok(!semanticEqual({ a: null }, {}));
  assert.ok(!semanticEqual({}, []));
  assert.ok(!semanticEqual("1", 1));
  assert.ok(semanticEqual(undefined, undefined));
  assert.ok(!semanticEqual(undefined, null));
});

Deno.test("diffObjects: nested fields, escaped pointers, array tails, type changes, sorted", () => {
  const before = {
    tasks: { a: { input: { x: "old", keep: 1 } } },
    "a/b": { "~": 1 },
    list: [1, 2, 3, 4],
    kind: { nested: true },
  };
  const after = {
    kind: ["now", "a list"],
    list: [1, 5],
    tasks: { a: { input: { x: "new", keep: 1, y: [1] } } },
    "a/b": { "~": 2 },
    extra: null,
  };
  assert.deepEqual(diffObjects(before, after), [
    { path: "/a~1b/~0", op: "replace", before: 1, after: 2 },
    { path: "/extra", op: "add", after: null },
    { path: "/kind", op: "replace", before: { nested: true }, after: ["now", "a list"] },
    { path: "/list/1", op: "replace", before: 2, after: 5 },
    { path: "/list/2", op: "remove", before: 3 },
    { path: "/list/3", op: "remove", before: 4 },
    { path: "/tasks/a/input/x", op: "replace", before: "old", after: "new" },
    { path: "/tasks/a/input/y", op: "add", after: [1] },
  ]);
});

Deno.test("diffObjects: absent sides, equal values, indices sorted numerically", () => {
  assert.deepEqual(diffObjects(undefined, { a: 1 }), [{ path: "", op: "add", after: { a: 1 } }]);
  assert.deepEqual(diffObjects({ a: 1 }, undefined), [{ path: "", op: "remove", before: { a: 1 } }]);
  assert.deepEqual(diffObjects({ a: [1] }, { a: [1], b: undefined }), []);
  assert.deepEqual(diffObjects("a", "b"), [{ path: "", op: "replace", before: "a", after: "b" }]);
  const paths = diffObjects({ l: [] }, { l: Array.from({ length: 12 }, (_, i) => i) }).map((c) => c.path);
  assert.deepEqual(paths, Array.from({ length: 12 }, (_, i) => `/l/${i}`));
});

Deno.test("jsonPatch: removals from the highest index down, then replaces, then adds ascending", () => {
  const before = { list: [1, 2, 3, 4, 5], obj: { a: 1, b: 2 }, grow: [1] };
  const after = { list: [1, 9], obj: { a: 2, c: 3 }, grow: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] };
  const patch = jsonPatch(before, after);
  assert.deepEqual(patch.slice(0, 5), [
    { op: "remove", path: "/obj/b" },
    { op: "remove", path: "/list/4" },
    { op: "remove", path: "/list/3" },
    { op: "remove", path: "/list/2" },
    { op: "replace", path: "/list/1", value: 9 },
  ]);
  assert.deepEqual(patch.filter((o) => o.op === "add").map((o) => o.path), [
    ...Array.from({ length: 11 }, (_, i) => `/grow/${i + 1}`),
    "/obj/c",
  ]);
  assert.deepEqual(applyPatch(deepClone(before), ops(patch), true).newDocument, after);
});

Deno.test("jsonPatch: roots, absent sides and equal values", () => {
  assert.deepEqual(jsonPatch({ a: 1 }, { a: 1 }), []);
  assert.deepEqual(jsonPatch({ a: 1 }, [1]), [{ op: "replace", path: "", value: [1] }]);
  assert.deepEqual(jsonPatch(1, "x"), [{ op: "replace", path: "", value: "x" }]);
  assert.deepEqual(jsonPatch(undefined, { a: 1 }), [{ op: "add", path: "", value: { a: 1 } }]);
  assert.deepEqual(jsonPatch({ a: 1 }, undefined), [{ op: "remove", path: "" }]);
  assert.deepEqual(applyPatch({ a: 1 }, ops(jsonPatch({ a: 1 }, [1]))).newDocument, [1]);
});

Deno.test("unifiedDiff: live → desired headers, /dev/null for create and delete, empty when equal", () => {
  const before = { title: "Deploy", tasks: { a: { input: { x: "old" } } } };
  const after = { tasks: { a: { input: { x: "new" } } }, title: "Deploy" };
  assert.equal(
    unifiedDiff("Workflow/deploy", before, after),
    [
      "--- live/Workflow/deploy",
      "+++ desired/Workflow/deploy",
      "@@ -1,5 +1,5 @@",
      " tasks:",
      "   a:",
      "     input:",
      "-      x: old",
      "+      x: new",
      " title: Deploy",
      "",
    ].join("\n"),
  );
  assert.equal(
    unifiedDiff("Bucket/b", undefined, { bucketName: "b" }),
    "--- /dev/null\n+++ desired/Bucket/b\n@@ -0,0 +1,1 @@\n+bucketName: b\n",
  );
  assert.equal(
    unifiedDiff("Bucket/b", { bucketName: "b" }, undefined),
    "--- live/Bucket/b\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-bucketName: b\n",
  );
  assert.equal(unifiedDiff("X/y", { a: 1, b: undefined }, { a: 1 }), "");
  assert.equal(unifiedDiff("X/y", undefined, undefined), "");
});

Deno.test("unifiedDiff: context option and canonical YAML without folding or aliases", () => {
  const long = "word ".repeat(40).trim();
  const shared = { x: 1 };
  const yaml = toCanonicalYaml({ b: shared, a: shared, long });
  assert.equal(yaml, `a:\n  x: 1\nb:\n  x: 1\nlong: ${long}\n`);
  const before = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, i]));
  const diff = unifiedDiff("X/y", before, { ...before, k5: 50 }, { context: 1 });
  assert.match(diff, /^@@ -5,3 \+5,3 @@\n k4: 4\n-k5: 5\n\+k5: 50\n k6: 6\n$/m);
});

Deno.test("applyJsonPatch: applies to a copy; a patch that does not fit is a validation_error", () => {
  const live = { a: [1, 2, 3] };
  assert.deepEqual(applyJsonPatch(live, jsonPatch(live, { a: [1] })), { a: [1] });
  assert.deepEqual(live, { a: [1, 2, 3] });
  assert.throws(
    () => applyJsonPatch({ b: 1 }, [{ op: "replace", path: "/a/0", value: 1 }]),
    (e) => isDtctlError(e, "validation_error") && /operation 0 \(replace "\/a\/0"\)/.test(e.message),
  );
});

Deno.test("unifiedDiff: labels are written as they are; control characters escaped", () => {
  assert.ok(
    unifiedDiff("Dashboard/Übersicht 1", { a: 1 }, { a: 2 }).startsWith(
      "--- live/Dashboard/Übersicht 1\n+++ desired/Dashboard/Übersicht 1\n@@ ",
    ),
  );
  assert.ok(unifiedDiff("X/a\nb", undefined, { a: 2 }).startsWith("--- /dev/null\n+++ desired/X/a\\nb\n@@ "));
});
