import assert from "node:assert/strict";
import { ApiError, type PlatformClient } from "../../lib/client/mod.ts";
import { DtctlError } from "../../lib/errors/mod.ts";
import { contentHash, watchObjects } from "../../lib/resources/watch.ts";
import type { KindContext, RemoteObject, ResourceKind } from "../../lib/resources/types.ts";
import type { WatchEvent } from "../../lib/resources/watch.ts";

const context: KindContext = { client: {} as PlatformClient };

/** A kind whose list answers from a script of polls: each entry is the list or an error of one poll. */
function scriptedKind(polls: (RemoteObject[] | Error)[]): { kind: ResourceKind; polled: () => number } {
  let index = 0;
  const kind: ResourceKind = {
    name: "thing",
    plural: "things",
    aliases: [],
    description: "",
    idField: "id",
    nameField: "name",
    serverFields: [],
    locking: "read-only",
    columns: [],
    list() {
      const poll = polls[Math.min(index++, polls.length - 1)];
      return (async function* () {
        if (poll instanceof Error) throw poll;
        yield* poll;
      })();
    },
  };
  return { kind, polled: () => index };
}

/** A sleep that records its waits and aborts the watch after `stopAfter` of them. */
function recordingSleep(controller: AbortController, stopAfter: number) {
  const waits: number[] = [];
  const sleep = (ms: number, signal?: AbortSignal): Promise<void> => {
    waits.push(ms);
    if (waits.length >= stopAfter) controller.abort();
    return signal?.aborted ? Promise.reject(signal.reason) : Promise.resolve();
  };
  return { waits, sleep };
}

function summary(events: WatchEvent[]): string[] {
  return events.map((e) => `${e.initial ? "initial " : ""}${e.type} ${e.object.id}:${e.object.name}`);
}

const rateLimited = () =>
  new ApiError("rate_limited", "Rate limited", { status: 429, method: "GET", url: "/things" });

Deno.test("watch: initial listing, then added, modified and deleted by id and content", async () => {
  const { kind } = scriptedKind([
    [{ id: "1", name: "a" }, { id: "2", name: "b" }],
    [{ id: "1", name: "a" }, { id: "2", name: "b" }],
    [{ name: "a2", id: "1" }, { id: "3", name: "c" }],
    [{ id: "1", name: "a2" }, { id: "3", name: "c" }],
  ]);
  const controller = new AbortController();
  const { waits, sleep } = recordingSleep(controller, 4);
  const events: WatchEvent[] = [];
  const polls: number[] = [];
  await watchObjects(context, kind, {
    intervalMs: 1500,
    signal: controller.signal,
    sleep,
    onPoll: (objects) => void polls.push(objects.length),
  }, (event) => void events.push(event));
  assert.deepEqual(summary(events), [
    "initial added 1:a",
    "initial added 2:b",
    "modified 1:a2",
    "added 3:c",
    "deleted 2:b",
  ]);
  assert.deepEqual(waits, [1500, 1500, 1500, 1500]);
  assert.deepEqual(polls, [2, 2, 2, 2]);
});

Deno.test("watch: --watch-only skips the initial listing", async () => {
  const { kind } = scriptedKind([[{ id: "1", name: "a" }], [{ id: "1", name: "a" }, { id: "2", name: "b" }]]);
  const controller = new AbortController();
  const { sleep } = recordingSleep(controller, 2);
  const events: WatchEvent[] = [];
  await watchObjects(
    context,
    kind,
    { watchOnly: true, signal: controller.signal, sleep },
    (e) => void events.push(e),
  );
  assert.deepEqual(summary(events), ["added 2:b"]);
});

Deno.test("watch: a 429 doubles the interval up to the maximum, success restores it", async () => {
  const { kind } = scriptedKind([[], rateLimited(), rateLimited(), rateLimited(), [], []]);
  const controller = new AbortController();
  const { waits, sleep } = recordingSleep(controller, 6);
  const backoffs: number[] = [];
  await watchObjects(context, kind, {
    intervalMs: 2000,
    maxIntervalMs: 6000,
    signal: controller.signal,
    sleep,
    onBackoff: (ms, error) => {
      assert.equal(error.code, "rate_limited");
      backoffs.push(ms);
    },
  }, () => {});
  assert.deepEqual(waits, [2000, 4000, 6000, 6000, 2000, 2000]);
  assert.deepEqual(backoffs, [4000, 6000, 6000]);
});

Deno.test("watch: any other failure ends the watch with that error", async () => {
  const { kind } = scriptedKind([[], new DtctlError("auth_required", "token expired")]);
  const controller = new AbortController();
  const { sleep } = recordingSleep(controller, 10);
  await assert.rejects(
    watchObjects(context, kind, { signal: controller.signal, sleep }, () => {}),
    (error: unknown) => error instanceof DtctlError && error.code === "auth_required",
  );
});

Deno.test("watch: aborting stops it cleanly, also during a real sleep and before the first poll", async () => {
  const { kind, polled } = scriptedKind([[{ id: "1", name: "a" }]]);
  const controller = new AbortController();
  const events: WatchEvent[] = [];
  const watching = watchObjects(context, kind, { intervalMs: 60_000, signal: controller.signal }, (e) => {
    events.push(e);
    setTimeout(() => controller.abort(), 5);
  });
  await watching; // returns normally, long before 60 s
  assert.equal(events.length, 1);
  assert.equal(polled(), 1);

  const aborted = new AbortController();
  aborted.abort();
  const idle = scriptedKind([[]]);
  await watchObjects(context, idle.kind, { signal: aborted.signal }, () => {});
  assert.equal(idle.polled(), 0);
});

Deno.test("watch: an interval under one second is a usage error", async () => {
  const { kind } = scriptedKind([[]]);
  await assert.rejects(
    watchObjects(context, kind, { intervalMs: 500 }, () => {}),
    (error: unknown) =>
      error instanceof DtctlError && error.code === "usage_error" && /at least 1s/.test(error.message),
  );
});

Deno.test("contentHash ignores key order and sees every change", () => {
  assert.equal(contentHash({ a: 1, b: { c: [1, 2] } }), contentHash({ b: { c: [1, 2] }, a: 1 }));
  assert.notEqual(contentHash({ a: 1, b: { c: [1, 2] } }), contentHash({ a: 1, b: { c: [2, 1] } }));
  assert.notEqual(contentHash({ a: "1" }), contentHash({ a: 1 }));
});
