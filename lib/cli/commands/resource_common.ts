/**
 * What the resource verbs (`get`, `describe`, `create`, `edit`, `delete`, ...) share: the kind context of the
 * selected client, the list filter flags, payload files (YAML or JSON, with file:line:column errors), the
 * confirmation prompt, and the success output of writes.
 *
 * @module
 */

import process from "node:process";
import { type Command, Option } from "@commander-js/extra-typings";
import { DtctlError, usageError } from "../../errors/mod.ts";
import { successEnvelope } from "../../output/envelope.ts";
import type { OutputSpec } from "../../output/printers.ts";
import type { KindContext, ListOptions, RemoteObject, ResourceKind } from "../../resources/mod.ts";
import { BASE_FORMATS, type CliIO, type CliRuntime, toJson } from "../runtime.ts";

/** The resource registry and kinds, loaded on first use (start-up of other commands stays small). */
export function loadResources(): Promise<typeof import("../../resources/mod.ts")> {
  return import("../../resources/mod.ts");
}

/** The printers (and the YAML library behind them), loaded on first use. */
export function loadPrinters(): Promise<typeof import("../../output/printers.ts")> {
  return import("../../output/printers.ts");
}

/** Output formats of the verbs that write (`create`, `edit`, `delete`): the base ones and `name` (`kind/id`). */
export const WRITE_FORMATS = [...BASE_FORMATS, "name"] as const;

/** What a resource verb starts from: the loaded registry and printers, the kind, and the parsed `-o`. */
export interface VerbStart {
  /** The resource registry. */
  resources: typeof import("../../resources/mod.ts");
  /** The printers. */
  printers: typeof import("../../output/printers.ts");
  /** The kind named on the command line. */
  kind: ResourceKind;
  /** The `-o` value, parsed. */
  spec: OutputSpec;
}

/**
 * Loads the registry and printers and checks a verb's command line, in this order: the kind is known, the kind
 * supports the verb (when `supports` is given), `-o` is one of `formats` (default: every printer format).
 */
export async function startVerb(
  runtime: CliRuntime,
  verb: string,
  kindText: string,
  options: { supports?: (kind: ResourceKind) => unknown; formats?: readonly string[] } = {},
): Promise<VerbStart> {
  const resources = await loadResources();
  const printers = await loadPrinters();
  const kind = resources.findKind(kindText);
  if (options.supports && !options.supports(kind)) throw resources.unsupportedError(kind, verb);
  const spec = printers.parseOutputSpec(runtime.globals.output, options.formats);
  return { resources, printers, kind, spec };
}

/**
 * The kind context and the objects that names or ids stand for (narrowed by the filter flags). All are resolved
 * before the caller acts on any: a typo in the last name must not leave the first ones deleted.
 */
export async function resolveNamed(
  runtime: CliRuntime,
  kind: ResourceKind,
  names: readonly string[],
  flags: FilterFlags,
): Promise<{ context: KindContext; objects: RemoteObject[] }> {
  const { resolveObject } = await loadResources();
  const options = await listOptionsFrom(runtime, flags, kind);
  const context = await kindContext(runtime);
  const objects: RemoteObject[] = [];
  for (const name of names) objects.push(await resolveObject(context, kind, name, options));
  return { context, objects };
}

let loadedKinds: ResourceKind[] | undefined;
let supportedFlagsOf: ((kind: ResourceKind) => string[]) | undefined;

/** The verbs whose help lists the kinds. */
const KIND_VERBS = new Set(["get", "describe", "create", "edit", "delete"]);

/**
 * Loads the kinds before a resource verb parses its arguments, so that its `--help` can list them (commander
 * renders help synchronously).
 */
export function preloadKindsFor(program: Command): void {
  program.hook("preSubcommand", async (_program, sub) => {
    if (!KIND_VERBS.has(sub.name()) || loadedKinds) return;
    const resources = await loadResources();
    loadedKinds = resources.allKinds();
    supportedFlagsOf = resources.supportedListFlags;
  });
}

/**
 * Optional capabilities of the process around the CLI that resource verbs use when present: tests inject them,
 * the real process falls back to SIGINT and the terminal.
 */
export interface ResourceIO extends CliIO {
  /** Stops long-running commands (`get --watch`) like Ctrl+C does. */
  signal?: AbortSignal;
  /** Answers a yes/no question (the delete confirmation); default: a line read from the terminal. */
  confirm?(question: string): Promise<boolean>;
}

/** The process IO with the optional resource capabilities. */
export function resourceIO(runtime: CliRuntime): ResourceIO {
  return runtime.io as ResourceIO;
}

/**
 * The kind context of the selected context's client, cancelled by `signal`, else by the IO's signal (tests stop
 * every verb alike with it).
 */
export async function kindContext(
  runtime: CliRuntime,
  signal: AbortSignal | undefined = resourceIO(runtime).signal,
): Promise<KindContext> {
  return { client: await runtime.client(), ...(signal ? { signal } : {}) };
}

/** What an interrupted command is doing, for the message the first Ctrl+C prints. */
export type InterruptionPhase = "planning" | "applying";

/** Options of {@link interruption}. */
export interface InterruptionOptions {
  /**
   * A second Ctrl+C exits at once (130), for when the first one only stops scheduling and the user does not
   * want to wait.
   */
  hardExitOnSecond?: boolean;
  /** The phase at the start; the first Ctrl+C says what it stops. Absent: no message (`get --watch`). */
  phase?: InterruptionPhase;
}

/** A running command's interruption: the signal it stops on, and the phase it is in. */
export interface Interruption {
  /** Aborted by Ctrl+C (or the IO's signal). */
  signal: AbortSignal;
  /** Tells what the command is doing now (the message of the first Ctrl+C depends on it). */
  setPhase(phase: InterruptionPhase): void;
  /** Stops listening. */
  dispose(): void;
}

/**
 * Stops on the IO's signal (tests) or on Ctrl+C, and marks the runtime as interrupted: a command that then fails
 * as `aborted` exits 130, as after SIGINT in other CLIs.
 */
export function interruption(runtime: CliRuntime, options: InterruptionOptions = {}): Interruption {
  const controller = new AbortController();
  let phase = options.phase;
  const again = options.hardExitOnSecond ? " (Ctrl+C again to exit at once)" : "";
  const stop = (reason: unknown) => {
    if (controller.signal.aborted) return;
    runtime.interrupted = true;
    if (phase === "planning") {
      runtime.io.stderr(`Interrupted: planning stopped; nothing has been changed${again}.\n`);
    } else if (phase === "applying") {
      runtime.io.stderr(`Interrupted: no new changes will start; waiting for those in flight${again}.\n`);
    }
    controller.abort(reason);
  };
  const setPhase = (next: InterruptionPhase) => void (phase = next);
  const external = resourceIO(runtime).signal;
  if (external) {
    const onAbort = () => stop(external.reason);
    if (external.aborted) onAbort();
    else external.addEventListener("abort", onAbort, { once: true });
    return {
      signal: controller.signal,
      setPhase,
      dispose: () => external.removeEventListener("abort", onAbort),
    };
  }
  const onInterrupt = () => {
    if (controller.signal.aborted && options.hardExitOnSecond) {
      runtime.io.stderr("Interrupted again: exiting without waiting.\n");
      process.exit(130);
    }
    stop(new DtctlError("aborted", "interrupted"));
  };
  process.on("SIGINT", onInterrupt);
  return { signal: controller.signal, setPhase, dispose: () => void process.off("SIGINT", onInterrupt) };
}

/** The list filter flags shared by the verbs that resolve or list objects. */
export interface FilterFlags {
  /** `--owner ID|me`. */
  owner?: string;
  /** `--type TYPE`. */
  type?: string;
  /** `--schema ID` (settings; same as --type). */
  schema?: string;
  /** `--filter EXPR`. */
  filter?: string;
  /** `--label KEY[=VALUE]`, repeatable. */
  label?: string[];
  /** `--scope SCOPE` (settings). */
  scope?: string;
  /** `--workflow NAME|ID` (workflow executions). */
  workflow?: string;
  /** `--state STATE[,STATE]` (workflow executions). */
  state?: string;
  /** `--chunk-size N`. */
  chunkSize?: number;
}

/** Collects the values of a repeatable flag. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Parses a whole number ≥ `min` for a flag; anything else is a usage error naming the flag. */
export function parseIntFlag(flag: string, min = 1): (value: string) => number {
  return (value: string) => {
    const number = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number) || number < min) {
      throw usageError(`${flag} must be a whole number ≥ ${min}, got "${value}"`, {
        details: { flag, value },
      });
    }
    return number;
  };
}

/**
 * Parses a duration: `500ms`, `2s`, `1.5s`, `1m`, or a bare number of seconds. Anything else is a usage error
 * naming the flag.
 */
export function parseDuration(value: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(value);
  if (!match) {
    throw usageError(`${flag} must be a duration like 2s, 500ms or 1m, got "${value}"`, {
      details: { flag, value },
    });
  }
  const unit = match[2] ?? "s";
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit]!;
  return Math.round(Number(match[1]) * factor);
}

/** Adds the list filter flags to a command. */
// deno-lint-ignore no-explicit-any
export function addFilterFlags<C extends Command<any, any, any>>(command: C, withChunkSize = true): C {
  command
    .option("--owner <id>", "only objects of this owner (a user id, or 'me')")
    .option(
      "--type <type>",
      "kind-specific type: document type, workflow type (STANDARD|SIMPLE), settings schema, bucket table",
    )
    .addOption(new Option("--schema <id>", "settings schema id (same as --type)").hideHelp())
    .option(
      "--filter <expr>",
      "the kind's API filter, or a plain name search where the API has none (per kind: dtctl get --help)",
    )
    .option("-l, --label <key[=value]>", "only objects with this label (repeatable)", collect)
    .option("--scope <scope>", "settings scope, e.g. environment or HOST-1234")
    .option("--workflow <name|id>", "workflow executions of this workflow")
    .option("--state <states>", "workflow executions in these states (comma-separated)");
  if (withChunkSize) {
    command.option(
      "--chunk-size <n>",
      "objects per page request (every list API accepts 500; fewer requests than the APIs' own defaults)",
      parseIntFlag("--chunk-size"),
      DEFAULT_CHUNK_SIZE,
    );
  }
  return command;
}

/** Page size of list requests, as the Go dtctl: within every list API's maximum, and far above their defaults. */
const DEFAULT_CHUNK_SIZE = 500;

/**
 * The list options of the filter flags; `--owner me` becomes the current user's id. With a kind, flags the kind
 * cannot honour (`--filter`, and those outside its `listFlags`) are usage errors first, before any request.
 */
export async function listOptionsFrom(
  runtime: CliRuntime,
  flags: FilterFlags,
  kind?: ResourceKind,
): Promise<ListOptions> {
  const extra: Record<string, string> = {};
  if (flags.scope !== undefined) extra.scope = flags.scope;
  if (flags.workflow !== undefined) extra.workflow = flags.workflow;
  if (flags.state !== undefined) extra.state = flags.state;
  const options: ListOptions = {
    ...(flags.chunkSize !== undefined ? { chunkSize: flags.chunkSize } : {}),
    ...(flags.owner !== undefined ? { owner: flags.owner } : {}),
    ...((flags.type ?? flags.schema) !== undefined ? { type: flags.type ?? flags.schema } : {}),
    ...(flags.filter !== undefined ? { filter: flags.filter } : {}),
    ...(flags.label?.length ? { labels: flags.label } : {}),
    ...(Object.keys(extra).length ? { extra } : {}),
  };
  // Checked before anything is read (and before --owner me asks who the user is).
  if (kind) {
    const { checkFilter, checkListOptions } = await loadResources();
    checkFilter(kind, flags.filter);
    checkListOptions(
      kind,
      options,
      flags.type === undefined && flags.schema !== undefined ? { type: "--schema" } : {},
    );
  }
  if (options.owner?.toLowerCase() === "me") {
    const { getCurrentUser } = await import("../../connect/mod.ts");
    options.owner = (await getCurrentUser(await runtime.client())).userId;
  }
  return options;
}

/** The kinds as help text: names, aliases and descriptions. */
export function kindsHelp(): string {
  const kinds = loadedKinds ?? [];
  if (kinds.length === 0) return "";
  const rows = kinds.map((kind) => [
    kind.name,
    [...new Set([kind.plural, ...kind.aliases])].filter((n) => n !== kind.name).join(", "),
    kind.description,
  ]);
  const width = Math.max(...rows.map((r) => r[0].length), 4);
  const aliasWidth = Math.max(...rows.map((r) => r[1].length), 7);
  return "\nResource kinds (name, other names, description):\n" +
    rows.map(([name, aliases, description]) =>
      `  ${name.padEnd(width)}   ${aliases.padEnd(aliasWidth)}   ${description}`
    )
      .join("\n") +
    "\n";
}

/** What `--filter` means per kind, as help text (kinds without a filter say so). */
export function filtersHelp(): string {
  const kinds = loadedKinds ?? [];
  if (kinds.length === 0) return "";
  const width = Math.max(...kinds.map((kind) => kind.name.length), 4);
  return "\n--filter per kind (kinds differ; text a kind cannot use is a usage error, never silently ignored):\n" +
    kinds.map((kind) =>
      `  ${kind.name.padEnd(width)}   ${kind.filter ? kind.filter.help : "no --filter (the API has none)"}`
    ).join("\n") + "\n";
}

/** The list flags each kind takes, as help text (`get` refuses the others with a usage error). */
export function listFlagsHelp(): string {
  const kinds = loadedKinds ?? [];
  const supported = supportedFlagsOf;
  if (kinds.length === 0 || !supported) return "";
  const width = Math.max(...kinds.map((kind) => kind.name.length), 4);
  return "\nList flags per kind (any other one is a usage error, never silently ignored):\n" +
    kinds.map((kind) => `  ${kind.name.padEnd(width)}   ${supported(kind).join(", ")}`).join("\n") + "\n";
}

// ---------------------------------------------------------------------------------------------------------------
// Payload files

/** Parses the text of a payload file (YAML or JSON) into one object; errors name source:line:column. */
export async function parsePayload(text: string, source: string): Promise<RemoteObject> {
  const { parseAllDocuments } = await import("yaml");
  const documents = parseAllDocuments(text, { prettyErrors: true });
  const list = Array.isArray(documents) ? documents : [];
  for (const document of list) {
    const error = document.errors[0];
    if (error) {
      const [line, column] = error.linePos ? [error.linePos[0].line, error.linePos[0].col] : [1, 1];
      const [headline, ...snippet] = error.message.split("\n");
      const reason = headline.replace(/ at line \d+, column \d+:?$/, "");
      const context = snippet.filter((l) => l.trim() !== "").map((l) => `    ${l}`).join("\n");
      throw usageError(
        `${source}:${line}:${column}: invalid YAML: ${reason}${context ? `\n${context}` : ""}`,
        {
          hint: "fix the file (YAML or JSON) and try again",
          details: { file: source, line, column, yamlCode: error.code },
        },
      );
    }
  }
  const contents = list.filter((d) => d.contents !== null);
  if (contents.length === 0) {
    throw usageError(`${source} is empty`, {
      hint: "the file must hold one object (YAML or JSON)",
      details: { file: source },
    });
  }
  if (contents.length > 1) {
    throw usageError(`${source} holds ${contents.length} YAML documents; this command takes one object`, {
      hint: "split the file, one object per file",
      details: { file: source, documents: contents.length },
    });
  }
  const value = contents[0].toJS({ maxAliasCount: 100 });
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw usageError(`${source}: expected an object (a mapping of fields) at the top level`, {
      hint: "write the object's fields at the top level, as 'dtctl get KIND NAME -o yaml' prints them",
      details: { file: source, found: Array.isArray(value) ? "array" : typeof value },
    });
  }
  return value as RemoteObject;
}

/** Reads and parses `-f FILE` (`-` for stdin). */
export async function readPayloadFile(runtime: CliRuntime, file: string): Promise<RemoteObject> {
  if (file === "-") return await parsePayload(await runtime.io.readStdin(), "<stdin>");
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (error) {
    throw usageError(
      `cannot read ${file}: ${
        error instanceof Deno.errors.NotFound ? "no such file" : (error as Error).message
      }`,
      {
        details: { file, flag: "--filename" },
        cause: error,
      },
    );
  }
  return await parsePayload(text, file);
}

// ---------------------------------------------------------------------------------------------------------------
// Prompts and write results

async function readTerminalLine(): Promise<string | null> {
  const decoder = new TextDecoder();
  const byte = new Uint8Array(1);
  let line = "";
  for (;;) {
    const read = await Deno.stdin.read(byte);
    if (read === null) return line === "" ? null : line;
    const char = decoder.decode(byte, { stream: true });
    if (char === "\n") return line;
    line += char;
  }
}

/**
 * Asks a yes/no question on a terminal (answer `y` or `yes`). Only called when stdin is a terminal and the
 * user gave neither `--yes` nor `--plain`/`-A`.
 */
export async function confirm(runtime: CliRuntime, question: string): Promise<boolean> {
  const io = resourceIO(runtime);
  if (io.confirm) return await io.confirm(question);
  io.stderr(`${question} [y/N] `);
  const answer = await readTerminalLine();
  return /^\s*y(es)?\s*$/i.test(answer ?? "");
}

/** Whether a prompt may be shown: stdin is a terminal and neither `--plain` nor `-A` was given. */
export function canPrompt(runtime: CliRuntime): boolean {
  return runtime.io.stdinIsTTY && !runtime.globals.plain && !runtime.globals.agent;
}

/** `kind "name" (id)`, for messages and prompts. */
export function describeRef(kind: ResourceKind, object: RemoteObject): string {
  const id = fieldText(object[kind.idField]);
  const name = fieldText(object[kind.nameField]) || id;
  return name === id ? `${kind.name} "${id}"` : `${kind.name} "${name}" (${id})`;
}

/**
 * Prints the outcome of a write: the agent envelope, the object as JSON/YAML, `kind/id` with `-o name`, else
 * `kind/id created|edited` (kubectl style).
 */
export async function printWritten(
  runtime: CliRuntime,
  kind: ResourceKind,
  object: RemoteObject,
  spec: OutputSpec,
  verb: "create" | "edit",
): Promise<void> {
  const id = fieldText(object[kind.idField]);
  if (runtime.globals.agent) {
    runtime.io.stdout(toJson(successEnvelope(object, { verb, kind: kind.name, id })));
    return;
  }
  if (spec.format === "table") {
    runtime.io.stdout(`${kind.name}/${id} ${verb === "create" ? "created" : "edited"}\n`);
    return;
  }
  runtime.io.stdout((await loadPrinters()).renderObjects(kind, object, spec));
}

/**
 * Prints a verb's result when `-A`, `-o json` or `-o yaml` asks for data: the agent envelope (with `meta` as its
 * context), JSON or YAML. Returns false for the other formats, which the caller renders.
 */
export async function printAsData(
  runtime: CliRuntime,
  spec: OutputSpec,
  result: unknown,
  meta: Record<string, unknown>,
): Promise<boolean> {
  if (runtime.globals.agent) runtime.io.stdout(toJson(successEnvelope(result, meta)));
  else if (spec.format === "json") runtime.io.stdout(toJson(result));
  else if (spec.format === "yaml") runtime.io.stdout((await import("../../output/format.ts")).toYaml(result));
  else return false;
  return true;
}

function fieldText(value: unknown): string {
  return value === undefined || value === null ? "" : String(value);
}

/** A DtctlError with extra hint text (errors are immutable). */
export function withHint(error: DtctlError, hint: string): DtctlError {
  return new DtctlError(error.code, error.message, {
    hint: error.hint ? `${error.hint.replace(/[.;]\s*$/, "")}; ${hint}` : hint,
    details: error.details,
    cause: error,
    userError: error.userError,
  });
}

/**
 * Makes a verb whose subcommands are kinds (`logs workflow-execution`, `exec workflow|slo`) answer any other
 * first word with a usage error naming the kinds it supports, instead of "unknown command". Without a word it
 * shows its help. `hints` gives a better hint for particular kinds (by canonical name).
 */
// deno-lint-ignore no-explicit-any
export function rejectOtherKinds<C extends Command<any, any, any>>(
  command: C,
  supported: string[],
  example: string,
  hints: Record<string, string> = {},
): C {
  const verb = command.name();
  const only = supported.join(" and ");
  (command as unknown as Command)
    .argument("[kind]")
    .argument("[args...]")
    .allowUnknownOption()
    .action(async (kindText, _args, _options, self) => {
      if (kindText === undefined) {
        self.help();
        return;
      }
      const { defaultRegistry } = await loadResources();
      const kind = defaultRegistry.lookup(kindText)?.name;
      throw usageError(
        kind
          ? `${verb} does not support ${kind} (only ${only})`
          : `${verb} does not support "${kindText}": unknown kind (only ${only})`,
        {
          hint: (kind ? hints[kind] : undefined) ?? `run '${example}'`,
          details: { verb, kind: kind ?? kindText, supported },
        },
      );
    });
  return command;
}

/** Verbs of other tools that people type, and the dtctl verb they mean. */
const VERB_SYNONYMS: Record<string, string> = { list: "get", show: "describe" };

/** Registers hidden `list` and `show`, which fail as unknown commands pointing to `get` and `describe`. */
export function registerSynonyms(program: Command): void {
  for (const [synonym, verb] of Object.entries(VERB_SYNONYMS)) {
    program.command(synonym, { hidden: true })
      .argument("[args...]")
      .allowUnknownOption()
      .helpOption(false)
      .action((args) => {
        throw new DtctlError("unknown_command", `unknown command '${synonym}'`, {
          hint: `dtctl uses kubectl verbs: did you mean 'dtctl ${[verb, ...args].join(" ")}'?`,
          details: { command: synonym, suggestion: verb },
        });
      });
  }
}
