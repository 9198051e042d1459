/**
 * Workflow normalisation rules: materialised defaults, derived and server fields, owner/actor only when set,
 * references, and the export form.
 */

import assert from "node:assert/strict";
import { semanticEqual } from "../../lib/diff/mod.ts";
import { loadManifests } from "../../lib/manifest/mod.ts";
import { managedKind } from "../../lib/plan/kinds/mod.ts";
import { DEMO_WORKFLOWS } from "../resources/setting_support.ts";
import { createAndReplan, envelope, failure, manifestFrom, plan, testPlatform } from "./kinds_support.ts";
import { toYaml } from "../../lib/output/format.ts";

const kind = managedKind("Workflow");
const JS = "dynatrace.automations:run-javascript";

Deno.test("workflow: omitted server defaults and spelled-out ones give the same desired object", async () => {
  const short = await manifestFrom(envelope("Workflow", "w", {
    title: "W",
    tasks: { a: { action: JS }, b: { action: JS, predecessors: ["a"] } },
    trigger: { schedule: { trigger: { type: "cron", cron: "0 * * * *" } } },
  }));
  const long = await manifestFrom(envelope("Workflow", "w", {
    title: "W",
    description: "",
    isPrivate: true,
    isDeployed: true,
    type: "STANDARD",
    input: {},
    taskDefaults: {},
    guide: null,
    tasks: {
      a: {
        name: "a",
        action: JS,
        active: true,
        description: "",
        input: {},
        position: { x: 0, y: 1 },
        predecessors: [],
      },
      b: {
        action: JS,
        predecessors: ["a"],
        position: { x: 0, y: 2 },
        conditions: { states: {} },
        withItems: null,
      },
    },
    trigger: {
      schedule: {
        isActive: true,
        timezone: "UTC",
        trigger: { type: "cron", cron: "0 * * * *" },
        rule: null,
        filterParameters: null,
        inputs: {},
      },
    },
  }));
  const identity = kind.identify(short, "s");
  const a = kind.desired(short, "s", identity, new Map());
  const b = kind.desired(long, "s", identity, new Map());
  assert.ok(semanticEqual(a, b), `${toYaml(a)}\n---\n${toYaml(b)}`);
});

Deno.test("workflow: server-derived fields are ignored; owner and actor are compared only when the manifest sets them", async () => {
  const { context, me } = testPlatform();
  const manifest = await manifestFrom(envelope("Workflow", "w", {
    title: "W",
    tasks: { a: { action: JS } },
    trigger: {
      eventTrigger: { triggerConfiguration: { type: "event", value: { query: "x", eventType: "events" } } },
    },
  }));
  const { live, desired } = await createAndReplan(context, manifest, "s");
  const trigger = (live.trigger as { eventTrigger: Record<string, unknown> }).eventTrigger;
  assert.equal(trigger.filterQuery, "x");
  assert.equal(live.owner, me);
  assert.equal(kind.normalize(live, desired).owner, undefined);
  assert.equal(kind.normalize(live).owner, undefined);
  // Set in the manifest: compared, and a different owner is a change.
  const owned = await manifestFrom(envelope("Workflow", "w", { ...manifest.spec, owner: me, actor: me }));
  const mine = await plan(context, owned, "s");
  assert.ok(semanticEqual(kind.normalize(mine.live!, mine.desired), mine.desired));
  const theirs = await manifestFrom(envelope("Workflow", "w", { ...manifest.spec, actor: "someone-else" }));
  const other = await plan(context, theirs, "s");
  assert.equal(kind.normalize(other.live!, other.desired).actor, me);
  assert.ok(!semanticEqual(kind.normalize(other.live!, other.desired), other.desired));
});

Deno.test("workflow: an out-of-band change of a materialised default is a change", async () => {
  const { context } = testPlatform();
  const manifest = await manifestFrom(
    envelope("Workflow", "w", { title: "W", tasks: { a: { action: JS } } }),
  );
  const { live, desired } = await createAndReplan(context, manifest, "s");
  const tasks = structuredClone(live.tasks) as Record<string, Record<string, unknown>>;
  tasks.a.active = false;
  const changed = await kind.update(context, live, { ...desired, tasks });
  assert.ok(!semanticEqual(kind.normalize(changed, desired), desired));
});

Deno.test("workflow: references resolve to remote ids, unresolved ones to a placeholder", async () => {
  const manifests = await loadManifests({
    paths: ["-"],
    cwd: Deno.cwd(),
    readStdin: () =>
      Promise.resolve([
        envelope("Segment", "prod", { includes: [] }),
        envelope("Workflow", "w", {
          title: "W",
          tasks: { a: { action: JS, input: { segment: { $ref: "Segment/prod" } } } },
        }),
      ].join("\n---\n")),
  });
  const manifest = manifests.manifests[1];
  const identity = kind.identify(manifest, "s");
  const resolved = kind.desired(manifest, "s", identity, new Map([["Segment/prod", "Abc123Def45"]]));
  assert.deepEqual((resolved.tasks as Record<string, { input: unknown }>).a.input, {
    segment: "Abc123Def45",
  });
  const pending = kind.desired(manifest, "s", identity, new Map());
  assert.deepEqual((pending.tasks as Record<string, { input: unknown }>).a.input, {
    segment: "(known after apply: Segment/prod)",
  });
  assert.deepEqual(manifest.spec.tasks, { a: { action: JS, input: { segment: { $ref: "Segment/prod" } } } });
});

Deno.test("workflow: a task whose name is not its key is an error located at the name", async () => {
  const manifest = await manifestFrom(
    envelope("Workflow", "w", { title: "W", tasks: { a: { name: "b", action: JS } } }),
  );
  const error = await failure(() =>
    Promise.resolve(kind.desired(manifest, "s", kind.identify(manifest, "s"), new Map()))
  );
  assert.equal(error.code, "validation_error");
  assert.match(error.message, /^-:1:\d+: Workflow\/w: task "a" has name "b"/);
});

Deno.test("workflow: toManifest drops implied defaults and keeps positions; the result diffs as unchanged", async () => {
  const { context } = testPlatform();
  const live = await kind.find(context, { key: "", id: DEMO_WORKFLOWS.nightly });
  const { name, spec } = kind.toManifest(live!);
  assert.equal(name, "nightly-error-log-report");
  assert.equal(spec.id, undefined);
  assert.equal(spec.owner, undefined);
  assert.equal(spec.version, undefined);
  const tasks = spec.tasks as Record<string, Record<string, unknown>>;
  assert.equal(tasks.count_errors.active, undefined);
  assert.deepEqual(tasks.count_errors.position, { x: 0, y: 1 });
  const manifest = await manifestFrom(
    envelope("Workflow", name, spec, { "dtctl.io/id": DEMO_WORKFLOWS.nightly }),
  );
  const planned = await plan(context, manifest, "any");
  assert.ok(semanticEqual(kind.normalize(planned.live!, planned.desired), planned.desired));
});
