import assert from "node:assert/strict";
import fc from "fast-check";
import { DtctlError } from "../../lib/errors/mod.ts";
import {
  dqlToFilterAst,
  FILTER_MAX_WIRE_LENGTH,
  type FilterAstGroup,
  filterAstToDql,
  filterDqlToWire,
  isFilterAstString,
  normalizeFilterDql,
} from "../../lib/resources/segment_filter/mod.ts";

// ---------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------

/** Deep copy without `range` fields, for "structurally equal modulo ranges". */
function withoutRanges(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutRanges);
  if (typeof node !== "object" || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) if (key !== "range") out[key] = withoutRanges(value);
  return out;
}

function syntaxError(fn: () => unknown): DtctlError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof DtctlError, `expected a DtctlError, got ${error}`);
    assert.equal(error.code, "validation_error");
    return error;
  }
  assert.fail("expected a validation error");
}

const r = (from: number, to: number) => ({ from, to });

// ---------------------------------------------------------------------------------------------------------
// DQL → AST: exact trees (conventions of the trees the platform stores and the SDK reference shows)
// ---------------------------------------------------------------------------------------------------------

Deno.test("dqlToFilterAst: single quoted statement matches the SDK reference tree", () => {
  // The filter-segment SDK reference shows this tree for `content = "[debug]"`.
  assert.deepEqual(dqlToFilterAst('content = "[debug]"'), {
    type: "Group",
    range: r(0, 19),
    logicalOperator: "AND",
    explicit: false,
    explicitLogicalOperator: false,
    children: [{
      type: "Statement",
      range: r(0, 19),
      key: { type: "Key", textValue: "content", value: "content", range: r(0, 7) },
      operator: { type: "ComparisonOperator", textValue: "=", value: "=", range: r(8, 9) },
      value: { type: "String", textValue: '"[debug]"', value: "[debug]", range: r(10, 19), isEscaped: true },
    }],
  });
});

Deno.test("dqlToFilterAst: serializes fields in the platform's order", () => {
  assert.equal(
    filterDqlToWire('status = "ERROR"'),
    '{"type":"Group","range":{"from":0,"to":16},"logicalOperator":"AND","explicit":false,' +
      '"explicitLogicalOperator":false,"children":[{"type":"Statement","range":{"from":0,"to":16},' +
      '"key":{"type":"Key","textValue":"status","value":"status","range":{"from":0,"to":6}},' +
      '"operator":{"type":"ComparisonOperator","textValue":"=","value":"=","range":{"from":7,"to":8}},' +
      '"value":{"type":"String","textValue":"\\"ERROR\\"","value":"ERROR","range":{"from":9,"to":16},' +
      '"isEscaped":true}}]}',
  );
});

Deno.test("dqlToFilterAst: bare values carry no isEscaped; ranges count the text as given", () => {
  // A segment editor tree for `dt.host_group.id = *work* ` (note the trailing space the root range covers).
  const ast = dqlToFilterAst("dt.host_group.id = *work* ");
  assert.deepEqual(ast, {
    type: "Group",
    range: r(0, 26),
    logicalOperator: "AND",
    explicit: false,
    explicitLogicalOperator: false,
    children: [{
      type: "Statement",
      range: r(0, 25),
      key: { type: "Key", textValue: "dt.host_group.id", value: "dt.host_group.id", range: r(0, 16) },
      operator: { type: "ComparisonOperator", textValue: "=", value: "contains", range: r(17, 18) },
      value: { type: "String", textValue: "*work*", value: "work", range: r(19, 25) },
    }],
  });
});

Deno.test("dqlToFilterAst: in-lists and explicit OR match a stored segment tree", () => {
  const text = 'dt.security_context in ("xECM Steel",xECM_Steel) OR opl_security_context = "xECM Steel" ';
  assert.deepEqual(dqlToFilterAst(text), {
    type: "Group",
    range: r(0, 88),
    logicalOperator: "OR",
    explicit: false,
    explicitLogicalOperator: true,
    children: [
      {
        type: "Statement",
        range: r(0, 48),
        key: { type: "Key", textValue: "dt.security_context", value: "dt.security_context", range: r(0, 19) },
        operator: { type: "InclusionOperator", textValue: "in", value: "in", range: r(20, 22) },
        value: {
          type: "List",
          textValue: '("xECM Steel",xECM_Steel)',
          value: [
            {
              type: "String",
              textValue: '"xECM Steel"',
              value: "xECM Steel",
              range: r(24, 36),
              isEscaped: true,
            },
            { type: "String", textValue: "xECM_Steel", value: "xECM_Steel", range: r(37, 47) },
          ],
          range: r(23, 48),
        },
      },
      {
        type: "Statement",
        range: r(52, 87),
        key: {
          type: "Key",
          textValue: "opl_security_context",
          value: "opl_security_context",
          range: r(52, 72),
        },
        operator: { type: "ComparisonOperator", textValue: "=", value: "=", range: r(73, 74) },
        value: {
          type: "String",
          textValue: '"xECM Steel"',
          value: "xECM Steel",
          range: r(75, 87),
          isEscaped: true,
        },
      },
    ],
  });
});

Deno.test("dqlToFilterAst: implicit AND has no separator nodes and explicitLogicalOperator false", () => {
  const ast = dqlToFilterAst('a = "1" b = "2"');
  assert.equal(ast.logicalOperator, "AND");
  assert.equal(ast.explicitLogicalOperator, false);
  assert.deepEqual(ast.children.map((c) => [c.type, c.range]), [["Statement", r(0, 7)], [
    "Statement",
    r(8, 15),
  ]]);
  const explicit = dqlToFilterAst('a = "1" and b = "2"');
  assert.equal(explicit.explicitLogicalOperator, true);
  assert.equal(explicit.children.length, 2);
});

Deno.test("dqlToFilterAst: AND binds tighter than OR", () => {
  const ast = dqlToFilterAst('a = "1" OR b = "2" c = "3"');
  assert.equal(ast.logicalOperator, "OR");
  const inner = ast.children[1] as FilterAstGroup;
  assert.deepEqual(
    [inner.type, inner.logicalOperator, inner.explicit, inner.explicitLogicalOperator, inner.range],
    ["Group", "AND", false, false, r(11, 26)],
  );
});

Deno.test("dqlToFilterAst: parentheses make explicit groups spanning the parentheses", () => {
  const ast = dqlToFilterAst('(a = "1" OR b = "2") AND c = "3"');
  assert.deepEqual([ast.logicalOperator, ast.explicitLogicalOperator, ast.range], ["AND", true, r(0, 32)]);
  const group = ast.children[0] as FilterAstGroup;
  assert.deepEqual(
    [
      group.logicalOperator,
      group.explicit,
      group.explicitLogicalOperator,
      group.range,
      group.children.length,
    ],
    ["OR", true, true, r(0, 20), 2],
  );
  // A parenthesized single statement is an explicit group of one.
  const single = dqlToFilterAst('(a = "1")');
  const wrapped = single.children[0] as FilterAstGroup;
  assert.deepEqual([wrapped.explicit, wrapped.logicalOperator, wrapped.children.length], [true, "AND", 1]);
});

Deno.test("dqlToFilterAst: operators, wildcards and their operator values", () => {
  const cases: [string, string, string, string, string][] = [
    // text, operator type, operator textValue, operator value, value textValue
    ["k = v", "ComparisonOperator", "=", "=", "v"],
    ["k != v", "ComparisonOperator", "!=", "!=", "v"],
    ["k < 10", "ComparisonOperator", "<", "<", "10"],
    ["k <= 10", "ComparisonOperator", "<=", "<=", "10"],
    ["k > 1.5", "ComparisonOperator", ">", ">", "1.5"],
    ["k >= -3", "ComparisonOperator", ">=", ">=", "-3"],
    ["k = *", "ComparisonOperator", "=", "exists", "*"],
    ["k != *", "ComparisonOperator", "!=", "not-exists", "*"],
    ["k = *mid*", "ComparisonOperator", "=", "contains", "*mid*"],
    ["k != *mid*", "ComparisonOperator", "!=", "not-contains", "*mid*"],
    ['k = "prod-*"', "ComparisonOperator", "=", "starts-with", '"prod-*"'],
    ["k != prod-*", "ComparisonOperator", "!=", "not-starts-with", "prod-*"],
    ["k = *-prod", "ComparisonOperator", "=", "ends-with", "*-prod"],
    ['k = "\\*literal"', "ComparisonOperator", "=", "=", '"\\*literal"'],
    ["k = a*b", "ComparisonOperator", "=", "=", "a*b"],
    ["k in (a)", "InclusionOperator", "in", "in", "(a)"],
    ["k IN (a)", "InclusionOperator", "IN", "in", "(a)"],
    ["k not in (a, b)", "InclusionOperator", "not in", "not in", "(a, b)"],
    ["k NOT  IN(a)", "InclusionOperator", "NOT  IN", "not in", "(a)"],
  ];
  for (const [text, type, textValue, value, valueText] of cases) {
    const statement = dqlToFilterAst(text).children[0];
    assert.equal(statement.type, "Statement", text);
    if (statement.type !== "Statement") continue;
    assert.deepEqual(
      [
        statement.operator.type,
        statement.operator.textValue,
        statement.operator.value,
        statement.value.textValue,
      ],
      [type, textValue, value, valueText],
      text,
    );
  }
  const terms = ["k = *mid*", 'k = "prod-*"', "k = *-prod", "k = *", 'k = "\\*literal"', "k = a*b"].map(
    (text) => {
      const statement = dqlToFilterAst(text).children[0];
      return statement.type === "Statement" ? statement.value.value : undefined;
    },
  );
  assert.deepEqual(terms, ["mid", "prod-", "-prod", "", "*literal", "a*b"]);
});

Deno.test("dqlToFilterAst: keys with dots, backticks and escapes; string escapes", () => {
  const statement = (text: string) => {
    const node = dqlToFilterAst(text).children[0];
    assert.equal(node.type, "Statement");
    return node.type === "Statement" ? node : assert.fail();
  };
  assert.deepEqual(statement("k8s.namespace.name = prod").key, {
    type: "Key",
    textValue: "k8s.namespace.name",
    value: "k8s.namespace.name",
    range: r(0, 18),
  });
  assert.deepEqual(statement('`my field` = "value"').key, {
    type: "Key",
    textValue: "`my field`",
    value: "my field",
    range: r(0, 10),
  });
  assert.equal(statement("`a\\`b\\\\c` = x").key.value, "a`b\\c");
  const value = statement('msg = "say \\"hi\\" \\\\ C:\\path"').value;
  assert.deepEqual([value.value, value.textValue], ['say "hi" \\ C:\\path', '"say \\"hi\\" \\\\ C:\\path"']);
  // Variables are plain words, as the segment editor stores them.
  assert.deepEqual(statement("k8s.cluster.name = $cluster").value, {
    type: "String",
    textValue: "$cluster",
    value: "$cluster",
    range: r(19, 27),
  });
});

Deno.test("dqlToFilterAst: keywords are case-insensitive and need a word boundary", () => {
  assert.equal(dqlToFilterAst("a = 1 or b = 2").logicalOperator, "OR");
  assert.equal(dqlToFilterAst("a = 1 Or b = 2").logicalOperator, "OR");
  // `ORDER` and `android` are keys, not keywords: the statements are ANDed by adjacency.
  const ast = dqlToFilterAst("a = 1 ORDER = 2 android = 3");
  assert.deepEqual([ast.logicalOperator, ast.explicitLogicalOperator, ast.children.length], [
    "AND",
    false,
    3,
  ]);
  assert.equal(normalizeFilterDql("a=1 AND(b=2 OR c=3)"), 'a = "1" AND (b = "2" OR c = "3")');
});

Deno.test("dqlToFilterAst: multi-line text from a YAML block scalar", () => {
  const text = 'dt.system.bucket = "logs"\n  AND loglevel in ("ERROR", "WARN")\n';
  const ast = dqlToFilterAst(text);
  assert.deepEqual([ast.range, ast.children.length], [r(0, text.length), 2]);
  assert.equal(filterAstToDql(ast), 'dt.system.bucket = "logs" AND loglevel in ("ERROR", "WARN")');
});

// ---------------------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------------------

Deno.test("errors: == is rejected with a hint", () => {
  const error = syntaxError(() => dqlToFilterAst('status == "ERROR"'));
  assert.equal(error.message, 'filter: "==" is not a valid operator at 1:8');
  assert.match(error.hint ?? "", /single "="/);
  assert.deepEqual(
    [error.details.line, error.details.column, error.details.offset],
    [1, 8, 7],
  );
  assert.equal(error.details.snippet, 'status == "ERROR"\n       ^');
});

Deno.test("errors: unexpected token at line and column with a caret snippet", () => {
  const error = syntaxError(() => dqlToFilterAst('k8s.namespace.name = "prod")'));
  assert.equal(error.message, 'filter: unexpected ")" at 1:28');
  assert.equal(error.details.snippet, `k8s.namespace.name = "prod")\n${" ".repeat(27)}^`);
  const second = syntaxError(() =>
    dqlToFilterAst('a = "1"\n  AND )', "segments/prod.yaml: includes[0].filter")
  );
  assert.equal(
    second.message,
    'segments/prod.yaml: includes[0].filter: unexpected ")", expected a key at 2:7',
  );
  assert.equal(second.details.snippet, "  AND )\n      ^");
  assert.equal(second.details.field, "segments/prod.yaml: includes[0].filter");
});

Deno.test("errors: every malformed filter names the problem and its position", () => {
  const cases: [string, string][] = [
    ["", "empty filter at 1:1"],
    ["   ", "empty filter at 1:4"],
    ["a = 1 AND", "unexpected end of filter, expected a key at 1:10"],
    ["a = 1 OR OR b = 2", 'unexpected "OR" at 1:10'],
    ["NOT a = 1", '"NOT" is not supported at 1:1'],
    ["a not = 1", '"not" must be followed by "in" at 1:3'],
    ["a = 'x'", "single quotes are not supported at 1:5"],
    ['a = "x', "unterminated string at 1:5"],
    ["`a = 1", "unterminated `-quoted key at 1:1"],
    ["`` = 1", "empty key at 1:1"],
    ['"a" = 1', "expected a key, found a double-quoted string at 1:1"],
    ["a =", "unexpected end of filter, expected a value at 1:4"],
    ["a", "unexpected end of filter, expected an operator (=, !=, <, <=, >, >=, in, not in) at 1:2"],
    ["a : 1", 'unexpected ":", expected an operator (=, !=, <, <=, >, >=, in, not in) at 1:3'],
    ["a ~ x", 'the matches-phrase operator "~" is not supported at 1:3'],
    ["a !~ x", 'the matches-phrase operator "!~" is not supported at 1:3'],
    ["a ! x", 'unknown operator "!" at 1:3'],
    ["a = (1, 2)", "a value list is only allowed after in / not in at 1:5"],
    ["a in 1", 'unexpected "1", expected "(" after in at 1:6'],
    ["a in ()", "empty value list at 1:7"],
    ["a in (1 2)", 'unexpected "2", expected "," or ")" at 1:9'],
    ["a in (x*)", "wildcards are not supported in value lists at 1:7"],
    ["a < *", "wildcards can only be used with = and !=, not with < at 1:5"],
    ["a = **", 'empty wildcard pattern "**" at 1:5'],
    ["a = `x`", "backticks quote keys, not values at 1:5"],
    ["(a = 1", 'unexpected end of filter, expected ")" at 1:7'],
    ["()", "empty parentheses at 1:2"],
    ["a = 1)", 'unexpected ")" at 1:6'],
    ["a = 1 , b = 2", 'unexpected ",", expected a key at 1:7'],
  ];
  for (const [text, message] of cases) {
    const error = syntaxError(() => dqlToFilterAst(text));
    assert.equal(error.message, `filter: ${message}`, JSON.stringify(text));
    assert.equal(typeof error.details.snippet, "string");
    assert.ok(error.hint, `hint for ${text}`);
  }
});

Deno.test("errors: deep nesting is a validation error, not a stack overflow", () => {
  const deep = "(".repeat(5000) + "a = 1" + ")".repeat(5000);
  assert.match(syntaxError(() => dqlToFilterAst(deep)).message, /nested more than 64 deep at 1:65/);
  let tree: unknown = {
    type: "Statement",
    key: { value: "a" },
    operator: { value: "=" },
    value: { value: "1" },
  };
  for (let i = 0; i < 2000; i++) tree = { type: "Group", logicalOperator: "AND", children: [tree] };
  assert.match(
    syntaxError(() => filterAstToDql(tree as FilterAstGroup)).message,
    /nested more than 256 deep/,
  );
});

Deno.test("errors: long lines show a window of the line in the snippet", () => {
  const text = `a = "${"x".repeat(300)}" == 1`;
  const snippet = String(syntaxError(() => dqlToFilterAst(text)).details.snippet);
  const [line, caret] = snippet.split("\n");
  assert.ok(line.length <= 102, line);
  assert.equal(line[caret.length - 1], "=");
});

// ---------------------------------------------------------------------------------------------------------
// AST → DQL
// ---------------------------------------------------------------------------------------------------------

Deno.test("filterAstToDql: renders a stored segment-editor tree (format 007, no isEscaped)", () => {
  const stored = {
    type: "Group",
    range: { from: 0, to: 26 },
    logicalOperator: "AND",
    explicit: false,
    explicitLogicalOperator: false,
    version: "007",
    children: [{
      type: "Statement",
      range: { from: 0, to: 25 },
      key: {
        type: "Key",
        range: { from: 0, to: 16 },
        textValue: "dt.host_group.id",
        value: "dt.host_group.id",
      },
      value: { type: "String", range: { from: 19, to: 25 }, textValue: "*work*", value: "work" },
      operator: {
        type: "ComparisonOperator",
        textValue: "=",
        value: "contains",
        range: { from: 17, to: 18 },
      },
    }],
  };
  assert.equal(filterAstToDql(JSON.stringify(stored)), "dt.host_group.id = *work*");
  assert.equal(normalizeFilterDql(JSON.stringify(stored)), normalizeFilterDql("dt.host_group.id = *work*"));
});

Deno.test("filterAstToDql: renders a format-004 tree with the duplicate comparisonOperator field", () => {
  const opEq = { type: "ComparisonOperator", textValue: "=", value: "=" };
  const stored = {
    children: [
      {
        comparisonOperator: opEq,
        key: { textValue: "dt.security_context", type: "Key", value: "dt.security_context" },
        operator: opEq,
        type: "Statement",
        value: { textValue: '"PAM"', type: "String", value: "PAM" },
      },
      {
        comparisonOperator: { textValue: "in", type: "InclusionOperator", value: "in" },
        key: { textValue: "frontend.name", type: "Key", value: "frontend.name" },
        operator: { textValue: "in", type: "InclusionOperator", value: "in" },
        type: "Statement",
        value: {
          textValue: "(PW_Portal,PCD_Portal)",
          type: "List",
          value: [
            { textValue: "PW_Portal", type: "String", value: "PW_Portal" },
            { textValue: '"PCD Portal"', type: "String", value: "PCD Portal" },
          ],
        },
      },
      {
        key: { textValue: "k8s.cluster.name", type: "Key", value: "k8s.cluster.name" },
        operator: opEq,
        type: "Statement",
        value: { textValue: "$cluster", type: "String", value: "$cluster" },
      },
    ],
    explicit: false,
    explicitLogicalOperator: true,
    logicalOperator: "OR",
    type: "Group",
    version: "004",
  };
  assert.equal(
    filterAstToDql(JSON.stringify(stored)),
    'dt.security_context = "PAM" OR frontend.name in (PW_Portal, "PCD Portal") OR k8s.cluster.name = $cluster',
  );
});

Deno.test("filterAstToDql: reads dtctl (Go) trees with LogicalOperator separators and scalar in", () => {
  const stmt = (key: string, op: string, value: string, opType = "ComparisonOperator") => ({
    type: "Statement",
    key: { type: "Key", textValue: key, value: key },
    operator: { type: opType, textValue: op, value: op },
    value: { type: "String", textValue: `"${value}"`, value, isEscaped: true },
  });
  const separator = (value: string) => ({ type: "LogicalOperator", textValue: value, value });
  const tree = {
    type: "Group",
    logicalOperator: "AND",
    explicit: false,
    children: [
      {
        type: "Group",
        logicalOperator: "OR",
        explicit: true,
        children: [stmt("a", "=", "1"), separator("OR"), stmt("b", "=", "2")],
      },
      separator("AND"),
      stmt("c", "=", "3"),
    ],
  };
  assert.equal(filterAstToDql(tree as unknown as FilterAstGroup), '(a = "1" OR b = "2") AND c = "3"');
  const implicit = {
    type: "Group",
    logicalOperator: "AND",
    explicit: false,
    children: [stmt("a", "=", "1"), stmt("b", "=", "2")],
  };
  assert.equal(filterAstToDql(JSON.stringify(implicit)), 'a = "1" b = "2"');
  const scalarIn = {
    type: "Group",
    logicalOperator: "AND",
    explicit: false,
    children: [stmt("s", "in", "active", "InclusionOperator")],
  };
  assert.equal(filterAstToDql(JSON.stringify(scalarIn)), 's in ("active")');
});

Deno.test("filterAstToDql: keeps meaning for hand-made trees (OR under AND, bare unsafe values)", () => {
  const stmt = (key: string, value: string) => ({
    type: "Statement",
    key: { type: "Key", textValue: key, value: key },
    operator: { type: "ComparisonOperator", textValue: "=", value: "=" },
    value: { type: "String", textValue: value, value },
  });
  const tree = {
    type: "Group",
    logicalOperator: "AND",
    explicit: false,
    children: [{
      type: "Group",
      logicalOperator: "OR",
      explicit: false,
      children: [stmt("a", "x y"), stmt("b", "*")],
    }, stmt("my key", "and")],
  };
  const text = filterAstToDql(tree as unknown as FilterAstGroup);
  assert.equal(text, '(a = "x y" OR b = "\\*") `my key` = "and"');
  assert.equal(normalizeFilterDql(text), normalizeFilterDql(JSON.stringify(tree)));
});

Deno.test("filterAstToDql: plain text passes through, blank and empty trees become empty", () => {
  assert.equal(filterAstToDql('status = "ERROR"'), 'status = "ERROR"');
  assert.equal(filterAstToDql("  "), "");
  assert.equal(filterAstToDql('{"type":"Group","logicalOperator":"AND","explicit":false,"children":[]}'), "");
});

Deno.test("filterAstToDql: unreadable trees are validation errors naming the node", () => {
  const cases: [string, string][] = [
    ["{not json", "filter: the filter tree is not valid JSON"],
    ['{"type":"Unknown"}', 'filter: unsupported node type "Unknown"'],
    [
      '{"type":"Group","logicalOperator":"XOR","children":[]}',
      'filter: logicalOperator: unknown logical operator "XOR"',
    ],
    [
      '{"type":"Group","logicalOperator":"AND","children":[{"type":"Statement","key":{"value":"a"},"operator":{"value":"~"},"value":{"value":"x"}}]}',
      'filter: children[0].operator: unknown operator "~"',
    ],
    [
      '{"type":"Group","logicalOperator":"AND","children":[{"type":"Group","logicalOperator":"OR","children":[]}]}',
      "filter: children[0]: empty group",
    ],
    [
      '{"type":"Group","logicalOperator":"AND","children":[{"type":"Statement","key":{"value":"a"},"operator":{"value":"in"},"value":{"type":"List","value":[{"value":{}}]}}]}',
      "filter: children[0].value.value[0]: expected a string, number or boolean value",
    ],
  ];
  for (const [input, prefix] of cases) {
    const error = syntaxError(() => filterAstToDql(input));
    assert.ok(error.message.startsWith(prefix), `${error.message} should start with ${prefix}`);
  }
});

// ---------------------------------------------------------------------------------------------------------
// Wire conversion and normalisation
// ---------------------------------------------------------------------------------------------------------

Deno.test("filterDqlToWire: trees pass through unchanged, blank stays empty, JSON is checked", () => {
  const tree = '  {"type":"Group","logicalOperator":"AND","explicit":false,"children":[]}';
  assert.equal(isFilterAstString(tree), true);
  assert.equal(isFilterAstString('status = "x"'), false);
  assert.equal(filterDqlToWire(tree), tree);
  assert.equal(filterDqlToWire(" \n"), "");
  assert.match(
    syntaxError(() => filterDqlToWire("{oops")).message,
    /^filter: the filter tree is not valid JSON/,
  );
  const wire = filterDqlToWire('loglevel = "ERROR"');
  assert.deepEqual(JSON.parse(wire), dqlToFilterAst('loglevel = "ERROR"'));
});

Deno.test("filterDqlToWire: enforces the platform's 18,000 character limit", () => {
  const values = Array.from({ length: 300 }, (_, i) => `"value-${i}"`).join(", ");
  const error = syntaxError(() => filterDqlToWire(`k in (${values})`, "includes[0].filter"));
  assert.match(
    error.message,
    /^includes\[0\]\.filter: the serialized filter has \d+ characters; the platform allows at most 18000$/,
  );
  assert.equal(error.details.limit, FILTER_MAX_WIRE_LENGTH);
});

Deno.test("normalizeFilterDql: one spelling per meaning", () => {
  const same: string[][] = [
    [
      'status = "ERROR"',
      "status=ERROR",
      '  `status`   =   "ERROR"  ',
      '(status = "ERROR")',
      '((status = "ERROR"))',
    ],
    [
      'a = "1" AND b = "2" AND c = "3"',
      "a = 1 b = 2 c = 3",
      "a = 1 and (b = 2 AND c = 3)",
      "(a = 1 b = 2)\n\tAND c = 3",
    ],
    [
      'a = "1" OR b = "2" AND c = "3"',
      "a = 1 or (b = 2 c = 3)",
      "(a = 1) OR b = 2 c = 3",
    ],
    ['k in ("a", "b")', "k IN(a,b)", 'k in ( "a" , b )'],
    ['k = "*x*"', "k = *x*", 'k="*x*"'],
    ["k = *", 'k = "*"'],
    ['k = "\\*"', 'k = "\\*"'],
  ];
  for (const group of same) {
    const canonical = normalizeFilterDql(group[0]);
    assert.equal(canonical, group[0], "the first spelling is the canonical one");
    for (const text of group) assert.equal(normalizeFilterDql(text), canonical, text);
  }
  // Different meanings stay different.
  assert.notEqual(
    normalizeFilterDql("a = 1 OR b = 2 AND c = 3"),
    normalizeFilterDql("(a = 1 OR b = 2) AND c = 3"),
  );
  assert.notEqual(normalizeFilterDql('k = "\\*x"'), normalizeFilterDql("k = *x"));
  assert.equal(normalizeFilterDql(""), "");
  assert.equal(normalizeFilterDql(filterDqlToWire("a = 1 b = 2")), normalizeFilterDql('a = "1" AND b = "2"'));
});

// ---------------------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------------------

// The generators below build trees as the spec says the parser must produce them, with their own copy of
// the quoting rules, so the properties check the implementation against the conventions rather than itself.

const RESERVED = new Set(["and", "or", "not", "in"]);

function testQuote(value: string, escapeMiddleStar = false): string {
  const esc = (s: string) => s.replace(escapeMiddleStar ? /[\\"*]/g : /[\\"]/g, "\\$&");
  if (value === "") return '""';
  if (value.length === 1) return value === "*" ? '"\\*"' : `"${esc(value)}"`;
  const head = value[0] === "*" ? "\\*" : esc(value[0]);
  const tail = value[value.length - 1] === "*" ? "\\*" : esc(value[value.length - 1]);
  return `"${head}${esc(value.slice(1, -1))}${tail}"`;
}

function testBacktick(key: string): string {
  return "`" + key.replace(/[\\`]/g, "\\$&") + "`";
}

const anyText = fc.string({
  unit: fc.constantFrom(
    "a",
    "Z",
    "0",
    " ",
    "*",
    '"',
    "\\",
    "`",
    "'",
    "(",
    ")",
    ",",
    "=",
    "é",
    "😀",
    "\n",
    "-",
  ),
  maxLength: 8,
});
const safeKey = fc.stringMatching(/^[a-z][a-z0-9_.-]{0,7}$/).filter((k) => !RESERVED.has(k));
const safeWord = fc.stringMatching(/^[A-Za-z0-9_.:$\/-][A-Za-z0-9_.:$\/*-]{0,7}$/)
  .filter((v) => !v.endsWith("*") && !RESERVED.has(v.toLowerCase()));

const keyArb = fc.oneof(
  safeKey.map((value) => ({ type: "Key", textValue: value, value })),
  fc.string({ minLength: 1, maxLength: 8, unit: fc.constantFrom("a", " ", "`", "\\", "é", "-", "*") })
    .map((value) => ({ type: "Key", textValue: testBacktick(value), value })),
);

type StringNode = { type: "String"; textValue: string; value: string; isEscaped?: boolean };

const scalarArb: fc.Arbitrary<StringNode> = fc.oneof(
  safeWord.map((value): StringNode => ({ type: "String", textValue: value, value })),
  anyText.map((value): StringNode => ({
    type: "String",
    textValue: testQuote(value),
    value,
    isEscaped: true,
  })),
);

const compareArb = fc.record({
  key: keyArb,
  op: fc.constantFrom("=", "!=", "<", "<=", ">", ">="),
  value: scalarArb,
}).map(({ key, op, value }) => ({
  type: "Statement",
  key,
  operator: { type: "ComparisonOperator", textValue: op, value: op },
  value,
}));

const wildcardArb = fc.record({
  key: keyArb,
  negated: fc.boolean(),
  match: fc.constantFrom("contains", "starts-with", "ends-with"),
  term: fc.oneof(
    safeWord.filter((t) => !t.includes("*")).map((t) => ({ t, quoted: false })),
    anyText.filter((t) => t !== "").map((t) => ({ t, quoted: true })),
  ),
}).map(({ key, negated, match, term }) => {
  const decorate = (body: string) =>
    match === "contains" ? `*${body}*` : match === "starts-with" ? `${body}*` : `*${body}`;
  const value: StringNode = term.quoted
    ? {
      type: "String",
      textValue: `"${decorate(testQuote(term.t).slice(1, -1))}"`,
      value: term.t,
      isEscaped: true,
    }
    : { type: "String", textValue: decorate(term.t), value: term.t };
  return {
    type: "Statement",
    key,
    operator: {
      type: "ComparisonOperator",
      textValue: negated ? "!=" : "=",
      value: negated ? `not-${match}` : match,
    },
    value,
  };
});

const existsArb = fc.record({ key: keyArb, negated: fc.boolean() }).map(({ key, negated }) => ({
  type: "Statement",
  key,
  operator: {
    type: "ComparisonOperator",
    textValue: negated ? "!=" : "=",
    value: negated ? "not-exists" : "exists",
  },
  value: { type: "String", textValue: "*", value: "" },
}));

const inArb = fc.record({
  key: keyArb,
  negated: fc.boolean(),
  items: fc.array(scalarArb, { minLength: 1, maxLength: 3 }),
}).map(({ key, negated, items }) => ({
  type: "Statement",
  key,
  operator: {
    type: "InclusionOperator",
    textValue: negated ? "not in" : "in",
    value: negated ? "not in" : "in",
  },
  value: { type: "List", textValue: `(${items.map((i) => i.textValue).join(", ")})`, value: items },
}));

const statementArb = fc.oneof(compareArb, wildcardArb, existsArb, inArb);

type Node = Record<string, unknown>;
const group = (op: string, explicit: boolean, eLO: boolean, children: Node[]): Node => ({
  type: "Group",
  logicalOperator: op,
  explicit,
  explicitLogicalOperator: eLO,
  children,
});

/** Group contents the parser can produce: one factor, an AND of factors, or an OR of factors / implicit ANDs. */
function bodyArb(depth: number): fc.Arbitrary<{ op: string; eLO: boolean; children: Node[] }> {
  const factor: fc.Arbitrary<Node> = depth <= 0
    ? statementArb
    : fc.oneof({ weight: 3, arbitrary: statementArb }, { weight: 1, arbitrary: explicitArb(depth - 1) });
  const implicitAnd = fc.record({
    eLO: fc.boolean(),
    children: fc.array(factor, { minLength: 2, maxLength: 3 }),
  })
    .map(({ eLO, children }) => group("AND", false, eLO, children));
  return fc.oneof(
    factor.map((child) => ({ op: "AND", eLO: false, children: [child] })),
    fc.record({ eLO: fc.boolean(), children: fc.array(factor, { minLength: 2, maxLength: 3 }) })
      .map(({ eLO, children }) => ({ op: "AND", eLO, children })),
    fc.array(fc.oneof(factor, implicitAnd), { minLength: 2, maxLength: 3 })
      .map((children) => ({ op: "OR", eLO: true, children })),
  );
}

function explicitArb(depth: number): fc.Arbitrary<Node> {
  return bodyArb(depth).map(({ op, eLO, children }) => group(op, true, eLO, children));
}

const treeArb = bodyArb(2).map(({ op, eLO, children }) =>
  group(op, false, eLO, children) as unknown as FilterAstGroup
);

/** A deterministic random source, so one generated seed drives all formatting choices of a text. */
function chooser(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return <T>(options: T[]): T => options[Math.floor(next() * options.length)];
}

/** Writes a tree as a careless author would: random spacing, keyword case, quoting, parentheses. */
function sloppyText(tree: Node, seed: number): string {
  const pick = chooser(seed);
  const ws = () => pick([" ", " ", "  ", "\n  ", "\t"]);
  const optWs = () => pick(["", "", " ", "\n"]);
  const scalar = (node: StringNode) => {
    // Inside quotes `\*` is a literal asterisk anywhere, so escaping middle ones too keeps the meaning.
    if (node.isEscaped) return pick([node.textValue, testQuote(node.value, true)]);
    return pick([node.textValue, testQuote(node.value)]);
  };
  const statement = (node: Node): string => {
    const key = node.key as { textValue: string; value: string };
    const op = node.operator as { textValue: string; value: string };
    const value = node.value as StringNode & { value: StringNode[] };
    const keyText = key.textValue.startsWith("`")
      ? key.textValue
      : pick([key.textValue, testBacktick(key.value)]);
    let text: string;
    if (op.value === "in" || op.value === "not in") {
      const items = value.value.map((item) => optWs() + scalar(item) + optWs()).join(",");
      const opText = op.value === "in"
        ? pick(["in", "IN", "In"])
        : pick(["not in", "NOT IN", "not\n in", "Not  In"]);
      text = `${keyText}${ws()}${opText}${pick(["", " "])}(${items})`;
    } else if (op.value.endsWith("exists")) {
      text = `${keyText}${optWs()}${op.textValue}${optWs()}${pick(["*", '"*"'])}`;
    } else {
      text = `${keyText}${optWs()}${op.textValue}${ws()}${
        op.value === op.textValue ? scalar(value) : value.textValue
      }`;
    }
    return pick([text, text, `(${optWs()}${text}${optWs()})`]);
  };
  const expr = (node: Node): string => {
    if (node.type === "Statement") return statement(node);
    const children = (node.children as Node[]).map(expr);
    const joined = children.reduce((acc, child) => {
      const separator = node.logicalOperator === "OR"
        ? `${ws()}${pick(["OR", "or", "Or"])}${ws()}`
        : pick([ws(), `${ws()}${pick(["AND", "and"])}${ws()}`]);
      return `${acc}${separator}${child}`;
    });
    return node.explicit ? `(${optWs()}${joined}${optWs()})` : joined;
  };
  return `${optWs()}${expr(tree)}${optWs()}`;
}

Deno.test("property: filterAstToDql(dqlToFilterAst(x)) normalises to normalizeFilterDql(x)", () => {
  fc.assert(
    fc.property(treeArb, fc.integer(), (tree, seed) => {
      const text = sloppyText(tree as unknown as Node, seed);
      const canonical = normalizeFilterDql(text);
      assert.equal(normalizeFilterDql(filterAstToDql(dqlToFilterAst(text))), canonical, text);
      // The manifest's text and the server's tree compare equal, and normalising is idempotent.
      assert.equal(normalizeFilterDql(JSON.stringify(tree)), canonical, text);
      assert.equal(normalizeFilterDql(canonical), canonical);
    }),
    { numRuns: 400 },
  );
});

Deno.test("property: dqlToFilterAst(filterAstToDql(ast)) equals ast modulo ranges", () => {
  fc.assert(
    fc.property(treeArb, (tree) => {
      const text = filterAstToDql(tree);
      assert.deepEqual(withoutRanges(dqlToFilterAst(text)), withoutRanges(tree), text);
    }),
    { numRuns: 400 },
  );
});

Deno.test("property: ranges and textValues point at the text they came from", () => {
  fc.assert(
    fc.property(treeArb, fc.integer(), (tree, seed) => {
      const text = sloppyText(tree as unknown as Node, seed);
      const visit = (node: unknown): void => {
        if (Array.isArray(node)) return node.forEach(visit);
        if (typeof node !== "object" || node === null) return;
        const n = node as { range?: { from: number; to: number }; textValue?: unknown };
        if (n.range && typeof n.textValue === "string") {
          assert.equal(text.slice(n.range.from, n.range.to), n.textValue);
        }
        Object.values(node).forEach(visit);
      };
      visit(dqlToFilterAst(text));
    }),
    { numRuns: 200 },
  );
});

Deno.test("property: the converters throw nothing but validation errors on arbitrary input", () => {
  const filterish = fc.array(
    fc.constantFrom(
      "a",
      "k8s.x",
      " ",
      "\n",
      "=",
      "==",
      "!=",
      "<",
      ">=",
      "(",
      ")",
      '"',
      "\\",
      "`",
      "'",
      "*",
      ",",
      "AND",
      "or",
      "not",
      "in",
      "~",
      "{",
      "}",
      "1",
      "é",
    ),
    { maxLength: 30 },
  ).map((parts) => parts.join(""));
  const check = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      assert.ok(error instanceof DtctlError && error.code === "validation_error", String(error));
    }
  };
  fc.assert(
    fc.property(fc.oneof(filterish, fc.string({ unit: "binary", maxLength: 40 })), (text) => {
      check(() => dqlToFilterAst(text));
      check(() => normalizeFilterDql(text));
      check(() => filterDqlToWire(text));
      check(() => filterAstToDql(text));
    }),
    { numRuns: 1000 },
  );
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 5 }), (json) => {
      check(() => filterAstToDql(JSON.stringify(json)));
      check(() => normalizeFilterDql(JSON.stringify(json)));
    }),
    { numRuns: 300 },
  );
});
