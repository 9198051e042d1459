import assert from "node:assert/strict";
import fc from "fast-check";
import { HttpError } from "../../lib/emulator/http/errors.ts";
import {
  applyFilter,
  type FilterSchema,
  matchesFilter,
  parseFilter,
} from "../../lib/emulator/shared/platform_filter.ts";

interface Row {
  id: string;
  name: string;
  type: string;
  version: number;
  time: string;
  origin: string | null;
  labels: string[];
}

const schema: FilterSchema<Row> = {
  id: { type: "string", get: (r) => r.id },
  name: { type: "string", get: (r) => r.name },
  type: { type: "string", get: (r) => r.type },
  version: { type: "number", get: (r) => r.version },
  "modificationInfo.lastModifiedTime": { type: "time", get: (r) => r.time },
  originAppId: { type: "string", get: (r) => r.origin },
  labels: { type: "string[]", get: (r) => r.labels },
};

const rows: Row[] = [
  {
    id: "a",
    name: "Awesome Report",
    type: "dashboard",
    version: 7,
    time: "2022-07-02T00:00:00.000Z",
    origin: null,
    labels: ["x"],
  },
  {
    id: "b",
    name: "weekly report",
    type: "notebook",
    version: 2,
    time: "2022-06-01T00:00:00.000Z",
    origin: "app.x",
    labels: [],
  },
  {
    id: "c",
    name: "It's new",
    type: "launchpad",
    version: 5,
    time: "2022-08-01T00:00:00.000Z",
    origin: null,
    labels: ["y", "x"],
  },
];

function ids(filter: string): string[] {
  return applyFilter(rows, filter, schema).map((r) => r.id);
}

Deno.test("filter: comparisons, string operators and case rules", () => {
  assert.deepEqual(ids("name = 'Awesome Report'"), ["a"]);
  assert.deepEqual(ids("name == 'awesome report'"), [], "equality is case-sensitive");
  assert.deepEqual(ids("name contains 'REPORT'"), ["a", "b"], "contains is case-insensitive");
  assert.deepEqual(ids("name starts-with 'week'"), ["b"]);
  assert.deepEqual(ids("name ends-with 'NEW'"), ["c"]);
  assert.deepEqual(ids("type != 'dashboard'"), ["b", "c"]);
  assert.deepEqual(ids("version >= 5"), ["a", "c"]);
  assert.deepEqual(ids("version < '5'"), ["b"], "numeric fields accept quoted numbers");
  assert.deepEqual(ids("modificationInfo.lastModifiedTime >= '2022-07-01T00:10:05.000Z'"), ["a", "c"]);
});

Deno.test("filter: in, exists, not, and/or precedence and parentheses", () => {
  assert.deepEqual(ids("type in ('dashboard', 'notebook') and name contains 'report'"), ["a", "b"]);
  assert.deepEqual(ids("originAppId exists"), ["b"]);
  assert.deepEqual(ids("not (originAppId exists)"), ["a", "c"]);
  assert.deepEqual(
    ids("type = 'launchpad' or type = 'notebook' and version > 3"),
    ["c"],
    "and binds tighter",
  );
  assert.deepEqual(ids("(type = 'launchpad' or type = 'notebook') and version > 3"), ["c"]);
  assert.deepEqual(ids("(name starts-with 'awesome' or type != 'dashboard') and version >= 5"), ["a", "c"]);
  assert.deepEqual(ids("NOT name contains 'report' AND version > 1"), ["c"], "keywords are case-insensitive");
  assert.deepEqual(ids("labels = 'x'"), ["a", "c"]);
  assert.deepEqual(ids("labels != 'x'"), ["b"]);
});

Deno.test("filter: single quotes escape with backslash", () => {
  assert.deepEqual(ids("name = 'It\\'s new'"), ["c"]);
});

Deno.test("filter: invalid input is a 400 naming the filter parameter", () => {
  const bad = [
    "nam = 'x'",
    "Name = 'x'",
    "name = 'unterminated",
    "name ~ 'x'",
    "name = ",
    "(name = 'x'",
    "name = 'x')",
    "version contains '1'",
    "version > 'abc'",
    "modificationInfo.lastModifiedTime > 'yesterday'",
    "name in 'x'",
    "((((name = 'x'))))",
    "name = 'x' and",
    "",
    "constructor = 'x'",
    `name = '${"x".repeat(1100)}'`,
  ];
  for (const filter of bad) {
    assert.throws(() => parseFilter(filter, schema), (error: unknown) => {
      assert.ok(error instanceof HttpError, `${filter}: ${error}`);
      assert.equal(error.status, 400);
      assert.equal(error.extras.constraintViolations?.[0].path, "filter");
      return true;
    }, filter);
  }
  assert.doesNotThrow(() => parseFilter("(((name = 'x')))", schema), "depth 3 is allowed");
});

Deno.test("filter: property — any input either parses or fails with a 400, never crashes", () => {
  const alphabet = fc.constantFrom(
    ..."name version type ( ) , ' \\ = ! < > in exists not and or contains 1 x".split(" "),
  );
  fc.assert(
    fc.property(fc.array(alphabet, { maxLength: 12 }).map((parts) => parts.join(" ")), (input) => {
      try {
        const node = parseFilter(input, schema);
        for (const row of rows) assert.equal(typeof matchesFilter(node, row, schema), "boolean");
      } catch (error) {
        assert.ok(error instanceof HttpError && error.status === 400, String(error));
      }
    }),
    { numRuns: 500 },
  );
});

Deno.test("filter: property — not(not(f)) selects the same rows as f", () => {
  const field = fc.constantFrom("name", "type", "id");
  const value = fc.constantFrom("a", "report", "dashboard", "It\\'s new", "x");
  const op = fc.constantFrom("=", "!=", "contains", "starts-with", "ends-with");
  fc.assert(
    fc.property(field, op, value, (f, o, v) => {
      const base = `${f} ${o} '${v}'`;
      assert.deepEqual(ids(`not (not (${base}))`), ids(base));
      const complement = ids(`not (${base})`);
      assert.deepEqual([...ids(base), ...complement].sort(), rows.map((r) => r.id).sort());
    }),
  );
});
