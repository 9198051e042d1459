import assert from "node:assert/strict";
import { isDtctlError } from "../../lib/errors/mod.ts";
import { createClient, parseMultipart } from "../../lib/client/mod.ts";
import fc from "fast-check";
import { TOKEN, withServer } from "./_helpers.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

function concat(...chunks: Array<string | Uint8Array>): Uint8Array<ArrayBuffer> {
  const parts = chunks.map((c) => (typeof c === "string" ? enc.encode(c) : c));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const META = '{"id":"my-dash","name":"My dash","version":2}';
const BINARY = new Uint8Array([0x00, 0x0d, 0x0a, 0x2d, 0x2d, 0xff, 0x0a, 0x0d]);

function documentBody(boundary: string, eol = "\r\n"): Uint8Array<ArrayBuffer> {
  return concat(
    `--${boundary}${eol}`,
    `Content-Disposition: form-data; name="metadata"${eol}`,
    `Content-Type: application/json${eol}${eol}`,
    META,
    `${eol}--${boundary}${eol}`,
    `Content-Disposition: form-data; name="content"; filename="my-dash"${eol}`,
    `Content-Type: application/octet-stream${eol}${eol}`,
    BINARY,
    `${eol}--${boundary}--${eol}`,
  );
}

Deno.test("parseMultipart: document GET shape (CRLF), metadata without filename, exact content bytes", () => {
  const parts = parseMultipart(documentBody("b0undary"), "multipart/form-data;boundary=b0undary");
  assert.equal(parts.length, 2);
  assert.equal(parts[0].name, "metadata");
  assert.equal(parts[0].filename, undefined);
  assert.equal(parts[0].contentType, "application/json");
  assert.deepEqual(JSON.parse(dec.decode(parts[0].data)), JSON.parse(META));
  assert.equal(parts[1].name, "content");
  assert.equal(parts[1].filename, "my-dash");
  assert.deepEqual(parts[1].data, BINARY);
});

Deno.test("parseMultipart: quoted boundary, preamble, LF-only line breaks, empty part", () => {
  const quoted = parseMultipart(
    concat("preamble to ignore\r\n", documentBody("a'b(c)=d")),
    'multipart/form-data; charset=utf-8; boundary="a\'b(c)=d"',
  );
  assert.deepEqual(quoted.map((p) => p.name), ["metadata", "content"]);
  assert.deepEqual(quoted[1].data, BINARY);

  const lf = parseMultipart(documentBody("xyz", "\n"), "multipart/form-data; boundary=xyz");
  assert.equal(dec.decode(lf[0].data), META);

  const empty = parseMultipart(
    enc.encode('--e\r\nContent-Disposition: form-data; name="x"\r\n\r\n\r\n--e--'),
    "multipart/form-data; boundary=e",
  );
  assert.deepEqual(empty, [{ name: "x", data: new Uint8Array() }]);
});

Deno.test("parseMultipart: round trip with what Response/FormData produce", async () => {
  const form = new FormData();
  form.append("metadata", META);
  form.append("content", new Blob([BINARY], { type: "application/x-custom" }), "doc.bin");
  const response = new Response(form);
  const parts = parseMultipart(
    new Uint8Array(await response.arrayBuffer()),
    response.headers.get("content-type")!,
  );
  assert.equal(dec.decode(parts[0].data), META);
  assert.equal(parts[1].filename, "doc.bin");
  assert.equal(parts[1].contentType, "application/x-custom");
  assert.deepEqual(parts[1].data, BINARY);
});

Deno.test("parseMultipart: malformed input is a DtctlError, never a crash", () => {
  const cases: Array<[Uint8Array, string]> = [
    [documentBody("b"), "application/json"],
    [documentBody("b"), "multipart/form-data"],
    [documentBody("b"), "multipart/form-data; boundary=other"],
    [documentBody("b").slice(0, 60), "multipart/form-data; boundary=b"],
    [enc.encode("--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--"), "multipart/form-data; boundary=b"],
    [enc.encode("--b\r\nno colon here\r\n\r\nx\r\n--b--"), "multipart/form-data; boundary=b"],
    [enc.encode("--bXYZ"), "multipart/form-data; boundary=b"],
    [new Uint8Array(), "multipart/form-data; boundary=b"],
  ];
  for (const [body, type] of cases) {
    assert.throws(
      () => parseMultipart(body, type),
      (e: unknown) => isDtctlError(e, "server_error") && /malformed multipart/i.test(e.message),
      `${type}: ${dec.decode(body).slice(0, 40)}`,
    );
  }
});

Deno.test("client + parseMultipart: a document GET read as bytes", async () => {
  await withServer(
    () =>
      new Response(documentBody("srv"), { headers: { "content-type": "multipart/form-data;boundary=srv" } }),
    async (server) => {
      const client = createClient({ environment: server.url, token: TOKEN });
      const response = await client.request<Response>({
        path: "/platform/document/v1/documents/my-dash",
        expect: "response",
      });
      const parts = parseMultipart(
        new Uint8Array(await response.arrayBuffer()),
        response.headers.get("content-type")!,
      );
      assert.deepEqual(parts.map((p) => p.name), ["metadata", "content"]);
      assert.deepEqual(parts[1].data, BINARY);
    },
  );
});

Deno.test("parseMultipart (property): arbitrary bytes give parts or a DtctlError, nothing else", () => {
  fc.assert(
    fc.property(
      fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.string().map((s) => enc.encode(s))),
      fc.stringMatching(/^[A-Za-z0-9'()+_,.\/:=?-]{1,20}$/),
      (body, boundary) => {
        // Salt random bodies with the delimiter so the parser gets past the first checks.
        const salted = concat(`--${boundary}\r\n`, body, `\r\n--${boundary}--`);
        for (const candidate of [body, salted]) {
          try {
            parseMultipart(candidate, `multipart/form-data; boundary="${boundary}"`);
          } catch (e) {
            assert.ok(isDtctlError(e, "server_error"), String(e));
          }
        }
      },
    ),
  );
});

Deno.test("parseMultipart (property): well-formed bodies round-trip byte-exact", () => {
  const part = fc.record({
    name: fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/),
    filename: fc.option(fc.stringMatching(/^[A-Za-z0-9_. -]{1,12}$/), { nil: undefined }),
    data: fc.uint8Array({ maxLength: 64 }),
  });
  fc.assert(
    fc.property(fc.array(part, { maxLength: 5 }), (parts) => {
      const boundary = "----dtctl-boundary-7f3a9c";
      const chunks: Array<string | Uint8Array> = [];
      for (const p of parts) {
        const fn = p.filename === undefined ? "" : `; filename="${p.filename}"`;
        chunks.push(
          `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${fn}\r\n\r\n`,
          p.data,
          "\r\n",
        );
      }
      chunks.push(`--${boundary}--\r\n`);
      const parsed = parseMultipart(concat(...chunks), `multipart/form-data; boundary=${boundary}`);
      assert.deepEqual(
        parsed.map((p) => ({ name: p.name, filename: p.filename, data: [...p.data] })),
        parts.map((p) => ({ name: p.name, filename: p.filename, data: [...p.data] })),
      );
    }),
  );
});
