/**
 * Multipart reading of document writes and the multipart response of `GET /documents/{id}`.
 *
 * @module
 */

import { badRequest, HttpError } from "../../http/errors.ts";

/**
 * Boundary of multipart responses. Fixed, as the platform's is; long and random-looking enough never to occur
 * in document content.
 */
export const RESPONSE_BOUNDARY = "dtctl-emulator-7d3f9a1c5e2b48f6";

/** Largest document content (50 MB). */
export const MAX_CONTENT_BYTES = 50 * 1024 * 1024;

/** Uploaded content. */
export interface UploadedContent {
  /** The bytes. */
  bytes: Uint8Array;
  /** Their content type. */
  type: string;
}

/** A text part (a file part is read as text); `undefined` when absent. */
export async function textPart(
  form: FormData,
  name: string,
  rule: { required?: boolean; max?: number; min?: number } = {},
): Promise<string | undefined> {
  const value = form.get(name);
  if (value === null) {
    if (rule.required) throw badRequest(`Multipart part '${name}' is required.`, name);
    return undefined;
  }
  const text = typeof value === "string" ? value : await value.text();
  if (rule.min !== undefined && text.length < rule.min) {
    throw badRequest(`'${name}' must have at least ${rule.min} characters.`, name);
  }
  if (rule.max !== undefined && text.length > rule.max) {
    throw badRequest(`'${name}' must have at most ${rule.max} characters.`, name);
  }
  return text;
}

/** A boolean text part (`true`/`false`); `undefined` when absent. */
export async function booleanPart(form: FormData, name: string): Promise<boolean | undefined> {
  const text = await textPart(form, name);
  if (text === undefined) return undefined;
  if (text === "true" || text === "false") return text === "true";
  throw badRequest(`'${name}' must be 'true' or 'false'.`, name);
}

/** The `content` part: a file part keeps its type; a text part is taken as UTF-8 JSON or text. */
export async function contentPart(form: FormData, required: boolean): Promise<UploadedContent | undefined> {
  const value = form.get("content");
  if (value === null) {
    if (required) throw badRequest("Multipart part 'content' is required.", "content");
    return undefined;
  }
  if (typeof value === "string") {
    let type = "text/plain";
    try {
      JSON.parse(value);
      type = "application/json";
    } catch {
      // Not JSON: keep text/plain.
    }
    return { bytes: new TextEncoder().encode(value), type };
  }
  if (value.size > MAX_CONTENT_BYTES) {
    throw new HttpError(413, `Document content exceeds ${MAX_CONTENT_BYTES} bytes.`);
  }
  // The type is echoed in a response header later, so anything that is not a plain header value is dropped.
  const type = /^[\x21-\x7e][\x20-\x7e]*$/.test(value.type) ? value.type : "application/octet-stream";
  return { bytes: new Uint8Array(await value.arrayBuffer()), type };
}

function quoted(value: string): string {
  return value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replace(/[\r\n]/g, " ");
}

/**
 * The multipart body of `GET /documents/{id}`: a `metadata` part without filename (the SDK parses it as JSON
 * text) and a `content` part with one (the SDK reads it as binary), CRLF line endings.
 */
export function documentMultipart(
  metadata: unknown,
  content: Uint8Array,
  contentType: string,
  filename: string,
): Response {
  const encoder = new TextEncoder();
  const head = encoder.encode(
    `--${RESPONSE_BOUNDARY}\r\n` +
      `Content-Disposition: form-data; name="metadata"\r\n` +
      `Content-Type: application/json\r\n\r\n` +
      `${JSON.stringify(metadata)}\r\n` +
      `--${RESPONSE_BOUNDARY}\r\n` +
      `Content-Disposition: form-data; name="content"; filename="${quoted(filename)}"\r\n` +
      `Content-Type: ${contentType}\r\n\r\n`,
  );
  const tail = encoder.encode(`\r\n--${RESPONSE_BOUNDARY}--\r\n`);
  const body = new Uint8Array(head.length + content.length + tail.length);
  body.set(head, 0);
  body.set(content, head.length);
  body.set(tail, head.length + content.length);
  return new Response(body, {
    status: 200,
    headers: { "content-type": `multipart/form-data;boundary=${RESPONSE_BOUNDARY}` },
  });
}

/** Raw content with its stored type, as `GET /documents/{id}/content` answers. */
export function contentResponse(
  content: Uint8Array<ArrayBuffer>,
  contentType: string,
  filename: string,
): Response {
  return new Response(content, {
    status: 200,
    headers: {
      "content-type": contentType,
      "content-disposition": `attachment; filename="${quoted(filename)}"`,
    },
  });
}
