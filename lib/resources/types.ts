/**
 * The resource registry's contract: each kind (workflow, dashboard, slo, ...) is described once by a
 * {@link ResourceKind}; every verb (get, describe, create, edit, delete, ...) and every printer works
 * generically over that description, as kubectl's REST mapping does. A verb never switches on the kind.
 *
 * @module
 */

import type { PlatformClient } from "../client/mod.ts";

/** A remote object as the API returns it (JSON). */
export type RemoteObject = Record<string, unknown>;

/** What every kind operation receives. */
export interface KindContext {
  /** The platform client of the selected context (safety guard included). */
  client: PlatformClient;
  /** Cancels long operations (watch, waits). */
  signal?: AbortSignal;
}

/** Options of {@link ResourceKind.list}. */
export interface ListOptions {
  /** Page size per request (`--chunk-size`); the kind's API default when absent. */
  chunkSize?: number;
  /** Only objects owned by this user id (`--owner`; "me" is resolved by the verb). */
  owner?: string;
  /** A kind-specific sub-type (`--type`, e.g. a document type or a settings schema id). */
  type?: string;
  /** A server-side filter expression in the kind's API grammar (`--filter`). */
  filter?: string;
  /** Label selectors `key` or `key=value` (`--label`, repeatable). */
  labels?: string[];
  /** Extra kind-specific arguments, e.g. `{ workflow: id }` for executions or `{ scope }` for settings. */
  extra?: Record<string, string>;
}

/**
 * A list option a kind can honour ({@link ResourceKind.listFlags}), named after its CLI flag: `owner`
 * (`--owner`), `type` (`--type`/`--schema`), `labels` (`-l/--label`), and the `extra` entries `scope`
 * (`--scope`), `workflow` (`--workflow`) and `state` (`--state`). `chunkSize` and `filter` are not among them:
 * every kind pages, and `--filter` has its own declaration ({@link ResourceKind.filter}).
 */
export type ListFlag = "owner" | "type" | "labels" | "scope" | "workflow" | "state";

/**
 * What `--filter` means for a kind. Kinds differ: some pass the text to their API's filter grammar (which checks
 * it), others only search names. A kind without one takes no `--filter` at all (a usage error, never ignored).
 */
export interface KindFilter {
  /**
   * `grammar`: the API's own filter language, passed on as is (the server rejects what it cannot parse).
   * `search`: a plain, case-insensitive text search; text that can only be meant as a filter expression
   * (operators, quotes around values, unbalanced parentheses) is refused, as it would silently match nothing.
   */
  style: "grammar" | "search";
  /** What the text means, with an example, for `dtctl get --help`. */
  help: string;
  /** A kind's own check of the text (throws a usage error), instead of the one its style implies. */
  check?(filter: string): void;
}

/** One column of the table and wide outputs. */
export interface KindColumn {
  /** Header (printed upper-case). */
  header: string;
  /** Cell text of an object. */
  value(object: RemoteObject): string;
  /** Only in `-o wide`. */
  wide?: boolean;
}

/** A titled block of the `describe` view. */
export interface DescribeSection {
  /** Section title, e.g. "Tasks" or "Last executions". */
  title: string;
  /** Key/value lines (`Name:  value`) or a nested table. */
  fields?: [string, string][];
  /** A nested table. */
  table?: { columns: string[]; rows: string[][] };
}

/** How updates are protected against lost writes. */
export type LockingStyle =
  | "version-param" // `optimistic-locking-version` query parameter (documents, segments, buckets, SLOs)
  | "update-token" // settings `updateToken`
  | "compare-version" // no server locking (workflows): re-read and compare the version right before writing
  | "read-only";

/** The description of one resource kind. Adding a kind is one new file that exports one of these. */
export interface ResourceKind {
  /** Canonical singular name used in messages: `workflow`. */
  name: string;
  /** Plural: `workflows`. */
  plural: string;
  /** Other accepted names: `wf`, ... (singular, plural and aliases all resolve). */
  aliases: string[];
  /** One-line description for help and `dtctl api-resources`-style listings. */
  description: string;
  /** Manifest `kind:` for configuration as code (e.g. `Workflow`); absent for kinds that are not managed. */
  manifestKind?: string;
  /** Field holding the server id (`id`, `uid`, `objectId`, `bucketName`). */
  idField: string;
  /** Field holding the human name used for name → id resolution (`title`, `name`, ...). */
  nameField: string;
  /** Whether an argument looks like an id of this kind (else it is resolved as a name). */
  looksLikeId?(text: string): boolean;
  /** Fields the server manages; stripped for `edit`, `create -f` round trips and export. */
  serverFields: string[];
  /** Locking style of updates and deletes. */
  locking: LockingStyle;
  /** The owner's user id, for `readwrite-mine` and `--owner`. */
  owner?(object: RemoteObject): string | undefined;
  /** Table columns (and wide-only columns). */
  columns: KindColumn[];
  /** What `--filter` means for the kind; absent: the kind takes no `--filter`. */
  filter?: KindFilter;
  /**
   * The list options its `list` honours (narrows the list by). Any other one given is a usage error before any
   * request, never silently ignored. Absent: none (only `--chunk-size`, and `--filter` per {@link filter}).
   */
  listFlags?: readonly ListFlag[];

  /** Lists objects (all pages, lazily). */
  list?(context: KindContext, options: ListOptions): AsyncIterable<RemoteObject>;
  /** Reads one object by id; throws `not_found` naming kind and id. */
  get?(context: KindContext, id: string): Promise<RemoteObject>;
  /** Creates from a payload (server fields ignored); returns the created object. */
  create?(context: KindContext, payload: RemoteObject): Promise<RemoteObject>;
  /** Updates `current` to `payload`, with the kind's optimistic locking; returns the updated object. */
  update?(context: KindContext, current: RemoteObject, payload: RemoteObject): Promise<RemoteObject>;
  /** Deletes `current` (documents go to trash), with the kind's locking. */
  delete?(context: KindContext, current: RemoteObject): Promise<void>;
  /** The editable form of an object (what `edit` opens and `get -o yaml` round-trips). */
  toEditable?(object: RemoteObject): RemoteObject;
  /** Extra sections for `describe` (tasks, executions, ...). */
  describe?(context: KindContext, object: RemoteObject): Promise<DescribeSection[]>;
  /**
   * Narrows the list that name → id resolution scans, server-side (e.g. a document filter `name == 'x'` or the
   * Automation `search` parameter). Results are still matched exactly on `nameField`. Absent: the whole list.
   */
  nameQuery?(name: string, options: ListOptions): ListOptions;
  /** Deletes move objects to the document trash (`dtctl restore trash ID` brings them back). */
  softDelete?: boolean;
  /**
   * For kinds that hold deleted objects (the trash): brings the object back as it was, same id and version.
   * `dtctl restore KIND NAME` uses it instead of a version history.
   */
  undelete?(context: KindContext, nameOrId: string): Promise<RemoteObject>;
}
