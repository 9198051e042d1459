/**
 * The Settings 2.0 service, mounted at `/api/v2/settings` (Api-Token) and at its platform alias
 * `/platform/classic/environment-api/v2/settings` (Bearer); both share one state.
 *
 * @module
 */

import type { EmulatorService } from "../../service.ts";
import { mulberry32 } from "../../random.ts";
import type { EmulatorStore, EmulatorUser } from "../../types.ts";
import { objectRoutes } from "./object_routes.ts";
import { upsert, Workspace } from "./objects.ts";
import { schemaRoutes } from "./schema_routes.ts";

/** The service name. */
export const SETTINGS_SERVICE_NAME = "settings";

/** The two mount points of the Settings API. */
export const SETTINGS_PREFIXES = [
  "/api/v2/settings",
  "/platform/classic/environment-api/v2/settings",
] as const;

const DEMO_OBJECTS = [
  {
    schemaId: "builtin:alerting.profile",
    scope: "environment",
    externalId: "demo:alerting-profile-default",
    value: {
      name: "Default",
      severityRules: [
        { severityLevel: "AVAILABILITY", delayInMinutes: 0, tagFilterIncludeMode: "NONE" },
        { severityLevel: "ERRORS", delayInMinutes: 5, tagFilterIncludeMode: "NONE" },
      ],
      eventFilters: [],
    },
  },
  {
    schemaId: "builtin:davis.anomaly-detectors",
    scope: "environment",
    externalId: "demo:anomaly-detector-cpu",
    value: {
      enabled: true,
      title: "High CPU on build agents",
      description: "Static threshold on host CPU usage.",
      source: "dtctl-demo",
      analyzer: {
        name: "dt.statistics.ui.anomaly_detection.StaticThresholdAnomalyDetectionAnalyzer",
        input: [
          { key: "query", value: "timeseries avg(dt.host.cpu.usage), by:{dt.entity.host}" },
          { key: "threshold", value: "90" },
          { key: "alertCondition", value: "ABOVE" },
        ],
      },
      eventTemplate: {
        properties: [
          { key: "title", value: "CPU above 90 %" },
          { key: "event.type", value: "CUSTOM_ALERT" },
        ],
      },
    },
  },
];

function seedObjects(store: EmulatorStore, user: EmulatorUser, now: number, random: () => number): void {
  const workspace = new Workspace(store);
  for (const item of DEMO_OBJECTS) {
    if (workspace.of(item.schemaId).some((o) => o.externalId === item.externalId)) continue;
    upsert(workspace, item, { user, now, random });
  }
  workspace.commit();
}

/** Creates the settings service. */
export function createSettingsService(): EmulatorService {
  return {
    name: SETTINGS_SERVICE_NAME,
    routes: SETTINGS_PREFIXES.flatMap((prefix) => [...schemaRoutes(prefix), ...objectRoutes(prefix)]),
    seed(store, { demo, user, clock, random }) {
      // Schemas are built in and need no seeding; demo data adds a few objects.
      if (demo) seedObjects(store, user, clock.now(), random ?? mulberry32(2));
    },
  };
}

/** The settings service. */
export const settingsService: EmulatorService = createSettingsService();
