import assert from "node:assert/strict";
import { ApiError, type PlatformClient } from "../../lib/client/mod.ts";
import { DtctlError } from "../../lib/errors/mod.ts";
import {
  allKinds,
  createObject,
  deleteObject,
  editableOf,
  editDistance,
  findKind,
  KindRegistry,
  listObjects,
  resolveObject,
  resourceRef,
  stripFields,
  updateObject,
} from "../../lib/resources/mod.ts";
import type { KindContext, ListOptions, RemoteObject, ResourceKind } from "../../lib/resources/types.ts";

const context: KindContext = { client: {} as PlatformClient };

function notFound(id: string): ApiError {
  return new ApiError("not_found", `thing "${id}" not found`, {
    status: 404,
    method: "GET",
    url: `/t/${id}`,
  });
}

/** A kind over an in-memory list; records the calls it gets. */
function fakeKind(objects: RemoteObject[], overrides: Partial<ResourceKind> = {}) {
  const calls: string[] = [];
  const kind: ResourceKind = {
    name: "thing",
    plural: "things",
    aliases: ["th"],
    description: "test things",
    idField: "id",
    nameField: "title",
    looksLikeId: (text) => /^id-/.test(text),
    serverFields: ["version", "meta.created"],
    locking: "version-param",
    owner: (o) => o.owner as string | undefined,
    listFlags: ["owner", "type"],
    columns: [{ header: "id", value: (o) => String(o.id) }],
    async *list(_context: KindContext, options: ListOptions) {
      calls.push(`list ${JSON.stringify(options)}`);
      yield* objects;
    },
    get(_context, id) {
      calls.push(`get ${id}`);
      const found = objects.find((o) => o.id === id);
      return found ? Promise.resolve({ ...found, full: true }) : Promise.reject(notFound(id));
    },
    create: (_context, payload) => {
      calls.push(`create ${JSON.stringify(payload)}`);
      return Promise.resolve({ ...payload, id: "id-new", version: 1 });
    },
    update: (_context, current, payload) => {
      calls.push(`update ${current.id} ${JSON.stringify(payload)}`);
      return Promise.resolve({ ...payload, id: current.id });
    },
    delete: (_context, current) => {
      calls.push(`delete ${current.id}`);
      return Promise.resolve();
    },
    ...overrides,
  };
  return { kind, calls };
}

const things = [
  { id: "id-1", title: "alpha", owner: "u1", version: 3 },
  { id: "id-2", title: "beta", owner: "u2", version: 1 },
  { id: "id-3", title: "beta", owner: "u3", version: 1 },
  { id: "id-4", title: "Gamma", version: 1 },
];

function rejection(error: unknown, code: string): DtctlError {
  assert.ok(error instanceof DtctlError, String(error));
  assert.equal(error.code, code);
  return error;
}

Deno.test("registry: kinds are found by name, plural or alias, case-insensitively", () => {
  const registry = new KindRegistry();
  const { kind } = fakeKind(things);
  registry.register(kind);
  registry.register(kind); // idempotent
  for (const text of ["thing", "things", "TH", " Things "]) assert.equal(registry.find(text), kind);
  assert.equal(registry.lookup("nope"), undefined);
  assert.deepEqual(registry.all(), [kind]);
});

Deno.test("registry: an unknown kind is a usage error with the nearest names", () => {
  const registry = new KindRegistry();
  registry.register(fakeKind(things).kind);
  registry.register({ ...fakeKind(things).kind, name: "widget", plural: "widgets", aliases: ["wd"] });
  const error = rejection(catching(() => registry.find("thnig")), "usage_error");
  assert.match(error.message, /unknown resource kind "thnig"/);
  assert.match(error.hint!, /did you mean "thing"\?/);
  assert.deepEqual(error.details.suggestions, ["thing"]);
  assert.match(error.hint!, /Known kinds: thing, widget/);
  assert.equal(error.exitCode, 2);
  const far = rejection(catching(() => registry.find("zzzzzzzz")), "usage_error");
  assert.equal(far.hint, "known kinds: thing, widget");
  assert.deepEqual(registry.suggest("widg"), ["widget"], "a prefix is near");
});

Deno.test("registry: a name used by two kinds is a programming error", () => {
  const registry = new KindRegistry();
  registry.register(fakeKind(things).kind);
  const clash = { ...fakeKind(things).kind, name: "other", plural: "others", aliases: ["th"] };
  const error = rejection(catching(() => registry.register(clash)), "error");
  assert.match(error.message, /"th" is already used by kind "thing"/);
});

Deno.test("registry: the built-in kinds include workflows, documents and the trash", () => {
  const names = allKinds().map((kind) => kind.name);
  for (const name of ["workflow", "dashboard", "notebook", "document", "trash"]) {
    assert.ok(names.includes(name));
  }
  assert.equal(findKind("wf").name, "workflow");
  assert.equal(findKind("DB").name, "dashboard");
  assert.equal(findKind("nb").name, "notebook");
  assert.equal(findKind("docs").name, "document");
  assert.equal(findKind("deleted").name, "trash");
  assert.match(rejection(catching(() => findKind("dashbord")), "usage_error").hint!, /"dashboard"/);
});

Deno.test("resolveObject: an id is read directly; a name is matched exactly and read in full", async () => {
  const { kind, calls } = fakeKind(things);
  assert.deepEqual(await resolveObject(context, kind, "id-2"), { ...things[1], full: true });
  assert.deepEqual(calls, ["get id-2"]);
  calls.length = 0;
  assert.deepEqual(await resolveObject(context, kind, "alpha", { owner: "u1" }), {
    ...things[0],
    full: true,
  });
  assert.deepEqual(calls, ['list {"owner":"u1"}', "get id-1"]);
});

Deno.test("resolveObject: only a 404 on an id-like argument falls back to the name lookup", async () => {
  const named = [...things, { id: "id-9", title: "id-missing" }];
  const { kind, calls } = fakeKind(named, {
    get: (_c, id) => id === "id-9" ? Promise.resolve(named[4]) : Promise.reject(notFound(id)),
  });
  assert.equal((await resolveObject(context, kind, "id-missing")).id, "id-9");
  assert.equal(calls.length, 1, "listed once");

  const failing = fakeKind(things, {
    get: () =>
      Promise.reject(new ApiError("server_error", "boom", { status: 503, method: "GET", url: "/t" })),
  });
  const error = rejection(await rejecting(resolveObject(context, failing.kind, "id-1")), "server_error");
  assert.equal(error.message, "boom");
  assert.deepEqual(failing.calls, [], "a 503 never turns into a name lookup");
});

Deno.test("resolveObject: no match is not_found naming kind and name; case differences are hinted", async () => {
  const { kind } = fakeKind(things);
  const missing = rejection(await rejecting(resolveObject(context, kind, "delta")), "not_found");
  assert.equal(missing.message, 'thing "delta" not found');
  assert.equal(missing.exitCode, 4);
  assert.equal(missing.hint, "list them with: dtctl get things");
  const cased = rejection(await rejecting(resolveObject(context, kind, "gamma")), "not_found");
  assert.match(cased.hint!, /names are case-sensitive; did you mean "Gamma" \(id-4\)\?/);
  const id = rejection(await rejecting(resolveObject(context, kind, "id-77")), "not_found");
  assert.equal(id.message, 'thing "id-77" not found');
  assert.equal(
    rejection(await rejecting(resolveObject(context, kind, "  ")), "usage_error").message,
    "the thing name or id is empty",
  );
});

Deno.test("resolveObject: an ambiguous name lists the candidates with their ids and fails", async () => {
  const { kind } = fakeKind(things);
  const error = rejection(await rejecting(resolveObject(context, kind, "beta")), "usage_error");
  assert.match(error.message, /thing name "beta" is ambiguous: 2 things have it/);
  assert.match(error.message, /\n {2}id-2 {2}\(owner u2\)\n {2}id-3 {2}\(owner u3\)$/);
  assert.deepEqual(error.details.candidates, [
    { id: "id-2", name: "beta", owner: "u2" },
    { id: "id-3", name: "beta", owner: "u3" },
  ]);
  assert.match(error.hint!, /dtctl get thing id-2/);
});

Deno.test("resolveObject: nameQuery narrows the list server-side", async () => {
  const { kind, calls } = fakeKind(things, {
    nameQuery: (name, options) => ({ ...options, filter: `title == '${name}'` }),
  });
  await resolveObject(context, kind, "alpha", { type: "x" });
  assert.equal(calls[0], `list {"type":"x","filter":"title == 'alpha'"}`);
});

Deno.test("resolveObject: kinds without list read by id; kinds without get return the listed object", async () => {
  const noList = fakeKind(things, { list: undefined });
  assert.equal(
    (await resolveObject(context, noList.kind, "alpha-is-not-an-id").catch((e) => e)).code,
    "not_found",
  );
  const noGet = fakeKind(things, { get: undefined });
  assert.deepEqual(await resolveObject(context, noGet.kind, "alpha"), things[0]);
});

Deno.test("generic operations strip server fields and refuse what a kind cannot do", async () => {
  const { kind, calls } = fakeKind(things);
  await createObject(context, kind, { title: "n", version: 9, meta: { created: "x", kept: 1 } });
  assert.equal(calls.at(-1), 'create {"title":"n","meta":{"kept":1}}');
  await updateObject(context, kind, things[0], { title: "a2", version: 3 });
  assert.equal(calls.at(-1), 'update id-1 {"title":"a2"}');
  await deleteObject(context, kind, things[0]);
  assert.equal(calls.at(-1), "delete id-1");
  assert.equal((await listObjects(context, kind)).length, 4);

  const readOnly =
    fakeKind(things, { create: undefined, update: undefined, delete: undefined, list: undefined }).kind;
  const create = rejection(await rejecting(createObject(context, readOnly, {})), "usage_error");
  assert.equal(create.message, "things do not support create");
  assert.equal(create.hint, "things support: get, describe");
  rejection(await rejecting(updateObject(context, readOnly, {}, {})), "usage_error");
  rejection(await rejecting(deleteObject(context, readOnly, {})), "usage_error");
  rejection(await rejecting(listObjects(context, readOnly)), "usage_error");
  const locked = fakeKind(things, { locking: "read-only" }).kind;
  rejection(await rejecting(updateObject(context, locked, {}, {})), "usage_error");
});

Deno.test("helpers: stripFields, editableOf, resourceRef, editDistance", () => {
  const object = { id: "id-1", version: 2, meta: { created: "t", keep: true }, list: [1] };
  assert.deepEqual(stripFields(object, ["version", "meta.created", "missing.path"]), {
    id: "id-1",
    meta: { keep: true },
    list: [1],
  });
  assert.equal(object.version, 2, "the input is not changed");
  const { kind } = fakeKind(things);
  assert.deepEqual(editableOf(kind, object), { id: "id-1", meta: { keep: true }, list: [1] });
  assert.deepEqual(editableOf({ ...kind, toEditable: (o) => ({ only: o.id }) }, object), { only: "id-1" });
  assert.deepEqual(resourceRef(kind, things[0]), { kind: "thing", name: "alpha", owner: "u1" });
  assert.deepEqual(resourceRef(kind, { id: "id-5" }), { kind: "thing", name: "id-5" });
  assert.equal(editDistance("kitten", "sitting"), 3);
  assert.equal(editDistance("", "abc"), 3);
  assert.equal(editDistance("same", "same"), 0);
});

function catching(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}

async function rejecting(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}
