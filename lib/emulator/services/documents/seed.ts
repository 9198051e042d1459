/**
 * Demo documents: dashboards, notebooks, a launchpad and a document shared by a colleague.
 *
 * @module
 */

import type { SeedOptions } from "../../service.ts";
import { isoTime } from "../../time.ts";
import type { EmulatorStore } from "../../types.ts";
import { COLLEAGUE_USER } from "../../users.ts";
import { type DocumentRecord, documents, toBase64 } from "./model.ts";

interface DemoDocument {
  id: string;
  name: string;
  type: string;
  description: string;
  content: unknown;
  owner?: string;
  isPrivate?: boolean;
  /** Minutes before "now" of the last change, so sorting by time shows a realistic order. */
  ageMinutes: number;
}

function tile(title: string, query: string, visualization: string) {
  return {
    type: "data",
    title,
    query,
    visualization,
    visualizationSettings: { autoSelectVisualization: false },
    querySettings: {
      maxResultRecords: 1000,
      defaultScanLimitGbytes: 500,
      maxResultMegaBytes: 1,
      defaultSamplingRatio: 10,
    },
    davis: { enabled: false, davisVisualization: { isAvailable: true } },
  };
}

const DEMO_DOCUMENTS: DemoDocument[] = [
  {
    id: "demo-dashboard-hosts",
    name: "Host health",
    type: "dashboard",
    description: "CPU, memory and disk of every monitored host",
    ageMinutes: 60 * 24 * 3,
    content: {
      version: 15,
      variables: [],
      tiles: {
        "0": { type: "markdown", title: "", content: "# Host health\nResource usage of all hosts." },
        "1": tile("CPU usage", "timeseries cpu = avg(dt.host.cpu.usage), by:{host.name}", "lineChart"),
        "2": tile("Memory usage", "timeseries mem = avg(dt.host.memory.usage), by:{host.name}", "areaChart"),
        "3": tile(
          "Busiest hosts",
          "timeseries cpu = avg(dt.host.cpu.usage), by:{host.name}\n| fieldsAdd avg = arrayAvg(cpu)\n| sort avg desc\n| limit 10",
          "table",
        ),
      },
      layouts: {
        "0": { x: 0, y: 0, w: 24, h: 2 },
        "1": { x: 0, y: 2, w: 12, h: 6 },
        "2": { x: 12, y: 2, w: 12, h: 6 },
        "3": { x: 0, y: 8, w: 24, h: 6 },
      },
      importedWithCode: false,
    },
  },
  {
    id: "demo-dashboard-services",
    name: "Service overview",
    type: "dashboard",
    description: "Request rate, failure rate and latency per service",
    ageMinutes: 60 * 5,
    content: {
      version: 15,
      variables: [{
        key: "service",
        type: "query",
        visible: true,
        editable: true,
        input: "fetch dt.entity.service | fields entity.name",
        multiple: false,
      }],
      tiles: {
        "0": tile(
          "Requests",
          "fetch spans\n| filter service.name == $service\n| makeTimeseries requests = count(), interval: 1m",
          "lineChart",
        ),
        "1": tile(
          "Failure rate",
          "fetch spans\n| filter service.name == $service\n| summarize failed = countIf(request.is_failed == true), total = count()\n| fieldsAdd rate = failed / total * 100",
          "singleValue",
        ),
        "2": tile(
          "Slowest endpoints",
          "fetch spans\n| summarize p95 = percentile(duration, 95), by:{endpoint.name}\n| sort p95 desc\n| limit 20",
          "table",
        ),
      },
      layouts: {
        "0": { x: 0, y: 0, w: 16, h: 6 },
        "1": { x: 16, y: 0, w: 8, h: 6 },
        "2": { x: 0, y: 6, w: 24, h: 8 },
      },
    },
  },
  {
    id: "demo-notebook-logs",
    name: "Log exploration",
    type: "notebook",
    description: "Errors in the last two hours, grouped by source",
    ageMinutes: 60 * 24,
    content: {
      version: "7",
      defaultTimeframe: { from: "now()-2h", to: "now()" },
      sections: [
        {
          id: "0b0f3c1e-5a7d-4c2b-9e61-1f8a2d3c4b5e",
          type: "markdown",
          markdown: "# Log exploration\nStart here when an alert fires.",
        },
        {
          id: "6c2e8f0a-1b3d-4e5f-8a9b-0c1d2e3f4a5b",
          type: "dql",
          showTitle: false,
          state: {
            input: {
              value:
                'fetch logs\n| filter loglevel == "ERROR"\n| summarize count(), by:{log.source}\n| sort `count()` desc',
            },
            visualization: "table",
          },
        },
        {
          id: "9d4f1a2b-3c5e-4f60-9a1b-2c3d4e5f6a7b",
          type: "dql",
          showTitle: true,
          title: "Latest errors",
          state: {
            input: { value: 'fetch logs\n| filter loglevel == "ERROR"\n| sort timestamp desc\n| limit 50' },
            visualization: "table",
          },
        },
      ],
    },
  },
  {
    id: "demo-notebook-incident",
    name: "Incident review",
    type: "notebook",
    description: "Template for post-incident analysis",
    ageMinutes: 60 * 24 * 10,
    content: {
      version: "7",
      sections: [
        {
          id: "1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d",
          type: "markdown",
          markdown: "## Timeline\n- detected:\n- mitigated:\n- resolved:",
        },
        {
          id: "2b3c4d5e-6f7a-4b9c-8d1e-2f3a4b5c6d7e",
          type: "dql",
          state: {
            input: {
              value:
                'fetch events\n| filter event.kind == "DAVIS_PROBLEM"\n| sort timestamp desc\n| limit 20',
            },
          },
        },
      ],
    },
  },
  {
    id: "demo-launchpad-home",
    name: "Team home",
    type: "launchpad",
    description: "Entry point with links to the team's dashboards and notebooks",
    ageMinutes: 60 * 24 * 30,
    content: {
      schemaVersion: 2,
      icon: "rocket",
      containerList: {
        containers: [
          {
            blocks: [
              { type: "markdown", content: "# Welcome\nEverything the team watches, in one place." },
              {
                type: "links",
                links: [
                  { title: "Host health", target: { documentId: "demo-dashboard-hosts" } },
                  { title: "Service overview", target: { documentId: "demo-dashboard-services" } },
                  { title: "Log exploration", target: { documentId: "demo-notebook-logs" } },
                ],
              },
            ],
          },
        ],
      },
    },
  },
  {
    id: "demo-dashboard-shared-k8s",
    name: "Kubernetes clusters",
    type: "dashboard",
    description: "Shared by a colleague: node and pod health per cluster",
    owner: COLLEAGUE_USER.userId,
    isPrivate: false,
    ageMinutes: 60 * 2,
    content: {
      version: 15,
      tiles: {
        "0": tile(
          "Pods not ready",
          "fetch dt.entity.cloud_application_instance\n| summarize count(), by:{k8s.cluster.name}",
          "barChart",
        ),
      },
      layouts: { "0": { x: 0, y: 0, w: 24, h: 8 } },
    },
  },
];

/** Adds the demo documents that are absent. */
export function seedDocuments(store: EmulatorStore, options: SeedOptions): void {
  if (!options.demo) return;
  const all = documents(store);
  const now = options.clock.now();
  for (const demo of DEMO_DOCUMENTS) {
    if (all.has(demo.id)) continue;
    const owner = demo.owner ?? options.user.userId;
    const time = isoTime(now - demo.ageMinutes * 60_000);
    const record: DocumentRecord = {
      id: demo.id,
      externalId: null,
      name: demo.name,
      type: demo.type,
      description: demo.description,
      version: 1,
      owner,
      isPrivate: demo.isPrivate ?? true,
      isReshareable: true,
      originAppId: null,
      originExtensionId: null,
      createdBy: owner,
      createdTime: time,
      lastModifiedBy: owner,
      lastModifiedTime: time,
      lastModifyingAppId: null,
      lastAccessedTime: { [owner]: time },
      labels: demo.type === "launchpad" ? [] : ["demo"],
      content: toBase64(new TextEncoder().encode(JSON.stringify(demo.content))),
      contentType: "application/json",
      nextSnapshotVersion: 1,
    };
    all.set(record.id, record);
  }
  store.markDirty();
}
