/**
 * When many reads fail at once (an unreachable environment), the error reported is the one of the first
 * resource in plan order, not whichever request happened to fail first.
 */

import assert from "node:assert/strict";
import { createClient } from "../../lib/client/mod.ts";
import { loadManifests } from "../../lib/manifest/mod.ts";
import { createPlan } from "../../lib/plan/plan.ts";
import { withTree } from "../manifest/helpers.ts";

const workflow = (name: string) =>
  `apiVersion: dtctl/v1\nkind: Workflow\nmetadata:\n  name: ${name}\nspec:\n  title: ${name}\n  tasks:\n` +
  `    t:\n      action: dynatrace.automations:run-javascript\n`;

Deno.test("regression: the first failing resource in plan order is the one reported", async () => {
  const files = Object.fromEntries(
    Array.from(
      { length: 20 },
      (_, i) => [`m/w${String(i).padStart(2, "0")}.yaml`, workflow(`w${String(i).padStart(2, "0")}`)],
    ),
  );
  await withTree(files, async (dir) => {
    const { manifests } = await loadManifests({ paths: ["m"], cwd: dir });
    const messages = new Set<string>();
    for (let run = 0; run < 5; run++) {
      let calls = 0;
      const client = createClient({
        environment: "http://127.0.0.1:9",
        token: "dt0s16.TEST",
        retry: { maxAttempts: 1 },
        // Failures arrive in a scrambled order.
        fetch: async () => {
          await new Promise((resolve) => setTimeout(resolve, (calls++ * 7919) % 13));
          throw new TypeError("connection refused");
        },
      });
      const error = await createPlan({
        manifests,
        stack: "s",
        context: { client },
        environment: client.environment,
        prune: false,
      }).then(() => undefined, (e) => e as Error);
      assert.ok(error);
      messages.add(error.message.replace(/\s+/g, " "));
    }
    assert.equal(messages.size, 1, [...messages].join("\n"));
    const [message] = messages;
    assert.match(message, /^(Workflow\/w00|.*inventory)/);
  });
});
