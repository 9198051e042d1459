/**
 * Conformance against Dynatrace's own generated SDK clients: they encode exact paths, parameters, status codes,
 * multipart part names and body types, so a wrong success code or a wrong multipart shape surfaces here as an
 * SDK exception.
 */

import assert from "node:assert/strict";
import hc from "@dynatrace-sdk/http-client";
import d from "@dynatrace-sdk/client-document";
import s from "@dynatrace-sdk/client-filter-segment-management";
import { createEmulator } from "../../lib/emulator/handler.ts";
import { serveEmulator } from "../../lib/emulator/serve.ts";
import { equalsFilter } from "../../lib/emulator/services/segments/mod.ts";

const OPTIONS = { transformDates: false };

function clients(baseUrl: string, token = "dt0s16.TEST") {
  const http = new hc.PlatformHttpClient({ baseUrl, defaultHeaders: { Authorization: `Bearer ${token}` } });
  return {
    documents: new d.DocumentsClient(http, OPTIONS),
    trash: new d.TrashClient(http, OPTIONS),
    segments: new s.FilterSegmentsClient(http, OPTIONS),
  };
}

/** Runs `fn` and returns what it threw (failing when it does not throw). */
async function thrown(fn: () => Promise<unknown>): Promise<Error & { response?: { status: number } }> {
  try {
    await fn();
  } catch (error) {
    return error as Error & { response?: { status: number } };
  }
  assert.fail("expected the SDK call to throw");
}

function json(value: unknown): Blob {
  return new Blob([JSON.stringify(value)], { type: "application/json" });
}

Deno.test("conformance: DocumentsClient and TrashClient against the served emulator", async () => {
  const server = await serveEmulator({ port: 0, seed: "empty", randomSeed: 11 });
  try {
    const { documents, trash } = clients(server.url);
    const created = await documents.createDocument({
      body: {
        name: "SDK notebook",
        type: "notebook",
        description: "via sdk",
        id: "nb-sdk-1",
        content: json({ version: "7", sections: [] }),
      },
    });
    assert.equal(created.id, "nb-sdk-1");
    assert.equal(Number(created.version), 1);

    const got = await documents.getDocument({ id: "nb-sdk-1" });
    assert.equal(got.metadata?.name, "SDK notebook");
    assert.deepEqual(JSON.parse(await got.content!.get("text")), { version: "7", sections: [] });

    const list = await documents.listDocuments({
      filter: "type == 'notebook' and name contains 'sdk'",
      sort: "-modificationInfo.lastModifiedTime",
      pageSize: 100,
      addFields: "description",
    });
    assert.equal(list.totalCount, 1);
    assert.equal(list.documents[0].description, "via sdk");

    const updated = await documents.updateDocument({
      id: "nb-sdk-1",
      optimisticLockingVersion: "1",
      createSnapshot: true,
      body: {
        name: "SDK notebook v2",
        content: json({ version: "7", sections: [{ type: "markdown", markdown: "hi" }] }),
      },
    });
    assert.equal(Number(updated.documentMetadata.version), 2);
    assert.equal(updated.createdSnapshot?.snapshotVersion, 1);
    const snapshots = await documents.listSnapshots({ id: "nb-sdk-1" });
    assert.equal(snapshots.totalCount, 1);

    const meta = await documents.updateDocumentMetadata({
      id: "nb-sdk-1",
      optimisticLockingVersion: "2",
      body: { name: "renamed" },
    });
    assert.equal(meta.name, "renamed");
    const content = await documents.updateDocumentContent({
      id: "nb-sdk-1",
      optimisticLockingVersion: "3",
      body: { content: json({ v: 4 }) },
    });
    assert.equal(Number(content.version), 4);
    const bytes = await documents.downloadDocumentContent({ id: "nb-sdk-1" });
    assert.deepEqual(JSON.parse(await bytes.get("text")), { v: 4 });

    const stale = await thrown(() =>
      documents.updateDocument({ id: "nb-sdk-1", optimisticLockingVersion: "1", body: { name: "late" } })
    );
    assert.equal(stale.name, "Conflict");
    assert.equal(stale.response?.status, 409);

    const missing = await thrown(() => documents.getDocumentMetadata({ id: "does-not-exist" }));
    assert.equal(missing.name, "DocumentOrSnapshotNotFound");
    assert.equal(missing.response?.status, 404);

    const duplicate = await thrown(() =>
      documents.createDocument({ body: { name: "dup", type: "notebook", id: "nb-sdk-1", content: json({}) } })
    );
    assert.equal(duplicate.response?.status, 409);

    assert.equal(
      await documents.deleteDocument({ id: "nb-sdk-1", optimisticLockingVersion: "4" }),
      undefined,
    );
    const gone = await thrown(() => documents.getDocument({ id: "nb-sdk-1" }));
    assert.equal(gone.response?.status, 404);

    const trashed = await trash.listTrashedDocuments();
    assert.deepEqual(trashed.documents.map((t) => t.id), ["nb-sdk-1"]);
    const inspected = await trash.inspectTrashedDocument({ id: "nb-sdk-1" });
    assert.equal(inspected.version, 4);
    await trash.restoreTrashedDocument({ id: "nb-sdk-1" });
    assert.equal((await documents.getDocumentMetadata({ id: "nb-sdk-1" })).name, "renamed");
    await documents.deleteDocument({ id: "nb-sdk-1", optimisticLockingVersion: "4" });
    await trash.deleteTrashedDocument({ id: "nb-sdk-1" });
    const purged = await thrown(() => trash.inspectTrashedDocument({ id: "nb-sdk-1" }));
    assert.equal(purged.name, "TrashedDocumentNotFound");
    assert.equal(purged.response?.status, 404);

    const unauthorized = await thrown(() => clients(server.url, "").documents.listDocuments());
    assert.equal(unauthorized.response?.status, 401);
  } finally {
    await server.shutdown();
  }
});

Deno.test("conformance: FilterSegmentsClient against the served emulator", async () => {
  const server = await serveEmulator({ port: 0, seed: "empty", randomSeed: 12 });
  try {
    const { segments } = clients(server.url);
    const includes = [{ dataObject: "logs", filter: equalsFilter("k8s.namespace.name", "dev") }];
    const created = await segments.createFilterSegment({
      body: { name: "dev", isPublic: false, description: "dev data", externalId: "sdk:dev", includes },
    });
    assert.match(created.uid, /^[0-9A-Za-z]{11}$/);
    assert.equal(created.version, 1);

    const got = await segments.getFilterSegment({
      filterSegmentUid: created.uid,
      addFields: ["INCLUDES", "VARIABLES", "EXTERNALID"],
    });
    assert.deepEqual(got.includes, includes);
    assert.equal(got.externalId, "sdk:dev");

    const list = await segments.getFilterSegments({ addFields: ["EXTERNALID"] });
    assert.deepEqual(list.filterSegments.map((f) => f.externalId), ["sdk:dev"]);
    const lean = await segments.getLeanFilterSegments({ addFields: ["EXTERNALID"] });
    assert.equal(lean.filterSegments[0].uid, created.uid);

    const replaced = await segments.updateFilterSegment({
      filterSegmentUid: created.uid,
      optimisticLockingVersion: 1,
      body: { uid: created.uid, owner: created.owner, name: "dev (renamed)", isPublic: true, includes },
    });
    assert.equal(replaced, undefined);
    await segments.partiallyUpdateFilterSegment({
      filterSegmentUid: created.uid,
      optimisticLockingVersion: 2,
      body: { description: "patched" },
    });
    const after = await segments.getFilterSegment({ filterSegmentUid: created.uid });
    assert.equal(after.version, 3);
    assert.equal(after.name, "dev (renamed)");
    assert.equal(after.description, "patched");

    const stale = await thrown(() =>
      segments.updateFilterSegment({
        filterSegmentUid: created.uid,
        optimisticLockingVersion: 1,
        body: { uid: created.uid, owner: created.owner, name: "late", isPublic: true },
      })
    );
    assert.equal(stale.response?.status, 409);

    const badField = await thrown(() =>
      segments.getFilterSegment({ filterSegmentUid: created.uid, addFields: ["NOPE" as "INCLUDES"] })
    );
    assert.ok(s.isErrorEnvelopeError(badField), String(badField));
    assert.equal(badField.response?.status, 400);

    await segments.deleteFilterSegment({ filterSegmentUid: created.uid });
    const missing = await thrown(() => segments.getFilterSegment({ filterSegmentUid: created.uid }));
    assert.ok(s.isErrorEnvelopeError(missing), String(missing));
    assert.equal(missing.response?.status, 404);
  } finally {
    await server.shutdown();
  }
});

Deno.test("conformance: gateway scope errors surface as the SDK's ApiGatewayError", async () => {
  // Scoped tokens are an emulator option, not a serve flag: serve the handler directly for this case.
  const em = createEmulator({
    tokens: [{ token: "scoped", userId: "u-1", scopes: ["document:documents:read"] }],
  });
  const http = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, (request) => em.handle(request));
  try {
    const { segments } = clients(`http://127.0.0.1:${http.addr.port}`, "scoped");
    const error = await thrown(() => segments.getFilterSegments());
    assert.ok(s.isApiGatewayError(error), String(error));
    assert.equal(error.response?.status, 403);
    assert.match(error.message, /storage:filter-segments:read/);
  } finally {
    await http.shutdown();
  }
});
