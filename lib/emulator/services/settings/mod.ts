/**
 * The emulated Settings 2.0 service (schemas and objects).
 *
 * @module
 */

export {
  createSettingsService,
  SETTINGS_PREFIXES,
  SETTINGS_SERVICE_NAME,
  settingsService,
} from "./service.ts";
export { BUILTIN_SCHEMAS, findSchema, type PropertyDefinition, type SettingsSchema } from "./schemas.ts";
export { validateValue, type Validation } from "./validate.ts";
export { bulkStatus } from "./object_routes.ts";
export { newObjectId, scopeKind, type StoredObject } from "./objects.ts";
