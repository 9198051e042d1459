import assert from "node:assert/strict";
import { serveEmulator } from "../../lib/emulator/serve.ts";

const AUTH = { authorization: "Bearer dt0s16.TEST" };

Deno.test("serve: listens on a free port, answers, and shuts down", async () => {
  let announced = "";
  const server = await serveEmulator({ port: 0, onListen: (url) => (announced = url) });
  try {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(announced, server.url);
    const user = await fetch(`${server.url}/platform/metadata/v1/user`, { headers: AUTH });
    assert.equal(user.status, 200);
    assert.equal((await user.json()).userName, "Local Developer");
    const docs = await fetch(`${server.url}/platform/document/v1/documents`, { headers: AUTH });
    assert.ok((await docs.json()).totalCount >= 5, "demo data by default");
    const unauthorized = await fetch(`${server.url}/platform/document/v1/documents`);
    assert.equal(unauthorized.status, 401);
    await unauthorized.body?.cancel();
  } finally {
    await server.shutdown();
  }
  await server.finished;
});

Deno.test("serve: tokens restrict access; the abort signal stops the server", async () => {
  const controller = new AbortController();
  const server = await serveEmulator({
    port: 0,
    seed: "empty",
    tokens: ["secret-1"],
    signal: controller.signal,
  });
  const ok = await fetch(`${server.url}/platform/document/v1/documents`, {
    headers: { authorization: "Bearer secret-1" },
  });
  assert.equal(ok.status, 200);
  assert.equal((await ok.json()).totalCount, 0);
  const denied = await fetch(`${server.url}/platform/document/v1/documents`, { headers: AUTH });
  assert.equal(denied.status, 401);
  await denied.body?.cancel();
  controller.abort();
  await server.finished;
  await assert.rejects(() => fetch(`${server.url}/platform/metadata/v1/user`, { headers: AUTH }));
});

Deno.test("serve: state in a data directory survives a restart", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    const first = await serveEmulator({ port: 0, dataDir, seed: "empty" });
    const seeded = JSON.parse(await Deno.readTextFile(`${dataDir}/state.json`));
    assert.ok(seeded.collections.buckets.default_logs, "the seeded state is written at start");
    const created = await fetch(`${first.url}/platform/storage/management/v1/bucket-definitions`, {
      method: "POST",
      headers: { ...AUTH, "content-type": "application/json" },
      body: JSON.stringify({ bucketName: "kept_logs", table: "logs", retentionDays: 7 }),
    });
    assert.equal(created.status, 201);
    await created.body?.cancel();
    await first.shutdown();
    const second = await serveEmulator({ port: 0, dataDir });
    try {
      const got = await fetch(`${second.url}/platform/storage/management/v1/bucket-definitions/kept_logs`, {
        headers: AUTH,
      });
      assert.equal(got.status, 200);
      assert.equal((await got.json()).retentionDays, 7);
    } finally {
      await second.shutdown();
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("serve: a dropped connection fails the client's request", async () => {
  const server = await serveEmulator({ port: 0, dropRate: 1 });
  try {
    await assert.rejects(async () => {
      const response = await fetch(`${server.url}/platform/metadata/v1/user`, { headers: AUTH });
      await response.text();
    });
    const log = await fetch(`${server.url}/__emulator/requests`);
    assert.equal((await log.json()).requests[0].status, 0);
  } finally {
    await server.shutdown();
  }
});
