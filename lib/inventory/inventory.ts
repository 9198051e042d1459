/**
 * The inventory of a stack: which objects the stack manages, stored in the environment itself (as Helm keeps
 * its release records in the cluster), so that `--prune` can delete what left the repository and never touches
 * anything the stack did not create.
 *
 * It is one document of type {@link INVENTORY_DOCUMENT_TYPE} with the deterministic id
 * `dtctl-inventory-<stack>` and JSON content `{ stack, formatVersion, objects: [{kind, name, id, key}] }`,
 * objects sorted by kind and name. Writes use the document's optimistic locking: two applies of the same stack
 * at the same time cannot both write, the second gets a `conflict` instead of dropping the first one's entries.
 *
 * @module
 */

import type { PlatformClient } from "../client/mod.ts";
import { compareCodePoints } from "../diff/canonical.ts";
import { DtctlError, isDtctlError } from "../errors/mod.ts";
import { createDocument, documentVersion, getDocument, patchDocument } from "../resources/documents/api.ts";

/** Document type of inventory documents. */
export const INVENTORY_DOCUMENT_TYPE = "dtctl:inventory";

/** Format version of the inventory content this release reads and writes. */
export const INVENTORY_FORMAT_VERSION = 1;

/** One object the stack manages. */
export interface InventoryObject {
  /** Manifest kind, e.g. `Workflow`. */
  kind: string;
  /** `metadata.name`. */
  name: string;
  /** The server id of the object. */
  id: string;
  /** The identity key (`id=...`, `externalId=...`), as the adapter formats it. */
  key: string;
  /** The external id, for kinds found by external id. */
  externalId?: string;
}

/** The inventory as read: its objects and the document version writes must be based on. */
export interface Inventory {
  /** Stack name. */
  stack: string;
  /** Whether the inventory document exists (false: the stack never applied anything here). */
  exists: boolean;
  /** The document version (for optimistic locking); absent when it does not exist. */
  version?: number;
  /** The document's owner (the safety guard of `readwrite-mine` needs it). */
  owner?: string;
  /** Managed objects, sorted by kind and name. */
  objects: InventoryObject[];
}

/** The content of the inventory document. */
export interface InventoryContent {
  /** Stack name. */
  stack: string;
  /** {@link INVENTORY_FORMAT_VERSION}. */
  formatVersion: number;
  /** Managed objects, sorted by kind and name. */
  objects: InventoryObject[];
}

/** Options of the inventory functions. */
export interface InventoryOptions {
  /** Cancels the requests. */
  signal?: AbortSignal;
}

/** The id of a stack's inventory document. */
export function inventoryDocumentId(stack: string): string {
  return `dtctl-inventory-${stack}`;
}

/** `Kind/name` of an inventory object. */
export function inventoryLabel(object: Pick<InventoryObject, "kind" | "name">): string {
  return `${object.kind}/${object.name}`;
}

/** Sorts objects by kind, then name (code points), dropping later duplicates of the same kind and name. */
export function sortInventoryObjects(objects: readonly InventoryObject[]): InventoryObject[] {
  const seen = new Set<string>();
  const unique: InventoryObject[] = [];
  for (const object of objects) {
    const label = inventoryLabel(object);
    if (seen.has(label)) continue;
    seen.add(label);
    unique.push({
      kind: object.kind,
      name: object.name,
      id: object.id,
      key: object.key,
      ...(object.externalId === undefined ? {} : { externalId: object.externalId }),
    });
  }
  return unique.sort((a, b) => compareCodePoints(a.kind, b.kind) || compareCodePoints(a.name, b.name));
}

/** True when two object lists record the same objects (order-insensitive). */
export function sameInventoryObjects(a: readonly InventoryObject[], b: readonly InventoryObject[]): boolean {
  const x = sortInventoryObjects(a);
  const y = sortInventoryObjects(b);
  return x.length === y.length && x.every((object, i) => {
    const other = y[i];
    return object.kind === other.kind && object.name === other.name && object.id === other.id &&
      object.key === other.key && object.externalId === other.externalId;
  });
}

function corrupt(stack: string, problem: string): DtctlError {
  const id = inventoryDocumentId(stack);
  return new DtctlError("validation_error", `the inventory document "${id}" of stack "${stack}" ${problem}`, {
    hint: `It is written by dtctl apply; inspect it with \`dtctl get document ${id} -o yaml\`. ` +
      "If it was edited by hand, restore an earlier version (`dtctl history document " + id + "`).",
    details: { stack, document: id },
  });
}

/** Validates the content of an inventory document; throws `validation_error` naming what is wrong. */
export function parseInventoryContent(stack: string, content: unknown): InventoryObject[] {
  if (content === null || typeof content !== "object" || Array.isArray(content)) {
    throw corrupt(stack, "does not hold a JSON object");
  }
  const record = content as Record<string, unknown>;
  if (record.formatVersion !== INVENTORY_FORMAT_VERSION) {
    throw corrupt(
      stack,
      `has formatVersion ${
        JSON.stringify(record.formatVersion)
      }; this dtctl reads ${INVENTORY_FORMAT_VERSION}`,
    );
  }
  if (record.stack !== stack) {
    throw corrupt(stack, `belongs to stack ${JSON.stringify(record.stack)}`);
  }
  if (!Array.isArray(record.objects)) throw corrupt(stack, "has no objects list");
  return sortInventoryObjects(record.objects.map((item, i) => {
    const object = item as Record<string, unknown>;
    const text = (field: string) => typeof object?.[field] === "string" && object[field] !== "";
    if (!text("kind") || !text("name") || !text("id") || !text("key")) {
      throw corrupt(stack, `has an invalid entry at objects[${i}] (kind, name, id and key are required)`);
    }
    if (object.externalId !== undefined && typeof object.externalId !== "string") {
      throw corrupt(stack, `has an invalid externalId at objects[${i}]`);
    }
    return object as unknown as InventoryObject;
  }));
}

/**
 * Reads a stack's inventory. A missing document (HTTP 404) is an empty inventory; any other failure throws, so
 * an outage never looks like "nothing is managed".
 */
export async function readInventory(
  client: PlatformClient,
  stack: string,
  options: InventoryOptions = {},
): Promise<Inventory> {
  const id = inventoryDocumentId(stack);
  let data;
  try {
    data = await getDocument(client, id, { signal: options.signal, kind: "inventory" });
  } catch (error) {
    if (isDtctlError(error, "not_found")) return { stack, exists: false, objects: [] };
    throw error;
  }
  if (data.metadata.type !== INVENTORY_DOCUMENT_TYPE) {
    throw corrupt(stack, `has type "${data.metadata.type}", not ${INVENTORY_DOCUMENT_TYPE}`);
  }
  let content: unknown;
  try {
    content = JSON.parse(new TextDecoder().decode(data.content));
  } catch {
    throw corrupt(stack, "does not hold valid JSON");
  }
  return {
    stack,
    exists: true,
    version: documentVersion(data.metadata),
    ...(typeof data.metadata.owner === "string" ? { owner: data.metadata.owner } : {}),
    objects: parseInventoryContent(stack, content),
  };
}

/** The JSON text stored for a stack's objects (canonical: sorted objects, fixed key order, final newline). */
export function inventoryText(stack: string, objects: readonly InventoryObject[]): string {
  const content: InventoryContent = {
    stack,
    formatVersion: INVENTORY_FORMAT_VERSION,
    objects: sortInventoryObjects(objects),
  };
  return `${JSON.stringify(content, null, 2)}\n`;
}

function conflict(stack: string, cause: unknown): DtctlError {
  const id = inventoryDocumentId(stack);
  return new DtctlError(
    "conflict",
    `the inventory of stack "${stack}" (document ${id}) was changed by someone else during this apply ` +
      "(another apply of the same stack?); it was not overwritten",
    {
      hint: "Run the apply again: it finds every object it created and records them.",
      details: { stack, document: id },
      cause,
    },
  );
}

/** A create refused although no inventory is readable: the id is taken by a trashed or unreadable document. */
function heldId(stack: string, cause: unknown): DtctlError {
  const id = inventoryDocumentId(stack);
  return new DtctlError(
    "conflict",
    `the inventory of stack "${stack}" cannot be created: the document id ${id} is taken by a document that ` +
      "cannot be read (in the trash, or private to another user)",
    {
      hint: `Restore it with \`dtctl restore trash ${id}\`, or ask its owner to share it.`,
      details: { stack, document: id },
      cause,
    },
  );
}

/** Failures after which a write may or may not have happened. */
function ambiguous(error: unknown): boolean {
  return isDtctlError(error, "server_error") || isDtctlError(error, "network_error") ||
    isDtctlError(error, "timeout");
}

/**
 * Writes a stack's inventory at the version `base` was read: creates the document when `base` does not exist,
 * else patches it with `optimistic-locking-version`. Somebody else's write in between is a `conflict`, never
 * overwritten. After an ambiguous failure (5xx, lost connection) or a conflict, the document is read again: if it
 * already holds exactly these objects (our write landed) that is success; if it is still at `base` the write is
 * sent again (at most three attempts). Returns the inventory as written.
 */
export async function writeInventory(
  client: PlatformClient,
  base: Inventory,
  objects: readonly InventoryObject[],
  options: InventoryOptions = {},
): Promise<Inventory> {
  const { stack } = base;
  const id = inventoryDocumentId(stack);
  const sorted = sortInventoryObjects(objects);
  const content = { data: inventoryText(stack, sorted), type: "application/json" };
  let current = base;
  for (let attempt = 1;; attempt++) {
    try {
      let written: { version?: unknown; owner?: unknown };
      if (!current.exists) {
        const created = await createDocument(client, {
          id,
          name: `dtctl inventory: ${stack}`,
          type: INVENTORY_DOCUMENT_TYPE,
          description: `Objects managed by the dtctl stack "${stack}". Written by dtctl apply; do not edit.`,
          // Readable by everyone in the environment, so a colleague's or CI's apply sees the same inventory.
          isPrivate: false,
          content,
        }, { signal: options.signal, kind: "inventory" });
        written = created;
      } else {
        written = await patchDocument(
          client,
          { id, version: current.version, name: `dtctl inventory: ${stack}`, owner: current.owner },
          { content },
          { signal: options.signal, kind: "inventory" },
        );
      }
      return {
        stack,
        exists: true,
        version: documentVersion(written),
        ...(typeof written.owner === "string" ? { owner: written.owner } : {}),
        objects: sorted,
      };
    } catch (error) {
      const isConflict = isDtctlError(error, "conflict");
      if (!isConflict && !ambiguous(error)) throw error;
      let fresh: Inventory;
      try {
        fresh = await readInventory(client, stack, options);
      } catch {
        throw isConflict ? conflict(stack, error) : error;
      }
      if (fresh.exists && sameInventoryObjects(fresh.objects, sorted)) return fresh;
      const untouched = fresh.exists === current.exists && fresh.version === current.version;
      if (!untouched) throw conflict(stack, error);
      if (isConflict && !fresh.exists) throw heldId(stack, error);
      if (attempt >= 3) throw error;
      current = fresh;
    }
  }
}
