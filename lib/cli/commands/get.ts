/**
 * `dtctl get KIND [NAME|ID...]`: list or read objects of any kind, in every output format, optionally watching
 * for changes (`--watch`, `--watch-only`, `--interval`).
 *
 * @module
 */

import type { Command } from "@commander-js/extra-typings";
import { usageError } from "../../errors/mod.ts";
import { successEnvelope } from "../../output/envelope.ts";
import type { OutputSpec, PrintOptions, WatchPrinter } from "../../output/printers.ts";
import type { ListOptions, RemoteObject, ResourceKind, WatchEvent } from "../../resources/mod.ts";
import type { RuntimeOf } from "../program.ts";
import { type CliRuntime, toJson } from "../runtime.ts";
import {
  addFilterFlags,
  type FilterFlags,
  filtersHelp,
  interruption,
  kindContext,
  kindsHelp,
  listFlagsHelp,
  listOptionsFrom,
  loadPrinters,
  loadResources,
  parseDuration,
  startVerb,
} from "./resource_common.ts";

/** Flags of `get`. */
interface GetFlags extends FilterFlags {
  watch?: boolean;
  watchOnly?: boolean;
  interval?: string;
  headers?: boolean;
}

/** Registers `get`. */
export function registerGet(program: Command, runtimeOf: RuntimeOf): void {
  const command = program.command("get")
    .description("list objects of a kind, or read some by name or id")
    .argument("<kind>", "resource kind, e.g. workflows, dashboards, notebooks, documents, trash")
    .argument("[names...]", "names or ids (exact names; ids are tried first when they look like one)")
    .option("-w, --watch", "after listing, watch for changes (+ added, ~ modified, - deleted); Ctrl+C stops")
    .option("--watch-only", "watch for changes without the initial listing")
    .option("--interval <duration>", "poll interval of --watch (default 2s, at least 1s)")
    .option("--no-headers", "omit the header line of table, wide and csv output");
  addFilterFlags(command)
    .addHelpText("after", () =>
      "\nOutput (-o): table, wide, json, yaml, csv, name, jsonpath=TEMPLATE\n" +
      "  json/yaml print one object as itself and a list as an array; jsonpath sees a list as {items: [...]}.\n" +
      kindsHelp() + listFlagsHelp() + filtersHelp() +
      "\nExamples:\n  dtctl get workflows\n  dtctl get dashboard 'Host health' -o yaml\n" +
      "  dtctl get documents --type launchpad -o name\n  dtctl get notebooks -o jsonpath='{.items[*].name}'\n" +
      "  dtctl get workflows --watch --interval 5s\n")
    .action(async (kindText, names, flags, cmd) => {
      await runGet(runtimeOf(cmd), kindText, names, flags as GetFlags);
    });
}

async function runGet(
  runtime: CliRuntime,
  kindText: string,
  names: string[],
  flags: GetFlags,
): Promise<void> {
  const { resources, kind, spec } = await startVerb(runtime, "get", kindText);
  const { listObjects, resolveObject, supportedListFlags, unsupportedError } = resources;
  const watching = Boolean(flags.watch || flags.watchOnly);
  let intervalMs: number | undefined;
  if (flags.interval !== undefined) {
    intervalMs = parseDuration(flags.interval, "--interval");
    if (intervalMs < 1000) {
      throw usageError(`--interval must be at least 1s, got ${flags.interval}`, {
        hint: "polling faster than once a second only gets you rate-limited",
        details: { flag: "--interval", value: flags.interval },
      });
    }
  }
  if (watching && names.length > 0) {
    throw usageError("--watch lists a whole kind; it takes no names", {
      hint: `narrow the list instead (${kind.plural} take ${
        supportedListFlags(kind).join(", ")
      }): dtctl get ${kind.plural} --watch`,
      details: { flag: "--watch" },
    });
  }
  const options = await listOptionsFrom(runtime, flags, kind);
  const print: PrintOptions = { noHeaders: flags.headers === false, styleHeader: runtime.palette.bold };
  if (watching) {
    await runWatch(runtime, kind, spec, options, { intervalMs, watchOnly: Boolean(flags.watchOnly), print });
    return;
  }
  const context = await kindContext(runtime);
  if (names.length > 0) {
    if (!kind.get && !kind.list) throw unsupportedError(kind, "get");
    const objects: RemoteObject[] = [];
    for (const name of names) objects.push(await resolveObject(context, kind, name, options));
    const value = names.length === 1 ? objects[0] : objects;
    await printObjects(runtime, kind, value, spec, print);
    return;
  }
  const objects = await listObjects(context, kind, options);
  await printObjects(runtime, kind, objects, spec, print);
}

async function printObjects(
  runtime: CliRuntime,
  kind: ResourceKind,
  value: RemoteObject | RemoteObject[],
  spec: OutputSpec,
  print: PrintOptions,
): Promise<void> {
  const list = Array.isArray(value);
  if (runtime.globals.agent) {
    runtime.io.stdout(toJson(successEnvelope(value, {
      verb: "get",
      kind: kind.name,
      ...(list ? { total: value.length } : {}),
    })));
    return;
  }
  const tabular = spec.format === "table" || spec.format === "wide" || spec.format === "csv" ||
    spec.format === "name";
  if (list && value.length === 0 && tabular) {
    runtime.io.stderr(`No ${kind.plural} found.\n`);
    return;
  }
  runtime.io.stdout((await loadPrinters()).renderObjects(kind, value, spec, print));
}

async function runWatch(
  runtime: CliRuntime,
  kind: ResourceKind,
  spec: OutputSpec,
  options: ListOptions,
  settings: {
    intervalMs?: number;
    watchOnly: boolean;
    print: PrintOptions;
  },
): Promise<void> {
  const { watchObjects } = await loadResources();
  const printers = await loadPrinters();
  const { signal, dispose } = interruption(runtime);
  const agent = runtime.globals.agent;
  const jsonSpec: OutputSpec = { format: "json" };
  const out = (text: string) => runtime.io.stdout(text);
  let printer: WatchPrinter | undefined;
  let pendingInitial: RemoteObject[] = [];
  try {
    const context = await kindContext(runtime, signal);
    await watchObjects(context, kind, {
      ...options,
      intervalMs: settings.intervalMs,
      watchOnly: settings.watchOnly,
      signal,
      onBackoff: (ms) =>
        runtime.status(
          `Warning: the environment is rate-limiting requests; polling every ${Math.round(ms / 1000)}s`,
        ),
      onPoll: (objects) => {
        if (printer) return;
        // The first poll sets the column widths from what it listed, then prints header and rows at once.
        printer = new printers.WatchPrinter(kind, agent ? jsonSpec : spec, settings.print, objects);
        out(printer.header());
        for (const object of pendingInitial) out(printer.initial(object));
        pendingInitial = [];
      },
    }, (event: WatchEvent) => {
      if (event.initial) {
        pendingInitial.push(event.object);
        return;
      }
      out(printer!.event(event.type, event.object));
    });
  } finally {
    dispose();
  }
}
