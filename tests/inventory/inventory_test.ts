/**
 * The stack inventory: a document of type dtctl:inventory with a deterministic id, read as empty when absent,
 * written with optimistic locking, validated when read, robust to a write whose answer was lost.
 */

import assert from "node:assert/strict";
import {
  type Inventory,
  INVENTORY_DOCUMENT_TYPE,
  inventoryDocumentId,
  inventoryText,
  parseInventoryContent,
  readInventory,
  sameInventoryObjects,
  sortInventoryObjects,
  writeInventory,
} from "../../lib/inventory/mod.ts";
import { createDocument, getDocument } from "../../lib/resources/documents/api.ts";
import { failure, platform } from "../apply/support.ts";

const A = { kind: "Workflow", name: "a", id: "id-a", key: "id=id-a" };
const B = { kind: "SLO", name: "b", id: "id-b", key: "externalId=x", externalId: "x" };
const C = { kind: "Bucket", name: "c", id: "c", key: "id=c" };

Deno.test("an absent inventory reads as empty; a written one reads back sorted", async () => {
  const p = platform();
  const empty = await readInventory(p.client, "shop");
  assert.deepEqual(empty, { stack: "shop", exists: false, objects: [] });
  const written = await writeInventory(p.client, empty, [A, B, C]);
  assert.equal(written.exists, true);
  assert.equal(written.version, 1);
  const read = await readInventory(p.client, "shop");
  assert.deepEqual(read.objects, [C, B, A]);
  assert.equal(read.version, 1);
  const document = await getDocument(p.client, inventoryDocumentId("shop"));
  assert.equal(document.metadata.type, INVENTORY_DOCUMENT_TYPE);
  assert.equal(document.metadata.id, "dtctl-inventory-shop");
  assert.equal(new TextDecoder().decode(document.content), inventoryText("shop", [A, B, C]));
  assert.deepEqual(JSON.parse(new TextDecoder().decode(document.content)), {
    stack: "shop",
    formatVersion: 1,
    objects: [C, B, A],
  });
});

Deno.test("a write based on an old version is a conflict and nothing is lost", async () => {
  const p = platform();
  const base = await readInventory(p.client, "shop");
  const first = await writeInventory(p.client, base, [A]);
  await writeInventory(p.client, first, [A, B]);
  const error = await failure(() => writeInventory(p.client, first, [A, C]));
  assert.equal(error.code, "conflict");
  assert.match(error.message, /changed by someone else during this apply/);
  assert.deepEqual((await readInventory(p.client, "shop")).objects, [B, A]);
  // Two creates at once: the second conflicts.
  const other = await failure(() => writeInventory(p.client, base, [C]));
  assert.equal(other.code, "conflict");
});

Deno.test("a write whose answer was lost is not repeated when it landed", async () => {
  let drop = true;
  const p = platform({
    wrap: (handle) => async (request) => {
      const response = await handle(request);
      if (request.method === "PATCH" && drop) {
        drop = false;
        await response.arrayBuffer();
        throw new TypeError("connection reset by peer");
      }
      return response;
    },
  });
  const created = await writeInventory(p.client, await readInventory(p.client, "shop"), [A]);
  const written = await writeInventory(p.client, created, [A, B]);
  assert.deepEqual(written.objects, [B, A]);
  assert.equal(p.requests().filter((r) => r.method === "PATCH").length, 1);
});

Deno.test("an inventory of another stack, format or shape is refused", async () => {
  const p = platform();
  const write = async (content: unknown, type = INVENTORY_DOCUMENT_TYPE) =>
    await createDocument(p.client, {
      id: inventoryDocumentId("shop"),
      name: "x",
      type,
      content: { data: JSON.stringify(content) },
    });
  await write({ stack: "other", formatVersion: 1, objects: [] });
  assert.match((await failure(() => readInventory(p.client, "shop"))).message, /belongs to stack "other"/);
  assert.throws(
    () => parseInventoryContent("shop", { stack: "shop", formatVersion: 2, objects: [] }),
    /formatVersion 2/,
  );
  assert.throws(
    () => parseInventoryContent("shop", { stack: "shop", formatVersion: 1, objects: [{ kind: "X" }] }),
    /objects\[0\]/,
  );
  assert.throws(() => parseInventoryContent("shop", []), /JSON object/);

  const q = platform();
  await createDocument(q.client, {
    id: inventoryDocumentId("shop"),
    name: "x",
    type: "dashboard",
    content: { data: "{}" },
  });
  const error = await failure(() => readInventory(q.client, "shop"));
  assert.equal(error.code, "validation_error");
  assert.match(error.message, /has type "dashboard"/);
});

Deno.test("a read failure other than 404 is thrown, never an empty inventory", async () => {
  const p = platform({ emulator: { faults: [{ pathRegex: "dtctl-inventory", status: 403 }] } });
  assert.equal((await failure(() => readInventory(p.client, "shop"))).code, "permission_denied");
});

Deno.test("an inventory id held by the trash is reported with what to do", async () => {
  const p = platform();
  const created = await writeInventory(p.client, await readInventory(p.client, "shop"), [A]);
  const document = await getDocument(p.client, inventoryDocumentId("shop"));
  await p.client.request({
    method: "DELETE",
    path: `/platform/document/v1/documents/${inventoryDocumentId("shop")}`,
    query: { "optimistic-locking-version": document.metadata.version as number },
  });
  const base: Inventory = await readInventory(p.client, "shop");
  assert.equal(base.exists, false);
  const error = await failure(() => writeInventory(p.client, base, [A]));
  assert.equal(error.code, "conflict");
  assert.match(error.message, /taken by a document that cannot be read/);
  assert.equal(created.version, 1);
});

Deno.test("sorting drops duplicate kind/name pairs and comparison ignores order", () => {
  assert.deepEqual(sortInventoryObjects([A, { ...A, id: "other" }, C]), [C, A]);
  assert.equal(sameInventoryObjects([A, B], [B, A]), true);
  assert.equal(sameInventoryObjects([A, B], [B, { ...A, id: "x" }]), false);
  assert.equal(sameInventoryObjects([A], [A, B]), false);
});
