/**
 * The emulated Automation service (workflows and executions).
 *
 * @module
 */

export {
  AUTOMATION_API_VERSION,
  AUTOMATION_SERVICE_NAME,
  automationService,
  type AutomationServiceOptions,
  createAutomationService,
} from "./service.ts";
export { EXECUTE_DQL_QUERY, RUN_JAVASCRIPT } from "./actions.ts";
export type { AutomationSettings } from "./workflow_routes.ts";
export { nextExecution, parseCron } from "./schedule.ts";
