/**
 * Demo workflows: one per trigger kind, owned by the default user, with stable ids so demos and docs can refer
 * to them.
 *
 * @module
 */

import { isoTime } from "../../time.ts";
import type { EmulatorStore, EmulatorUser } from "../../types.ts";
import { EXECUTE_DQL_QUERY, RUN_JAVASCRIPT } from "./actions.ts";
import { saveWorkflow, workflows } from "./state.ts";
import { normalizeWorkflow } from "./workflows.ts";

const DEMO_WORKFLOWS: Array<Record<string, unknown> & { id: string }> = [
  {
    id: "5c1a9e0e-2f64-4d59-9b8e-3a7c1d2e4f01",
    title: "Nightly error-log report",
    description: "Counts yesterday's error logs every night and posts the number.",
    isPrivate: false,
    trigger: {
      schedule: { isActive: true, trigger: { type: "cron", cron: "0 2 * * *" }, timezone: "Europe/Vienna" },
    },
    tasks: {
      count_errors: {
        action: EXECUTE_DQL_QUERY,
        description: "Fetch the latest error logs",
        input: { query: "fetch logs, from:-24h | limit 50" },
      },
      report: {
        action: RUN_JAVASCRIPT,
        description: "Summarise the result",
        input: {
          script:
            'import { execution } from "@dynatrace-sdk/automation-utils";\n\nexport default async function ({ executionId }) {\n  const ex = await execution(executionId);\n  return { reported: true };\n}\n',
        },
        predecessors: ["count_errors"],
        conditions: { states: { count_errors: "OK" }, else: "STOP" },
      },
    },
  },
  {
    id: "5c1a9e0e-2f64-4d59-9b8e-3a7c1d2e4f02",
    title: "Notify on deployment events",
    description: "Reacts to SDLC deployment events.",
    isPrivate: false,
    trigger: {
      eventTrigger: {
        isActive: true,
        triggerConfiguration: {
          type: "event",
          value: { query: 'event.kind == "SDLC_EVENT" and event.type == "deployment"', eventType: "events" },
        },
      },
    },
    tasks: {
      notify: {
        action: RUN_JAVASCRIPT,
        input: { script: "export default async function () {\n  return { notified: true };\n}\n" },
      },
    },
  },
  {
    id: "5c1a9e0e-2f64-4d59-9b8e-3a7c1d2e4f03",
    title: "Manual cleanup",
    description: "Run by hand; the second task fails on purpose to show error handling.",
    isPrivate: true,
    tasks: {
      prepare: {
        action: RUN_JAVASCRIPT,
        input: { script: "export default async function () {\n  return { ready: true };\n}\n" },
      },
      cleanup: {
        action: RUN_JAVASCRIPT,
        input: {
          script: 'export default async function () {\n  throw new Error("cleanup target missing");\n}\n',
        },
        predecessors: ["prepare"],
      },
    },
  },
];

/** Adds the demo workflows that are absent. */
export function seedWorkflows(store: EmulatorStore, user: EmulatorUser, now: number): void {
  const time = isoTime(now);
  for (const { id, ...fields } of DEMO_WORKFLOWS) {
    if (workflows(store).has(id)) continue;
    const workflow = normalizeWorkflow(fields, {
      id,
      version: 1,
      modificationInfo: {
        createdBy: user.userId,
        createdTime: time,
        lastModifiedBy: user.userId,
        lastModifiedTime: time,
      },
    }, user);
    saveWorkflow(store, workflow, user, time);
  }
}
