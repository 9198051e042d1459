/**
 * The emulated platform SLO service (SLOs, objective templates, evaluation).
 *
 * @module
 */

export { createSloService, SLO_SERVICE_NAME, sloService, type SloServiceOptions } from "./service.ts";
export type { Slo } from "./model.ts";
export { OBJECTIVE_TEMPLATES, type ObjectiveTemplate } from "./templates.ts";
export { type EvaluationResult, grade, sliQuery, sliValue } from "./evaluate.ts";
export type { EvaluationSettings } from "./evaluation_routes.ts";
export { resolveBound } from "./timeframe.ts";
