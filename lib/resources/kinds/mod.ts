/**
 * Every built-in resource kind: one import and one entry per kind. Adding a kind is one new file plus its two
 * lines here.
 *
 * @module
 */

import type { ResourceKind } from "../types.ts";
import { workflowKind } from "./workflow.ts";
import { dashboardKind } from "./dashboard.ts";
import { notebookKind } from "./notebook.ts";
import { documentKind } from "./document.ts";
import { trashKind } from "./trash.ts";
import { sloKind } from "./slo.ts";
import { settingsSchemaKind } from "./settings_schema.ts";
import { settingKind } from "./setting.ts";
import { segmentKind } from "./segment.ts";
import { bucketKind } from "./bucket.ts";
import { userKind } from "./user.ts";
import { workflowExecutionKind } from "./workflow_execution.ts";
import { anomalyDetectorKind } from "./anomaly_detector.ts";

/** The built-in kinds, registered by `lib/resources/mod.ts`. */
export const BUILTIN_KINDS: ResourceKind[] = [
  workflowKind,
  dashboardKind,
  notebookKind,
  documentKind,
  trashKind,
  sloKind,
  settingsSchemaKind,
  settingKind,
  segmentKind,
  bucketKind,
  userKind,
  workflowExecutionKind,
  anomalyDetectorKind,
];
