/**
 * Reference §6: the document list sorts by every filter field except `id`, plus `userContext.lastAccessedTime`;
 * `originExtensionId` is a filter field, so it is sortable too.
 */

import assert from "node:assert/strict";
import { createEmulator } from "../../lib/emulator/handler.ts";
import { callJson } from "../emulator/helpers.ts";

Deno.test("regression: documents sort by originExtensionId (both directions), and still not by id", async () => {
  const em = createEmulator({ data: "demo", seed: 7 });
  for (const sort of ["originExtensionId", "-originExtensionId", "name,-originExtensionId"]) {
    const { status, body } = await callJson<{ documents: unknown[]; totalCount: number }>(
      em,
      "GET",
      `/platform/document/v1/documents?sort=${encodeURIComponent(sort)}`,
    );
    assert.equal(status, 200, sort);
    assert.equal(body.documents.length, body.totalCount);
  }
  const byId = await callJson(em, "GET", "/platform/document/v1/documents?sort=id");
  assert.equal(byId.status, 400);
});
