/**
 * Parser for `multipart/form-data` responses (document GET returns `metadata` + `content` parts).
 *
 * `Response.formData()` would do, except that it throws opaque errors on anything slightly off and turns parts
 * into `File`s or strings by its own rules; a document's content must come back byte-exact, and a malformed
 * response must become a clear error, not a crash.
 *
 * @module
 */

import { DtctlError } from "../errors/mod.ts";

/** One part of a multipart body. */
export interface MultipartPart {
  /** The `name` of its Content-Disposition. */
  name: string;
  /** The `filename`, when present (the document `content` part has one, `metadata` has none). */
  filename?: string;
  /** The part's Content-Type, when present. */
  contentType?: string;
  /** The part's bytes, exactly as sent. */
  data: Uint8Array;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function malformed(problem: string): DtctlError {
  return new DtctlError("server_error", `Malformed multipart response: ${problem}.`, {
    hint:
      "The server (or a proxy in between) returned a broken response; retry, and report it if it persists.",
    userError: true,
  });
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0];
  const last = haystack.length - needle.length;
  for (let i = haystack.indexOf(first, from); i !== -1 && i <= last; i = haystack.indexOf(first, i + 1)) {
    let j = 1;
    while (j < needle.length && haystack[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

/** The boundary parameter of a multipart Content-Type, quoted or not. */
function boundaryOf(contentType: string): string {
  const match = /;\s*boundary\s*=\s*(?:"([^"]+)"|([^;,\s]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!/^multipart\//i.test(contentType.trim())) {
    throw malformed(`expected a multipart Content-Type, got "${contentType}"`);
  }
  if (!boundary) throw malformed(`no boundary in Content-Type "${contentType}"`);
  return boundary;
}

/** A header parameter (`name="x"` or `name=x`); `filename*` and the like are not matched. */
function param(header: string, key: string): string | undefined {
  const re = new RegExp(`(?:^|;)\\s*${key}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;]*))`, "i");
  const match = re.exec(header);
  if (!match) return undefined;
  return match[1] !== undefined ? match[1].replace(/\\(.)/g, "$1") : match[2].trim();
}

/**
 * Splits a multipart body into its parts.
 *
 * Follows RFC 2046 with CRLF line breaks, and also accepts bare LF, which some proxies produce. Preamble and
 * epilogue are ignored.
 *
 * @throws DtctlError `server_error` ("malformed multipart response") when the body does not match its
 * Content-Type: no boundary, no closing delimiter, a part without headers or without a name.
 */
export function parseMultipart(body: Uint8Array, contentType: string): MultipartPart[] {
  const boundary = boundaryOf(contentType);
  const dashBoundary = encoder.encode(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let pos = indexOf(body, dashBoundary, 0);
  if (pos === -1) throw malformed(`boundary "${boundary}" not found in the body`);
  // The first delimiter may start the body or follow a preamble line; later ones must start a line.
  if (pos > 0 && body[pos - 1] !== 0x0a) throw malformed("the first boundary does not start a line");
  for (;;) {
    pos += dashBoundary.length;
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) return parts; // "--": close delimiter
    // Skip transport padding, then the line break that ends the delimiter line.
    while (body[pos] === 0x20 || body[pos] === 0x09) pos++;
    if (body[pos] === 0x0d) pos++;
    if (body[pos] !== 0x0a) throw malformed("a boundary line is not followed by a line break");
    pos++;
    // Headers end at an empty line (CRLF CRLF, or LF LF); a part may have no headers at all.
    let headerEnd = -1;
    let bodyStart = -1;
    if (body[pos] === 0x0a) {
      headerEnd = pos;
      bodyStart = pos + 1;
    } else if (body[pos] === 0x0d && body[pos + 1] === 0x0a) {
      headerEnd = pos;
      bodyStart = pos + 2;
    } else {
      for (let i = body.indexOf(0x0a, pos); i !== -1; i = body.indexOf(0x0a, i + 1)) {
        if (body[i + 1] === 0x0a) {
          headerEnd = i;
          bodyStart = i + 2;
          break;
        }
        if (body[i + 1] === 0x0d && body[i + 2] === 0x0a) {
          headerEnd = i;
          bodyStart = i + 3;
          break;
        }
      }
    }
    if (headerEnd === -1) throw malformed("a part has no end of headers");
    const headers = new Map<string, string>();
    for (const line of decoder.decode(body.subarray(pos, headerEnd)).split(/\r?\n/)) {
      if (line.trim() === "") continue;
      const colon = line.indexOf(":");
      if (colon <= 0) throw malformed(`invalid part header line "${line.slice(0, 80)}"`);
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    // Searching from the header terminator's own line feed accepts an empty part written without the CRLF that
    // should precede the next delimiter.
    const next = indexOf(body, encoder.encode(`\n--${boundary}`), bodyStart - 1);
    if (next === -1) throw malformed("the closing boundary is missing (truncated response?)");
    const dataEnd = body[next - 1] === 0x0d ? next - 1 : next;
    const disposition = headers.get("content-disposition");
    const name = disposition === undefined ? undefined : param(disposition, "name");
    if (name === undefined) throw malformed("a part has no Content-Disposition name");
    const filename = disposition === undefined ? undefined : param(disposition, "filename");
    const partType = headers.get("content-type");
    parts.push({
      name,
      ...(filename === undefined ? {} : { filename }),
      ...(partType === undefined ? {} : { contentType: partType }),
      data: body.slice(bodyStart, Math.max(dataEnd, bodyStart)),
    });
    pos = next + 1;
  }
}
