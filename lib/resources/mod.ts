/**
 * Resource kinds and the generic operations over them. Importing this module registers the built-in kinds
 * ({@link BUILTIN_KINDS}) in the default registry.
 *
 * @module
 */

import { BUILTIN_KINDS } from "./kinds/mod.ts";
import { registerKind } from "./registry.ts";

for (const kind of BUILTIN_KINDS) registerKind(kind);

export type {
  DescribeSection,
  KindColumn,
  KindContext,
  KindFilter,
  ListFlag,
  ListOptions,
  LockingStyle,
  RemoteObject,
  ResourceKind,
} from "./types.ts";
export {
  allKinds,
  canonicalJson,
  checkFilter,
  checkListOptions,
  checkPlainSearch,
  createObject,
  defaultRegistry,
  deleteObject,
  editableOf,
  editDistance,
  filterExpressionProblem,
  findKind,
  getObject,
  getPath,
  iterateObjects,
  type KindApi,
  kindApi,
  KindRegistry,
  LIST_FLAG_NAMES,
  LIST_FLAGS,
  listFlagsIn,
  listObjects,
  namesOf,
  notFoundError,
  objectId,
  objectName,
  registerKind,
  resolveObject,
  resourceRef,
  sameJson,
  stripFields,
  supportedListFlags,
  unsupportedError,
  updateObject,
} from "./registry.ts";
export { type WatchEvent, watchObjects, type WatchOptions } from "./watch.ts";
export { BUILTIN_KINDS } from "./kinds/mod.ts";
export * from "./documents/mod.ts";
export {
  createWorkflow,
  deleteWorkflow,
  getWorkflow,
  listWorkflows,
  readWorkflow,
  updateWorkflow,
  type Workflow,
  WORKFLOW_SERVER_FIELDS,
  workflowKind,
} from "./kinds/workflow.ts";
export {
  createDashboard,
  type Dashboard,
  dashboardKind,
  deleteDashboard,
  getDashboard,
  listDashboards,
  updateDashboard,
} from "./kinds/dashboard.ts";
export {
  createNotebook,
  deleteNotebook,
  getNotebook,
  listNotebooks,
  type Notebook,
  notebookKind,
  updateNotebook,
} from "./kinds/notebook.ts";
export {
  createDocumentObject,
  deleteDocumentObject,
  type Document,
  documentKind,
  getDocumentObject,
  listDocumentObjects,
  updateDocumentObject,
} from "./kinds/document.ts";
export { deleteTrashed, getTrashed, listTrashed, restoreTrashed, trashKind } from "./kinds/trash.ts";
export {
  createSlo,
  deleteSlo,
  evaluateSlo,
  type EvaluateSloOptions,
  getSlo,
  listSlos,
  listSloTemplates,
  type Slo,
  type SloEvaluation,
  type SloEvaluationResult,
  sloKind,
  updateSlo,
} from "./kinds/slo.ts";
export {
  getSettingsSchema,
  listSettingsSchemas,
  type SettingsSchema,
  settingsSchemaKind,
  type SettingsSchemaStub,
} from "./kinds/settings_schema.ts";
export {
  createSetting,
  createSettings,
  deleteSetting,
  getSetting,
  listSettings,
  type ListSettingsOptions,
  settingKind,
  type SettingsCreateResult,
  type SettingsObject,
  type SettingsObjectCreate,
  updateSetting,
} from "./kinds/setting.ts";
export {
  createSegment,
  deleteSegment,
  getSegment,
  listSegments,
  type Segment,
  type SegmentInclude,
  segmentKind,
  segmentToEditable,
  segmentToWire,
  updateSegment,
} from "./kinds/segment.ts";
export {
  type Bucket,
  bucketKind,
  createBucket,
  deleteBucket,
  getBucket,
  listBuckets,
  updateBucket,
} from "./kinds/bucket.ts";
export { getUser, type User, userKind } from "./kinds/user.ts";
export {
  cancelExecution,
  getExecution,
  getExecutionLog,
  getExecutionTasks,
  getTaskLog,
  getTaskResult,
  listExecutions,
  resolveWorkflowId,
  runWorkflow,
  type RunWorkflowOptions,
  type TaskExecution,
  waitForExecution,
  type WaitOptions,
  type WorkflowExecution,
  workflowExecutionKind,
} from "./kinds/workflow_execution.ts";
export {
  type DocumentSnapshot,
  getDocumentSnapshot,
  getWorkflowVersion,
  type HistoryEntry,
  historyStyle,
  listDocumentSnapshots,
  listHistory,
  listWorkflowHistory,
  restoreDocumentSnapshot,
  type RestoreResult,
  restoreVersion,
  restoreWorkflowVersion,
  type WorkflowHistoryEntry,
} from "./history.ts";
export {
  type DocumentShares,
  getDocumentShares,
  type ShareAccess,
  shareDocument,
  shareDocumentWithEnvironment,
  type ShareRecipient,
  unshareDocument,
  unshareDocumentFromEnvironment,
} from "./share.ts";
export {
  type AnomalyDetector,
  anomalyDetectorKind,
  anomalyDetectorValue,
  createAnomalyDetector,
  deleteAnomalyDetector,
  getAnomalyDetector,
  listAnomalyDetectors,
  updateAnomalyDetector,
} from "./kinds/anomaly_detector.ts";
export { segmentWithFilterText } from "./kinds/segment.ts";
