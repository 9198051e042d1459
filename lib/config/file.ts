/**
 * The kubeconfig-like config file: loading, validation with file:line:column errors, edits that keep
 * comments, key order and unknown keys, redacted views and atomic saving.
 *
 * The YAML document is kept as a `yaml` AST rather than plain data so a load → edit → save round trip changes
 * only what was edited; values are stored unexpanded (`${VAR}` expansion happens in `resolveContext`).
 *
 * @module
 */

import { readFile } from "node:fs/promises";
import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  type Scalar,
  visit,
  type YAMLError,
  YAMLMap,
  YAMLSeq,
} from "yaml";
import { DtctlError, usageError } from "../errors/mod.ts";
import { writeFileAtomic } from "./atomic.ts";
import { configPath, type Env } from "./env.ts";
import { LOCAL_CONTEXT } from "./local.ts";
import { isSafetyLevel, SAFETY_LEVELS, type SafetyLevel } from "./safety.ts";

/** The settings of one context, as written in the file (unexpanded). Unknown keys are kept. */
export interface ContextSettings {
  /** Environment URL, e.g. `https://abc12345.apps.dynatrace.com`. Empty when the file lacks it. */
  environment: string;
  /** Name of the entry in `tokens` holding this context's credentials. */
  "token-ref"?: string;
  /**
   * Safety level; `readwrite-all` when absent. As written, so it may be a `${VAR}` reference (checked when
   * resolved).
   */
  "safety-level"?: SafetyLevel;
  /** Free text. */
  description?: string;
  /** Keys this version does not interpret (hooks, spill, ...), preserved on save. */
  [key: string]: unknown;
}

/** A context and its name. */
export interface NamedContext {
  /** Context name. */
  name: string;
  /** Its settings. */
  context: ContextSettings;
}

/** An entry of `tokens`: a plain token, or OAuth client credentials. Values are as written (unexpanded). */
export interface NamedToken {
  /** Entry name, referenced by a context's `token-ref`. */
  name: string;
  /** Platform token (`dt0s16.…`), classic token or access token. */
  token?: string;
  /** OAuth client id (service user). */
  "client-id"?: string;
  /** OAuth client secret. */
  "client-secret"?: string;
  /** OAuth token endpoint; the SSO default when absent. */
  "token-url"?: string;
  /** Keys this version does not interpret, preserved on save. */
  [key: string]: unknown;
}

/** Credentials accepted by {@link DtctlConfig.setCredentials}: a token, or OAuth client credentials. */
export interface CredentialsInput {
  /** Plain token; replaces any OAuth client credentials of the entry. */
  token?: string;
  /** OAuth client id; together with `clientSecret` replaces a plain token. */
  clientId?: string;
  /** OAuth client secret. */
  clientSecret?: string;
  /** OAuth token endpoint. */
  tokenUrl?: string;
}

const SUPPORTED_API_VERSIONS = ["", "v1", "dtctl.io/v1"];
const STRING_CONTEXT_KEYS = ["environment", "token-ref", "safety-level", "description"];
const STRING_TOKEN_KEYS = ["token", "client-id", "client-secret", "token-url"];
const SECRET_TOKEN_KEYS = ["token", "client-secret"];
/** A value that is nothing but one variable reference names a secret without containing it. */
const PURE_REFERENCE = /^\$(?:\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)$/;
/** Dynatrace token shape (`dt0s16.…`, `dt0c01.…`): redacted wherever it appears, comments included. */
const TOKEN_SHAPED = /dt0[a-z][0-9]{2}\.[A-Za-z0-9._-]+/g;
const REDACTED = "***";

/** A validated list entry (`contexts[i]` or `tokens[i]`). */
interface Entry {
  index: number;
  name: string;
  map: YAMLMap;
}

/**
 * A loaded config file. Reads return unexpanded values; edits change the in-memory document and are written
 * by {@link DtctlConfig.save}. Create instances with {@link loadConfig}.
 */
export class DtctlConfig {
  /** Path of the config file (it may not exist yet). */
  readonly path: string;
  #exists: boolean;
  #doc: Document;
  #lines: LineCounter;

  /** Wraps an already validated document; use {@link loadConfig} instead. */
  constructor(path: string, exists: boolean, doc: Document, lines: LineCounter) {
    this.path = path;
    this.#exists = exists;
    this.#doc = doc;
    this.#lines = lines;
  }

  /** Whether the file existed when loaded (or has been saved since). */
  get exists(): boolean {
    return this.#exists;
  }

  /** The `current-context` of the file, if set. */
  get currentContext(): string | undefined {
    const root = this.#root();
    const value = root ? scalarText(this.#deref(root.get("current-context", true))) : undefined;
    return value === undefined || value === "" ? undefined : value;
  }

  /** All contexts of the file in file order (the built-in `local` is not included). */
  contexts(): NamedContext[] {
    return this.#entries("contexts").map((entry) => this.#namedContext(entry));
  }

  /** All token entries of the file in file order. */
  tokens(): NamedToken[] {
    return this.#entries("tokens").map((entry) => {
      const data = toPlain(this.#doc, entry.map);
      const token: NamedToken = { ...data, name: entry.name };
      for (const key of STRING_TOKEN_KEYS) {
        const text = scalarText(this.#deref(entry.map.get(key, true)));
        if (text === undefined) delete token[key];
        else token[key] = text;
      }
      return token;
    });
  }

  /** The `preferences` map (output, editor, hooks, ...); empty when absent. */
  preferences(): Record<string, unknown> {
    const root = this.#root();
    const node = root ? this.#deref(root.get("preferences", true)) : undefined;
    return isMap(node) ? toPlain(this.#doc, node) : {};
  }

  /** The context with this name from the file, if any. */
  getContext(name: string): NamedContext | undefined {
    const entry = this.#find("contexts", name);
    return entry ? this.#namedContext(entry) : undefined;
  }

  /**
   * Creates a context or merges `patch` into an existing one (keys set to `undefined` are left alone).
   * A new context needs an `environment`. The reserved name `local` is refused with `usage_error`.
   */
  setContext(name: string, patch: Partial<ContextSettings>): void {
    checkName(name, "context");
    if (name === LOCAL_CONTEXT) {
      throw usageError(`"${LOCAL_CONTEXT}" is the built-in local platform context and cannot be configured`, {
        hint: `Use \`--context ${LOCAL_CONTEXT}\` as is, or pick another name for your context.`,
        details: { context: name },
      });
    }
    const values = Object.entries(patch).filter(([key, value]) => value !== undefined && key !== "name");
    for (const [key, value] of values) {
      if (
        STRING_CONTEXT_KEYS.includes(key) &&
        (typeof value !== "string" || (key !== "description" && value === ""))
      ) {
        throw usageError(`${key} of context "${name}" must be a non-empty string`, {
          details: { context: name, key },
        });
      }
      if (key === "safety-level" && !isSafetyLevel(value)) {
        throw usageError(`unknown safety level "${String(value)}" for context "${name}"`, {
          hint: `Use one of: ${SAFETY_LEVELS.join(", ")}.`,
          details: { context: name, level: value },
        });
      }
    }
    const existing = this.#find("contexts", name);
    if (existing) {
      let settings = this.#deref(existing.map.get("context", true));
      if (!isMap(settings)) {
        settings = new YAMLMap();
        existing.map.set("context", settings);
      }
      for (const [key, value] of values) setValue(this.#doc, settings as YAMLMap, key, value);
      return;
    }
    if (!values.some(([key]) => key === "environment")) {
      throw usageError(`context "${name}" does not exist yet and needs an environment URL`, {
        hint: `Run \`dtctl config set-context ${name} --environment https://<env-id>.apps.dynatrace.com\`.`,
        details: { context: name },
      });
    }
    // Known keys first, in the order the Go dtctl writes them, so new entries look like hand-written ones.
    const ordered = [
      ...STRING_CONTEXT_KEYS.flatMap((key) => values.filter(([k]) => k === key)),
      ...values.filter(([key]) => !STRING_CONTEXT_KEYS.includes(key)),
    ];
    this.#ensureList("contexts").add(this.#doc.createNode({ name, context: Object.fromEntries(ordered) }));
  }

  /**
   * Creates or updates the `tokens` entry `name`. A token and OAuth client credentials exclude each other:
   * setting one kind removes the other, so an entry never has two meanings. An OAuth entry must end up with
   * both a client id and a client secret (an existing entry may be updated one field at a time).
   */
  setCredentials(name: string, credentials: CredentialsInput): void {
    checkName(name, "token");
    const given = Object.entries({
      token: credentials.token,
      "client-id": credentials.clientId,
      "client-secret": credentials.clientSecret,
      "token-url": credentials.tokenUrl,
    }).filter((pair): pair is [string, string] => pair[1] !== undefined);
    for (const [key, value] of given) {
      if (typeof value !== "string" || value === "") {
        throw usageError(`${key} of credentials "${name}" must be a non-empty string`, {
          details: { token: name, key },
        });
      }
    }
    const isToken = credentials.token !== undefined;
    const isOAuth = given.some(([key]) => key !== "token");
    if (isToken && isOAuth) {
      throw usageError(`credentials "${name}" take either a token or OAuth client credentials, not both`, {
        hint: "Pass --token, or --client-id and --client-secret.",
        details: { token: name },
      });
    }
    if (!isToken && !isOAuth) {
      throw usageError(`no credentials given for "${name}"`, {
        hint: "Pass --token, or --client-id and --client-secret.",
        details: { token: name },
      });
    }
    const existing = this.#find("tokens", name);
    if (isOAuth) {
      const has = (key: string) =>
        given.some(([k]) => k === key) ||
        (existing !== undefined && scalarText(this.#deref(existing.map.get(key, true))) !== undefined);
      const missing = ["client-id", "client-secret"].filter((key) => !has(key));
      if (missing.length > 0) {
        throw usageError(`OAuth credentials "${name}" need ${missing.join(" and ")}`, {
          hint: `Pass ${missing.map((key) => `--${key}`).join(" and ")}.`,
          details: { token: name, missing },
        });
      }
    }
    if (!existing) {
      this.#ensureList("tokens").add(this.#doc.createNode({ name, ...Object.fromEntries(given) }));
      return;
    }
    const obsolete = isToken ? ["client-id", "client-secret", "token-url"] : ["token"];
    for (const key of obsolete) existing.map.delete(key);
    for (const [key, value] of given) setValue(this.#doc, existing.map, key, value);
  }

  /**
   * Makes `name` the current context. `local` is allowed (it always exists); any other unknown name is a
   * `context_error` listing the known contexts.
   */
  useContext(name: string): void {
    if (name !== LOCAL_CONTEXT && !this.#find("contexts", name)) throw this.#unknownContext(name);
    setValue(this.#doc, this.#ensureRoot(), "current-context", name);
  }

  /**
   * Removes a context (its token entry stays: tokens may be shared). Clears `current-context` if it pointed
   * there. Unknown names are a `context_error`; the built-in `local` cannot be deleted.
   */
  deleteContext(name: string): void {
    if (name === LOCAL_CONTEXT) {
      throw usageError(`"${LOCAL_CONTEXT}" is the built-in local platform context and cannot be deleted`, {
        details: { context: name },
      });
    }
    const entry = this.#find("contexts", name);
    if (!entry) throw this.#unknownContext(name);
    (this.#deref(this.#root()!.get("contexts", true)) as YAMLSeq).delete(entry.index);
    if (this.currentContext === name) this.#root()!.delete("current-context");
  }

  /**
   * The file as YAML, comments and unknown keys included. With `redact`, `token` and `client-secret` values
   * become `***` (a value that is only a `${VAR}` reference stays: it is not a secret), and token-shaped
   * strings (`dt0s16.…`) are masked everywhere else too, comments included.
   */
  toYAML(options: { redact?: boolean } = {}): string {
    const doc = this.#doc.clone();
    if (isNull(doc.contents)) doc.contents = skeleton(doc);
    if (options.redact) redact(doc);
    return doc.toString({ lineWidth: 0 });
  }

  /**
   * Writes the file atomically with mode 0600 (creating its directory with mode 0700). Values are written as
   * stored, so `${VAR}` references stay references.
   */
  async save(): Promise<void> {
    try {
      await writeFileAtomic(this.path, this.toYAML());
    } catch (error) {
      throw new DtctlError(
        "config_error",
        `cannot save the config file ${this.path}: ${errorMessage(error)}`,
        {
          hint: "Check that the directory is writable, or point DTCTL_CONFIG at a writable path.",
          details: { file: this.path },
          cause: error,
        },
      );
    }
    this.#exists = true;
  }

  /** `file:line:column` of a context's entry, or of one of its settings; used in error messages. */
  locateContext(name: string, key?: string): string {
    return this.#locateEntry("contexts", name, key, true);
  }

  /** `file:line:column` of a token entry, or of one of its keys; used in error messages. */
  locateToken(name: string, key?: string): string {
    return this.#locateEntry("tokens", name, key, false);
  }

  #locateEntry(list: "contexts" | "tokens", name: string, key: string | undefined, nested: boolean): string {
    const entry = this.#find(list, name);
    if (!entry) return this.path;
    let node: unknown = entry.map;
    if (key !== undefined) {
      const parent = nested ? this.#deref(entry.map.get("context", true)) : entry.map;
      const value = isMap(parent) ? this.#deref(parent.get(key, true)) : undefined;
      node = value ?? (isMap(parent) ? parent : entry.map);
    }
    return location(this.path, this.#lines, node);
  }

  #unknownContext(name: string): DtctlError {
    return unknownContextError(this, name);
  }

  #namedContext(entry: Entry): NamedContext {
    const node = this.#deref(entry.map.get("context", true));
    const data = isMap(node) ? toPlain(this.#doc, node) : {};
    const context: ContextSettings = { ...data, environment: "" };
    for (const key of STRING_CONTEXT_KEYS) {
      const text = isMap(node) ? scalarText(this.#deref(node.get(key, true))) : undefined;
      if (text !== undefined) context[key] = text;
      else if (key !== "environment") delete context[key];
    }
    return { name: entry.name, context };
  }

  #root(): YAMLMap | undefined {
    const root = this.#deref(this.#doc.contents);
    return isMap(root) ? root : undefined;
  }

  #ensureRoot(): YAMLMap {
    // Validation allows only a mapping or nothing (empty file, bare `~`) at the top.
    if (!this.#root()) this.#doc.contents = skeleton(this.#doc);
    return this.#root()!;
  }

  #ensureList(key: "contexts" | "tokens"): YAMLSeq {
    const root = this.#ensureRoot();
    const list = this.#deref(root.get(key, true));
    if (isSeq(list)) return list;
    const created = new YAMLSeq();
    root.set(key, created);
    return created;
  }

  #entries(key: "contexts" | "tokens"): Entry[] {
    const root = this.#root();
    const list = root ? this.#deref(root.get(key, true)) : undefined;
    if (!isSeq(list)) return [];
    return list.items.flatMap((item, index) => {
      const map = this.#deref(item);
      const name = isMap(map) ? scalarText(this.#deref(map.get("name", true))) : undefined;
      return isMap(map) && name !== undefined ? [{ index, name, map }] : [];
    });
  }

  #find(key: "contexts" | "tokens", name: string): Entry | undefined {
    return this.#entries(key).find((entry) => entry.name === name);
  }

  #deref(node: unknown): unknown {
    return isAlias(node) ? node.resolve(this.#doc) : node;
  }
}

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** Explicit file path (the `--config` flag); otherwise {@link configPath} of `env`. */
  path?: string;
  /** Environment used to find the file; defaults to the process environment. */
  env?: Env;
}

/**
 * Loads and validates the config file. A missing file yields an empty config (`exists` false). Malformed YAML
 * and wrong shapes are `config_error`s naming file:line:column.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<DtctlConfig> {
  const path = options.path ?? configPath(options.env);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") {
      const lines = new LineCounter();
      return new DtctlConfig(path, false, parseDocument("", { lineCounter: lines }), lines);
    }
    throw new DtctlError("config_error", `cannot read the config file ${path}: ${errorMessage(error)}`, {
      hint: "Check the path and its permissions (DTCTL_CONFIG or --config select another file).",
      details: { file: path },
      cause: error,
    });
  }
  return parseConfig(path, text);
}

/** Parses and validates config text as if it had been read from `path`. */
export function parseConfig(path: string, text: string): DtctlConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const first = doc.errors[0];
  if (first) throw yamlSyntaxError(path, first);
  new Validator(path, lines, doc).validate();
  return new DtctlConfig(path, true, doc, lines);
}

function yamlSyntaxError(path: string, error: YAMLError): DtctlError {
  const pos = error.linePos?.[0];
  // yaml appends " at line L, column C:" and a code frame to the message; the position goes first instead.
  const [summary, ...frame] = error.message.split("\n");
  const reason = summary.replace(/ at line \d+, column \d+:?$/, "");
  return new DtctlError(
    "config_error",
    `${path}:${pos?.line ?? 1}:${pos?.col ?? 1}: invalid YAML: ${reason}`,
    {
      hint:
        "Fix the YAML at that position (indentation, quoting, a missing ':' or bracket), or move the file away " +
        "and recreate it with `dtctl config set-context`.",
      details: {
        file: path,
        line: pos?.line,
        column: pos?.col,
        yamlCode: error.code,
        excerpt: frame.join("\n").trim(),
      },
    },
  );
}

/** Checks the shape of a parsed file; every problem is reported at its node's position. */
class Validator {
  constructor(readonly path: string, readonly lines: LineCounter, readonly doc: Document) {}

  validate(): void {
    const root = this.deref(this.doc.contents);
    if (root === null || root === undefined || (isScalar(root) && root.value === null)) return;
    if (!isMap(root)) {
      throw this.fail(root, "the top level must be a mapping (apiVersion, kind, contexts, ...)");
    }
    this.apiVersion(root);
    const kind = this.deref(root.get("kind", true));
    const kindText = this.optionalString(kind, "kind");
    if (kindText !== undefined && kindText !== "" && kindText !== "Config") {
      throw this.fail(kind, `kind must be Config, not "${kindText}"`, "Is this a dtctl config file?");
    }
    this.optionalString(this.deref(root.get("current-context", true)), "current-context");
    this.list(root, "contexts", (map, name) => this.context(map, name));
    this.list(root, "tokens", (map) => {
      for (const key of STRING_TOKEN_KEYS) this.optionalString(this.deref(map.get(key, true)), key);
    });
    for (const key of ["preferences", "aliases"]) {
      const node = this.deref(root.get(key, true));
      if (!isMap(node) && !isNull(node)) throw this.fail(node, `${key} must be a mapping`);
    }
  }

  apiVersion(root: YAMLMap): void {
    const node = this.deref(root.get("apiVersion", true));
    const version = this.optionalString(node, "apiVersion") ?? "";
    if (!SUPPORTED_API_VERSIONS.includes(version)) {
      throw this.fail(
        node,
        `unsupported apiVersion "${version}"`,
        "This file was written for another version of dtctl. Supported: v1, dtctl.io/v1 (or none).",
      );
    }
  }

  context(entry: YAMLMap, name: string): void {
    if (name === LOCAL_CONTEXT) {
      throw this.fail(
        entry.get("name", true),
        `the context name "${LOCAL_CONTEXT}" is reserved for the built-in local platform`,
        `Rename this context; \`--context ${LOCAL_CONTEXT}\` always selects the built-in one.`,
      );
    }
    const settings = this.deref(entry.get("context", true));
    if (isNull(settings)) return;
    if (!isMap(settings)) throw this.fail(settings, `context of "${name}" must be a mapping`);
    for (const key of STRING_CONTEXT_KEYS) this.optionalString(this.deref(settings.get(key, true)), key);
    const levelNode = this.deref(settings.get("safety-level", true));
    const level = scalarText(levelNode);
    // A level built from ${VAR} can only be checked after expansion, in resolveContext.
    if (level !== undefined && !level.includes("$") && !isSafetyLevel(level)) {
      throw this.fail(
        levelNode,
        `unknown safety level "${level}" in context "${name}"`,
        `Use one of: ${SAFETY_LEVELS.join(", ")}.`,
      );
    }
  }

  list(root: YAMLMap, key: string, each: (map: YAMLMap, name: string) => void): void {
    const list = this.deref(root.get(key, true));
    if (isNull(list)) return;
    if (!isSeq(list)) {
      throw this.fail(
        list,
        `${key} must be a list of entries with a name`,
        `Write "${key}:" followed by "- name: ..." items.`,
      );
    }
    const seen = new Set<string>();
    for (const raw of list.items) {
      const item = this.deref(raw);
      if (!isMap(item)) throw this.fail(item ?? list, `each entry of ${key} must be a mapping with a name`);
      const nameNode = this.deref(item.get("name", true));
      const name = this.optionalString(nameNode, "name");
      if (name === undefined || name === "") {
        throw this.fail(nameNode ?? item, `an entry of ${key} has no name`);
      }
      if (seen.has(name)) {
        throw this.fail(
          nameNode,
          `${key} has two entries named "${name}"`,
          "Names must be unique; remove or rename one.",
        );
      }
      seen.add(name);
      each(item, name);
    }
  }

  /** The text of a scalar, undefined when absent or null; anything else is a shape error. */
  optionalString(node: unknown, key: string): string | undefined {
    if (isNull(node)) return undefined;
    const text = scalarText(node);
    if (text === undefined) {
      throw this.fail(node, `${key} must be a single value, not a ${isMap(node) ? "mapping" : "list"}`);
    }
    return text;
  }

  fail(node: unknown, message: string, hint?: string): DtctlError {
    const where = location(this.path, this.lines, node);
    return new DtctlError("config_error", `${where}: ${message}`, {
      hint: hint ?? "Fix the config file at that position.",
      details: { file: this.path, ...position(this.lines, node) },
    });
  }

  deref(node: unknown): unknown {
    return isAlias(node) ? node.resolve(this.doc) : node;
  }
}

/**
 * The `context_error` for a context name the file does not define; lists the known names plus `local`.
 * `origin` says where the name came from (e.g. "--context"), since a stale DTCTL_CONTEXT is easy to forget.
 */
export function unknownContextError(config: DtctlConfig, name: string, origin?: string): DtctlError {
  const known = [...config.contexts().map((context) => context.name), LOCAL_CONTEXT];
  const from = origin === undefined ? "" : ` (selected by ${origin})`;
  return new DtctlError(
    "context_error",
    `context "${name}"${from} is not defined in ${config.path}; known contexts: ${known.join(", ")}`,
    {
      hint:
        `Use one of the known contexts, or create it with \`dtctl config set-context ${name} --environment <url>\`.`,
      details: { context: name, known, file: config.path, origin },
    },
  );
}

function isNull(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}

/** The text of a scalar node: strings as is, other scalars as written (so `name: 0x1F` stays "0x1F"). */
function scalarText(node: unknown): string | undefined {
  if (!isScalar(node) || node.value === null || node.value === undefined) return undefined;
  if (typeof node.value === "string") return node.value;
  return (node as Scalar).source ?? String(node.value);
}

function position(lines: LineCounter, node: unknown): { line?: number; column?: number } {
  const range = (node as Node | undefined)?.range;
  if (!range) return {};
  const { line, col } = lines.linePos(range[0]);
  return { line, column: col };
}

function location(path: string, lines: LineCounter, node: unknown): string {
  const { line, column } = position(lines, node);
  return line === undefined ? path : `${path}:${line}:${column}`;
}

function toPlain(doc: Document, node: YAMLMap): Record<string, unknown> {
  const value = node.toJS(doc);
  return value instanceof Map ? Object.fromEntries(value) : { ...(value as Record<string, unknown>) };
}

/** Sets a key, keeping the existing scalar node (and so its comments and anchor) when replacing a scalar. */
function setValue(doc: Document, map: YAMLMap, key: string, value: unknown): void {
  const current = map.get(key, true);
  if (isScalar(current) && (value === null || typeof value !== "object")) {
    current.value = value;
    // A stale source text would otherwise shadow the new value for non-string scalars.
    delete (current as Scalar).source;
    return;
  }
  map.set(key, doc.createNode(value));
}

function skeleton(doc: Document): YAMLMap {
  return doc.createNode({ apiVersion: "v1", kind: "Config" }) as YAMLMap;
}

function checkName(name: string, what: string): void {
  if (typeof name !== "string" || name.trim() === "") {
    throw usageError(`a ${what} name must not be empty`, { details: { name } });
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function maskTokenShaped(text: string): string {
  return text.replace(TOKEN_SHAPED, REDACTED);
}

function redact(doc: Document): void {
  const root = isAlias(doc.contents) ? doc.contents.resolve(doc) : doc.contents;
  const tokens = isMap(root) ? root.get("tokens", true) : undefined;
  const secrets = new Set<unknown>();
  const publicValues = new Set<unknown>();
  if (isSeq(tokens)) {
    for (const item of tokens.items) {
      const map = isAlias(item) ? item.resolve(doc) : item;
      if (!isMap(map)) continue;
      for (const key of SECRET_TOKEN_KEYS) {
        const node = map.get(key, true);
        const value = isAlias(node) ? node.resolve(doc) : node;
        if (isScalar(value)) secrets.add(value);
      }
      // Client ids are not secret but look like tokens (dt0s12.…); masking them would hide the client in use.
      const id = map.get("client-id", true);
      if (isScalar(id)) publicValues.add(id);
    }
  }
  if (doc.commentBefore) doc.commentBefore = maskTokenShaped(doc.commentBefore);
  if (doc.comment) doc.comment = maskTokenShaped(doc.comment);
  visit(doc, {
    Node(_key, node) {
      if (node.commentBefore) node.commentBefore = maskTokenShaped(node.commentBefore);
      if (node.comment) node.comment = maskTokenShaped(node.comment);
      if (!isScalar(node)) return;
      if (secrets.has(node)) {
        const text = scalarText(node);
        if (text !== undefined && !PURE_REFERENCE.test(text)) {
          node.value = REDACTED;
          delete node.source;
        }
      } else if (typeof node.value === "string" && !publicValues.has(node)) {
        node.value = maskTokenShaped(node.value);
      }
    },
  });
}
