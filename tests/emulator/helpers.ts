/**
 * Shared helpers of the emulator tests: request builders and assertions on error envelopes.
 *
 * @module
 */

import assert from "node:assert/strict";
import type { Emulator } from "../../lib/emulator/handler.ts";

/** The token every test request carries. */
export const TOKEN = "dt0s16.TEST";
/** Base URL of in-process requests (any host works: the emulator routes on the path). */
export const BASE = "http://emulator.test";
/** Document service base path. */
export const DOCS = "/platform/document/v1";
/** Filter-segment service base path. */
export const SEGMENTS = "/platform/storage/filter-segments/v1/filter-segments";
/** Bucket service base path. */
export const BUCKETS = "/platform/storage/management/v1/bucket-definitions";

/** Options of {@link call}. */
export interface CallOptions {
  /** JSON body (serialised) or a ready body (FormData, string). */
  body?: unknown;
  /** Extra headers; `Authorization` defaults to the test token (pass `null` to omit it). */
  headers?: Record<string, string | null>;
}

/** Sends one request to an in-process emulator. */
export function call(
  em: Emulator,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Response> {
  const headers = new Headers();
  const given = Object.entries(options.headers ?? {}).find(([key]) => key.toLowerCase() === "authorization");
  if (!given) headers.set("authorization", `Bearer ${TOKEN}`);
  else if (given[1] !== null) headers.set("authorization", given[1]);
  for (const [key, value] of Object.entries(options.headers ?? {})) {
    if (value !== null && key.toLowerCase() !== "authorization") headers.set(key, value);
  }
  let body: BodyInit | undefined;
  if (options.body instanceof FormData || typeof options.body === "string") body = options.body;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  return em.handle(new Request(`${BASE}${path}`, { method, headers, body }));
}

/** Sends a request and parses the JSON answer. */
export async function callJson<T = Record<string, unknown>>(
  em: Emulator,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<{ status: number; body: T; headers: Headers }> {
  const response = await call(em, method, path, options);
  const text = await response.text();
  return {
    status: response.status,
    body: (text === "" ? undefined : JSON.parse(text)) as T,
    headers: response.headers,
  };
}

/** Fields of a document-create multipart body. */
export interface DocumentForm {
  name?: string;
  type?: string;
  description?: string;
  content?: unknown;
  contentType?: string;
  id?: string;
  externalId?: string;
  isPrivate?: boolean;
}

/** A multipart body as the SDK builds it (text parts, then the `content` file part). */
export function documentForm(fields: DocumentForm): FormData {
  const form = new FormData();
  if (fields.name !== undefined) form.append("name", fields.name);
  if (fields.type !== undefined) form.append("type", fields.type);
  if (fields.description !== undefined) form.append("description", fields.description);
  if (fields.content !== undefined) {
    const text = typeof fields.content === "string" ? fields.content : JSON.stringify(fields.content);
    form.append("content", new Blob([text], { type: fields.contentType ?? "application/json" }), "binary");
  }
  if (fields.id !== undefined) form.append("id", fields.id);
  if (fields.externalId !== undefined) form.append("externalId", fields.externalId);
  if (fields.isPrivate !== undefined) form.append("isPrivate", String(fields.isPrivate));
  return form;
}

/** Creates a document and returns its metadata (asserting 201). */
export async function createDocument(
  em: Emulator,
  fields: DocumentForm,
  headers?: Record<string, string | null>,
): Promise<Record<string, unknown>> {
  const { status, body } = await callJson(em, "POST", `${DOCS}/documents`, {
    body: documentForm({ name: "doc", type: "notebook", content: { version: "7", sections: [] }, ...fields }),
    headers,
  });
  assert.equal(status, 201, JSON.stringify(body));
  return body;
}

/** Asserts a platform-family error envelope with the given status. */
export function assertPlatformError(body: unknown, status: number): void {
  const error = (body as { error?: Record<string, unknown> }).error;
  assert.ok(error, `expected an error envelope, got ${JSON.stringify(body)}`);
  assert.equal(error.code, status);
  assert.equal(typeof error.message, "string");
  assert.equal(typeof (error.details as Record<string, unknown>)?.errorRef, "string");
}

/** Asserts a storage-family error envelope with the given status. */
export function assertStorageError(body: unknown, status: number): void {
  const error = (body as { error?: Record<string, unknown> }).error;
  assert.ok(error, `expected an error envelope, got ${JSON.stringify(body)}`);
  assert.equal(error.code, status);
  assert.equal(typeof error.message, "string");
  assert.ok(Array.isArray(error.errorDetails), "storage errors carry an errorDetails array");
}

/** A clock tests move by hand. */
export class ManualClock {
  /** Current time, epoch ms. */
  time: number;
  /** Starts at `start`. */
  constructor(start = Date.parse("2025-06-01T12:00:00.000Z")) {
    this.time = start;
  }
  /** The current time. */
  now(): number {
    return this.time;
  }
  /** Moves the clock forward. */
  advance(ms: number): void {
    this.time += ms;
  }
}
