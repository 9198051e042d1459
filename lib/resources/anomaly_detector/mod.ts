/**
 * Custom Davis anomaly detectors (settings schema `builtin:davis.anomaly-detectors`): conversion between the
 * flattened manifest form (`title`, `description`, `enabled`, `source`, `analyzer{name, input{k: v}}`,
 * `eventTemplate{k: v}`, `executionSettings`) and the settings value (`analyzer.input` and
 * `eventTemplate.properties` as `{key, value}` lists with string values, sorted by key).
 *
 * @module
 */

export {
  FLAT_FIELDS,
  flattenedToSettingsValue,
  isFlattenedAnomalyDetector,
  normalizeAnomalyDetectorValue,
  settingsValueToFlattened,
} from "./convert.ts";
export {
  ANOMALY_DETECTOR_SCHEMA_ID,
  type AnomalyDetectorExecutionSettings,
  type AnomalyDetectorKeyValue,
  type AnomalyDetectorValue,
  DEFAULT_ANOMALY_DETECTOR_SOURCE,
  type FlattenedAnomalyDetector,
} from "./types.ts";
