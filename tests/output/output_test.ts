import assert from "node:assert/strict";
import fc from "fast-check";
import { createPalette, shouldUseColor } from "../../lib/output/color.ts";
import { errorEnvelope, successEnvelope } from "../../lib/output/envelope.ts";
import { renderError } from "../../lib/output/errors.ts";
import { renderTable } from "../../lib/output/table.ts";
import { DtctlError } from "../../lib/errors/mod.ts";

Deno.test("colour only when NO_COLOR is unset, not plain, not --no-color, and a TTY or FORCE_COLOR=1", () => {
  assert.equal(shouldUseColor({ env: {}, isTTY: true }), true);
  assert.equal(shouldUseColor({ env: {}, isTTY: false }), false);
  assert.equal(shouldUseColor({ env: { FORCE_COLOR: "1" }, isTTY: false }), true);
  assert.equal(
    shouldUseColor({ env: { NO_COLOR: "" }, isTTY: true }),
    false,
    "an empty NO_COLOR disables too",
  );
  assert.equal(shouldUseColor({ env: { NO_COLOR: "1", FORCE_COLOR: "1" }, isTTY: true }), false);
  assert.equal(shouldUseColor({ env: {}, isTTY: true, plain: true }), false);
  assert.equal(shouldUseColor({ env: {}, isTTY: true, noColor: true }), false);
  assert.equal(createPalette(false).red("x"), "x");
  assert.equal(createPalette(true).red("x"), "\x1b[31mx\x1b[39m");
});

Deno.test("tables are borderless, upper-case headers, no trailing blanks, one line per row", () => {
  const text = renderTable([
    { header: "name", value: (row: { name: string; env: string }) => row.name },
    { header: "environment", value: (row) => row.env },
  ], [{ name: "prod", env: "https://a" }, { name: "a\nmultiline", env: "b" }]);
  assert.equal(text, "NAME          ENVIRONMENT\nprod          https://a\na multiline   b\n");
  assert.equal(renderTable([{ header: "x", value: () => "" }], [], { noHeaders: true }), "");
});

Deno.test("property: every table row is one line whatever the cell text", () => {
  fc.assert(fc.property(fc.array(fc.tuple(fc.string(), fc.string()), { maxLength: 10 }), (rows) => {
    const text = renderTable([
      { header: "a", value: (row: [string, string]) => row[0] },
      { header: "b", value: (row) => row[1] },
    ], rows);
    assert.equal(text.split("\n").length - 1, rows.length + 1);
  }));
});

Deno.test("agent envelopes carry stable codes and exit codes, and no secrets", () => {
  assert.deepEqual(successEnvelope({ a: 1 }), {
    ok: true,
    envelope_version: "1",
    result: { a: 1 },
    error: null,
  });
  const failure = errorEnvelope(
    new DtctlError("not_found", 'workflow "x" not found', {
      hint: "check the name",
      details: { status: 404 },
    }),
  );
  assert.equal(failure.ok, false);
  assert.deepEqual(failure.error, {
    code: "not_found",
    message: 'workflow "x" not found',
    hint: "check the name",
    exit_code: 4,
    details: { status: 404 },
  });
  const leaky = errorEnvelope(new Error("bad token dt0s16.ABCDEF.0123456789abcdef0123456789"));
  assert.doesNotMatch(JSON.stringify(leaky), /0123456789abcdef/);
});

Deno.test("human errors: message and hint; stack only with verbose or for bugs", () => {
  const palette = createPalette(false);
  const user = new DtctlError("conflict", "document changed", { hint: "re-read it" });
  assert.equal(
    renderError(user, { verbose: false, palette }),
    "Error: document changed\n  Hint: re-read it\n",
  );
  assert.match(renderError(user, { verbose: true, palette }), /\n\s+at /);
  assert.match(
    renderError(new TypeError("boom"), { verbose: false, palette }),
    /this is a bug[\s\S]*\n\s+at /,
  );
});

Deno.test("table columns align by display width: colour codes take none, wide characters two", () => {
  const text = renderTable([
    { header: "name", value: (row: { name: string; v: string }) => row.name },
    { header: "v", value: (row) => row.v },
  ], [{ name: "\x1b[31mred\x1b[39m", v: "1" }, { name: "日本", v: "2" }, { name: "e\u0301", v: "3" }]);
  const lines = text.split("\n");
  assert.equal(lines[0], "NAME   V");
  assert.equal(lines[1], "\x1b[31mred\x1b[39m    1");
  assert.equal(lines[2], "日本   2");
  assert.equal(lines[3], "e\u0301      3");
});
