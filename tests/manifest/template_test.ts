import assert from "node:assert/strict";
import fc from "fast-check";
import { loadManifests, type Manifest, renderString } from "../../lib/manifest/mod.ts";
import { assertProblem, problemsOf, withTree } from "./helpers.ts";

async function loadSpec(
  text: string,
  values: Record<string, unknown>,
  env: Record<string, string | undefined> = {},
  file = "m.yaml",
): Promise<Manifest> {
  return await withTree({ [file]: text }, async (dir) => {
    const { manifests } = await loadManifests({ paths: [file], cwd: dir, values, env });
    return manifests[0];
  });
}

function doc(spec: string, name = "doc"): string {
  return `apiVersion: dtctl/v1\nkind: Document\nmetadata:\n  name: ${name}\nspec:\n  type: t\n${spec}`;
}

Deno.test("template: a whole-scalar placeholder keeps the value's type", async () => {
  const values = {
    n: 35,
    b: false,
    z: null,
    o: { a: [1, "x"] },
    l: ["a", "b"],
    s: "text",
    deep: { x: { y: 7 } },
  };
  const m = await loadSpec(
    doc(`  content:
    n: \${{ values.n }}
    b: "\${{ values.b }}"
    z: \${{values.z}}
    o: \${{ values.o }}
    l: ['\${{ values.l }}']
    s: \${{ values.s }}
    d: \${{ values.deep.x.y }}
    i: \${{ values.l.1 }}
`),
    values,
  );
  assert.deepEqual(m.spec.content, {
    n: 35,
    b: false,
    z: null,
    o: { a: [1, "x"] },
    l: [["a", "b"]],
    s: "text",
    d: 7,
    i: "b",
  });
  // Inside a substituted object, positions fall back to the placeholder.
  assert.deepEqual(m.locate(["spec", "content", "o", "a", 1]), { file: "m.yaml", line: 11, column: 8 });
});

Deno.test("template: embedded placeholders are stringified; $${{ escapes; no second pass", async () => {
  const values = { n: 5, o: { k: "v" }, z: null, tricky: "${{ values.n }}" };
  const m = await loadSpec(
    doc(`  content:
    a: "pre-\${{ values.n }}-post"
    b: "json \${{ values.o }}"
    c: "\${{ values.z }}!"
    d: "$\${{ values.n }} and $$\${{ values.n }}"
    e: \${{ values.tricky }}
    f: "<\${{ values.tricky }}>"
    g: "$5 {{ not a placeholder }} \${ values.n }"
`),
    values,
  );
  assert.deepEqual(m.spec.content, {
    a: "pre-5-post",
    b: 'json {"k":"v"}',
    c: "null!",
    d: "${{ values.n }} and $${{ values.n }}",
    e: "${{ values.n }}",
    f: "<${{ values.n }}>",
    g: "$5 {{ not a placeholder }} ${ values.n }",
  });
});

Deno.test("template: env placeholders; metadata is templated too", async () => {
  const m = await loadSpec(
    doc(
      `  content:\n    token: "\${{ env.DT_X }}"\n    empty: "[\${{ env.EMPTY }}]"\n`,
      "app-${{ values.stage }}",
    ),
    { stage: "prod" },
    { DT_X: 'secret\n"quoted"', EMPTY: "" },
  );
  assert.equal(m.name, "app-prod");
  assert.deepEqual(m.spec.content, { token: 'secret\n"quoted"', empty: "[]" });
});

Deno.test("template: missing values and bad placeholders are problems at the scalar, naming it", async () => {
  const text = doc(`  content:
    a: \${{ values.missing }}
    b: "x \${{ values.o.nope }} \${{ env.UNSET }}"
    c: \${{ secrets.x }}
    d: "\${{ values.n "
    \${{ values.k }}: 1
    e: \${{ env.a.b }}
    f: \${{ values.n.0 }}
`);
  await withTree({
    "m.yaml": text,
    "j.json": '{\n  "title": "${{ values.gone }}", "tasks": {"t": {"action": "a"}}\n}',
  }, async (dir) => {
    const problems = await problemsOf(() =>
      loadManifests({
        paths: ["m.yaml", "j.json"],
        cwd: dir,
        values: { o: {}, n: 1 },
        env: { UNSET: undefined },
      })
    );
    assertProblem(
      problems,
      "m.yaml:8:8",
      'missing value for ${{ values.missing }}: "missing" is not defined',
    );
    assertProblem(problems, "m.yaml:9:8", "missing value for ${{ values.o.nope }}");
    assertProblem(
      problems,
      "m.yaml:9:8",
      "missing value for ${{ env.UNSET }}: environment variable UNSET is not set",
    );
    assertProblem(problems, "m.yaml:10:8", "unknown placeholder ${{ secrets.x }}");
    assertProblem(problems, "m.yaml:11:8", "unterminated placeholder");
    assertProblem(problems, "m.yaml:12:5", "placeholders are not supported in mapping keys");
    assertProblem(problems, "m.yaml:13:8", "invalid placeholder ${{ env.a.b }}");
    assertProblem(problems, "m.yaml:14:8", "missing value for ${{ values.n.0 }}");
    assertProblem(problems, "j.json:2:12", "missing value for ${{ values.gone }}");
    assert.equal(problems.length, 9, problems.join("\n"));
  });
});

Deno.test("template: renderString without placeholders is the identity", () => {
  fc.assert(
    fc.property(fc.string(), (text) => {
      fc.pre(!text.includes("${{"));
      const result = renderString(text, {});
      assert.ok(result.ok);
      assert.equal(result.value, text);
    }),
  );
});

/** YAML and JSON documents in which one string field is a whole placeholder and one embeds it. */
const FORMS: [string, string][] = [
  [
    "y.yaml",
    doc(
      `  content:\n    whole: \${{ values.x }}\n    quoted: "\${{ values.x }}"\n    embedded: '<\${{ values.x }}>'\n`,
    ),
  ],
  [
    "j.json",
    JSON.stringify({
      apiVersion: "dtctl/v1",
      kind: "Document",
      metadata: { name: "doc" },
      spec: {
        type: "t",
        content: { whole: "${{ values.x }}", quoted: "${{ values.x }}", embedded: "<${{ values.x }}>" },
      },
    }),
  ],
];

Deno.test("template: arbitrary string values round-trip exactly (quotes, newlines, placeholders)", async () => {
  for (const [file, text] of FORMS) {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ unit: "binary" }),
          fc.constantFrom('"', "'\n\"", "}}", "${{ values.x }}", "a: b\n- c", "\\u0000"),
        ),
        async (x) => {
          const m = await loadSpec(text, { x }, {}, file);
          assert.deepEqual(m.spec.content, { whole: x, quoted: x, embedded: `<${x}>` });
        },
      ),
      { numRuns: 60 },
    );
  }
});

Deno.test("template: arbitrary JSON values keep their type in a whole-scalar placeholder", async () => {
  await fc.assert(
    fc.asyncProperty(fc.jsonValue(), async (x) => {
      // -0 has no JSON form; JSON.parse(JSON.stringify()) normalises it the way a YAML round trip would.
      const expected = JSON.parse(JSON.stringify(x));
      const m = await loadSpec(doc("  content:\n    v: ${{ values.x }}\n"), { x: expected });
      assert.deepEqual(m.spec.content, { v: expected });
    }),
    { numRuns: 60 },
  );
});
