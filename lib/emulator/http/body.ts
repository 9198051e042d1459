/**
 * Request-body readers that turn every malformed body into a 400 (or 415) instead of an exception.
 *
 * @module
 */

import { badRequest, bodyError, HttpError } from "./errors.ts";

/** Largest request body the emulator reads (document content is limited to 50 MB; multipart adds framing). */
export const MAX_BODY_BYTES = 60 * 1024 * 1024;

function contentType(request: Request): string {
  return (request.headers.get("content-type") ?? "").toLowerCase();
}

function checkLength(request: Request): void {
  const length = Number(request.headers.get("content-length") ?? "0");
  if (Number.isFinite(length) && length > MAX_BODY_BYTES) {
    throw new HttpError(413, `Request body exceeds ${MAX_BODY_BYTES} bytes.`);
  }
}

/**
 * The parsed JSON body. A declared non-JSON content type is a 415; an empty or unparsable body is a 400. A
 * missing content type is tolerated because several clients omit it on small bodies.
 */
export async function readJson(request: Request): Promise<unknown> {
  const type = contentType(request);
  if (type !== "" && !type.includes("json")) {
    const message = `Unsupported content type '${type}'; expected application/json.`;
    const mediaType = { "@type": "media-type", supportedMediaTypes: ["application/json"] };
    throw new HttpError(415, message, {
      details: mediaType,
      errorDetails: [{ ...mediaType, message }],
    });
  }
  checkLength(request);
  let text: string;
  try {
    text = await request.text();
  } catch {
    throw badRequest("The request body could not be read.", "body");
  }
  if (text.trim() === "") throw badRequest("A JSON request body is required.", "body");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(`Malformed JSON body: ${(error as Error).message}`, "body");
  }
}

/** The JSON body, which must be an object. */
export async function readJsonObject(request: Request): Promise<Record<string, unknown>> {
  const body = await readJson(request);
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw bodyError("The request body must be a JSON object.", "$");
  }
  return body as Record<string, unknown>;
}

/** The multipart/form-data body; anything else, or a broken multipart body, is a 400. */
export async function readMultipart(request: Request): Promise<FormData> {
  const type = contentType(request);
  if (!type.startsWith("multipart/form-data")) {
    throw badRequest(
      `Expected a multipart/form-data body, got '${type || "no content type"}'.`,
      "content-type",
    );
  }
  checkLength(request);
  try {
    return await request.formData();
  } catch (error) {
    throw badRequest(`Malformed multipart body: ${(error as Error).message}`, "body");
  }
}
