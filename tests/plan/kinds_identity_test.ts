/**
 * Identity rules: derived document ids, workflow UUIDv5s and external ids are valid for their APIs,
 * deterministic, stable across releases (fixed vectors) and collision-free over arbitrary stacks and names;
 * pins and explicit ids are honoured and checked.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import { v5 as uuidv5, validate, version } from "uuid";
import { NAME_PATTERN, STACK_NAME_PATTERN } from "../../lib/manifest/mod.ts";
import {
  DOCUMENT_ID_PATTERN,
  documentId,
  externalId,
  MANAGED_KINDS,
  managedKind,
  WORKFLOW_NAMESPACE,
  workflowId,
} from "../../lib/plan/kinds/mod.ts";
import { UUID_PATTERN } from "../../lib/resources/kinds/workflow_execution.ts";
import { envelope, failure, manifestFrom } from "./kinds_support.ts";

const stacks = fc.stringMatching(STACK_NAME_PATTERN);
const names = fc.stringMatching(NAME_PATTERN);
const documentKinds = fc.constantFrom("Dashboard", "Notebook", "Document");

Deno.test("the workflow namespace is the documented derivation, fixed forever", () => {
  assert.equal(WORKFLOW_NAMESPACE, uuidv5("https://dtctl.io/ns/workflow", uuidv5.URL));
});

Deno.test("identity vectors never change between releases (objects would be orphaned)", () => {
  // sha256("payments/Dashboard/overview") starts with 09f8a70568f6eb63 (`printf ... | sha256sum`).
  assert.equal(documentId("payments", "Dashboard", "overview"), "dtctl-payments-overview-09f8a70568f6eb63");
  assert.equal(
    documentId("payments", "Notebook", "x.y_z"),
    "dtctl-payments-x-y-z-" + documentId("payments", "Notebook", "x.y_z").slice(-16),
  );
  assert.equal(workflowId("payments", "nightly-report"), "69ec0228-983c-52bd-ae07-7aad6485481b");
  assert.equal(
    workflowId("payments", "nightly-report"),
    uuidv5("payments/nightly-report", WORKFLOW_NAMESPACE),
  );
  assert.equal(externalId("payments", "SLO", "checkout"), "dtctl:payments:SLO:checkout");
  const long = documentId("s".repeat(63), "Dashboard", "n".repeat(128));
  assert.equal(long.length, 100);
});

Deno.test("document ids: valid for the API, never a bare UUID, deterministic (property)", () => {
  fc.assert(
    fc.property(stacks, documentKinds, names, (stack, kind, name) => {
      const id = documentId(stack, kind, name);
      assert.match(id, DOCUMENT_ID_PATTERN);
      assert.ok(id.length <= 100);
      assert.ok(!UUID_PATTERN.test(id));
      assert.ok(id.startsWith("dtctl-"));
      assert.equal(documentId(stack, kind, name), id);
    }),
    { numRuns: 500 },
  );
});

Deno.test("document ids: distinct stack/kind/name give distinct ids, also when the readable part folds (property)", () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.tuple(stacks, documentKinds, names), {
        minLength: 2,
        maxLength: 40,
        selector: (t) => t.join("/"),
      }),
      (tuples) => {
        const ids = tuples.map(([stack, kind, name]) => documentId(stack, kind, name));
        assert.equal(new Set(ids).size, ids.length);
      },
    ),
    { numRuns: 300 },
  );
  // Names that differ only in characters the readable part folds, or beyond where it is cut.
  const long = "a".repeat(120);
  assert.notEqual(documentId("s", "Dashboard", "a.b"), documentId("s", "Dashboard", "a_b"));
  assert.notEqual(documentId("s", "Dashboard", `${long}x`), documentId("s", "Dashboard", `${long}y`));
  assert.notEqual(documentId("s-a", "Dashboard", "b"), documentId("s", "Dashboard", "a-b"));
  assert.notEqual(documentId("s", "Dashboard", "x"), documentId("s", "Notebook", "x"));
});

Deno.test("workflow ids: RFC 4122 version-5 UUIDs, deterministic, distinct per stack/name (property)", () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.tuple(stacks, names), { minLength: 2, maxLength: 40, selector: (t) => t.join("/") }),
      (pairs) => {
        const ids = pairs.map(([stack, name]) => workflowId(stack, name));
        for (const id of ids) {
          assert.ok(validate(id), id);
          assert.equal(version(id), 5);
          assert.match(id, UUID_PATTERN);
        }
        assert.equal(new Set(ids).size, ids.length);
        assert.deepEqual(pairs.map(([stack, name]) => workflowId(stack, name)), ids);
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("external ids: within the APIs' 500 characters and distinct per stack/kind/name (property)", () => {
  const kinds = fc.constantFrom("SLO", "Setting", "AnomalyDetector", "Segment");
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.tuple(stacks, kinds, names), {
        minLength: 2,
        maxLength: 40,
        selector: (t) => t.join("/"),
      }),
      (tuples) => {
        const ids = tuples.map(([stack, kind, name]) => externalId(stack, kind, name));
        assert.ok(ids.every((id) => id.length <= 500));
        assert.equal(new Set(ids).size, ids.length);
      },
    ),
  );
  const longest = externalId("s".repeat(63), "AnomalyDetector", "n".repeat(128));
  assert.ok(longest.length <= 500, String(longest.length));
});

Deno.test("two stacks never collide: every kind's identity differs between stacks (property)", async () => {
  const manifests = await Promise.all([
    manifestFrom(envelope("Workflow", "x", { title: "x", tasks: {} })),
    manifestFrom(envelope("Dashboard", "x", { content: {} })),
    manifestFrom(envelope("Notebook", "x", { content: {} })),
    manifestFrom(envelope("Document", "x", { type: "t", content: {} })),
    manifestFrom(
      envelope("SLO", "x", { criteria: [{ timeframeFrom: "now-1d" }], customSli: { indicator: "i" } }),
    ),
    manifestFrom(envelope("Setting", "x", { schemaId: "s", scope: "environment", value: {} })),
    manifestFrom(
      envelope("AnomalyDetector", "x", { title: "x", analyzer: { name: "a" }, eventTemplate: {} }),
    ),
    manifestFrom(envelope("Segment", "x", { includes: [] })),
  ]);
  fc.assert(
    fc.property(stacks, stacks, (a, b) => {
      fc.pre(a !== b);
      for (const manifest of manifests) {
        const kind = managedKind(manifest.kind);
        assert.notEqual(kind.identify(manifest, a).key, kind.identify(manifest, b).key, manifest.kind);
      }
    }),
  );
});

Deno.test("identify: the dtctl.io/id annotation pins every kind to a server id", async () => {
  const pins: Record<string, [string, Record<string, unknown>]> = {
    Workflow: ["5C1A9E0E-2F64-4D59-9B8E-3A7C1D2E4F01", { title: "x", tasks: {} }],
    Dashboard: ["demo-dashboard-hosts", { content: {} }],
    Notebook: ["2b3c4d5e-6f7a-4b9c-8d1e-2f3a4b5c6d7e", { content: {} }],
    Document: ["demo-launchpad-home", { type: "launchpad", content: {} }],
    SLO: ["IpVNo4UyZI3XAvo4", { criteria: [{ timeframeFrom: "now-1d" }], customSli: { indicator: "i" } }],
    Setting: ["vu9U3XXa3q0AAAAB", { schemaId: "s", scope: "environment", value: {} }],
    AnomalyDetector: ["vu9U3XXa3q0AAAAC", { title: "x", analyzer: { name: "a" }, eventTemplate: {} }],
    Segment: ["DemoProdEnv", { includes: [] }],
    Bucket: ["team_logs", { bucketName: "team_logs", table: "logs", retentionDays: 3 }],
  };
  for (const kind of MANAGED_KINDS) {
    const [pin, spec] = pins[kind.manifestKind];
    const manifest = await manifestFrom(envelope(kind.manifestKind, "x-y", spec, { "dtctl.io/id": pin }));
    const identity = kind.identify(manifest, "payments");
    assert.equal(identity.id, kind.manifestKind === "Workflow" ? pin.toLowerCase() : pin, kind.manifestKind);
    assert.equal(identity.externalId, undefined, kind.manifestKind);
  }
});

Deno.test("identify: bad pins and explicit ids are errors located in the manifest", async () => {
  const cases: [string, Record<string, unknown>, Record<string, string> | undefined, string][] = [
    ["Workflow", { title: "x", tasks: {} }, { "dtctl.io/id": "not-a-uuid" }, "must be a workflow id"],
    ["Dashboard", { content: {} }, { "dtctl.io/id": "bad id!" }, "is not a document id"],
    ["Dashboard", { content: {}, id: "5c1a9e0e-2f64-4d59-9b8e-3a7c1d2e4f01" }, undefined, "not a UUID"],
    ["Bucket", { table: "logs", retentionDays: 3 }, { "dtctl.io/id": "other_bucket" }, "contradicts"],
    [
      "SLO",
      { criteria: [{ timeframeFrom: "now" }], customSli: { indicator: "i" } },
      { "dtctl.io/id": " " },
      "empty",
    ],
  ];
  for (const [kindName, spec, annotations, text] of cases) {
    const manifest = await manifestFrom(envelope(kindName, "my-obj", spec, annotations));
    const error = await failure(() => Promise.resolve(managedKind(kindName).identify(manifest, "payments")));
    assert.equal(error.code, "validation_error");
    assert.match(error.message, /^-:1:\d+: /);
    assert.ok(error.message.includes(text), error.message);
  }
});

Deno.test("identify: an explicit spec.externalId or custom document spec.id is the identity", async () => {
  const slo = await manifestFrom(
    envelope("SLO", "x", {
      externalId: "monaco:slo",
      criteria: [{ timeframeFrom: "now" }],
      customSli: { indicator: "i" },
    }),
  );
  assert.deepEqual(managedKind("SLO").identify(slo, "payments"), {
    key: "externalId=monaco:slo",
    externalId: "monaco:slo",
  });
  const setting = await manifestFrom(
    envelope("Setting", "x", { schemaId: "builtin:x", scope: "environment", value: {} }),
  );
  assert.deepEqual(managedKind("Setting").identify(setting, "payments"), {
    key: "externalId=dtctl:payments:Setting:x",
    externalId: "dtctl:payments:Setting:x",
    schemaId: "builtin:x",
  });
  const dashboard = await manifestFrom(envelope("Dashboard", "x", { id: "my-dash-1", content: {} }));
  assert.equal(managedKind("Dashboard").identify(dashboard, "payments").id, "my-dash-1");
  const bucket = await manifestFrom(envelope("Bucket", "logs-x", { table: "logs", retentionDays: 3 }));
  assert.deepEqual(managedKind("Bucket").identify(bucket, "a"), managedKind("Bucket").identify(bucket, "b"));
});
