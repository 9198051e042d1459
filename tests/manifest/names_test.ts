import assert from "node:assert/strict";
import fc from "fast-check";
import { isValidName, ManifestError, slugify } from "../../lib/manifest/mod.ts";
import { closest } from "../../lib/manifest/names.ts";

Deno.test("names: slugify yields a valid name or nothing", () => {
  assert.equal(slugify("Übersicht — Prod (EU)"), "ubersicht-prod-eu");
  assert.equal(slugify("monaco:Alerting Profile 1"), "monaco-alerting-profile-1");
  assert.equal(slugify("__x__"), "x");
  assert.equal(slugify("日本語"), undefined);
  assert.equal(slugify("x".repeat(300))?.length, 128);
  fc.assert(
    fc.property(fc.string({ unit: "grapheme", maxLength: 300 }), (text) => {
      const slug = slugify(text);
      if (slug !== undefined) assert.ok(isValidName(slug), `${JSON.stringify(text)} → ${slug}`);
    }),
    { numRuns: 500 },
  );
});

Deno.test("names: did-you-mean finds case and spelling near misses only", () => {
  const kinds = ["Workflow", "Dashboard", "SLO", "Segment"];
  assert.equal(closest("slo", kinds), "SLO");
  assert.equal(closest("Dashbord", kinds), "Dashboard");
  assert.equal(closest("Segmnet", kinds), "Segment");
  assert.equal(closest("Bucket", kinds), undefined);
  assert.equal(closest("Foo", kinds), undefined);
});

Deno.test("names: ManifestError sorts problems and lists each on its own line", () => {
  const error = new ManifestError([
    { location: { file: "b.yaml", line: 2, column: 1 }, message: "two" },
    { location: { file: "a.yaml", line: 10, column: 3 }, message: "one" },
    { location: { file: "a.yaml", line: 9, column: 5 }, message: "zero" },
    { location: { file: "a.yaml", line: 9, column: 5 }, message: "zero" },
  ]);
  assert.equal(error.code, "validation_error");
  assert.equal(error.exitCode, 1);
  assert.equal(error.message, "3 problems found:\n  a.yaml:9:5: zero\n  a.yaml:10:3: one\n  b.yaml:2:1: two");
  assert.deepEqual(error.details.problems, [
    { file: "a.yaml", line: 9, column: 5, message: "zero" },
    { file: "a.yaml", line: 10, column: 3, message: "one" },
    { file: "b.yaml", line: 2, column: 1, message: "two" },
  ]);
});
