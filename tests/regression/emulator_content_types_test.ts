/**
 * Reference §13.1: a JSON endpoint given a non-JSON body answers 415; the query service's 415 carries
 * `errorDetails:[{"@type":"media-type",…}]` next to its usual `details`.
 */

import assert from "node:assert/strict";
import { createEmulator } from "../../lib/emulator/handler.ts";
import { callJson } from "../emulator/helpers.ts";

Deno.test("regression: query execute with a non-JSON content type is a 415 with a media-type errorDetails entry", async () => {
  const em = createEmulator({ seed: 7 });
  const { status, body } = await callJson(em, "POST", "/platform/storage/query/v1/query:execute", {
    body: "fetch logs",
    headers: { "content-type": "text/plain" },
  });
  assert.equal(status, 415);
  const error = (body as {
    error: { code: number; details: { errorType: string }; errorDetails: Record<string, unknown>[] };
  }).error;
  assert.equal(error.code, 415);
  // The query family keeps its `details` object (the SDK reads it) ...
  assert.equal(typeof error.details.errorType, "string");
  // ... and adds the media-type entry the reference describes.
  assert.ok(Array.isArray(error.errorDetails));
  assert.equal(error.errorDetails[0]["@type"], "media-type");
  assert.deepEqual(error.errorDetails[0].supportedMediaTypes, ["application/json"]);
});

Deno.test("regression: the storage family's 415 keeps its errorDetails array shape", async () => {
  const em = createEmulator({ seed: 7 });
  const { status, body } = await callJson(
    em,
    "POST",
    "/platform/storage/filter-segments/v1/filter-segments",
    {
      body: "name=x",
      headers: { "content-type": "text/plain" },
    },
  );
  assert.equal(status, 415);
  const error = (body as { error: { errorDetails: Record<string, unknown>[]; details?: unknown } }).error;
  assert.equal(error.details, undefined);
  assert.equal(error.errorDetails.length, 1);
  assert.equal(error.errorDetails[0]["@type"], "media-type");
});
