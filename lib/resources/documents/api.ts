/**
 * The Document API (`/platform/document/v1`) as typed functions: list metadata, read a document (metadata and
 * content in one multipart response), create and patch with multipart bodies and `optimistic-locking-version`,
 * delete to the trash, and the trash itself (list, read, restore, delete permanently).
 *
 * Every write names the document (kind, name, owner) so the client's safety guard can judge it.
 *
 * @module
 */

import { parseMultipart, type PlatformClient, type ResourceRef } from "../../client/mod.ts";
import { DtctlError } from "../../errors/mod.ts";

/** Base path of the Document API. */
export const DOCUMENTS_API = "/platform/document/v1";

/** Document metadata (`DocumentMetaData`); `version` may arrive as a number or a numeric string. */
export interface DocumentMetadata {
  /** Document id (user-given or a generated UUID). */
  id: string;
  /** Display name. */
  name: string;
  /** `dashboard`, `notebook`, `launchpad`, or an app-specific type. */
  type: string;
  /** Free text (list responses only with `add-fields=description`). */
  description?: string | null;
  /** +1 on every change; the optimistic-locking version. */
  version: number | string;
  /** Owner's user id. */
  owner: string;
  /** Private to its owner (else shared per its shares). */
  isPrivate?: boolean;
  /** Labels (list responses only with `add-fields=labels`). */
  labels?: string[];
  /** Created and last modified by and when. */
  modificationInfo?: Record<string, unknown>;
  /** Fields the API may add later. */
  [field: string]: unknown;
}

/** A document read in full: metadata plus content. */
export interface DocumentData {
  /** The metadata. */
  metadata: DocumentMetadata;
  /** The content bytes, exactly as stored. */
  content: Uint8Array;
  /** The stored content type. */
  contentType: string;
}

/** Content to upload: bytes or text with a content type. */
export interface DocumentContent {
  /** The bytes or text. */
  data: Uint8Array | string;
  /** Its content type (default `application/json`). */
  type?: string;
}

/** Options of {@link listDocuments}. */
export interface ListDocumentsOptions {
  /** Only this type. */
  type?: string;
  /** Only documents of this owner id. */
  owner?: string;
  /** A filter in the platform filter grammar, and-ed with the others. */
  filter?: string;
  /** Sort expression, e.g. `name` or `-modificationInfo.lastModifiedTime`. */
  sort?: string;
  /** Page size (max 1000). */
  pageSize?: number;
  /** `add-fields` values, e.g. `description`, `labels`. */
  addFields?: string[];
  /** Cancels the listing. */
  signal?: AbortSignal;
}

/** Options of {@link createDocument}. */
export interface CreateDocumentInput {
  /** Display name (1..128 characters). */
  name: string;
  /** Type (1..128 characters). */
  type: string;
  /** The content. */
  content: DocumentContent;
  /** Free text (≤ 256 characters). */
  description?: string | null;
  /** A user-chosen id (`[A-Za-z0-9-]{1,100}`, not a UUID); the server generates one when absent. */
  id?: string;
  /** Private to the owner (the server's default is true). */
  isPrivate?: boolean;
  /** Labels, set by a follow-up patch (create does not take them). */
  labels?: string[];
}

/** Parts of a document patch; absent fields are left unchanged. */
export interface DocumentPatch {
  /** New name. */
  name?: string;
  /** New type. */
  type?: string;
  /** New description. */
  description?: string;
  /** New content. */
  content?: DocumentContent;
  /** New visibility. */
  isPrivate?: boolean;
  /** New labels (replace the current ones; must not be empty). */
  labels?: string[];
}

/** A trash entry, as listed. */
export interface TrashedDocument {
  /** Document id. */
  id: string;
  /** Display name. */
  name: string;
  /** Type. */
  type: string;
  /** Who deleted it and when. */
  deletionInfo?: { deletedBy?: string; deletedTime?: string };
  /** Version (details only). */
  version?: number | string;
  /** Owner (details only). */
  owner?: string;
  /** Fields the API may add later. */
  [field: string]: unknown;
}

const enc = encodeURIComponent;

/** A single-quoted literal of the platform filter grammar. */
export function filterLiteral(value: string): string {
  return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}

/** And-s filter clauses, parenthesising each; empty clauses are skipped. */
export function andFilters(...clauses: (string | undefined)[]): string | undefined {
  const present = clauses.filter((c): c is string => c !== undefined && c.trim() !== "");
  if (present.length === 0) return undefined;
  return present.length === 1 ? present[0] : present.map((c) => `(${c})`).join(" and ");
}

/** The document version as a number (the API types it as a string, servers send numbers). */
export function documentVersion(metadata: { version?: unknown }): number {
  const version = Number(metadata.version);
  if (!Number.isInteger(version) || version < 0) {
    throw new DtctlError(
      "server_error",
      `document has no valid version (got ${JSON.stringify(metadata.version)})`,
      {
        hint: "Re-read the document; the server returned unexpected metadata.",
      },
    );
  }
  return version;
}

function ref(metadata: { id: string; name?: unknown; owner?: unknown }, kind = "document"): ResourceRef {
  return {
    kind,
    name: typeof metadata.name === "string" && metadata.name !== "" ? metadata.name : metadata.id,
    ...(typeof metadata.owner === "string" && metadata.owner !== "" ? { owner: metadata.owner } : {}),
  };
}

function blobOf(content: DocumentContent): Blob {
  return new Blob([content.data as BlobPart], { type: content.type ?? "application/json" });
}

/** Lists document metadata, all pages, lazily. */
export function listDocuments(
  client: PlatformClient,
  options: ListDocumentsOptions = {},
): AsyncIterable<DocumentMetadata> {
  const filter = andFilters(
    options.type === undefined ? undefined : `type == ${filterLiteral(options.type)}`,
    options.owner === undefined ? undefined : `owner == ${filterLiteral(options.owner)}`,
    options.filter,
  );
  return client.paginate<DocumentMetadata>({
    style: "page-key",
    path: `${DOCUMENTS_API}/documents`,
    query: {
      ...(filter ? { filter } : {}),
      ...(options.sort ? { sort: options.sort } : {}),
      ...(options.addFields?.length ? { "add-fields": options.addFields } : {}),
    },
    pageSize: options.pageSize,
    itemsField: "documents",
    signal: options.signal,
    resource: { kind: options.type ?? "document" },
  });
}

/** Reads a document's metadata. */
export function getDocumentMetadata(
  client: PlatformClient,
  id: string,
  options: { signal?: AbortSignal; kind?: string } = {},
): Promise<DocumentMetadata> {
  return client.request<DocumentMetadata>({
    path: `${DOCUMENTS_API}/documents/${enc(id)}/metadata`,
    signal: options.signal,
    resource: { kind: options.kind ?? "document", name: id },
  });
}

/** Reads a document's content bytes and their stored type. */
export async function getDocumentContent(
  client: PlatformClient,
  id: string,
  options: { signal?: AbortSignal; kind?: string } = {},
): Promise<{ content: Uint8Array; contentType: string }> {
  const response = await client.request<Response>({
    path: `${DOCUMENTS_API}/documents/${enc(id)}/content`,
    signal: options.signal,
    expect: "response",
    resource: { kind: options.kind ?? "document", name: id },
  });
  return {
    content: new Uint8Array(await response.arrayBuffer()),
    contentType: response.headers.get("content-type") ?? "application/octet-stream",
  };
}

/**
 * Reads metadata and content in one request (the multipart `GET /documents/{id}`), so both belong to the same
 * version even while someone else saves.
 */
export async function getDocument(
  client: PlatformClient,
  id: string,
  options: { signal?: AbortSignal; kind?: string } = {},
): Promise<DocumentData> {
  const response = await client.request<Response>({
    path: `${DOCUMENTS_API}/documents/${enc(id)}`,
    signal: options.signal,
    expect: "response",
    headers: { accept: "multipart/form-data, application/json" },
    resource: { kind: options.kind ?? "document", name: id },
  });
  const contentType = response.headers.get("content-type") ?? "";
  const body = new Uint8Array(await response.arrayBuffer());
  const parts = parseMultipart(body, contentType);
  const metadataPart = parts.find((p) => p.name === "metadata") ?? parts.find((p) => p.name === "document");
  const contentPart = parts.find((p) => p.name === "content");
  if (!metadataPart || !contentPart) {
    throw new DtctlError(
      "server_error",
      `GET ${DOCUMENTS_API}/documents/${id} returned no ${metadataPart ? "content" : "metadata"} part`,
      { hint: "The server or a proxy returned an unexpected body; retry, and report it if it persists." },
    );
  }
  let metadata: DocumentMetadata;
  try {
    metadata = JSON.parse(new TextDecoder().decode(metadataPart.data));
  } catch (error) {
    throw new DtctlError("server_error", `the metadata of document "${id}" is not valid JSON`, {
      cause: error,
    });
  }
  return {
    metadata,
    content: contentPart.data,
    contentType: contentPart.contentType ?? "application/octet-stream",
  };
}

/** Reads create and update responses: bare metadata, `{documentMetadata}`, or a multipart body. */
async function metadataFrom(response: Response): Promise<DocumentMetadata> {
  const type = response.headers.get("content-type") ?? "";
  const bytes = new Uint8Array(await response.arrayBuffer());
  let value: unknown;
  if (/^multipart\//i.test(type)) {
    const part = parseMultipart(bytes, type).find((p) => p.name === "metadata" || p.name === "document");
    value = part ? JSON.parse(new TextDecoder().decode(part.data)) : undefined;
  } else {
    value = JSON.parse(new TextDecoder().decode(bytes));
  }
  const record = value as Record<string, unknown> | undefined;
  const metadata = (record?.documentMetadata ?? record) as DocumentMetadata | undefined;
  if (!metadata || typeof metadata.id !== "string") {
    throw new DtctlError("server_error", "the document API answered a write without document metadata", {
      hint: "Re-read the document to see whether the write went through.",
    });
  }
  return metadata;
}

/**
 * Creates a document (multipart `name`, `type`, `description`, `content`, `id`, `isPrivate`), then sets its
 * labels with a patch when there are any. With an `id`, an ambiguous failure is only retried after checking the
 * document does not exist (no duplicate creates).
 */
export async function createDocument(
  client: PlatformClient,
  input: CreateDocumentInput,
  options: { signal?: AbortSignal; kind?: string } = {},
): Promise<DocumentMetadata> {
  const form = new FormData();
  form.append("name", input.name);
  form.append("type", input.type);
  if (input.description !== undefined && input.description !== null) {
    form.append("description", input.description);
  }
  form.append("content", blobOf(input.content), "content");
  if (input.id !== undefined) form.append("id", input.id);
  if (input.isPrivate !== undefined) form.append("isPrivate", String(input.isPrivate));
  const kind = options.kind ?? "document";
  const response = await client.request<Response>({
    method: "POST",
    path: `${DOCUMENTS_API}/documents`,
    body: form,
    expect: "response",
    signal: options.signal,
    resource: { kind, name: input.name },
    existenceCheck: input.id === undefined
      ? undefined
      : () => documentExists(client, input.id!, options.signal),
  });
  let metadata = await metadataFrom(response);
  if (input.labels && input.labels.length > 0) {
    metadata = await patchDocument(client, metadata, { labels: input.labels }, options);
  }
  return metadata;
}

/** Whether a document with this id exists (any error but a 404 is thrown). */
export async function documentExists(
  client: PlatformClient,
  id: string,
  signal?: AbortSignal,
): Promise<boolean> {
  try {
    await getDocumentMetadata(client, id, { signal });
    return true;
  } catch (error) {
    if (error instanceof DtctlError && error.code === "not_found") return false;
    throw error;
  }
}

/**
 * Patches a document at the version it was read (`optimistic-locking-version`): if someone saved in between,
 * the server answers 409 and this throws `conflict`.
 */
export async function patchDocument(
  client: PlatformClient,
  current: { id: string; version?: unknown; name?: unknown; owner?: unknown },
  patch: DocumentPatch,
  options: { signal?: AbortSignal; kind?: string } = {},
): Promise<DocumentMetadata> {
  const form = new FormData();
  if (patch.name !== undefined) form.append("name", patch.name);
  if (patch.type !== undefined) form.append("type", patch.type);
  if (patch.description !== undefined) form.append("description", patch.description);
  if (patch.content !== undefined) form.append("content", blobOf(patch.content), "content");
  if (patch.isPrivate !== undefined) form.append("isPrivate", String(patch.isPrivate));
  for (const label of patch.labels ?? []) form.append("labels", label);
  const response = await client.request<Response>({
    method: "PATCH",
    path: `${DOCUMENTS_API}/documents/${enc(current.id)}`,
    query: { "optimistic-locking-version": documentVersion(current) },
    body: form,
    expect: "response",
    signal: options.signal,
    resource: ref(current, options.kind),
  });
  return await metadataFrom(response);
}

/** Moves a document to the trash, at the version it was read. */
export async function deleteDocument(
  client: PlatformClient,
  current: { id: string; version?: unknown; name?: unknown; owner?: unknown },
  options: { signal?: AbortSignal; kind?: string } = {},
): Promise<void> {
  await client.request({
    method: "DELETE",
    path: `${DOCUMENTS_API}/documents/${enc(current.id)}`,
    query: { "optimistic-locking-version": documentVersion(current) },
    signal: options.signal,
    resource: ref(current, options.kind),
  });
}

/** Lists the trash (what the caller owns or deleted), all pages, lazily. */
export function listTrash(
  client: PlatformClient,
  options: { type?: string; filter?: string; pageSize?: number; signal?: AbortSignal } = {},
): AsyncIterable<TrashedDocument> {
  const filter = andFilters(
    options.type === undefined ? undefined : `type == ${filterLiteral(options.type)}`,
    options.filter,
  );
  return client.paginate<TrashedDocument>({
    style: "page-key",
    path: `${DOCUMENTS_API}/trash/documents`,
    query: filter ? { filter } : {},
    pageSize: options.pageSize,
    itemsField: "documents",
    signal: options.signal,
    resource: { kind: "trash" },
  });
}

/** Reads a trashed document's details. */
export function getTrashedDocument(
  client: PlatformClient,
  id: string,
  signal?: AbortSignal,
): Promise<TrashedDocument> {
  return client.request<TrashedDocument>({
    path: `${DOCUMENTS_API}/trash/documents/${enc(id)}`,
    signal,
    resource: { kind: "trash", name: id },
  });
}

/** Restores a trashed document (same id and version). Judged by the safety guard as an update. */
export async function restoreTrashedDocument(
  client: PlatformClient,
  current: { id: string; name?: unknown; owner?: unknown },
  signal?: AbortSignal,
): Promise<void> {
  await client.request({
    method: "POST",
    path: `${DOCUMENTS_API}/trash/documents/${enc(current.id)}/restore`,
    operation: "update",
    signal,
    resource: ref(current, "trash"),
  });
}

/** Deletes a trashed document permanently. */
export async function purgeTrashedDocument(
  client: PlatformClient,
  current: { id: string; name?: unknown; owner?: unknown },
  signal?: AbortSignal,
): Promise<void> {
  await client.request({
    method: "DELETE",
    path: `${DOCUMENTS_API}/trash/documents/${enc(current.id)}`,
    signal,
    resource: ref(current, "trash"),
  });
}
