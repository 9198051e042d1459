/**
 * The Automation service (`/platform/automation/v1`) as an emulator service.
 *
 * @module
 */

import { json } from "../../envelope.ts";
import type { EmulatorService } from "../../service.ts";
import type { Route } from "../../types.ts";
import type { QueryEngine } from "../query/engine.ts";
import { createInterimEngine } from "../query/interim/engine.ts";
import { executionRoutes } from "./execution_routes.ts";
import { seedWorkflows } from "./seed.ts";
import { AUTOMATION_BASE, type AutomationSettings, workflowRoutes } from "./workflow_routes.ts";

/** The service name, also the key of its runtime options (`{taskDurationMs}`) in `serviceOptions`. */
export const AUTOMATION_SERVICE_NAME = "automation";

/** Version reported by `GET /version`. */
export const AUTOMATION_API_VERSION = "1.0.0";

/** Options of {@link createAutomationService}. */
export interface AutomationServiceOptions extends Partial<AutomationSettings> {
  /** Engine for `execute-dql-query` tasks (default: the interim engine). */
  engine?: QueryEngine;
}

/** Creates the automation service. */
export function createAutomationService(options: AutomationServiceOptions = {}): EmulatorService {
  const { engine = createInterimEngine(), taskDurationMs = 1000 } = options;
  const version: Route = {
    method: "GET",
    path: `${AUTOMATION_BASE}/version`,
    family: "platform",
    handle: () => json(200, { version: AUTOMATION_API_VERSION }),
  };
  return {
    name: AUTOMATION_SERVICE_NAME,
    routes: [...workflowRoutes({ taskDurationMs }, engine), ...executionRoutes(), version],
    seed(store, { demo, clock, user }) {
      if (demo) seedWorkflows(store, user, clock.now());
    },
  };
}

/** The automation service with default settings. */
export const automationService: EmulatorService = createAutomationService();
