import assert from "node:assert/strict";
import { isDtctlError } from "../../lib/errors/mod.ts";
import { createClient, type PlatformClient } from "../../lib/client/mod.ts";
import { json, TOKEN, withServer } from "./_helpers.ts";

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of it) out.push(item);
  return out;
}

const ITEMS = Array.from({ length: 7 }, (_, i) => ({ id: `d${i}` }));

/** Pages ITEMS by page-key; keys are "k<start>". */
function keyedPage(params: URLSearchParams, sizeParam: string, keyParam: string, itemsField: string) {
  const key = params.get(keyParam);
  const start = key ? Number(key.slice(1)) : 0;
  const size = Number(params.get(sizeParam) ?? 3);
  const page = ITEMS.slice(start, start + size);
  const next = start + size < ITEMS.length ? `k${start + size}` : undefined;
  return { [itemsField]: page, totalCount: ITEMS.length, ...(next ? { nextPageKey: next } : {}) };
}

Deno.test("page-key (documents): page-size and filters are kept with page-key", async () => {
  await withServer((req) => {
    const params = new URL(req.url).searchParams;
    return json(200, keyedPage(params, "page-size", "page-key", "documents"));
  }, async (server) => {
    const client = createClient({ environment: server.url, token: TOKEN });
    const docs = await collect(client.paginate<{ id: string }>({
      style: "page-key",
      path: "/platform/document/v1/documents",
      query: { filter: "type == 'dashboard'", "add-fields": ["description", "labels"] },
      itemsField: "documents",
      pageSize: 3,
    }));
    assert.deepEqual(docs, ITEMS);
    assert.equal(server.requests.length, 3);
    const [first, second, third] = server.requests.map((r) => r.url.searchParams);
    assert.equal(first.get("page-key"), null);
    assert.equal(second.get("page-key"), "k3");
    assert.equal(third.get("page-key"), "k6");
    for (const p of [first, second, third]) {
      assert.equal(p.get("page-size"), "3");
      assert.equal(p.get("filter"), "type == 'dashboard'");
      assert.deepEqual(p.getAll("add-fields"), ["description", "labels"]);
    }
  });
});

Deno.test("page-key (SLO): dropOnPageKey removes page-size but keeps the filter", async () => {
  await withServer((req) => {
    const params = new URL(req.url).searchParams;
    if (params.has("page-key") && params.has("page-size")) {
      return json(400, { error: { code: 400, message: "page-key and page-size are mutually exclusive" } });
    }
    return json(200, keyedPage(params, "page-size", "page-key", "slos"));
  }, async (server) => {
    const client = createClient({ environment: server.url, token: TOKEN });
    const slos = await collect(client.paginate({
      style: "page-key",
      path: "/platform/slo/v1/slos",
      query: { filter: "name contains 'x'" },
      itemsField: "slos",
      pageSize: 3,
      dropOnPageKey: ["page-size"],
    }));
    // Without page-size, later pages use the server default (3 here), so all items still arrive.
    assert.deepEqual(slos, ITEMS);
    const later = server.requests.slice(1).map((r) => r.url.searchParams);
    assert.ok(later.length >= 1);
    for (const p of later) {
      assert.equal(p.get("page-size"), null);
      assert.equal(p.get("filter"), "name contains 'x'");
    }
  });
});

Deno.test("next-page-key (classic settings): the key is sent alone", async () => {
  await withServer((req) => {
    const params = new URL(req.url).searchParams;
    if (params.has("nextPageKey") && [...params.keys()].some((k) => k !== "nextPageKey")) {
      return json(400, {
        error: { code: 400, message: "nextPageKey must be the only parameter", constraintViolations: [] },
      });
    }
    if (!params.has("nextPageKey") && !params.has("schemaIds")) {
      return json(400, { error: { code: 400, message: "schemaIds or scopes required" } });
    }
    return json(200, { ...keyedPage(params, "pageSize", "nextPageKey", "items"), pageSize: 3 });
  }, async (server) => {
    const client = createClient({ environment: server.url, token: TOKEN });
    const items = await collect(client.paginate({
      style: "next-page-key",
      path: "/api/v2/settings/objects",
      query: { schemaIds: "builtin:alerting.profile", fields: "objectId,value" },
      itemsField: "items",
      pageSize: 3,
    }));
    assert.deepEqual(items, ITEMS);
    const queries = server.requests.map((r) => [...r.url.searchParams.keys()].sort());
    assert.deepEqual(queries, [["fields", "pageSize", "schemaIds"], ["nextPageKey"], ["nextPageKey"]]);
  });
});

Deno.test("offset (automation): limit/offset until count is reached", async () => {
  await withServer((req) => {
    const params = new URL(req.url).searchParams;
    const offset = Number(params.get("offset"));
    const limit = Number(params.get("limit"));
    return json(200, { count: ITEMS.length, results: ITEMS.slice(offset, offset + limit) });
  }, async (server) => {
    const client = createClient({ environment: server.url, token: TOKEN });
    const results = await collect(client.paginate({
      style: "offset",
      path: "/platform/automation/v1/workflows",
      query: { lastExecution__state__in: ["RUNNING", "ERROR"] },
      arrayFormat: "comma",
      itemsField: "results",
      pageSize: 3,
    }));
    assert.deepEqual(results, ITEMS);
    assert.deepEqual(server.requests.map((r) => r.url.searchParams.get("offset")), ["0", "3", "6"]);
    for (const r of server.requests) {
      assert.equal(r.url.searchParams.get("limit"), "3");
      assert.equal(r.url.searchParams.get("lastExecution__state__in"), "RUNNING,ERROR");
    }
  });
});

Deno.test("offset: stops on an empty page when the server gives no count", async () => {
  await withServer((req) => {
    const offset = Number(new URL(req.url).searchParams.get("offset"));
    return json(200, { results: ITEMS.slice(offset, offset + 4) });
  }, async (server) => {
    const client = createClient({ environment: server.url, token: TOKEN });
    const results = await collect(client.paginate({
      style: "offset",
      path: "/platform/automation/v1/executions",
      itemsField: "results",
    }));
    assert.deepEqual(results, ITEMS);
    assert.deepEqual(server.requests.map((r) => r.url.searchParams.get("offset")), ["0", "4", "7"]);
  });
});

async function expectStuck(client: PlatformClient, style: "page-key" | "next-page-key" | "offset") {
  const error = await collect(
    client.paginate({ style, path: "/platform/x", itemsField: "items", pageSize: 2 }),
  )
    .then(() => assert.fail("expected an error"), (e) => e);
  assert.ok(isDtctlError(error, "server_error"), String(error));
  assert.match(error.message, /did not advance/);
}

Deno.test("a server repeating a page key (or ignoring offset) is an error, not an endless loop", async () => {
  await withServer((req) => {
    const params = new URL(req.url).searchParams;
    // Alternates two keys forever: k1, k2, k1, ...
    const key = params.get("page-key") ?? params.get("nextPageKey");
    return json(200, { items: [{ key }], count: 100, nextPageKey: key === "k1" ? "k2" : "k1" });
  }, async (server) => {
    const client = createClient({ environment: server.url, token: TOKEN });
    await expectStuck(client, "page-key");
    assert.equal(server.requests.length, 3);
    await expectStuck(client, "next-page-key");
    assert.equal(server.requests.length, 6);
    await expectStuck(client, "offset");
    assert.equal(server.requests.length, 8);
  });
});

Deno.test("a page without the items array is an error, not an empty list", async () => {
  await withServer(() => json(200, { nextPageKey: "x" }), async (server) => {
    const client = createClient({ environment: server.url, token: TOKEN });
    await assert.rejects(
      collect(
        client.paginate({
          style: "page-key",
          path: "/platform/document/v1/documents",
          itemsField: "documents",
        }),
      ),
      (e: unknown) => isDtctlError(e, "server_error") && /"documents"/.test(e.message),
    );
  });
});

Deno.test("pagination stops when there is no next key, and errors propagate", async () => {
  await withServer((_req, { index }) => {
    if (index === 0) return json(200, { documents: [{ id: 1 }], nextPageKey: "" });
    return json(404, { error: { code: 404, message: "nope" } });
  }, async (server) => {
    const client = createClient({ environment: server.url, token: TOKEN });
    const docs = await collect(client.paginate({ style: "page-key", path: "/p", itemsField: "documents" }));
    assert.deepEqual(docs, [{ id: 1 }]);
    assert.equal(server.requests.length, 1);
    await assert.rejects(
      collect(client.paginate({ style: "page-key", path: "/p", itemsField: "documents" })),
      (e: unknown) => isDtctlError(e, "not_found"),
    );
  });
});
