import assert from "node:assert/strict";
import { parse } from "yaml";
import { DtctlError } from "../../lib/errors/mod.ts";
import {
  nameOf,
  OUTPUT_FORMATS,
  type OutputSpec,
  parseOutputSpec,
  type PrintableKind,
  renderObjects,
  WatchPrinter,
} from "../../lib/output/printers.ts";

const kind: PrintableKind = {
  name: "widget",
  plural: "widgets",
  idField: "id",
  columns: [
    { header: "id", value: (o) => String(o.id) },
    { header: "name", value: (o) => String(o.name) },
    { header: "size", value: (o) => String((o.spec as { size: number }).size), wide: true },
  ],
};

const objects = [
  { id: "w1", name: "first", spec: { size: 1 } },
  { id: "w2", name: 'with "quotes", commas\nand a newline', spec: { size: 22 } },
];

function usage(fn: () => unknown): DtctlError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof DtctlError);
    assert.equal(error.code, "usage_error");
    return error;
  }
  throw new Error("expected a usage error");
}

Deno.test("parseOutputSpec: table by default, known formats, jsonpath templates", () => {
  assert.equal(parseOutputSpec(undefined).format, "table");
  for (const format of ["table", "wide", "json", "yaml", "csv", "name"]) {
    assert.equal(parseOutputSpec(format).format, format);
  }
  const spec = parseOutputSpec("jsonpath={.items[*].id}");
  assert.equal(spec.format, "jsonpath");
  assert.equal(parseOutputSpec("jsonpath=.id").format, "jsonpath", "bare paths get braces");
});

Deno.test("parseOutputSpec: an invalid format lists the valid ones; a bad template names the column", () => {
  const invalid = usage(() => parseOutputSpec("xml"));
  assert.match(invalid.message, /invalid output format "xml"/);
  assert.equal(invalid.hint, `use -o with one of: ${OUTPUT_FORMATS.join(", ")}`);
  assert.match(usage(() => parseOutputSpec("jsonpath")).message, /needs a template/);
  assert.match(usage(() => parseOutputSpec("jsonpath=")).message, /needs a template/);
  assert.equal(usage(() => parseOutputSpec("jsonpath={.a[}")).details.column, 5);
  assert.match(usage(() => parseOutputSpec("wide", ["table", "json"])).hint!, /table, json$/);
  assert.match(
    usage(() => parseOutputSpec("jsonpath={.a}", ["table", "json"])).message,
    /invalid output format/,
  );
});

Deno.test("renderObjects: table and wide over the kind's columns, one line per row", () => {
  assert.equal(
    renderObjects(kind, objects, { format: "table" }),
    'ID   NAME\nw1   first\nw2   with "quotes", commas and a newline\n',
  );
  assert.equal(
    renderObjects(kind, objects, { format: "wide" }),
    "ID   NAME                                  SIZE\n" +
      "w1   first                                 1\n" +
      'w2   with "quotes", commas and a newline   22\n',
  );
  assert.equal(
    renderObjects(kind, objects, { format: "table" }, { noHeaders: true }).split("\n")[0],
    "w1   first",
  );
  assert.equal(renderObjects(kind, [], { format: "table" }), "", "an empty list renders nothing");
});

Deno.test("renderObjects: json and yaml print an object as itself and a list as an array", () => {
  assert.deepEqual(JSON.parse(renderObjects(kind, objects[0], { format: "json" })), objects[0]);
  assert.deepEqual(JSON.parse(renderObjects(kind, objects, { format: "json" })), objects);
  assert.deepEqual(parse(renderObjects(kind, objects, { format: "yaml" })), objects);
  assert.equal(renderObjects(kind, [], { format: "json" }), "[]\n");
});

Deno.test("renderObjects: csv quotes what needs quoting and includes the wide columns", () => {
  assert.equal(
    renderObjects(kind, objects, { format: "csv" }),
    'ID,NAME,SIZE\nw1,first,1\nw2,"with ""quotes"", commas\nand a newline",22\n',
  );
  assert.equal(
    renderObjects(kind, objects, { format: "csv" }, { noHeaders: true }).split("\n")[0],
    "w1,first,1",
  );
});

Deno.test("renderObjects: name prints kind/id; jsonpath sees a list as {kind: List, items}", () => {
  assert.equal(renderObjects(kind, objects, { format: "name" }), "widget/w1\nwidget/w2\n");
  assert.equal(nameOf(kind, objects[0]), "widget/w1");
  const list = parseOutputSpec("jsonpath={.kind}:{.items[*].id}");
  assert.equal(renderObjects(kind, objects, list), "List:w1 w2\n");
  assert.equal(renderObjects(kind, objects[0], parseOutputSpec("jsonpath={.spec.size}")), "1\n");
  const range = parseOutputSpec('jsonpath={range .items[*]}{.id}{"\\n"}{end}');
  assert.equal(renderObjects(kind, objects, range), "w1\nw2\n", "no extra newline after one");
});

Deno.test("renderObjects: a column that throws leaves its cell empty", () => {
  const fragile: PrintableKind = { ...kind, columns: [kind.columns[0], kind.columns[2]] };
  assert.equal(renderObjects(fragile, [{ id: "x" }], { format: "wide" }), "ID   SIZE\nx\n");
});

Deno.test("WatchPrinter: table rows with +/~/- markers aligned to the header and first rows", () => {
  const printer = new WatchPrinter(kind, { format: "table" }, {}, objects.slice(0, 1));
  assert.equal(printer.header(), "  ID   NAME\n");
  assert.equal(printer.initial(objects[0]), "  w1   first\n");
  assert.equal(printer.event("added", { id: "w3", name: "third" }), "+ w3   third\n");
  assert.equal(printer.event("modified", { id: "w1", name: "renamed" }), "~ w1   renamed\n");
  assert.equal(printer.event("deleted", { id: "w3", name: "third" }), "- w3   third\n");
  assert.equal(
    printer.event("added", { id: "long-id", name: "x" }),
    "+ long-id   x\n",
    "longer values widen",
  );
  assert.equal(printer.event("added", { id: "w4", name: "y" }), "+ w4        y\n", "and stay wide");
});

Deno.test("WatchPrinter: json, yaml, name, csv and jsonpath events", () => {
  const event = (spec: OutputSpec) => new WatchPrinter(kind, spec).event("modified", objects[0]);
  assert.deepEqual(JSON.parse(event({ format: "json" })), { type: "MODIFIED", object: objects[0] });
  assert.deepEqual(parse(event({ format: "yaml" }).replace(/^---\n/, "")), {
    type: "MODIFIED",
    object: objects[0],
  });
  assert.equal(event({ format: "name" }), "~ widget/w1\n");
  assert.equal(new WatchPrinter(kind, { format: "csv" }).header(), "EVENT,ID,NAME,SIZE\n");
  assert.equal(event({ format: "csv" }), "MODIFIED,w1,first,1\n");
  assert.equal(event(parseOutputSpec("jsonpath={.name}")), "~ first\n");
  assert.equal(new WatchPrinter(kind, { format: "json" }).header(), "");
  assert.equal(new WatchPrinter(kind, { format: "table" }, { noHeaders: true }).header(), "");
  assert.equal(
    new WatchPrinter(kind, { format: "json" }).initial(objects[0]).startsWith('{"type":"ADDED"'),
    true,
  );
});
