/**
 * The two shapes of a custom Davis anomaly detector: the settings value of schema
 * `builtin:davis.anomaly-detectors` and the flattened form manifests use (the form dtctl (Go) accepts).
 *
 * @module
 */

/** The settings schema of custom anomaly detectors. */
export const ANOMALY_DETECTOR_SCHEMA_ID = "builtin:davis.anomaly-detectors";

/** The `source` written when a definition gives none (dtctl (Go) does the same). */
export const DEFAULT_ANOMALY_DETECTOR_SOURCE = "dtctl";

/** One `{key, value}` entry of `analyzer.input` or `eventTemplate.properties`. */
export interface AnomalyDetectorKeyValue {
  /** Input field or event property name. */
  key: string;
  /** Always a string on the wire. */
  value: string;
}

/** `executionSettings`: who the detector's queries run as and how late they look. */
export interface AnomalyDetectorExecutionSettings {
  /** UUID of the user or service user the queries run as. */
  actor?: string | null;
  /** Minute offset (1..60) of the evaluation window, for metrics that arrive late. */
  queryOffset?: number | null;
  /** Fields of newer schema versions, passed through unchanged. */
  [field: string]: unknown;
}

/** The settings value of schema `builtin:davis.anomaly-detectors`. */
export interface AnomalyDetectorValue {
  /** Title (2..500 characters). */
  title: string;
  /** Description (up to 5000 characters). */
  description: string;
  /** Whether the detector runs. */
  enabled: boolean;
  /** Who created it (1..500 characters). */
  source: string;
  /** The analyzer and its input fields. */
  analyzer: {
    /** Fully qualified analyzer name. */
    name: string;
    /** Input fields, sorted by key. */
    input: AnomalyDetectorKeyValue[];
  };
  /** Properties of the raised event. */
  eventTemplate: {
    /** Event properties, sorted by key. */
    properties: AnomalyDetectorKeyValue[];
  };
  /** Execution settings. */
  executionSettings: AnomalyDetectorExecutionSettings;
}

/**
 * The flattened form with every default filled in, as `settingsValueToFlattened` returns it. Manifests
 * may omit `description` (""), `enabled` (true), `source` ("dtctl"), `analyzer.input`, `eventTemplate` and
 * `executionSettings`, and may write input and property values as numbers or booleans.
 */
export interface FlattenedAnomalyDetector {
  /** Title (2..500 characters). */
  title: string;
  /** Description. */
  description: string;
  /** Whether the detector runs. */
  enabled: boolean;
  /** Who created it. */
  source: string;
  /** The analyzer. */
  analyzer: {
    /** Fully qualified analyzer name, e.g. `dt.statistics.ui.anomaly_detection.StaticThresholdAnomalyDetectionAnalyzer`. */
    name: string;
    /** Input fields as a map (`query`, `threshold`, `alertCondition`, ...). */
    input: Record<string, string>;
  };
  /** Event properties as a map (`event.type`, `event.name`, ...). */
  eventTemplate: Record<string, string>;
  /** Execution settings. */
  executionSettings: AnomalyDetectorExecutionSettings;
}
