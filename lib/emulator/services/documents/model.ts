/**
 * Stored shapes of the document service and how they render as API metadata.
 *
 * @module
 */

import type { EmulatorStore } from "../../types.ts";

/** Base path of the document service. */
export const DOCUMENT_BASE = "/platform/document/v1";

/** A stored document (active, or in the trash when `deletedTime` is set). */
export interface DocumentRecord {
  id: string;
  externalId: string | null;
  name: string;
  type: string;
  description: string | null;
  /** Starts at 1; +1 on every metadata or content change. */
  version: number;
  owner: string;
  isPrivate: boolean;
  isReshareable: boolean;
  originAppId: string | null;
  originExtensionId: string | null;
  createdBy: string;
  createdTime: string;
  lastModifiedBy: string;
  lastModifiedTime: string;
  lastModifyingAppId: string | null;
  /** Last time each user created, changed or restored the document, by user id. */
  lastAccessedTime: Record<string, string>;
  labels: string[];
  /** Content bytes, base64 (the store must stay JSON). */
  content: string;
  /** Content-Type of the content as uploaded. */
  contentType: string;
  /** Next snapshot version to hand out. */
  nextSnapshotVersion: number;
  deletedBy?: string;
  deletedTime?: string;
  lock?: { lockedBy: string; lockedUntil: string };
}

/** A stored snapshot of a document. */
export interface SnapshotRecord {
  documentId: string;
  snapshotVersion: number;
  documentVersion: number;
  description: string | null;
  createdBy: string;
  createdTime: string;
  name: string;
  type: string;
  documentDescription: string | null;
  content: string;
  contentType: string;
}

/** A direct share: a document shared with named users or groups. */
export interface DirectShareRecord {
  id: string;
  documentId: string;
  access: "read" | "read-write";
  recipients: { id: string; type: "user" | "group" }[];
}

/** An environment share: a link anyone in the environment can claim. */
export interface EnvironmentShareRecord {
  id: string;
  documentId: string;
  access: "read" | "read-write";
  claimers: string[];
}

/** Collection names. */
export const COLLECTIONS = {
  documents: "documents",
  snapshots: "documentSnapshots",
  directShares: "documentDirectShares",
  environmentShares: "documentEnvironmentShares",
} as const;

/** The documents collection. */
export function documents(store: EmulatorStore): Map<string, DocumentRecord> {
  return store.collection<DocumentRecord>(COLLECTIONS.documents);
}

/** The snapshots collection, keyed `<documentId>@<snapshotVersion>`. */
export function snapshots(store: EmulatorStore): Map<string, SnapshotRecord> {
  return store.collection<SnapshotRecord>(COLLECTIONS.snapshots);
}

/** Key of a snapshot in {@link snapshots}. */
export function snapshotKey(documentId: string, snapshotVersion: number): string {
  return `${documentId}@${snapshotVersion}`;
}

/** The direct-shares collection. */
export function directShares(store: EmulatorStore): Map<string, DirectShareRecord> {
  return store.collection<DirectShareRecord>(COLLECTIONS.directShares);
}

/** The environment-shares collection. */
export function environmentShares(store: EmulatorStore): Map<string, EnvironmentShareRecord> {
  return store.collection<EnvironmentShareRecord>(COLLECTIONS.environmentShares);
}

/** Base64 of bytes (chunked: spreading a large array into `fromCharCode` overflows the stack). */
export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** Bytes of base64. */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}
