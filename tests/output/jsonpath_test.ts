import assert from "node:assert/strict";
import fc from "fast-check";
import { DtctlError } from "../../lib/errors/mod.ts";
import { evaluateJsonPath, parseJsonPath } from "../../lib/output/jsonpath.ts";

const list = {
  kind: "List",
  items: [
    { id: "a", name: "Alpha", type: "dashboard", version: 3, labels: ["x", "y"], meta: { owner: "u1" } },
    { id: "b", name: "Beta", type: "notebook", version: 1, labels: [], meta: { owner: "u2" } },
    { id: "c", name: "Gamma", type: "dashboard", version: 7, meta: { owner: "u1", nested: { id: "deep" } } },
  ],
};

function syntaxError(template: string): DtctlError {
  try {
    parseJsonPath(template);
  } catch (error) {
    assert.ok(error instanceof DtctlError);
    assert.equal(error.code, "usage_error");
    return error;
  }
  throw new Error(`expected a syntax error for ${template}`);
}

Deno.test("jsonpath: fields, wildcards and the kubectl list idiom", () => {
  assert.equal(evaluateJsonPath("{.items[*].id}", list), "a b c");
  assert.equal(evaluateJsonPath("{.kind}", list), "List");
  assert.equal(evaluateJsonPath("{$.items[0].meta.owner}", list), "u1");
  assert.equal(evaluateJsonPath("{.items[0].meta}", list), '{"owner":"u1"}');
  assert.equal(evaluateJsonPath("{.items[0].labels}", list), '["x","y"]');
  assert.equal(evaluateJsonPath("{.items[0].version}", list), "3");
  assert.equal(evaluateJsonPath("{.items[0]['name','type']}", list), "Alpha dashboard");
  assert.equal(evaluateJsonPath('{.items[1]["id"]}', list), "b");
  assert.equal(evaluateJsonPath("{.items[0].meta.*}", list), "u1");
  assert.equal(evaluateJsonPath("{@.kind}", list), "List");
});

Deno.test("jsonpath: indexes, negative indexes, unions and slices", () => {
  assert.equal(evaluateJsonPath("{.items[-1].id}", list), "c");
  assert.equal(evaluateJsonPath("{.items[0,2].id}", list), "a c");
  assert.equal(evaluateJsonPath("{.items[1:].id}", list), "b c");
  assert.equal(evaluateJsonPath("{.items[:2].id}", list), "a b");
  assert.equal(evaluateJsonPath("{.items[0:3:2].id}", list), "a c");
  assert.equal(evaluateJsonPath("{.items[-2:].id}", list), "b c");
  assert.equal(evaluateJsonPath("{.items[::-1].id}", list), "c b a");
  assert.equal(evaluateJsonPath("{.items[5].id}", list), "", "out of range is empty, not an error");
});

Deno.test("jsonpath: recursive descent", () => {
  assert.equal(evaluateJsonPath("{..owner}", list), "u1 u2 u1");
  assert.equal(evaluateJsonPath("{.items[2]..id}", list), "c deep");
  assert.equal(evaluateJsonPath("{..labels[0]}", list), "x");
});

Deno.test("jsonpath: filters with comparisons, logic and existence", () => {
  assert.equal(evaluateJsonPath('{.items[?(@.type=="dashboard")].name}', list), "Alpha Gamma");
  assert.equal(evaluateJsonPath("{.items[?(@.type != 'dashboard')].name}", list), "Beta");
  assert.equal(evaluateJsonPath("{.items[?(@.version > 2)].id}", list), "a c");
  assert.equal(evaluateJsonPath("{.items[?(@.version <= 3 && @.type == 'dashboard')].id}", list), "a");
  assert.equal(evaluateJsonPath("{.items[?(@.version < 2 || @.id == 'c')].id}", list), "b c");
  assert.equal(evaluateJsonPath("{.items[?(!(@.version > 2))].id}", list), "b");
  assert.equal(evaluateJsonPath("{.items[?(@.meta.nested)].id}", list), "c");
  assert.equal(evaluateJsonPath("{.items[?(@.meta.owner == $.items[0].meta.owner)].id}", list), "a c");
  assert.equal(evaluateJsonPath("{.items[?(@.missing == null)].id}", list), "a b c");
});

Deno.test("jsonpath: range/end, literals and escapes", () => {
  assert.equal(
    evaluateJsonPath('{range .items[*]}{.id}{"\\t"}{.name}{"\\n"}{end}', list),
    "a\tAlpha\nb\tBeta\nc\tGamma\n",
  );
  assert.equal(
    evaluateJsonPath("{range .items}[{.id}]{end}", list),
    "[a][b][c]",
    "a range over an array field",
  );
  assert.equal(evaluateJsonPath("ids: {.items[*].id}\\n", list), "ids: a b c\n");
  assert.equal(
    evaluateJsonPath("{range .items[*]}{.id}:{range .labels[*]}<{@}>{end};{end}", list),
    "a:<x><y>;b:;c:;",
  );
  assert.equal(evaluateJsonPath("\\{{.kind}\\}", list), "{List}");
  assert.equal(evaluateJsonPath("{'single'}-{\"double\"}", list), "single-double");
});

Deno.test("jsonpath: missing keys and nulls print nothing; scalars print raw", () => {
  assert.equal(evaluateJsonPath("{.nope}", list), "");
  assert.equal(evaluateJsonPath("{.items[0].nope.deeper}", list), "");
  assert.equal(evaluateJsonPath("{.a}", { a: null }), "");
  assert.equal(evaluateJsonPath("{.a}|{.b}", { a: true, b: 1.5 }), "true|1.5");
  assert.equal(evaluateJsonPath("{.}", "text"), "text");
  assert.equal(evaluateJsonPath("plain text", list), "plain text");
});

Deno.test("jsonpath: syntax errors name the 1-based column and show a caret", () => {
  const unclosed = syntaxError("{.items[*].id");
  assert.equal(unclosed.details.column, 1);
  assert.match(unclosed.message, /column 1: unclosed '\{'/);
  assert.match(unclosed.message, /\n {4}\{\.items\[\*\]\.id\n {4}\^$/);

  const bracket = syntaxError("{.items[*.id}");
  assert.equal(bracket.details.column, 10);
  assert.match(bracket.message, /column 10: expected '\]', found '\.'/);
  assert.ok(bracket.message.endsWith(`\n    ${" ".repeat(9)}^`));

  assert.equal(syntaxError("{.items[?(@.a = 1)]}").details.column, 15);
  assert.match(syntaxError("{.items[?(@.a = 1)]}").message, /unsupported operator '='/);
  assert.equal(syntaxError("{range .items[*]}{.id}").details.column, 1);
  assert.match(syntaxError("{range .items[*]}{.id}").message, /without a matching \{end\}/);
  assert.match(syntaxError("{.id}{end}").message, /column 6: \{end\} without a matching \{range\}/);
  assert.match(syntaxError("{items}").message, /column 2: expected a path starting with/);
  assert.match(syntaxError("a } b").message, /column 3: unexpected '\}'/);
  assert.match(syntaxError("{.a.}").message, /column 5: expected a field name after '\.'/);
  assert.match(syntaxError("{.a[1:2:0]}").message, /a slice step must not be 0/);
  assert.match(syntaxError("{.a['x}").message, /unterminated string/);
  assert.match(syntaxError("{.a b}").message, /column 5: unexpected 'b' in an action/);
  assert.match(syntaxError("{.a[?(@.x == )]}").message, /expected @\.field/);
  assert.equal(syntaxError("{.a}\t{.b").details.column, 6, "tabs count as one column");
});

Deno.test("jsonpath: a parsed template runs against many values", () => {
  const template = parseJsonPath("{.name}");
  assert.equal(template.source, "{.name}");
  assert.deepEqual(list.items.map((item) => template.execute(item)), ["Alpha", "Beta", "Gamma"]);
});

Deno.test("jsonpath: property: {.items[*]} prints every string element, space-separated", () => {
  fc.assert(
    fc.property(fc.array(fc.string()), (items) => {
      assert.equal(evaluateJsonPath("{.items[*]}", { items }), items.join(" "));
    }),
  );
});

Deno.test("jsonpath: property: {.k} of any JSON value at k prints it raw or as compact JSON", () => {
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      const expected = value === null ? "" : typeof value === "string" ? value : JSON.stringify(value);
      assert.equal(evaluateJsonPath("{.k}", { k: value }), expected);
    }),
  );
});
