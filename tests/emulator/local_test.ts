import assert from "node:assert/strict";
import { join } from "node:path";
import { isDtctlError } from "../../lib/errors/mod.ts";
import { createLocalFetch, localDataDir } from "../../lib/emulator/local.ts";
import { STATE_FILE } from "../../lib/emulator/store.ts";

const AUTH = { authorization: "Bearer dt0s16.LOCAL" };

Deno.test("local: a fresh directory is seeded with demo data and persisted", async () => {
  const dir = join(await Deno.makeTempDir(), "nested", "local");
  try {
    const fetch = createLocalFetch({ dir });
    const response = await fetch("http://local/platform/document/v1/documents?page-size=100", {
      headers: AUTH,
    });
    assert.equal(response.status, 200);
    const body = await response.json();
    assert.ok(body.totalCount >= 5, "demo documents");
    const state = JSON.parse(await Deno.readTextFile(join(dir, STATE_FILE)));
    assert.ok(Object.keys(state.collections.documents).length >= 5);

    const form = new FormData();
    form.append("name", "persisted");
    form.append("type", "notebook");
    form.append("content", new Blob(["{}"], { type: "application/json" }), "binary");
    form.append("id", "persisted-1");
    const created = await fetch(
      new Request("http://local/platform/document/v1/documents", {
        method: "POST",
        headers: AUTH,
        body: form,
      }),
    );
    assert.equal(created.status, 201);

    const another = createLocalFetch({ dir });
    const meta = await another("http://local/platform/document/v1/documents/persisted-1/metadata", {
      headers: AUTH,
    });
    assert.equal(meta.status, 200, "a second process (new fetch) sees the first one's writes");
    const again = await another("http://local/platform/document/v1/documents?page-size=100", {
      headers: AUTH,
    });
    assert.equal(
      (await again.json()).totalCount,
      body.totalCount + 1,
      "an initialised directory is not seeded twice",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("local: seed 'empty' starts without demo content", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const fetch = createLocalFetch({ dir, seed: "empty" });
    const response = await fetch("http://local/platform/document/v1/documents", { headers: AUTH });
    assert.equal((await response.json()).totalCount, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("localDataDir: DTCTL_LOCAL_DIR, then XDG_DATA_HOME, then HOME", () => {
  assert.equal(localDataDir({ DTCTL_LOCAL_DIR: "/x/y", XDG_DATA_HOME: "/xdg", HOME: "/home/u" }), "/x/y");
  assert.equal(localDataDir({ XDG_DATA_HOME: "/xdg", HOME: "/home/u" }), join("/xdg", "dtctl", "local"));
  assert.equal(localDataDir({ HOME: "/home/u" }), join("/home/u", ".local", "share", "dtctl", "local"));
  assert.equal(
    localDataDir({ DTCTL_LOCAL_DIR: "", HOME: "/home/u" }),
    join("/home/u", ".local", "share", "dtctl", "local"),
  );
  assert.throws(() => localDataDir({}), (error: unknown) => isDtctlError(error, "config_error"));
});
