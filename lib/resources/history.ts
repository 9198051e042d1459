/**
 * Version history and restore: document snapshots (dashboards, notebooks, any document) and workflow history,
 * behind one pair of functions ({@link listHistory}, {@link restoreVersion}) for `dtctl history` and
 * `dtctl restore`, plus the typed API calls for scripts.
 *
 * Restores are writes on the restored object (operation `update`, with its kind, name and owner), so the
 * safety guard judges them like an edit: `readonly` refuses them, `readwrite-mine` allows only own objects.
 *
 * @module
 */

import type { PlatformClient, ResourceRef } from "../client/mod.ts";
import { DtctlError, usageError } from "../errors/mod.ts";
import { DOCUMENT_SERVER_FIELDS } from "./documents/kind.ts";
import { objectId, resourceRef } from "./registry.ts";
import type { KindContext, RemoteObject, ResourceKind } from "./types.ts";

const DOCUMENTS_API = "/platform/document/v1";
const AUTOMATION_API = "/platform/automation/v1";
const enc = encodeURIComponent;

/** A document snapshot as the API lists it. */
export interface DocumentSnapshot {
  /** Snapshot number (1, 2, ...). */
  snapshotVersion: number;
  /** The document version the snapshot holds. */
  documentVersion: number;
  /** Why it was taken. */
  description?: string;
  /** Who took it and when. */
  modificationInfo?: { createdBy?: string; createdTime?: string };
  /** Fields the API may add later. */
  [field: string]: unknown;
}

/** A workflow history entry. */
export interface WorkflowHistoryEntry {
  /** Workflow version. */
  version: number;
  /** Who saved it. */
  user?: string;
  /** When (RFC 3339). */
  dateCreated?: string;
  /** Fields the API may add later. */
  [field: string]: unknown;
}

/** One version of an object, whatever its kind (what `dtctl history` prints). */
export interface HistoryEntry {
  /** The number to pass to `restore`: the snapshot version of documents, the version of workflows. */
  version: number;
  /** The object version it holds (documents: the document version; workflows: the same as `version`). */
  objectVersion?: number;
  /** When it was made. */
  createdTime?: string;
  /** Who made it. */
  createdBy?: string;
  /** Why it was made (document snapshots). */
  description?: string;
}

/** What {@link restoreVersion} did. */
export interface RestoreResult {
  /** Kind name. */
  kind: string;
  /** Object id. */
  id: string;
  /** Object name. */
  name: string;
  /** The version restored from. */
  restoredVersion: number;
  /** The object's version after the restore. */
  version?: number;
  /** Documents: the snapshot taken of the replaced state, when the server took one. */
  createdSnapshot?: number;
}

/** Which history API serves a kind: document snapshots, workflow history, or none. */
export function historyStyle(kind: ResourceKind): "document" | "workflow" | undefined {
  if (kind.name === "workflow") return "workflow";
  if (
    ["dashboard", "notebook", "document"].includes(kind.name) || kind.serverFields === DOCUMENT_SERVER_FIELDS
  ) {
    return "document";
  }
  return undefined;
}

function unsupported(kind: ResourceKind, verb: string): DtctlError {
  return usageError(`${kind.plural} have no version history to ${verb}`, {
    hint:
      "history and restore work for dashboards, notebooks, documents and workflows (and restore trash <id>)",
    details: { kind: kind.name },
  });
}

/** Throws a usage error (before any request) when a kind has no version history. */
export function requireHistory(kind: ResourceKind, verb: "list" | "restore"): "document" | "workflow" {
  const style = historyStyle(kind);
  if (style === undefined) throw unsupported(kind, verb);
  return style;
}

/** A version argument: a positive whole number. */
export function parseVersion(text: string | number): number {
  const value = typeof text === "number" ? text : Number(String(text).trim());
  if (!Number.isInteger(value) || value < 1) {
    throw usageError(`invalid version "${text}": expected a positive whole number`, {
      hint: "`dtctl history <kind> <name>` lists the versions",
      details: { argument: "version", value: String(text) },
    });
  }
  return value;
}

// ------------------------------------------------------------------------------------------------------------
// Document snapshots

/** Lists a document's snapshots, newest first (only its owner may). */
export function listDocumentSnapshots(
  client: PlatformClient,
  documentId: string,
  options: { pageSize?: number; signal?: AbortSignal } = {},
): AsyncIterable<DocumentSnapshot> {
  return client.paginate<DocumentSnapshot>({
    style: "page-key",
    path: `${DOCUMENTS_API}/documents/${enc(documentId)}/snapshots`,
    itemsField: "snapshots",
    pageSize: options.pageSize,
    signal: options.signal,
    resource: { kind: "document", name: documentId },
  });
}

/** Reads one snapshot's metadata. */
export function getDocumentSnapshot(
  client: PlatformClient,
  documentId: string,
  version: number,
  signal?: AbortSignal,
): Promise<DocumentSnapshot> {
  return client.request<DocumentSnapshot>({
    path: `${DOCUMENTS_API}/documents/${enc(documentId)}/snapshots/${version}`,
    signal,
    resource: { kind: "snapshot", name: `${version} of document ${documentId}` },
  });
}

/**
 * Restores a document to a snapshot (the server snapshots the replaced state first). `document` names the
 * document for the safety guard (kind, name, owner).
 */
export function restoreDocumentSnapshot(
  client: PlatformClient,
  document: ResourceRef & { id: string },
  version: number,
  signal?: AbortSignal,
): Promise<{ documentMetadata: Record<string, unknown>; createdSnapshot?: { snapshotVersion: number } }> {
  const { id, ...resource } = document;
  return client.request({
    method: "POST",
    path: `${DOCUMENTS_API}/documents/${enc(id)}/snapshots/${version}:restore`,
    operation: "update",
    signal,
    resource,
  });
}

// ------------------------------------------------------------------------------------------------------------
// Workflow history

/** Lists a workflow's saved versions, newest first. */
export function listWorkflowHistory(
  client: PlatformClient,
  workflowId: string,
  signal?: AbortSignal,
): AsyncIterable<WorkflowHistoryEntry> {
  return client.paginate<WorkflowHistoryEntry>({
    style: "offset",
    path: `${AUTOMATION_API}/workflows/${enc(workflowId)}/history`,
    itemsField: "results",
    signal,
    resource: { kind: "workflow", name: workflowId },
  });
}

/** Reads a workflow as it was at `version`. */
export function getWorkflowVersion(
  client: PlatformClient,
  workflowId: string,
  version: number,
  signal?: AbortSignal,
): Promise<Record<string, unknown>> {
  return client.request({
    path: `${AUTOMATION_API}/workflows/${enc(workflowId)}/history/${version}`,
    signal,
    resource: { kind: "workflow", name: `${workflowId} version ${version}` },
  });
}

/** Saves workflow `version` as the newest version. `workflow` names it for the safety guard. */
export function restoreWorkflowVersion(
  client: PlatformClient,
  workflow: ResourceRef & { id: string },
  version: number,
  signal?: AbortSignal,
): Promise<Record<string, unknown>> {
  const { id, ...resource } = workflow;
  return client.request({
    method: "POST",
    path: `${AUTOMATION_API}/workflows/${enc(id)}/history/${version}/restore`,
    operation: "update",
    signal,
    resource,
  });
}

// ------------------------------------------------------------------------------------------------------------
// Over any kind

function num(value: unknown): number | undefined {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}

/** The versions of an object of a kind with history (documents, workflows), newest first. */
export async function listHistory(
  context: KindContext,
  kind: ResourceKind,
  object: RemoteObject,
): Promise<HistoryEntry[]> {
  const id = objectId(kind, object);
  const entries: HistoryEntry[] = [];
  switch (historyStyle(kind)) {
    case "document":
      for await (const s of listDocumentSnapshots(context.client, id, { signal: context.signal })) {
        entries.push({
          version: s.snapshotVersion,
          objectVersion: num(s.documentVersion),
          createdTime: s.modificationInfo?.createdTime,
          createdBy: s.modificationInfo?.createdBy,
          ...(s.description ? { description: s.description } : {}),
        });
      }
      return entries;
    case "workflow":
      for await (const h of listWorkflowHistory(context.client, id, context.signal)) {
        entries.push({
          version: h.version,
          objectVersion: h.version,
          createdTime: h.dateCreated,
          createdBy: h.user,
        });
      }
      return entries;
    default:
      throw unsupported(kind, "list");
  }
}

/** Restores an object of a kind with history to `version` (a snapshot of documents, a version of workflows). */
export async function restoreVersion(
  context: KindContext,
  kind: ResourceKind,
  object: RemoteObject,
  version: number,
): Promise<RestoreResult> {
  const id = objectId(kind, object);
  const ref = resourceRef(kind, object);
  const base = { kind: kind.name, id, name: ref.name ?? id, restoredVersion: version };
  switch (historyStyle(kind)) {
    case "document": {
      const result = await restoreDocumentSnapshot(context.client, { id, ...ref }, version, context.signal);
      const created = result?.createdSnapshot?.snapshotVersion;
      return {
        ...base,
        version: num(result?.documentMetadata?.version),
        ...(created !== undefined ? { createdSnapshot: created } : {}),
      };
    }
    case "workflow": {
      const result = await restoreWorkflowVersion(context.client, { id, ...ref }, version, context.signal);
      return { ...base, version: num(result?.version) };
    }
    default:
      throw unsupported(kind, "restore");
  }
}
