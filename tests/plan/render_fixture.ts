/**
 * A realistic plan for the renderer tests and golden files: a workflow update, a dashboard create, a bucket
 * delete and an unchanged bucket, built with the real diff functions so the golden files show what the planner
 * will produce.
 */

import { diffObjects, jsonPatch, unifiedDiff } from "../../lib/diff/mod.ts";
import { sortEntries, summarize } from "../../lib/plan/summary.ts";
import type { Plan, PlanAction, PlanEntry } from "../../lib/plan/types.ts";

/** Kinds in dependency order, as the tests assume the registry gives them. */
export const KIND_ORDER = ["Bucket", "Segment", "Workflow", "Dashboard"];

/** Builds one entry with changes, patch and diff computed from the live and desired objects. */
export function makeEntry(
  kind: string,
  name: string,
  action: PlanAction,
  live: Record<string, unknown> | undefined,
  desired: Record<string, unknown> | undefined,
  extra: Partial<PlanEntry> = {},
): PlanEntry {
  const unchanged = action === "unchanged";
  return {
    kind,
    name,
    action,
    changes: unchanged ? [] : diffObjects(live, desired),
    patch: unchanged ? [] : jsonPatch(live, desired),
    diff: unchanged ? "" : unifiedDiff(`${kind}/${name}`, live, desired),
    ...(desired === undefined || action === "delete" ? {} : { desired }),
    ...extra,
  };
}

/** Builds a plan from entries, sorted and summarised as the planner does. */
export function makePlan(
  entries: PlanEntry[],
  stack = "shop",
  environment = "https://abc12345.apps.dynatrace.com",
): Plan {
  const sorted = sortEntries(entries, KIND_ORDER);
  return { formatVersion: 1, stack, environment, entries: sorted, summary: summarize(sorted) };
}

const workflowLive = {
  title: "Deploy notification",
  description: "Tells the team about deployments",
  owner: "9f1c2d3e-0000-4000-8000-000000000001",
  isPrivate: false,
  trigger: {
    eventTrigger: {
      isActive: true,
      triggerConfiguration: {
        type: "event",
        value: { query: 'event.type == "CUSTOM_DEPLOYMENT"', eventType: "events" },
      },
    },
  },
  tasks: {
    notify: {
      name: "notify",
      action: "dynatrace.slack:slack-send-message",
      description: "Post to the ops channel",
      input: {
        channel: "#ops",
        message: "Deployed {{ event()['dt.entity.service'] }}",
        connection: "slack-prod",
      },
      position: { x: 0, y: 1 },
    },
    log: {
      name: "log",
      action: "dynatrace.automations:run-javascript",
      input: { script: "export default async function () {\n  console.log('deployed');\n}\n" },
      position: { x: 1, y: 1 },
      predecessors: [],
    },
  },
};

const workflowDesired = {
  ...workflowLive,
  description: "Tells the team about deployments and opens a change record",
  tasks: {
    notify: {
      ...workflowLive.tasks.notify,
      input: {
        channel: "#ops-deployments",
        message: "Deployed {{ event()['dt.entity.service'] }} (`{{ event()['version'] }}`)",
        connection: "slack-prod",
      },
    },
    log: {
      ...workflowLive.tasks.log,
      input: {
        script:
          "export default async function () {\n  console.log('deployed', new Date().toISOString());\n}\n",
      },
    },
    record: {
      name: "record",
      action: "dynatrace.servicenow:create-change",
      input: { shortDescription: "Deployment", assignmentGroup: "ops" },
      position: { x: 0, y: 2 },
      predecessors: ["notify"],
    },
  },
};

const dashboardDesired = {
  name: "SLO overview",
  type: "dashboard",
  isPrivate: false,
  content: {
    version: 15,
    variables: [],
    tiles: {
      "0": { type: "markdown", content: "# Service levels\nOwned by **ops**." },
      "1": {
        type: "data",
        title: "Availability",
        query: 'fetch dt.slo\n| filter name == "checkout availability"\n| fields timestamp, status',
        visualization: "singleValue",
      },
    },
    layouts: { "0": { x: 0, y: 0, w: 24, h: 2 }, "1": { x: 0, y: 2, w: 12, h: 6 } },
  },
};

const oldBucket = {
  bucketName: "old_logs",
  table: "logs",
  displayName: "Old logs (retired)",
  retentionDays: 35,
  status: "active",
};

const appBucket = {
  bucketName: "app_logs",
  table: "logs",
  displayName: "Application logs",
  retentionDays: 90,
};

/** The plan of the golden files. */
export function samplePlan(): Plan {
  return makePlan([
    makeEntry("Workflow", "deploy-notify", "update", workflowLive, workflowDesired, {
      id: "6c1f0d3a-4b2e-4c55-9a6e-0f7d2b8e1a90",
      liveVersion: "7",
      source: { file: "workflows/deploy-notify.yaml", line: 1, column: 1 },
    }),
    makeEntry("Dashboard", "slo-overview", "create", undefined, dashboardDesired, {
      source: { file: "dashboards/slo-overview.yaml", line: 1, column: 1 },
    }),
    makeEntry("Bucket", "old_logs", "delete", oldBucket, undefined, { id: "old_logs", liveVersion: "3" }),
    makeEntry("Bucket", "app_logs", "unchanged", appBucket, appBucket, {
      id: "app_logs",
      liveVersion: "12",
      source: { file: "buckets.yaml", line: 1, column: 1 },
    }),
  ]);
}
