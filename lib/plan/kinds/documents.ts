/**
 * The document kinds (`Dashboard`, `Notebook`, `Document`) ⇄ the Document API, built by one factory.
 *
 * **Identity**: the custom document id of `documentId(stack, kind, name)` (see `common.ts`:
 * `dtctl-<stack>-<name>-<16 hex of sha256("<stack>/<kind>/<name>")>`); a raw Go-dtctl payload's custom
 * (non-UUID) `spec.id` is used as it is (the Go dtctl's identity); `dtctl.io/id` pins any existing id.
 *
 * **Canonical form** (both sides): `id`, `name`, `isPrivate`, `content` (parsed JSON, compared structurally),
 * plus `type` for `Document`, and `contentType` for text content;
 * - materialised defaults: `isPrivate: true` (the API's default; always sent), `contentType: text/plain` for
 *   string content; string content with a JSON `contentType` is parsed (it is stored and read back as JSON);
 * - empty means absent: `description` (the server answers `null`), `labels` (`[]`);
 * - dropped: `version`, `owner`, `modificationInfo`, `access`, `userContext`, `shareInfo`, `originAppId`,
 *   `originExtensionId`, `externalId`, `isReshareable`, and `type` of dashboards and notebooks (implied).
 *
 * @module
 */

import { DtctlError, isDtctlError } from "../../errors/mod.ts";
import { DOCUMENT_IGNORED_FIELDS } from "../../manifest/kinds.ts";
import type { Manifest } from "../../manifest/types.ts";
import { isJsonContentType, looksLikeDocumentId } from "../../resources/documents/kind.ts";
import { isUuid } from "../../resources/kinds/workflow_execution.ts";
import type { KindContext, ListOptions, RemoteObject, ResourceKind } from "../../resources/types.ts";
import type { Identity, ManagedKind } from "../adapter.ts";
import {
  documentId,
  idIdentity,
  type Json,
  type KIND_ORDER,
  kindsBefore,
  manifestError,
  pinnedIdOfForm,
  putIfPresent,
  readEachListed,
  readOrUndefined,
  resolveReferences,
  text,
} from "./common.ts";
import { slugName } from "./names.ts";

const SPEC_FIELDS = ["id", "name", "type", "description", "isPrivate", "labels", "content", "contentType"];

function isJsonType(type: unknown): boolean {
  return typeof type === "string" && isJsonContentType(type);
}

/** What distinguishes one managed document kind from another. */
export interface ManagedDocumentSpec {
  /** Manifest kind. */
  manifestKind: typeof KIND_ORDER[number];
  /** The registry kind. */
  resource: ResourceKind;
  /** The fixed document type (`dashboard`, `notebook`); absent for `Document` (any type but those two). */
  type?: string;
}

/** Document types with their own manifest kinds (a `Document` never exports them). */
const OWN_KIND_TYPES = ["dashboard", "notebook"];

/** Builds the managed kind of a document kind. */
export function defineManagedDocument(options: ManagedDocumentSpec): ManagedKind {
  const { manifestKind, resource } = options;
  const fixedType = options.type;

  /** The canonical form of document fields (spec or live object); `id` is set by the caller. */
  const canonical = (source: Json): Json => {
    const out: Json = { name: source.name };
    if (fixedType === undefined) out.type = source.type;
    putIfPresent(out, "description", source.description);
    out.isPrivate = typeof source.isPrivate === "boolean" ? source.isPrivate : true;
    putIfPresent(out, "labels", source.labels);
    out.content = source.content;
    if (typeof source.content === "string" && !isJsonType(source.contentType)) {
      out.contentType = typeof source.contentType === "string" && source.contentType !== ""
        ? source.contentType
        : "text/plain";
    }
    return out;
  };

  const checkSpec = (manifest: Manifest) => {
    for (const key of Object.keys(manifest.spec)) {
      if (!SPEC_FIELDS.includes(key) && !DOCUMENT_IGNORED_FIELDS.includes(key)) {
        throw manifestError(
          manifest,
          ["spec", key],
          `unknown field "${key}"; a ${manifestKind} spec has ${
            SPEC_FIELDS.filter((f) => f !== "id").join(", ")
          }`,
        );
      }
    }
    const labels = manifest.spec.labels;
    if (labels !== undefined && (!Array.isArray(labels) || labels.some((l) => typeof l !== "string"))) {
      throw manifestError(manifest, ["spec", "labels"], "spec.labels must be a list of strings");
    }
    if (manifest.spec.isPrivate !== undefined && typeof manifest.spec.isPrivate !== "boolean") {
      throw manifestError(manifest, ["spec", "isPrivate"], "spec.isPrivate must be true or false");
    }
  };

  return {
    manifestKind,
    resource,
    dependsOn: kindsBefore(manifestKind),

    identify(manifest: Manifest, stack: string): Identity {
      const pinned = pinnedIdOfForm(
        manifest,
        looksLikeDocumentId,
        (id) => `"${id}" is not a document id (1-100 characters of A-Z, a-z, 0-9 and -)`,
      );
      if (pinned !== undefined) return idIdentity(pinned);
      const given = manifest.spec.id;
      if (given !== undefined) {
        if (typeof given !== "string" || !looksLikeDocumentId(given) || isUuid(given)) {
          throw manifestError(
            manifest,
            ["spec", "id"],
            `spec.id must be a custom document id (1-100 characters of A-Z, a-z, 0-9 and -, not a UUID)`,
            "Remove spec.id: dtctl derives a portable id from the stack and metadata.name.",
          );
        }
        return idIdentity(given);
      }
      return idIdentity(documentId(stack, manifestKind, manifest.name));
    },

    find(context: KindContext, identity: Identity): Promise<RemoteObject | undefined> {
      return readOrUndefined(() => resource.get!(context, identity.id!));
    },

    desired(manifest, _stack, identity, references): RemoteObject {
      checkSpec(manifest);
      const spec = resolveReferences(manifest.spec, references);
      if (typeof spec.content === "string" && isJsonType(spec.contentType)) {
        // JSON given as text: the document holds the JSON value (and reads back parsed).
        try {
          spec.content = JSON.parse(spec.content);
        } catch (error) {
          throw manifestError(
            manifest,
            ["spec", "content"],
            `spec.contentType is ${text(spec.contentType)}, but spec.content is not JSON: ${
              (error as Error).message
            }`,
          );
        }
      }
      return { id: identity.id, ...canonical(spec) };
    },

    normalize: (live) => ({ id: live.id, ...canonical(live) }),

    version: (live) => text(live.version),
    idOf: (live) => text(live.id),

    async create(context, desired) {
      try {
        return await resource.create!(context, desired);
      } catch (error) {
        if (isDtctlError(error, "conflict")) {
          throw new DtctlError(
            "conflict",
            `${resource.name} id "${text(desired.id)}" is taken: ${error.message}`,
            {
              hint: `A deleted ${resource.name} keeps its id in the trash: restore it ` +
                `(dtctl restore trash ${text(desired.id)}) or delete it for good (dtctl delete trash ${
                  text(desired.id)
                }), then apply again.`,
              details: { ...error.details, kind: resource.name, id: desired.id },
              cause: error,
            },
          );
        }
        throw error;
      }
    },

    update: (context, live, desired) => resource.update!(context, live, desired),

    delete: (context, live) => resource.delete!(context, live),

    list(context: KindContext, options: ListOptions = {}): AsyncIterable<RemoteObject> {
      return readEachListed(
        resource.list!(context, { type: fixedType ?? options.type, owner: options.owner }),
        (item) =>
          fixedType === undefined && OWN_KIND_TYPES.includes(text(item.type))
            ? Promise.resolve(undefined)
            : resource.get!(context, text(item.id)),
      );
    },

    toManifest(live) {
      const spec = canonical(live);
      if (spec.isPrivate === true) delete spec.isPrivate;
      const name = slugName(live.name, options.type ?? "document", live.id);
      // JSON content goes beside the manifest (the file the UI exports stays diffable); text stays inline.
      if (typeof spec.content === "string") return { name, spec };
      const content = spec.content ?? null;
      delete spec.content;
      return { name, spec, content };
    },
  };
}
