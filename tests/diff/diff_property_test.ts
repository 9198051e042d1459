import assert from "node:assert/strict";
import fc from "fast-check";
import jsonpatch from "fast-json-patch";
import type { Operation } from "fast-json-patch";
import {
  canonicalize,
  comparePointers,
  diffObjects,
  jsonPatch,
  semanticEqual,
  unifiedDiff,
} from "../../lib/diff/mod.ts";

const { applyPatch, deepClone } = jsonpatch;

// The plan contract types operations loosely (one interface for all ops); fast-json-patch wants its union.
const ops = (patch: unknown) => patch as Operation[];

// fast-json-patch refuses to touch `__proto__` (prototype pollution guard), so documents with that key cannot
// round-trip through it; everything else can.
const noProtoKeys = (value: unknown): boolean =>
  value === null || typeof value !== "object" ||
  Object.entries(value).every(([key, member]) => key !== "__proto__" && noProtoKeys(member));

// Small key and leaf spaces, so two independent values overlap a lot and patches mix all operation kinds.
const similarTree = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom<unknown>(0, 1, "x", "y", null, true, false),
    fc.array(tie("node"), { maxLength: 5 }),
    fc.dictionary(fc.constantFrom("a", "b", "c", "a/b", "~1", "0", "10"), tie("node"), { maxKeys: 5 }),
  ),
})).node;

const anyJson = fc.jsonValue().filter(noProtoKeys);
const pairs = fc.oneof(
  fc.tuple(similarTree, similarTree),
  fc.tuple(anyJson, anyJson),
  anyJson.map((v) => [v, v] as const),
  similarTree.map((v) => [v, reorder(v)] as const),
);

/** The same value with every object's keys in reverse order. */
function reorder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reorder);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reorder(v)]));
}

/** JSON's view of a value: -0 and 0 are the same number. */
function asJson(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

Deno.test("property: canonicalize is idempotent, key-order independent and semantically equal to its input", () => {
  fc.assert(
    fc.property(anyJson, (value) => {
      const once = canonicalize(value);
      assert.deepStrictEqual(canonicalize(once), once);
      assert.equal(JSON.stringify(canonicalize(reorder(value))), JSON.stringify(once));
      assert.ok(semanticEqual(value, once));
    }),
  );
});

Deno.test("property: diffObjects is empty iff semanticEqual, and unifiedDiff is empty iff semanticEqual", () => {
  fc.assert(
    fc.property(pairs, ([a, b]) => {
      const equal = semanticEqual(a, b);
      assert.equal(diffObjects(a, b).length === 0, equal);
      assert.equal(unifiedDiff("Kind/name", a, b) === "", equal);
      assert.equal(jsonPatch(a, b).length === 0, equal);
    }),
    { numRuns: 300 },
  );
});

Deno.test("property: applying jsonPatch(before, after) to a copy of before gives after", () => {
  fc.assert(
    fc.property(pairs, ([before, after]) => {
      const patch = jsonPatch(before, after);
      const result = applyPatch(deepClone(before), ops(deepClone(patch)), true).newDocument;
      assert.deepStrictEqual(asJson(result), asJson(canonicalize(after)));
    }),
    { numRuns: 500 },
  );
});

Deno.test("property: diffs and patches do not depend on key order", () => {
  fc.assert(
    fc.property(pairs, ([a, b]) => {
      assert.deepStrictEqual(diffObjects(reorder(a), reorder(b)), diffObjects(a, b));
      assert.deepStrictEqual(jsonPatch(reorder(a), reorder(b)), jsonPatch(a, b));
      assert.equal(unifiedDiff("K/n", reorder(a), reorder(b)), unifiedDiff("K/n", a, b));
    }),
  );
});

Deno.test("property: every field change addresses a distinct path, and changes are sorted", () => {
  fc.assert(
    fc.property(pairs, ([a, b]) => {
      const paths = diffObjects(a, b).map((c) => c.path);
      assert.equal(new Set(paths).size, paths.length);
      assert.deepStrictEqual([...paths].sort(comparePointers), paths);
    }),
  );
});
