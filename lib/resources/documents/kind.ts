/**
 * One factory for the document kinds (`dashboard`, `notebook`, `document`): the objects are document metadata
 * plus the content (parsed JSON when its type is JSON, else text with its `contentType`), writes are multipart
 * patches at the read version, deletes go to the trash.
 *
 * @module
 */

import { semanticEqual as sameJson } from "../../diff/mod.ts";
import { DtctlError, usageError } from "../../errors/mod.ts";
import type { DescribeSection, KindContext, ListOptions, RemoteObject, ResourceKind } from "../types.ts";
import {
  andFilters,
  createDocument,
  deleteDocument,
  type DocumentContent,
  type DocumentData,
  type DocumentMetadata,
  type DocumentPatch,
  filterLiteral,
  getDocument,
  getDocumentMetadata,
  listDocuments,
  patchDocument,
} from "./api.ts";
import { str } from "../kinds/text.ts";

/** A document object as the document kinds return it: metadata and content. */
export interface DocumentObject extends DocumentMetadata {
  /** Parsed JSON content, or text for non-JSON content (absent in list results). */
  content?: unknown;
  /** The stored content type, present only for non-JSON content. */
  contentType?: string;
}

/** What distinguishes one document kind from another. */
export interface DocumentKindSpec {
  /** Singular name, e.g. `dashboard`. */
  name: string;
  /** Plural. */
  plural: string;
  /** Other names. */
  aliases: string[];
  /** One line for help. */
  description: string;
  /** Manifest `kind:`. */
  manifestKind?: string;
  /** The document type every object of the kind has; absent = any type (`--type` filters). */
  type?: string;
  /** Content of a new document created without one. */
  emptyContent?: unknown;
  /** The app URL of a document, e.g. `${environment}/ui/apps/dynatrace.dashboards/dashboard/${id}`. */
  appUrl?(environment: string, id: string): string;
  /** Describe sections derived from the content (tiles, notebook sections). */
  contentSections?(content: unknown): DescribeSection[];
}

/** Document ids the Document API accepts: user-given `[A-Za-z0-9-]{1,100}` or generated UUIDs. */
export const DOCUMENT_ID_PATTERN = /^[A-Za-z0-9-]{1,100}$/;

/** True when `text` has the form of a document id ({@link DOCUMENT_ID_PATTERN}). */
export function looksLikeDocumentId(text: string): boolean {
  return DOCUMENT_ID_PATTERN.test(text);
}

/** Fields of document metadata the server manages. */
export const DOCUMENT_SERVER_FIELDS = [
  "version",
  "owner",
  "modificationInfo",
  "access",
  "originAppId",
  "originExtensionId",
  "shareInfo",
  "userContext",
  "externalId",
  "isReshareable",
];

/** True for JSON media types (`application/json`, `application/vnd.x+json; charset=utf-8`, ...). */
export function isJsonContentType(type: string): boolean {
  return /(^|\/|\+)json\b/i.test(type.split(";")[0].trim());
}

/** A document object from metadata and content: JSON content parsed, other content as text. */
export function documentObject(data: DocumentData): DocumentObject {
  const text = new TextDecoder().decode(data.content);
  if (isJsonContentType(data.contentType)) {
    try {
      return { ...data.metadata, content: JSON.parse(text) };
    } catch {
      // Content labelled JSON that does not parse is shown as the text it is.
    }
  }
  return { ...data.metadata, content: text, contentType: data.contentType };
}

/** The upload form of an object's `content`: objects as JSON, strings as text of their content type. */
export function contentUpload(content: unknown, contentType?: unknown): DocumentContent {
  if (typeof content === "string" && !(typeof contentType === "string" && isJsonContentType(contentType))) {
    return {
      data: content,
      type: typeof contentType === "string" && contentType ? contentType : "text/plain",
    };
  }
  return { data: JSON.stringify(content), type: "application/json" };
}

function invalid(kind: string, message: string, field: string): DtctlError {
  return new DtctlError("validation_error", `${kind}: ${message}`, {
    hint: "Fix the field and try again.",
    details: { kind, field },
  });
}

function labelMatches(labels: unknown, selector: string): boolean {
  if (!Array.isArray(labels)) return false;
  const eq = selector.indexOf("=");
  return labels.some((label) => {
    if (typeof label !== "string") return false;
    if (eq === -1) {
      return label === selector || label.startsWith(`${selector}=`) || label.startsWith(`${selector}:`);
    }
    const key = selector.slice(0, eq);
    const value = selector.slice(eq + 1);
    return label === `${key}=${value}` || label === `${key}:${value}`;
  });
}

function stringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

function modification(doc: RemoteObject, who: string, when: string): string {
  const info = doc.modificationInfo as Record<string, unknown> | undefined;
  if (!info) return "";
  const by = str(info[who]);
  const at = str(info[when]);
  return [at, by ? `by ${by}` : ""].filter(Boolean).join(" ");
}

/** Builds the {@link ResourceKind} of a document kind. */
export function defineDocumentKind(spec: DocumentKindSpec): ResourceKind {
  const kindName = spec.name;
  const fixedType = spec.type;
  const opts = (context: KindContext) => ({ signal: context.signal, kind: kindName });

  const checkType = (metadata: DocumentMetadata, id: string) => {
    if (fixedType !== undefined && metadata.type !== fixedType) {
      throw new DtctlError(
        "not_found",
        `${kindName} "${id}" not found: document "${id}" is a ${metadata.type}`,
        {
          hint: `read it with: dtctl get document ${id}`,
          details: { kind: kindName, name: id, type: metadata.type },
        },
      );
    }
  };

  const getFull = async (context: KindContext, id: string): Promise<DocumentObject> => {
    const data = await getDocument(context.client, id, opts(context));
    checkType(data.metadata, id);
    return documentObject(data);
  };

  const typeOf = (payload: RemoteObject): string => {
    const given = payload.type;
    if (given !== undefined && typeof given !== "string") {
      throw invalid(kindName, '"type" must be a string', "type");
    }
    if (fixedType !== undefined) {
      if (given !== undefined && given !== fixedType) {
        throw invalid(
          kindName,
          `"type" is always "${fixedType}" (got "${given}"); use kind document for other types`,
          "type",
        );
      }
      return fixedType;
    }
    if (!given) throw invalid(kindName, 'a "type" is required, e.g. type: launchpad', "type");
    return given;
  };

  const columns: ResourceKind["columns"] = [
    { header: "id", value: (o) => str(o.id) },
    { header: "name", value: (o) => str(o.name) },
    ...(fixedType === undefined ? [{ header: "type", value: (o: RemoteObject) => str(o.type) }] : []),
    { header: "version", value: (o) => str(o.version) },
    { header: "private", value: (o) => str(o.isPrivate) },
    { header: "owner", value: (o) => str(o.owner), wide: true },
    {
      header: "modified",
      value: (o) => str((o.modificationInfo as Record<string, unknown> | undefined)?.lastModifiedTime),
      wide: true,
    },
    { header: "labels", value: (o) => (Array.isArray(o.labels) ? o.labels.join(",") : ""), wide: true },
    { header: "description", value: (o) => str(o.description), wide: true },
  ];

  const kind: ResourceKind = {
    name: kindName,
    plural: spec.plural,
    aliases: spec.aliases,
    description: spec.description,
    ...(spec.manifestKind ? { manifestKind: spec.manifestKind } : {}),
    idField: "id",
    nameField: "name",
    looksLikeId: looksLikeDocumentId,
    serverFields: DOCUMENT_SERVER_FIELDS,
    locking: "version-param",
    softDelete: true,
    owner: (object) => (typeof object.owner === "string" ? object.owner : undefined),
    columns,
    // Kinds of one fixed type (dashboards, notebooks) have no --type to choose.
    listFlags: fixedType === undefined ? ["owner", "type", "labels"] : ["owner", "labels"],
    filter: {
      style: "grammar",
      help:
        "the Documents API filter, e.g. \"name contains 'prod'\" or \"owner == 'ID' and name starts-with 'x'\"",
    },

    list(context: KindContext, options: ListOptions): AsyncIterable<RemoteObject> {
      if (fixedType !== undefined && options.type !== undefined && options.type !== fixedType) {
        throw usageError(
          `${spec.plural} are documents of type "${fixedType}"; --type ${options.type} does not apply`,
          {
            hint: `list documents of any type with: dtctl get documents --type ${options.type}`,
            details: { flag: "--type", value: options.type },
          },
        );
      }
      const labels = options.labels ?? [];
      const items = listDocuments(context.client, {
        type: fixedType ?? options.type,
        owner: options.owner,
        filter: options.filter,
        pageSize: options.chunkSize,
        addFields: ["description", "labels"],
        signal: context.signal,
      });
      return (async function* () {
        for await (const item of items) {
          if (labels.every((selector) => labelMatches(item.labels, selector))) yield item;
        }
      })();
    },

    get: (context, id) => getFull(context, id),

    async create(context, payload) {
      const name = payload.name;
      if (typeof name !== "string" || name.trim() === "") {
        throw invalid(kindName, 'a "name" is required', "name");
      }
      const type = typeOf(payload);
      const content = payload.content ?? spec.emptyContent;
      if (content === undefined) throw invalid(kindName, 'a "content" is required', "content");
      if (payload.id !== undefined && typeof payload.id !== "string") {
        throw invalid(kindName, '"id" must be a string', "id");
      }
      if (payload.isPrivate !== undefined && typeof payload.isPrivate !== "boolean") {
        throw invalid(kindName, '"isPrivate" must be true or false', "isPrivate");
      }
      if (payload.labels !== undefined && !stringArray(payload.labels)) {
        throw invalid(kindName, '"labels" must be a list of strings', "labels");
      }
      const upload = contentUpload(content, payload.contentType);
      const metadata = await createDocument(context.client, {
        name,
        type,
        content: upload,
        description: typeof payload.description === "string" ? payload.description : undefined,
        id: payload.id as string | undefined,
        isPrivate: payload.isPrivate as boolean | undefined,
        labels: payload.labels as string[] | undefined,
      }, opts(context));
      return {
        ...metadata,
        content,
        ...(upload.type === "application/json" ? {} : { contentType: upload.type }),
      };
    },

    async update(context, current, payload) {
      const id = String(current.id);
      const full: RemoteObject = current.content === undefined ? await getFull(context, id) : current;
      const patch: DocumentPatch = {};
      if (payload.name !== undefined) {
        if (typeof payload.name !== "string" || payload.name.trim() === "") {
          throw invalid(kindName, '"name" must be a non-empty string', "name");
        }
        if (payload.name !== full.name) patch.name = payload.name;
      }
      if (fixedType === undefined && payload.type !== undefined) {
        const type = typeOf(payload);
        if (type !== full.type) patch.type = type;
      } else if (fixedType !== undefined) {
        typeOf(payload);
      }
      const description = payload.description ?? "";
      if (typeof description !== "string") {
        throw invalid(kindName, '"description" must be a string', "description");
      }
      if (description !== str(full.description)) patch.description = description;
      if (payload.isPrivate !== undefined) {
        if (typeof payload.isPrivate !== "boolean") {
          throw invalid(kindName, '"isPrivate" must be true or false', "isPrivate");
        }
        if (payload.isPrivate !== full.isPrivate) patch.isPrivate = payload.isPrivate;
      }
      const labels = payload.labels ?? [];
      if (!stringArray(labels)) throw invalid(kindName, '"labels" must be a list of strings', "labels");
      if (!sameJson(labels, full.labels ?? [])) {
        if (labels.length === 0) {
          throw invalid(
            kindName,
            "the Document API cannot remove the last label; keep at least one",
            "labels",
          );
        }
        patch.labels = labels;
      }
      let content = full.content;
      if (payload.content !== undefined && !sameJson(payload.content, full.content)) {
        content = payload.content;
        patch.content = contentUpload(payload.content, payload.contentType ?? full.contentType);
      }
      if (Object.keys(patch).length === 0) return full;
      const metadata = await patchDocument(context.client, full as DocumentMetadata, patch, opts(context));
      const upload = patch.content;
      const contentType = upload
        ? (upload.type === "application/json" ? undefined : upload.type)
        : full.contentType;
      return { ...metadata, content, ...(contentType ? { contentType } : {}) };
    },

    async delete(context, current) {
      const target = current.version === undefined
        ? await getDocumentMetadata(context.client, String(current.id), opts(context))
        : current as DocumentMetadata;
      await deleteDocument(context.client, target, opts(context));
    },

    toEditable(object) {
      const editable: RemoteObject = { id: object.id, name: object.name };
      if (fixedType === undefined) editable.type = object.type;
      if (typeof object.description === "string" && object.description !== "") {
        editable.description = object.description;
      }
      if (typeof object.isPrivate === "boolean") editable.isPrivate = object.isPrivate;
      if (Array.isArray(object.labels) && object.labels.length > 0) editable.labels = object.labels;
      if (object.contentType !== undefined) editable.contentType = object.contentType;
      if (object.content !== undefined) editable.content = object.content;
      return editable;
    },

    nameQuery: (name, options) => ({
      ...options,
      filter: andFilters(options.filter, `name == ${filterLiteral(name)}`),
    }),

    describe(context, object) {
      const id = str(object.id);
      const fields: [string, string][] = [];
      if (spec.appUrl) fields.push(["URL", spec.appUrl(context.client.environment, id)]);
      fields.push(["Created", modification(object, "createdBy", "createdTime")]);
      fields.push(["Modified", modification(object, "lastModifiedBy", "lastModifiedTime")]);
      const share = object.shareInfo as Record<string, unknown> | undefined;
      if (share) fields.push(["Shared", str(share.isShared)]);
      if (object.contentType !== undefined) fields.push(["Content type", str(object.contentType)]);
      const sections: DescribeSection[] = [{ title: "Document", fields }];
      if (object.content !== undefined && spec.contentSections) {
        sections.push(...spec.contentSections(object.content));
      }
      return Promise.resolve(sections);
    },
  };
  return kind;
}
