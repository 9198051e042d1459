/**
 * Document sharing (dashboards, notebooks, any document): direct shares with named users and groups, and
 * environment shares (everybody in the environment may claim access).
 *
 * Sharing changes who can see a document, so every share write is judged by the safety guard as an update of
 * the document (kind, name, owner): `readonly` refuses it and `readwrite-mine` allows only own documents.
 * Sharing is idempotent: a share that exists already is extended (direct) or reported as it is (environment).
 *
 * @module
 */

import type { PlatformClient, ResourceRef } from "../client/mod.ts";
import { isDtctlError, usageError } from "../errors/mod.ts";
import { filterLiteral } from "./documents/api.ts";

const DOCUMENTS_API = "/platform/document/v1";
const enc = encodeURIComponent;

/** Access a share grants. */
export type ShareAccess = "read" | "read-write";

/** A share recipient. */
export interface ShareRecipient {
  /** User or group id. */
  id: string;
  /** Recipient type. */
  type: "user" | "group";
}

/** A direct share as the API returns it. */
export interface DirectShare {
  /** Share id. */
  id: string;
  /** Shared document. */
  documentId: string;
  /** `["read"]` or `["read", "write"]`. */
  access: string[] | string;
  /** Fields the API may add later. */
  [field: string]: unknown;
}

/** An environment share as the API returns it. */
export interface EnvironmentShare {
  /** Share id. */
  id: string;
  /** Shared document. */
  documentId: string;
  /** `["read"]` or `["read", "write"]`. */
  access: string[] | string;
  /** How many users claimed it. */
  claimCount?: number;
  /** Fields the API may add later. */
  [field: string]: unknown;
}

/** The shares of one document. */
export interface DocumentShares {
  /** Document id. */
  documentId: string;
  /** Direct shares with their recipients. */
  direct: Array<{ id: string; access: ShareAccess; recipients: ShareRecipient[] }>;
  /** Environment shares. */
  environment: Array<{ id: string; access: ShareAccess; claimCount?: number }>;
}

/** The document a share operation is about: its id, plus kind, name and owner for the safety guard. */
export type SharedDocument = ResourceRef & { id: string };

/** `["read", "write"]` / `"read-write"` → `read-write`; anything else with read only → `read`. */
export function shareAccess(access: unknown): ShareAccess {
  if (Array.isArray(access)) return access.includes("write") ? "read-write" : "read";
  return access === "read-write" || access === "write" ? "read-write" : "read";
}

/** Checks an `--access` value. */
export function parseShareAccess(text: string | undefined): ShareAccess {
  const value = text ?? "read";
  if (value !== "read" && value !== "read-write") {
    throw usageError(`invalid access "${value}": expected read or read-write`, {
      details: { flag: "--access", value },
    });
  }
  return value;
}

function documentFilter(documentId: string): string {
  return `documentId == ${filterLiteral(documentId)}`;
}

/** Lists the direct shares of a document. */
export async function listDirectShares(
  client: PlatformClient,
  documentId: string,
  signal?: AbortSignal,
): Promise<DirectShare[]> {
  const out: DirectShare[] = [];
  const pages = client.paginate<DirectShare>({
    style: "page-key",
    path: `${DOCUMENTS_API}/direct-shares`,
    query: { filter: documentFilter(documentId) },
    itemsField: "direct-shares",
    signal,
    resource: { kind: "share", name: documentId },
  });
  for await (const share of pages) if (share.documentId === documentId) out.push(share);
  return out;
}

/** Lists the recipients of a direct share. */
export async function listShareRecipients(
  client: PlatformClient,
  shareId: string,
  signal?: AbortSignal,
): Promise<ShareRecipient[]> {
  const out: ShareRecipient[] = [];
  const pages = client.paginate<ShareRecipient>({
    style: "page-key",
    path: `${DOCUMENTS_API}/direct-shares/${enc(shareId)}/recipients`,
    itemsField: "recipients",
    signal,
    resource: { kind: "share", name: shareId },
  });
  for await (const recipient of pages) out.push({ id: recipient.id, type: recipient.type });
  return out;
}

/** Lists the environment shares of a document. */
export async function listEnvironmentShares(
  client: PlatformClient,
  documentId: string,
  signal?: AbortSignal,
): Promise<EnvironmentShare[]> {
  const out: EnvironmentShare[] = [];
  const pages = client.paginate<EnvironmentShare>({
    style: "page-key",
    path: `${DOCUMENTS_API}/environment-shares`,
    query: { filter: documentFilter(documentId) },
    itemsField: "environment-shares",
    signal,
    resource: { kind: "share", name: documentId },
  });
  for await (const share of pages) if (share.documentId === documentId) out.push(share);
  return out;
}

/** All shares of a document, direct ones with their recipients. */
export async function getDocumentShares(
  client: PlatformClient,
  documentId: string,
  signal?: AbortSignal,
): Promise<DocumentShares> {
  const [direct, environment] = await Promise.all([
    listDirectShares(client, documentId, signal),
    listEnvironmentShares(client, documentId, signal),
  ]);
  return {
    documentId,
    direct: await Promise.all(direct.map(async (share) => ({
      id: share.id,
      access: shareAccess(share.access),
      recipients: await listShareRecipients(client, share.id, signal),
    }))),
    environment: environment.map((share) => ({
      id: share.id,
      access: shareAccess(share.access),
      ...(typeof share.claimCount === "number" ? { claimCount: share.claimCount } : {}),
    })),
  };
}

function writeRef(document: SharedDocument): ResourceRef {
  const { id: _id, ...ref } = document;
  return ref;
}

/**
 * Shares a document directly with users and groups at the given access. The document's existing share of
 * that access is extended with the recipients; otherwise a new share is created. Returns the share id.
 */
export async function shareDocument(
  client: PlatformClient,
  document: SharedDocument,
  recipients: ShareRecipient[],
  access: ShareAccess = "read",
  signal?: AbortSignal,
): Promise<{ shareId: string; created: boolean }> {
  if (recipients.length === 0) {
    throw usageError("nobody to share with: give --user or --group", { details: { flag: "--user" } });
  }
  const existing = (await listDirectShares(client, document.id, signal))
    .find((share) => shareAccess(share.access) === access);
  if (existing) {
    await client.request({
      method: "POST",
      path: `${DOCUMENTS_API}/direct-shares/${enc(existing.id)}/recipients/add`,
      json: { recipients },
      operation: "update",
      signal,
      resource: writeRef(document),
    });
    return { shareId: existing.id, created: false };
  }
  const share = await client.request<DirectShare>({
    method: "POST",
    path: `${DOCUMENTS_API}/direct-shares`,
    json: { documentId: document.id, access, recipients },
    operation: "update",
    signal,
    resource: writeRef(document),
  });
  return { shareId: share.id, created: true };
}

/** Removes users and groups from every direct share of a document; shares left without recipients are deleted. */
export async function unshareDocument(
  client: PlatformClient,
  document: SharedDocument,
  recipients: ShareRecipient[],
  signal?: AbortSignal,
): Promise<void> {
  const key = (r: ShareRecipient) => `${r.type}:${r.id}`;
  const removed = new Set(recipients.map(key));
  for (const share of await listDirectShares(client, document.id, signal)) {
    const current = await listShareRecipients(client, share.id, signal);
    const hit = current.filter((r) => removed.has(key(r)));
    if (hit.length === 0) continue;
    if (hit.length === current.length) {
      await client.request({
        method: "DELETE",
        path: `${DOCUMENTS_API}/direct-shares/${enc(share.id)}`,
        operation: "update",
        signal,
        resource: writeRef(document),
      });
    } else {
      await client.request({
        method: "POST",
        path: `${DOCUMENTS_API}/direct-shares/${enc(share.id)}/recipients/remove`,
        json: { recipients: hit },
        operation: "update",
        signal,
        resource: writeRef(document),
      });
    }
  }
}

/**
 * Shares a document with the whole environment at the given access; an existing environment share of that
 * access is kept (`created: false`).
 */
export async function shareDocumentWithEnvironment(
  client: PlatformClient,
  document: SharedDocument,
  access: ShareAccess = "read",
  signal?: AbortSignal,
): Promise<{ shareId: string; created: boolean }> {
  const existing = (await listEnvironmentShares(client, document.id, signal))
    .find((share) => shareAccess(share.access) === access);
  if (existing) return { shareId: existing.id, created: false };
  try {
    const share = await client.request<EnvironmentShare>({
      method: "POST",
      path: `${DOCUMENTS_API}/environment-shares`,
      json: { documentId: document.id, access },
      operation: "update",
      signal,
      resource: writeRef(document),
    });
    return { shareId: share.id, created: true };
  } catch (error) {
    // Created concurrently, or not visible in the list: report the share that exists.
    if (!isDtctlError(error, "conflict")) throw error;
    const again = (await listEnvironmentShares(client, document.id, signal))
      .find((share) => shareAccess(share.access) === access);
    if (!again) throw error;
    return { shareId: again.id, created: false };
  }
}

/** Deletes the environment shares of a document (of one access, or all). */
export async function unshareDocumentFromEnvironment(
  client: PlatformClient,
  document: SharedDocument,
  access?: ShareAccess,
  signal?: AbortSignal,
): Promise<number> {
  let deleted = 0;
  for (const share of await listEnvironmentShares(client, document.id, signal)) {
    if (access !== undefined && shareAccess(share.access) !== access) continue;
    await client.request({
      method: "DELETE",
      path: `${DOCUMENTS_API}/environment-shares/${enc(share.id)}`,
      operation: "update",
      signal,
      resource: writeRef(document),
    });
    deleted++;
  }
  return deleted;
}
