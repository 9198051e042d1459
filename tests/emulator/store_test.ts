import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { isDtctlError } from "../../lib/errors/mod.ts";
import {
  acquireLock,
  FileStore,
  LOCK_FILE,
  MemoryStore,
  STATE_FILE,
  type StateSnapshot,
} from "../../lib/emulator/store.ts";
import { createEmulator } from "../../lib/emulator/handler.ts";
import { createLocalFetch } from "../../lib/emulator/local.ts";
import { callJson, DOCS } from "./helpers.ts";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const WRITER = fileURLToPath(new URL("./fixtures/local_writer.ts", import.meta.url));

Deno.test("MemoryStore: JSON round trip keeps collections and their identity", () => {
  const store = new MemoryStore();
  const docs = store.collection<{ n: number }>("docs");
  docs.set("a", { n: 1 });
  store.collection("empty");
  const snapshot: StateSnapshot = JSON.parse(JSON.stringify(store.toJSON()));
  assert.deepEqual(snapshot, { format: 1, collections: { docs: { a: { n: 1 } } } });
  docs.set("b", { n: 2 });
  store.load(snapshot);
  assert.equal(store.collection("docs"), docs, "load refills the same Map");
  assert.deepEqual([...docs.keys()], ["a"]);
  assert.equal(store.dirty, false);
  assert.deepEqual(new MemoryStore(snapshot).toJSON(), snapshot);
  assert.throws(() => store.load({ collections: { docs: 5 } }), TypeError);
  assert.throws(() => store.load(null), TypeError);
  store.clear();
  assert.equal(docs.size, 0);
});

Deno.test("FileStore: persists atomically and reloads what another instance wrote", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const a = await FileStore.open(dir);
    const b = await FileStore.open(dir);
    await a.transaction(() => {
      a.collection("items").set("one", { v: 1 });
      a.markDirty();
      return Promise.resolve();
    });
    const text = await Deno.readTextFile(join(dir, STATE_FILE));
    assert.match(text, /^\{"revision":"[0-9a-f-]{36}","format":1,/);
    const seen = await b.transaction(() => Promise.resolve(b.collection("items").get("one")));
    assert.deepEqual(seen, { v: 1 });
    await b.transaction(() => {
      b.collection("items").delete("one");
      b.markDirty();
      return Promise.resolve();
    });
    assert.equal(await a.transaction(() => Promise.resolve(a.collection("items").size)), 0);
    assert.deepEqual(
      [...Deno.readDirSync(dir)].map((e) => e.name).sort(),
      [STATE_FILE],
      "no temp or lock files remain",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("FileStore: concurrent transactions of two instances never lose an update", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const stores = [await FileStore.open(dir), await FileStore.open(dir)];
    const increment = (store: FileStore) =>
      store.transaction(async () => {
        const counter = store.collection<number>("counter");
        const value = counter.get("n") ?? 0;
        // Yield between read and write: without the lock another transaction would interleave here.
        await new Promise((resolve) => setTimeout(resolve, 1));
        counter.set("n", value + 1);
        store.markDirty();
      });
    await Promise.all(Array.from({ length: 40 }, (_, i) => increment(stores[i % 2])));
    const fresh = await FileStore.open(dir);
    assert.equal(fresh.collection("counter").get("n"), 40);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("FileStore: a half-written temp file does not break loading; old ones are cleaned", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const store = await FileStore.open(dir);
    await store.transaction(() => {
      store.collection("items").set("x", { ok: true });
      store.markDirty();
      return Promise.resolve();
    });
    // What a writer killed mid-write leaves behind.
    const fresh = join(dir, `${STATE_FILE}.4242.deadbeef.tmp`);
    const old = join(dir, `${STATE_FILE}.4243.cafebabe.tmp`);
    await Deno.writeTextFile(fresh, '{"revision":"half","format":1,"collections":{"items":{"x":{"ok":fal');
    await Deno.writeTextFile(old, '{"revision":"older","for');
    const past = new Date(Date.now() - 10 * 60_000);
    await Deno.utime(old, past, past);
    const reopened = await FileStore.open(dir);
    assert.deepEqual(reopened.collection("items").get("x"), { ok: true });
    const names = [...Deno.readDirSync(dir)].map((e) => e.name);
    assert.ok(
      names.includes(`${STATE_FILE}.4242.deadbeef.tmp`),
      "a recent temp file may belong to a live writer",
    );
    assert.ok(!names.includes(`${STATE_FILE}.4243.cafebabe.tmp`), "an old orphan is removed");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("FileStore: an unreadable state file is a config error at start, a 500 envelope later", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(dir, STATE_FILE), "{ this is not json");
    await assert.rejects(() => FileStore.open(dir), (error: unknown) => isDtctlError(error, "config_error"));
    const fetch = createLocalFetch({ dir });
    const get = () =>
      fetch("http://local/platform/document/v1/documents", { headers: { authorization: "Bearer x" } });
    // The platform cannot start: the caller gets the config error (with its hint), not an HTTP answer.
    await assert.rejects(get, (error: unknown) => isDtctlError(error, "config_error"));
    // Once running, a state file corrupted behind its back is a 500 envelope for that request.
    await Deno.remove(join(dir, STATE_FILE));
    assert.equal((await get()).status, 200);
    await Deno.writeTextFile(join(dir, STATE_FILE), '{"revision":"other","format":1,"collections":');
    const response = await get();
    assert.equal(response.status, 500);
    assert.match(JSON.stringify(await response.json()), /unreadable/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("lock: stale locks (dead pid, or too old) are broken; live ones make waiters time out", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, LOCK_FILE);
  try {
    await Deno.writeTextFile(
      path,
      JSON.stringify({ pid: 2 ** 22 + 12345, hostname: Deno.hostname(), token: "dead", acquiredAt: "" }),
    );
    const lock = await acquireLock(path, { timeoutMs: 2000 });
    assert.notEqual(JSON.parse(await Deno.readTextFile(path)).token, "dead");

    const started = Date.now();
    await assert.rejects(
      () => acquireLock(path, { timeoutMs: 150 }),
      (error: unknown) => isDtctlError(error, "timeout"),
    );
    assert.ok(Date.now() - started >= 140);
    await lock.release();
    await assert.rejects(() => Deno.stat(path), Deno.errors.NotFound);

    await Deno.writeTextFile(
      path,
      JSON.stringify({ pid: Deno.pid, hostname: "elsewhere", token: "old", acquiredAt: "" }),
    );
    const past = new Date(Date.now() - 120_000);
    await Deno.utime(path, past, past);
    const again = await acquireLock(path, { timeoutMs: 2000, staleMs: 30_000 });
    await again.release();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("FileStore: two processes creating 20 documents each on one directory keep all 40", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const run = (prefix: string) =>
      new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", WRITER, dir, prefix, "20"],
        cwd: REPO_ROOT,
        env: { NO_COLOR: "1" },
        stdout: "piped",
        stderr: "piped",
      }).output();
    const results = await Promise.all([run("alpha"), run("beta")]);
    for (const result of results) {
      assert.equal(result.code, 0, new TextDecoder().decode(result.stderr));
    }
    const em = createEmulator({ store: await FileStore.open(dir) });
    const { body } = await callJson(em, "GET", `${DOCS}/documents?page-size=100`);
    const ids = (body.documents as { id: string }[]).map((d) => d.id);
    assert.equal(body.totalCount, 40);
    for (const prefix of ["alpha", "beta"]) {
      for (let i = 0; i < 20; i++) assert.ok(ids.includes(`${prefix}-${i}`), `${prefix}-${i}`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
